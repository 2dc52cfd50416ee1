/* user/lib/prng.h: a seeded pseudo-random generator for programs whose runs must repeat
 * exactly from a seed (the system-call fuzzer). Not for anything secret. */
#ifndef USER_LIB_PRNG_H
#define USER_LIB_PRNG_H

#include <stdint.h>

/* Starts the sequence for this seed: the same seed gives the same numbers everywhere. */
void prng_seed(uint64_t seed);

/* The next 32 random bits. */
uint32_t prng_next(void);

/* A number in [0, n), n > 0. */
uint32_t prng_below(uint32_t n);

/* 1 once in one_in times on average, else 0. */
int prng_one_in(uint32_t one_in);

#endif
