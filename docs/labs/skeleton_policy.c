/* mm/policy/skeleton.c: NAME — one line saying which page it replaces.
 * Source: the textbook section it follows. (Start: a copy of docs/labs/skeleton_policy.c.) */
#include "mm/policy/policy.h"

/* What the policy remembers goes in pol_data(frame) (links, a stamp, a count, an age,
 * flag bits) or in static variables like this one. Nothing else: no C library, no
 * kernel headers, so the file compiles into the kernel and into tools/vmsim alike. */
static uint32_t loads;           /* pages loaded so far: an example of policy state */

/* The policy has just been chosen (at boot, or by vmctl at run time). Frames are
 * numbered 0 .. nframes-1. Pages already resident are then reported through loaded(). */
static void skeleton_init(uint32_t nframes)
{
    (void)nframes;
    loads = 0;
}

/* A page was made resident in frame: note what your rule needs (a load time, a place in
 * a queue). Its reference bit is set by the access that faulted, after this call. */
static void skeleton_loaded(uint32_t frame)
{
    pol_data(frame)->stamp = loads++;
}

/* frame no longer holds a page (evicted, or freed at munmap or exit): forget it. */
static void skeleton_removed(uint32_t frame)
{
    (void)frame;
}

/* TODO: your rule. This one keeps every promise the kernel relies on (it returns a
 * resident frame that eligible() accepts, or POL_NONE when there is none, and it looks
 * at ineligible frames no further), never takes the page loaded last (the faulting
 * instruction may need it and the page it is faulting on together: a livelock), and is
 * a poor policy: FIFO, the page loaded longest ago, found by a search of every frame. */
static uint32_t skeleton_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    uint32_t oldest = POL_NONE;
    for (uint32_t f = 0; f < pol_nframes(); f++)
        if (pol_resident(f) && eligible(f, ctx) &&
            (oldest == POL_NONE || loads - pol_data(f)->stamp > loads - pol_data(oldest)->stamp))
            oldest = f;                 /* loads - stamp: its age, even once loads wraps */
    return oldest;
}

const struct vm_policy skeleton_policy = {
    .name = "skeleton",          /* vm.policy=skeleton; at most 15 characters */
    .description = "the lab's skeleton: FIFO by a search of every frame (replace with yours)",
    .init = skeleton_init,
    .loaded = skeleton_loaded,
    .removed = skeleton_removed,
    .tick = 0,                   /* or a function: every 100 ms in the kernel, --tick in vmsim */
    .choose_victim = skeleton_choose_victim,
};
