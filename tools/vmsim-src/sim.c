/* tools/vmsim-src/sim.c: the simulated frame table. A reference sets its frame's reference
 * bit (and dirty bit, for a write); a fault fills a free frame or the policy's victim. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/vmsim-src/rng.h"
#include "tools/vmsim-src/sim.h"
#include "tools/vmsim-src/xalloc.h"

/* One physical frame of the simulated machine: what the hardware's PTE bits and the
 * kernel's frame table would tell about it. */
struct frame {
    uint32_t page;               /* POL_NONE while free */
    uint8_t referenced, dirty;
    struct pol_data pol;         /* the policy's own fields */
};

static struct frame *frames;             /* frames[0 .. config.frames-1] */
static uint32_t *frame_holding;          /* frame_holding[page], or POL_NONE */
static uint32_t nfilled;                 /* frames 0 .. nfilled-1 have been used */
static uint32_t now;                     /* references so far: the simulator's clock */
static uint32_t until_tick;
static struct sim_config config;
static const struct sim_algorithm *algorithm;
static struct sim_stats stats;
static struct rng rng;

/* ---- the services policies use (mm/policy/policy.h) ----------------------------------- */

struct pol_table pol_table;
uint32_t pol_nframes(void) { return config.frames; }
int pol_resident(uint32_t frame) { return frames[frame].page != POL_NONE; }
int pol_referenced(uint32_t frame) { return frames[frame].referenced; }
int pol_dirty(uint32_t frame) { return frames[frame].dirty; }
uint32_t pol_now(void) { return now; }
uint32_t pol_random(void) { return rng_next(&rng); }
void pol_hand_wrapped(void) {}       /* the simulator counts faults, not sweeps */

void pol_fail(const char *why)
{
    fprintf(stderr, "vmsim: policy %s: %s\n", algorithm->policy->name, why);
    exit(2);
}

int pol_test_and_clear_referenced(uint32_t frame)
{
    int was = frames[frame].referenced;
    frames[frame].referenced = 0;
    return was;
}

/* ---- running ------------------------------------------------------------------------- */

static int every_frame(uint32_t frame, void *ctx)
{
    (void)frame, (void)ctx;
    return 1;
}

void sim_start(const struct sim_algorithm *a, const struct sim_config *c, const struct trace *t)
{
    algorithm = a;
    config = *c;
    if (!config.eligible)
        config.eligible = every_frame;
    free(frames);
    free(frame_holding);
    frames = xcalloc(config.frames, sizeof *frames);
    pol_table.base = (char *)&frames[0].pol;
    pol_table.stride = sizeof *frames;
    frame_holding = xcalloc(config.pages, sizeof *frame_holding);
    for (uint32_t f = 0; f < config.frames; f++)
        frames[f].page = POL_NONE;
    memset(frame_holding, 0xFF, (size_t)config.pages * sizeof *frame_holding);  /* POL_NONE */
    nfilled = now = 0;
    until_tick = config.tick;
    memset(&stats, 0, sizeof stats);
    rng_seed(&rng, config.seed);
    a->policy->init(config.frames);
    if (a->prepare)
        a->prepare(t);
}

/* A policy's choice is checked, because a student's policy may well be wrong. */
static uint32_t victim(void)
{
    uint32_t f = algorithm->policy->choose_victim(config.eligible, config.ctx);
    const char *wrong = f == POL_NONE                    ? "no"
                        : f >= config.frames || !pol_resident(f) ? "a free or unknown"
                        : !config.eligible(f, config.ctx) ? "an ineligible (locked)"
                                                          : NULL;
    if (wrong) {
        fprintf(stderr, "vmsim: policy %s chose %s frame %u (of %u)\n", algorithm->policy->name,
                wrong, f, config.frames);
        exit(2);
    }
    return f;
}

/* Step 4 of the page-fault path: free the frame. A dirty page would go to swap first. */
static void evict(uint32_t f)
{
    stats.writebacks += frames[f].dirty;
    frame_holding[frames[f].page] = POL_NONE;
    algorithm->policy->removed(f);
    frames[f].page = POL_NONE;           /* pol_data stays as the policy left it, as in */
    frames[f].referenced = 0;            /* the kernel's frame table */
    frames[f].dirty = 0;
}

/* Steps 4 to 6: take a free frame, or evict the victim; then load the page and tell the
 * policy. The frame's reference bit is set afterwards, by the access that faulted. */
static uint32_t fault(uint32_t page, uint32_t *evicted)
{
    uint32_t f = nfilled < config.frames ? nfilled++ : victim();
    *evicted = frames[f].page;
    if (*evicted != POL_NONE)
        evict(f);
    frames[f].page = page;
    frame_holding[page] = f;
    algorithm->policy->loaded(f);
    return f;
}

struct sim_event sim_reference(uint32_t page, int write)
{
    struct sim_event e = { 0, POL_NONE };
    uint32_t f = frame_holding[page];
    if (f == POL_NONE) {
        e.fault = 1;
        stats.faults++;
        f = fault(page, &e.evicted);
    } else if (algorithm->used) {
        algorithm->used(f);
    }
    frames[f].referenced = 1;            /* what the MMU does to the PTE's accessed bit */
    frames[f].dirty |= (uint8_t)write;   /* ... and to its dirty bit on a write */
    stats.refs++;
    now++;
    if (config.tick && --until_tick == 0) {
        until_tick = config.tick;
        if (algorithm->policy->tick)
            algorithm->policy->tick();
    }
    return e;
}

void sim_run(const struct trace *t)
{
    for (uint32_t i = 0; i < t->n; i++)
        sim_reference(t->page[i], t->write[i]);
}

struct sim_stats sim_stats(void) { return stats; }
uint32_t sim_page_in(uint32_t frame) { return frames[frame].page; }
uint32_t sim_frame_of(uint32_t page) { return frame_holding[page]; }
