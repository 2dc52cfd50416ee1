/* mm/policy/clock.c: clock — the hand passes over referenced pages, clearing their bit
 * (a second chance), and replaces the first unreferenced one. Silberschatz, OSC 9.4.5.2; Tanenbaum, MOS 3.4.5. */
#include "mm/policy/dial.h"

/* The first trip round the dial may do nothing but clear reference bits; the second
 * then meets an unreferenced eligible frame, unless there is none. The hand stops just
 * past the victim, where the next search starts. A newly loaded page takes the victim's
 * place on the dial, just behind the hand. */
static uint32_t clock_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    /* LAB replacement: BEGIN */
    for (uint32_t step = 0; dial.hand != POL_NONE && step < 2 * dial.count; step++) {
        uint32_t f = dial_advance();
        if (!dial_candidate(f, eligible, ctx))
            continue;
        if (pol_test_and_clear_referenced(f))
            continue;                       /* used since the hand last passed: spare it */
        return f;
    }
    return POL_NONE;
    /* LAB replacement: STUB
    (void)eligible, (void)ctx;
    pol_fail("lab replacement: write clock_choose_victim() in mm/policy/clock.c "
             "(docs/labs/replacement.md)");
    LAB replacement: END */
}

const struct vm_policy clock_policy = {
    .name = "clock",
    .description = "clock: second chance with a sweeping hand (Silberschatz, OSC 9.4.5.2)",
    .init = dial_init,
    .loaded = dial_loaded,
    .removed = dial_removed,
    .tick = 0,
    .choose_victim = clock_choose_victim,
};
