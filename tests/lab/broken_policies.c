/* tests/lab/broken_policies.c: replacement policies that each break one promise of
 * mm/policy/policy.h on purpose, as a student's first try might. They are registered
 * only in the lab kernel (build/labkernel/kernel.elf, with the handout's skeleton), and
 * tests/boot/lab_suite.py shows that the kernel stops each one with a message that names
 * it and the frame it chose (mm/replace.c), instead of a kernel page fault or a hang. */
#include "mm/policy/queue.h"

/* A number past the frame table, as an uninitialized variable might give. */
static uint32_t past_the_end(pol_eligible_fn eligible, void *ctx)
{
    (void)eligible, (void)ctx;
    return pol_nframes() + 1000;
}

/* "Always frame 0": a frame the kernel keeps, never a user page. */
static uint32_t frame_zero(pol_eligible_fn eligible, void *ctx)
{
    (void)eligible, (void)ctx;
    return 0;
}

/* The lowest resident frame, without asking eligible(): a page pinned by mlock, say. */
static uint32_t ignore_eligible(pol_eligible_fn eligible, void *ctx)
{
    (void)eligible, (void)ctx;
    for (uint32_t f = 0; f < pol_nframes(); f++)
        if (pol_resident(f))
            return f;
    return POL_NONE;
}

/* The lowest-numbered eligible frame: it keeps every promise, and livelocks. A fault
 * frees that frame and refills it at once, so the next fault takes the page just loaded:
 * an instruction whose code and data are both out swaps them through that one frame. */
static uint32_t lowest_frame(pol_eligible_fn eligible, void *ctx)
{
    for (uint32_t f = 0; f < pol_nframes(); f++)
        if (pol_resident(f) && eligible(f, ctx))
            return f;
    return POL_NONE;
}

/* A policy that checks itself and finds itself wrong: pol_fail's panic names it. */
static uint32_t gives_up(pol_eligible_fn eligible, void *ctx)
{
    (void)eligible, (void)ctx;
    pol_fail("its own check failed (tests/lab/broken_policies.c)");
}

#define BROKEN(NAME, WHAT)                                                                  \
    const struct vm_policy NAME##_policy = {                                                \
        .name = #NAME, .description = "broken on purpose: " WHAT, .init = load_order_init, \
        .loaded = load_order_loaded, .removed = load_order_removed, .tick = 0,             \
        .choose_victim = NAME,                                                              \
    }

BROKEN(past_the_end, "a frame number past the table");
BROKEN(frame_zero, "always frame 0");
BROKEN(ignore_eligible, "the lowest resident frame, eligible or not");
BROKEN(lowest_frame, "the lowest-numbered frame (a livelock)");
BROKEN(gives_up, "fails its own check (pol_fail)");
