/* mm/policy/mfu.c: MFU — replace the page with the largest use count, the earliest loaded
 * among equals: a small count may be a page just brought in. Silberschatz, OSC 9.4.6. */
#include "mm/policy/use_count.h"

/* polq_min finds the smallest key, so rank by how far the count is below the maximum. */
static uint32_t shortfall(uint32_t frame)
{
    return UINT32_MAX - use_count(frame);
}

static uint32_t mfu_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    return polq_min(&load_order, shortfall, eligible, ctx);
}

const struct vm_policy mfu_policy = {
    .name = "mfu",
    .description = "most frequently used, counted per tick (Silberschatz, OSC 9.4.6)",
    .init = load_order_init,
    .loaded = use_count_loaded,
    .removed = load_order_removed,
    .tick = use_count_tick,
    .choose_victim = mfu_choose_victim,
};
