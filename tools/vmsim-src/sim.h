/* tools/vmsim-src/sim.h: the simulated machine — a frame table that provides the pol_*
 * services of mm/policy/policy.h, so kernel policies run on reference strings unchanged. */
#ifndef VMSIM_SIM_H
#define VMSIM_SIM_H

#include "mm/policy/policy.h"
#include "tools/vmsim-src/trace.h"

/* What the simulator runs: a kernel policy, or an exact algorithm (exact.c), which also
 * hears of every reference — something no hardware tells a kernel. */
struct sim_algorithm {
    const struct vm_policy *policy;
    void (*used)(uint32_t frame);               /* on every hit; NULL for kernel policies */
    void (*prepare)(const struct trace *t);     /* OPT reads the future; NULL otherwise */
};

struct sim_config {
    uint32_t frames;
    uint32_t pages;              /* pages are 0 .. pages-1 */
    uint32_t tick;               /* call the policy's tick every `tick` references; 0 = never */
    uint64_t seed;               /* for pol_random */
    pol_eligible_fn eligible;    /* which frames may be chosen; NULL = every resident frame */
    void *ctx;
};

struct sim_stats {
    uint64_t refs, faults;
    uint64_t writebacks;         /* dirty victims, which would be written to swap */
};

struct sim_event {
    int fault;                   /* 1 if the page was not resident */
    uint32_t evicted;            /* the page replaced, or POL_NONE (hit, or a free frame) */
};

/* Start a run; t is needed only by an algorithm with prepare (it must then be the string
 * the references come from, in order). */
void sim_start(const struct sim_algorithm *a, const struct sim_config *c, const struct trace *t);
struct sim_event sim_reference(uint32_t page, int write);
void sim_run(const struct trace *t);                 /* every reference of t, in order */
struct sim_stats sim_stats(void);
uint32_t sim_page_in(uint32_t frame);                /* the page in a frame, or POL_NONE */
uint32_t sim_frame_of(uint32_t page);                /* the frame holding a page, or POL_NONE */

#endif
