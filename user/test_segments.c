/* user/test_segments.c: set_thread_area checks descriptors as Linux does (32-bit data
 * segments only, present, DPL 3; limits and read-only honoured), and a program that loads
 * a selector and then clears its descriptor dies of SIGSEGV when the kernel's return to
 * user mode reloads it: every segment register (ds, es, fs, gs, ss). The kernel lives on.
 * Runs on Linux too, where the return path loads a null selector and the next use of the
 * register faults (and a faulting iret, the ss case, may be SIGILL there). */
#include <asm/ldt.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/proc.h"

#define SEL(entry) (((entry) << 3) | 3)

static uint32_t window[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };
static uint32_t other = 0x5eed5eed;

static long tls_set(struct user_desc *d)
{
    return syscall(SYS_set_thread_area, d);
}

/* A 32-bit data segment over [base, base + bytes), byte granular, in a free slot. */
static struct user_desc data_desc(uintptr_t base, uint32_t bytes)
{
    struct user_desc d;
    memset(&d, 0, sizeof(d));
    d.entry_number = -1;
    d.base_addr = base;
    d.limit = bytes - 1;
    d.seg_32bit = 1;
    return d;
}

/* The whole address space (4 GiB, page granular), like glibc's own. */
static struct user_desc flat_desc(void)
{
    struct user_desc d = data_desc(0, 1);
    d.limit = 0xFFFFF;
    d.limit_in_pages = 1;
    return d;
}

/* Linux's LDT_empty: what a program passes to delete an entry. */
static struct user_desc empty_desc(unsigned entry)
{
    struct user_desc d;
    memset(&d, 0, sizeof(d));
    d.entry_number = entry;
    d.read_exec_only = 1;
    d.seg_not_present = 1;
    return d;
}

static void expect_einval(const char *name, struct user_desc d)
{
    errno = 0;
    long r = tls_set(&d);
    int err = errno;
    ktap_check(r == -1 && err == EINVAL, name, "set_thread_area gave %ld, errno %d (%s)", r, err,
               strerror(err));
}

static void check_rejected(void)
{
    struct user_desc d = flat_desc();
    d.contents = 2;                     /* code, non-conforming */
    expect_einval("reject_code_segment", d);
    d.contents = 3;                     /* code, conforming */
    expect_einval("reject_conforming_code", d);
    d = flat_desc();
    d.seg_not_present = 1;
    expect_einval("reject_not_present", d);
    d = flat_desc();
    d.seg_32bit = 0;
    expect_einval("reject_16_bit", d);
    /* INT_MIN: less the first TLS entry it overflowed, undefined behaviour (UBSan) */
    unsigned entries[] = { 0, 5, 9, 0x7FFFFFFF, (unsigned)-2, 0x80000000u, 0x80000005u };
    int bad = 0;
    for (size_t i = 0; i < sizeof(entries) / sizeof(entries[0]); i++) {
        d = flat_desc();
        d.entry_number = entries[i];
        errno = 0;
        if (tls_set(&d) != -1 || errno != EINVAL) {
            ktap_diag("entry %u: errno %d", entries[i], errno);
            bad++;
        }
    }
    ktap_check(bad == 0, "reject_entries_outside_tls", "%d entry numbers accepted", bad);
    errno = 0;
    long r = syscall(SYS_set_thread_area, NULL);
    ktap_check(r == -1 && errno == EFAULT, "null_pointer_efault", "gave %ld errno %d", r, errno);
}

/* Reads 4 bytes at off through %fs loaded with entry's selector; %fs is null again
 * after (a selector left loaded would be reloaded on every return from the kernel). */
static uint32_t fs_read(unsigned entry, uint32_t off)
{
    uint32_t v;
    __asm__ volatile("movw %w1, %%fs\n\tmovl %%fs:(%2), %0\n\tmovw %w3, %%fs"
                     : "=&r"(v) : "r"(SEL(entry)), "r"(off), "r"(0) : "memory");
    return v;
}

/* The limit and the rights the CPU has for a selector, asked with lsl and verw (which
 * read the descriptor itself: QEMU does not check data-segment limits on accesses). */
static uint32_t seg_limit(unsigned entry)
{
    uint32_t limit = 0;
    __asm__ volatile("lsl %1, %0" : "+r"(limit) : "r"(SEL(entry)) : "cc");
    return limit;
}

static int seg_writable(unsigned entry)
{
    uint8_t ok;
    __asm__ volatile("verw %w1\n\tsetz %0" : "=q"(ok) : "r"(SEL(entry)) : "cc");
    return ok;
}

static int seg_readable(unsigned entry)
{
    uint8_t ok;
    __asm__ volatile("verr %w1\n\tsetz %0" : "=q"(ok) : "r"(SEL(entry)) : "cc");
    return ok;
}

static unsigned child_entry;

static void load_cleared(void *arg)
{
    (void)arg;
    fs_read(child_entry, 0);
}

