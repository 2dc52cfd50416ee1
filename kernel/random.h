/* kernel/random.h: the kernel's random bytes, for getrandom and AT_RANDOM. Not
 * cryptographic; with vm.seed=N on the command line they repeat from boot to boot. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stdint.h>

void random_init(void);                     /* after the command line is parsed */
void random_fill(void *buf, uint32_t n);

#endif
