/* mm/policy/esc.c: enhanced second chance — replace the first page of the lowest (R,M)
 * class, (0,0) < (0,1) < (1,0) < (1,1), in clock order. Silberschatz, OSC 9.4.5.3; Stallings 8.2. */
#include "mm/policy/dial.h"

/* One trip round the dial from the hand, looking for an unreferenced page whose dirty
 * bit is `dirty`. The hand itself does not move until a victim is found, so every trip
 * starts at the same place. With clear_passed, each eligible page passed over loses its
 * reference bit (the textbook's step 2). */
static uint32_t esc_trip(int dirty, int clear_passed, pol_eligible_fn eligible, void *ctx)
{
    for (uint32_t i = 0, f = dial.hand; i < dial.count; i++, f = dial_next(f)) {
        if (!dial_candidate(f, eligible, ctx))
            continue;
        if (!pol_referenced(f) && !!pol_dirty(f) == dirty) {
            dial_stop_after(f);
            return f;
        }
        if (clear_passed)
            pol_test_and_clear_referenced(f);
    }
    return POL_NONE;
}

/* Step 1 looks for (0,0) and changes nothing; step 2 looks for (0,1), clearing R as it
 * goes. If both fail every page now has R = 0, so steps 1 and 2 once more must find the
 * former (1,0) or (1,1) pages — unless no frame is eligible at all. */
static uint32_t esc_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    for (int round = 0; round < 2; round++) {
        uint32_t f = esc_trip(0, 0, eligible, ctx);
        if (f == POL_NONE)
            f = esc_trip(1, 1, eligible, ctx);
        if (f != POL_NONE)
            return f;
    }
    return POL_NONE;
}

const struct vm_policy esc_policy = {
    .name = "esc",
    .description = "enhanced second chance: (referenced, modified) classes (Silberschatz, OSC 9.4.5.3)",
    .init = dial_init,
    .loaded = dial_loaded,
    .removed = dial_removed,
    .tick = 0,
    .choose_victim = esc_choose_victim,
};
