/* user/test_segv.c: every kind of bad memory access kills only the process that made it,
 * with SIGSEGV: NULL, text, kernel addresses, past the stack limit, unmapped code. */
#include <signal.h>
#include <stdint.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

#define UNMAPPED_CODE 0x12345000u
#define CANARY 0x5eedf00du

static volatile uint32_t canary = CANARY;

static void write_to_text(void *unused)
{
    (void)unused;
    write_byte((uintptr_t)write_to_text, 0);
}

static void write_to_rodata(void *unused)
{
    static const char constant[] = "read-only";
    (void)unused;
    write_byte((uintptr_t)constant, 'R');
}

int main(void)
{
    pid_t me = getpid();
    ktap_plan(10);
    check_killed_by("null_read", read_byte_at, NULL, SIGSEGV);
    check_killed_by("null_write", write_byte_at, NULL, SIGSEGV);
    check_killed_by("text_write", write_to_text, NULL, SIGSEGV);
    check_killed_by("rodata_write", write_to_rodata, NULL, SIGSEGV);
    check_killed_by("kernel_read_c0000000", read_byte_at, (void *)0xC0000000u, SIGSEGV);
    check_killed_by("kernel_read_fffff000", read_byte_at, (void *)0xFFFFF000u, SIGSEGV);
    check_killed_by("kernel_write_c0100000", write_byte_at, (void *)0xC0100000u, SIGSEGV);
    check_killed_by("stack_past_limit", touch_beyond_stack_limit, NULL, SIGSEGV);
    check_killed_by("jump_to_unmapped", jump_to, (void *)UNMAPPED_CODE, SIGSEGV);
    ktap_check(getpid() == me && canary == CANARY, "parent_unharmed",
               "parent's pid %d (was %d), canary %#x", getpid(), me, canary);
    return ktap_finish();
}
