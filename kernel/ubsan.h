/* kernel/ubsan.h: the kernel's UndefinedBehaviorSanitizer runtime (kernel/ubsan.c), for the
 * kernel built with -fsanitize=undefined (make test UBSAN=1, build/ubsan/). */
#ifndef KERNEL_UBSAN_H
#define KERNEL_UBSAN_H

#include <stdint.h>

/* Reports printed so far: each site is reported once, then the kernel goes on. */
extern uint32_t ubsan_reports;

#endif
