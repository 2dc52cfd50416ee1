/* tools/vmsim-src/rng.c: xorshift64* (Vigna, 2016): three shifts and a multiply; far from
 * cryptographic, plenty for drawing pages and victims. */
#include "tools/vmsim-src/rng.h"

void rng_seed(struct rng *r, uint64_t seed)
{
    r->state = seed * 0x9E3779B97F4A7C15ull + 1;   /* any seed, 0 included, gives state != 0 */
    if (r->state == 0)
        r->state = 1;
}

uint32_t rng_next(struct rng *r)
{
    r->state ^= r->state >> 12;
    r->state ^= r->state << 25;
    r->state ^= r->state >> 27;
    return (uint32_t)((r->state * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Multiply-shift instead of %: no bias worth mentioning, and no division. */
uint32_t rng_below(struct rng *r, uint32_t bound)
{
    return (uint32_t)(((uint64_t)rng_next(r) * bound) >> 32);
}
