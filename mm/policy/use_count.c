/* mm/policy/use_count.c: counting references by sampling (see use_count.h). The hardware
 * gives one bit, so a count is "ticks in which the page was used", Tanenbaum's NFU. */
#include "mm/policy/use_count.h"

/* A page brought in starts from 0: the count of the page it replaced is gone with it. */
void use_count_loaded(uint32_t frame)
{
    pol_data(frame)->count = 0;
    load_order_loaded(frame);
}

void use_count_tick(void)
{
    for (uint32_t f = load_order.head; f != POL_NONE; f = polq_next(f))
        if (pol_test_and_clear_referenced(f))
            pol_data(f)->count++;
}

/* A reference bit not yet sampled counts as one more use: without it, a page loaded since
 * the last tick would look as unused as one never touched. */
uint32_t use_count(uint32_t frame)
{
    return pol_data(frame)->count + !!pol_referenced(frame);
}
