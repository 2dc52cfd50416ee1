/* tools/vmsim-src/rng.h: a small seeded pseudo-random generator (xorshift64*), so that a
 * run with the same --seed repeats exactly on every machine. */
#ifndef VMSIM_RNG_H
#define VMSIM_RNG_H

#include <stdint.h>

struct rng {
    uint64_t state;
};

void rng_seed(struct rng *r, uint64_t seed);
uint32_t rng_next(struct rng *r);
uint32_t rng_below(struct rng *r, uint32_t bound);      /* 0 .. bound-1; bound > 0 */

#endif
