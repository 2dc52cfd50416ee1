/* mm/policy/aging.c: aging, an LRU approximation — an 8-bit history per page, shifted right
 * each tick with R on top; replace the smallest. Silberschatz, OSC 9.4.5.1; Tanenbaum, MOS 3.4.7. */
#include "mm/policy/queue.h"

static void aging_loaded(uint32_t frame)
{
    pol_data(frame)->age = 0;
    load_order_loaded(frame);
}

/* Each tick the history moves one step into the past and the reference bit, sampled and
 * cleared, becomes its newest step. */
static void aging_tick(void)
{
    for (uint32_t f = load_order.head; f != POL_NONE; f = polq_next(f)) {
        struct pol_data *d = pol_data(f);
        d->age = (uint8_t)((d->age >> 1) | (pol_test_and_clear_referenced(f) ? 0x80 : 0));
    }
}

/* The reference bit not yet sampled is newer than all of the history: it is bit 8. A
 * page loaded since the last tick so counts as just used, not as never used. */
static uint32_t recency(uint32_t frame)
{
    return ((uint32_t)!!pol_referenced(frame) << 8) | pol_data(frame)->age;
}

/* The least recently used as far as the history tells; the earliest loaded among equals. */
static uint32_t aging_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    return polq_min(&load_order, recency, eligible, ctx);
}

const struct vm_policy aging_policy = {
    .name = "aging",
    .description = "aging: 8 reference bits per page approximate LRU (Tanenbaum, MOS 3.4.7)",
    .init = load_order_init,
    .loaded = aging_loaded,
    .removed = load_order_removed,
    .tick = aging_tick,
    .choose_victim = aging_choose_victim,
};
