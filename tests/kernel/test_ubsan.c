/* tests/kernel/test_ubsan.c: the UBSan runtime (kernel/ubsan.c) reports undefined behaviour
 * with its kind and FILE:LINE:COLUMN, once per site (ktest=ubsan_report, UBSan kernel only). */
#include "kernel/ktest.h"
#include "kernel/ubsan.h"

#ifdef PAGODA_UBSAN
/* Deliberate undefined behaviour, reached only from this test: a signed overflow and a
 * shift past the width, through volatile operands the compiler cannot fold away. */
static void overflow_and_shift(void)
{
    volatile int big = 0x7FFFFFFF, one = 1, wide = 40, result;
    result = big + one;
    result = one << wide;
    (void)result;
}

KTEST_ALONE(ubsan_report)
{
    uint32_t before = ubsan_reports;
    overflow_and_shift();
    KEXPECT_EQ(ubsan_reports, before + 2);
    overflow_and_shift();                      /* the same sites: not reported again */
    KEXPECT_EQ(ubsan_reports, before + 2);
}
#endif
