/* tools/vmsim-src/generate.c: the synthetic workloads of --gen. Each is a rule for the
 * next page; the same seed gives the same string. */
#include <string.h>
#include "tools/vmsim-src/generate.h"
#include "tools/vmsim-src/rng.h"

/* A sequential scan repeated: 0, 1, ..., pages-1, 0, 1, ... The worst case for LRU and
 * FIFO when the loop does not fit (every reference faults), easy for OPT. */
static uint32_t next_loop(struct rng *r, uint32_t i, uint32_t pages)
{
    (void)r;
    return i % pages;
}

/* No locality at all: every policy does about equally badly. */
static uint32_t next_random(struct rng *r, uint32_t i, uint32_t pages)
{
    (void)i;
    return rng_below(r, pages);
}

/* Locality: nine references in ten go to a window of a tenth of the pages, the rest
 * anywhere; every 50 × window references the window moves to a random place (a new
 * phase of the program, as in the working-set model). */
static uint32_t next_locality(struct rng *r, uint32_t i, uint32_t pages)
{
    static uint32_t base;
    uint32_t window = pages / 10 ? pages / 10 : 1;
    if (i % (50 * window) == 0)
        base = rng_below(r, pages);
    if (rng_below(r, 10) == 0)
        return rng_below(r, pages);
    return (base + rng_below(r, window)) % pages;
}

static const struct {
    const char *name;
    uint32_t (*next)(struct rng *r, uint32_t i, uint32_t pages);
} workloads[] = {
    {"loop", next_loop},
    {"random", next_random},
    {"locality", next_locality},
};

int generate(struct trace *t, const char *kind, uint32_t length, uint32_t pages, uint64_t seed)
{
    for (size_t w = 0; w < sizeof workloads / sizeof workloads[0]; w++) {
        if (strcmp(kind, workloads[w].name) != 0)
            continue;
        struct rng r;
        rng_seed(&r, seed);
        trace_alloc(t, length, pages);
        for (uint32_t i = 0; i < length; i++) {
            t->page[i] = workloads[w].next(&r, i, pages);
            t->write[i] = rng_below(&r, 4) == 0;
        }
        return 0;
    }
    return -1;
}
