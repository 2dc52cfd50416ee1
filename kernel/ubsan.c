/* kernel/ubsan.c: the handlers GCC's -fsanitize=undefined calls when a check fails. Each
 * prints "UBSAN: KIND at FILE:LINE:COLUMN" once per site and returns: the kernel goes on, so
 * that one boot shows every site it reaches (the boot tests reject any "UBSAN:" line). */
#include "kernel/ubsan.h"
#include "kernel/printk.h"
#include "kernel/panic.h"

/* The layouts GCC passes (gcc/ubsan.c; the same as LLVM's compiler-rt). */
struct source_location {
    const char *file;
    uint32_t line, column;
};

struct type_descriptor {
    uint16_t kind, info;
    char name[];
};

struct type_mismatch_data {        /* __ubsan_handle_type_mismatch_v1 */
    struct source_location loc;
    const struct type_descriptor *type;
    uint8_t log_alignment, type_check_kind;
};

struct overflow_data {             /* arithmetic, divide, negate, load_invalid_value */
    struct source_location loc;
    const struct type_descriptor *type;
};

struct shift_data {
    struct source_location loc;
    const struct type_descriptor *lhs, *rhs;
};

struct out_of_bounds_data {
    struct source_location loc;
    const struct type_descriptor *array, *index;
};

struct location_data {             /* unreachable, nonnull return, pointer overflow, ... */
    struct source_location loc;
};

uint32_t ubsan_reports;

/* A site is reported once: the column's top bit marks it done (Linux's lib/ubsan.c does so). */
static int first_time(struct source_location *loc)
{
    if (loc->column & 0x80000000u)
        return 0;
    loc->column |= 0x80000000u;
    return 1;
}

static void report(struct source_location *loc, const char *kind, const char *detail)
{
    if (!first_time(loc))
        return;
    ubsan_reports++;
    printk("UBSAN: %s at %s:%u:%u%s%s\n", kind, loc->file, loc->line,
           loc->column & 0x7FFFFFFFu, detail ? ": " : "", detail ? detail : "");
}

static const char *const mismatch_kinds[] = {
    "load of", "store to", "reference binding to", "member access within",
    "member call on", "constructor call on", "downcast of", "downcast of",
    "upcast of", "cast to virtual base of", "_Nonnull binding to", "dynamic operation on",
};

void __ubsan_handle_type_mismatch_v1(struct type_mismatch_data *d, uintptr_t ptr)
{
    const char *kind = d->type_check_kind < sizeof(mismatch_kinds) / sizeof(mismatch_kinds[0])
                       ? mismatch_kinds[d->type_check_kind] : "access to";
    if (!first_time(&d->loc))
        return;
    ubsan_reports++;
    if (ptr == 0)
        printk("UBSAN: null-pointer %s %s at %s:%u:%u\n", kind, d->type->name, d->loc.file,
               d->loc.line, d->loc.column & 0x7FFFFFFFu);
    else
        printk("UBSAN: misaligned %s %s at %s:%u:%u: address %x, alignment %u\n", kind,
               d->type->name, d->loc.file, d->loc.line, d->loc.column & 0x7FFFFFFFu,
               (uint32_t)ptr, 1u << d->log_alignment);
}

void __ubsan_handle_add_overflow(struct overflow_data *d, uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    report(&d->loc, "signed-integer-overflow", "+");
}

void __ubsan_handle_sub_overflow(struct overflow_data *d, uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    report(&d->loc, "signed-integer-overflow", "-");
}

void __ubsan_handle_mul_overflow(struct overflow_data *d, uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    report(&d->loc, "signed-integer-overflow", "*");
}

void __ubsan_handle_negate_overflow(struct overflow_data *d, uintptr_t a)
{
    (void)a;
    report(&d->loc, "signed-integer-overflow", "negation");
}

void __ubsan_handle_divrem_overflow(struct overflow_data *d, uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    report(&d->loc, "division-overflow", "by zero, or INT_MIN / -1");
}

void __ubsan_handle_shift_out_of_bounds(struct shift_data *d, uintptr_t a, uintptr_t b)
{
    (void)a, (void)b;
    report(&d->loc, "shift-out-of-bounds", NULL);
}

void __ubsan_handle_out_of_bounds(struct out_of_bounds_data *d, uintptr_t index)
{
    (void)index;
    report(&d->loc, "array-index-out-of-bounds", NULL);
}

void __ubsan_handle_load_invalid_value(struct overflow_data *d, uintptr_t value)
{
    (void)value;
    report(&d->loc, "invalid-load", "not a value of its type (bool or enum)");
}

/* GCC emits nothing after this call: returning would run whatever follows. */
void __ubsan_handle_builtin_unreachable(struct location_data *d)
{
    report(&d->loc, "unreachable", "__builtin_unreachable() reached");
    panic("UBSAN: unreachable code reached");
}

void __ubsan_handle_nonnull_return_v1(struct location_data *d, struct location_data *at)
{
    (void)at;
    report(&d->loc, "nonnull-return", "NULL returned");
}

void __ubsan_handle_nonnull_arg(struct location_data *d)
{
    report(&d->loc, "nonnull-attribute", "NULL argument");
}

void __ubsan_handle_vla_bound_not_positive(struct overflow_data *d, uintptr_t bound)
{
    (void)bound;
    report(&d->loc, "vla-bound", "not positive");
}

void __ubsan_handle_pointer_overflow(struct location_data *d, uintptr_t base, uintptr_t result)
{
    (void)base, (void)result;
    report(&d->loc, "pointer-overflow", NULL);
}

void __ubsan_handle_invalid_builtin(struct location_data *d)
{
    report(&d->loc, "invalid-builtin", "ctz or clz of 0");
}
