/* tests/kernel/test_kstack.c: a kernel stack that overflows touches its guard page
 * (mm/kstack.c), and the double-fault task (kernel/doublefault.c) reports it by pid. */
#include <stddef.h>
#include "kernel/ktest.h"
#include "kernel/proc.h"
#include "mm/kstack.h"

_Static_assert(KSTACK_SLOTS == NPROC, "a kernel stack slot for every process slot");

/* Deeper and deeper, with a frame the compiler cannot fold away; the limit is far
 * beyond one page of stack, which the guard page ends first. */
static volatile int limit = 1 << 20;

static int __attribute__((noinline)) recurse(int depth)
{
    volatile char frame[128];
    frame[0] = (char)depth;
    if (depth >= limit)
        return 0;
    return recurse(depth + 1) + frame[0];
}

static void overflow(void)
{
    recurse(0);
}

/* The scheduler runs the thread, which recurses until the guard page stops it: the
 * kernel must panic with "kernel stack overflow in pid N (overflow)". */
KTEST_ALONE(kstack_overflow)
{
    KEXPECT(proc_kthread("overflow", overflow) != NULL);
    scheduler();
}
