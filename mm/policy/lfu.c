/* mm/policy/lfu.c: LFU (NFU) — replace the page with the smallest use count, the earliest
 * loaded among equals. Silberschatz, OSC 9.4.6 (LFU); Tanenbaum, MOS 3.4.7 (NFU). */
#include "mm/policy/use_count.h"

static uint32_t lfu_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    return polq_min(&load_order, use_count, eligible, ctx);
}

const struct vm_policy lfu_policy = {
    .name = "lfu",
    .description = "least frequently used, counted per tick as NFU (Silberschatz, OSC 9.4.6)",
    .init = load_order_init,
    .loaded = use_count_loaded,
    .removed = load_order_removed,
    .tick = use_count_tick,
    .choose_victim = lfu_choose_victim,
};
