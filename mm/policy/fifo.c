/* mm/policy/fifo.c: FIFO — replace the page that has been resident longest.
 * Source: Silberschatz, Operating System Concepts (9th ed.), 9.4.2; Tanenbaum, MOS 3.4.3. */
#include "mm/policy/queue.h"

/* The head of the load-order queue is the oldest page; skip the ineligible ones. */
static uint32_t fifo_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    return polq_first_eligible(&load_order, eligible, ctx);
}

const struct vm_policy fifo_policy = {
    .name = "fifo",
    .description = "first in, first out (Silberschatz, OSC 9.4.2)",
    .init = load_order_init,
    .loaded = load_order_loaded,
    .removed = load_order_removed,
    .tick = 0,
    .choose_victim = fifo_choose_victim,
};
