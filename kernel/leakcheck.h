/* kernel/leakcheck.h: the no-leak rule, checked by the kernel itself. A snapshot of
 * the resource counts is taken before init runs and compared when init exits. */
#ifndef KERNEL_LEAKCHECK_H
#define KERNEL_LEAKCHECK_H

void leakcheck_baseline(void);
int leakcheck_report(void);      /* prints the comparison; 1 if anything leaked */

#endif