static void check_data_segments(void)
{
    struct user_desc d = data_desc((uintptr_t)window, sizeof(window));
    long r = tls_set(&d);
    int ok = r == 0 && d.entry_number >= 6 && d.entry_number <= 8;
    ktap_check(ok, "data_segment_accepted", "gave %ld, entry %u", r, d.entry_number);
    uint32_t v = ok ? fs_read(d.entry_number, 12) : 0;
    ktap_check(v == window[3], "read_through_segment", "%%fs:12 is %#x", v);
    ktap_check(seg_limit(d.entry_number) == 15 && seg_writable(d.entry_number),
               "byte_limit_kept", "limit %#x, writable %d", seg_limit(d.entry_number),
               seg_writable(d.entry_number));

    /* The same entry again, now with another base: a reload sees the new one. */
    struct user_desc moved = data_desc((uintptr_t)&other, sizeof(other));
    moved.entry_number = d.entry_number;
    r = tls_set(&moved);
    v = r == 0 ? fs_read(d.entry_number, 0) : 0;
    ktap_check(v == other, "entry_replaced", "gave %ld, %%fs:0 is %#x", r, v);

    struct user_desc ro = data_desc((uintptr_t)window, sizeof(window));
    ro.entry_number = d.entry_number;
    ro.read_exec_only = 1;
    r = tls_set(&ro);
    ktap_check(r == 0 && fs_read(d.entry_number, 4) == window[1], "read_only_segment_readable",
               "gave %ld", r);
    ktap_check(seg_readable(d.entry_number) && !seg_writable(d.entry_number),
               "read_only_segment_not_writable", "readable %d writable %d",
               seg_readable(d.entry_number), seg_writable(d.entry_number));

    struct user_desc down = data_desc((uintptr_t)window, sizeof(window));
    down.entry_number = d.entry_number;
    down.contents = 1;                  /* expand-down data: allowed */
    r = tls_set(&down);
    ktap_check(r == 0, "expand_down_accepted", "gave %ld errno %d", r, errno);

    struct user_desc gone = empty_desc(d.entry_number);
    r = tls_set(&gone);
    ktap_check(r == 0, "clear_entry", "gave %ld errno %d", r, errno);
    child_entry = d.entry_number;
    check_killed_by("cleared_entry_unloadable", load_cleared, NULL, SIGSEGV);

    struct user_desc again = data_desc((uintptr_t)window, sizeof(window));
    r = tls_set(&again);
    ktap_check(r == 0 && again.entry_number == d.entry_number, "cleared_entry_free_again",
               "gave %ld, entry %u (cleared %u)", r, again.entry_number, d.entry_number);
    struct user_desc zero;
    memset(&zero, 0, sizeof(zero));
    zero.entry_number = d.entry_number;
    r = tls_set(&zero);
    ktap_check(r == 0, "clear_entry_all_zero", "gave %ld errno %d", r, errno);
}

/* In a child: load a flat segment's selector into one register, clear the descriptor
 * with a raw int 0x80, then use the register. The kernel's return reloads the selector:
 * that fault must kill the child (or, on Linux, leave a null selector the use faults on). */
enum reg { REG_DS, REG_ES, REG_FS, REG_GS, REG_SS };

static void clear_while_loaded(void *arg)
{
    enum reg reg = (enum reg)(uintptr_t)arg;
    struct user_desc d = flat_desc();
    if (tls_set(&d) != 0)
        _exit(2);
    struct user_desc gone = empty_desc(d.entry_number);
    uint32_t sel = SEL(d.entry_number), probe = 0;
    long nr = SYS_set_thread_area;
    /* Load, clear with a raw system call, then read through the register. */
#define CLEAR_WHILE_LOADED(r, use)                                                          \
    __asm__ volatile("movw %w1, %%" r "\n\tint $0x80\n\t" use                            \
                     : "+a"(nr) : "r"(sel), "b"(&gone), "r"(&probe) : "memory")
    switch (reg) {
    case REG_DS: CLEAR_WHILE_LOADED("ds", "movl %%ds:(%3), %%eax"); break;
    case REG_ES: CLEAR_WHILE_LOADED("es", "movl %%es:(%3), %%eax"); break;
    case REG_FS: CLEAR_WHILE_LOADED("fs", "movl %%fs:(%3), %%eax"); break;
    case REG_GS: CLEAR_WHILE_LOADED("gs", "movl %%gs:(%3), %%eax"); break;
    case REG_SS: CLEAR_WHILE_LOADED("ss", "pushl %%eax\n\tpopl %%eax"); break;
    }
    /* Still alive with a usable register: the test fails. No libc (its %gs may be gone). */
    __asm__ volatile("movl $1, %%eax\n\tmovl $7, %%ebx\n\tint $0x80" : : : "memory");
}

static void check_return_faults(void)
{
    static const char *names[] = { "clear_loaded_ds", "clear_loaded_es", "clear_loaded_fs",
                                   "clear_loaded_gs", "clear_loaded_ss" };
    for (int r = REG_DS; r <= REG_SS; r++) {
        char how[80];
        int status = run_in_child(clear_while_loaded, (void *)(uintptr_t)r);
        int sig = status != -1 && WIFSIGNALED(status) ? WTERMSIG(status) : 0;
        int ok = sig == SIGSEGV || (r == REG_SS && sig == SIGILL);
        ktap_check(ok, names[r], "child %s, expected SIGSEGV",
                   describe_status(status, how, sizeof(how)));
    }
}

int main(void)
{
    ktap_plan(6 + 11 + 5 + 1);
    check_rejected();
    check_data_segments();
    check_return_faults();
    int fds[2];
    ktap_check(pipe(fds) == 0 && write(fds[1], "x", 1) == 1, "kernel_alive", "pipe failed");
    return ktap_finish();
}
