/* kernel/random.c: a xorshift generator stirred with the time-stamp counter, enough for
 * glibc's malloc and stack-protector seeds. With vm.seed=N it starts from N and is never
 * stirred: under QEMU -icount the TSC does not repeat from boot to boot (the guest clock
 * skips ahead while the disk works, by as much as the host took), the seed does. */
#include "kernel/random.h"
#include "kernel/cmdline.h"
#include "kernel/x86.h"

static uint32_t state = 0x2545F491;
static int stirred = 1;

void random_init(void)
{
    if (!cmdline_get("vm.seed"))
        return;
    state = (uint32_t)cmdline_int("vm.seed", 0) * 2654435761u | 1;   /* never 0 */
    stirred = 0;
}

void random_fill(void *buf, uint32_t n)
{
    uint8_t *bytes = buf;
    for (uint32_t i = 0; i < n; i++) {
        if (stirred)
            state ^= (uint32_t)rdtsc();
        state ^= state << 13, state ^= state >> 17, state ^= state << 5;
        bytes[i] = (uint8_t)state;
    }
}
