/* mm/policy/second_chance.c: FIFO, but a referenced oldest page has its bit cleared and
 * goes to the back of the queue. Source: Tanenbaum, MOS 3.4.4; Silberschatz, OSC 9.4.5.2. */
#include "mm/policy/queue.h"

/* Walk from the oldest page. A referenced one is treated as if just loaded: bit cleared,
 * moved to the tail, where the walk meets it again. So the walk always ends: at an
 * unreferenced page, or past the tail when no frame is eligible. Ineligible frames keep
 * their place and their bit. */
static uint32_t second_chance_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    uint32_t f = load_order.head;
    while (f != POL_NONE) {
        uint32_t next = polq_next(f);
        if (eligible(f, ctx)) {
            if (!pol_test_and_clear_referenced(f))
                return f;
            polq_remove(&load_order, f);
            polq_append(&load_order, f);
            if (next == POL_NONE)        /* f was the tail: it is next in line again */
                next = f;
        }
        f = next;
    }
    return POL_NONE;
}

const struct vm_policy second_chance_policy = {
    .name = "second_chance",
    .description = "FIFO with a reference bit: a used page goes to the back (Tanenbaum, MOS 3.4.4)",
    .init = load_order_init,
    .loaded = load_order_loaded,
    .removed = load_order_removed,
    .tick = 0,
    .choose_victim = second_chance_choose_victim,
};
