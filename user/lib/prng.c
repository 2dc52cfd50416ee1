/* user/lib/prng.c: xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift
 * generators", 2016), its state spread from the seed by splitmix64 so that nearby seeds differ. */
#include "user/lib/prng.h"

static uint64_t state = 1;

void prng_seed(uint64_t seed)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;          /* splitmix64: one step */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    state = (z ^ (z >> 31)) | 1;                         /* xorshift's state is never 0 */
}

uint32_t prng_next(void)
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return (uint32_t)((state * 0x2545F4914F6CDD1Dull) >> 32);
}

uint32_t prng_below(uint32_t n)
{
    return (uint32_t)(((uint64_t)prng_next() * n) >> 32);
}

int prng_one_in(uint32_t one_in)
{
    return prng_below(one_in) == 0;
}
