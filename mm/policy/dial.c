/* mm/policy/dial.c: the clock face and its hand (see dial.h). The "circular queue" of
 * the textbooks is a ring of the resident frames, threaded through their pol_data
 * links: a sweep visits resident pages only, never the whole frame table, so its cost
 * does not grow with the size of RAM. A page loaded goes in just behind the hand, where
 * the victim it replaces stood: the hand meets it last. */
#include "mm/policy/dial.h"

struct dial dial;

void dial_init(uint32_t nframes)
{
    (void)nframes;
    dial = (struct dial){.hand = POL_NONE};
}

void dial_loaded(uint32_t frame)
{
    struct pol_data *d = pol_data(frame);
    if (dial.hand == POL_NONE) {
        d->next = d->prev = frame;
        dial.hand = frame;
    } else {
        struct pol_data *hand = pol_data(dial.hand);
        d->next = dial.hand;
        d->prev = hand->prev;
        pol_data(hand->prev)->next = frame;
        hand->prev = frame;
    }
    dial.count++;
}

void dial_removed(uint32_t frame)
{
    struct pol_data *d = pol_data(frame);
    if (d->next == frame) {
        dial.hand = POL_NONE;
    } else {
        if (dial.hand == frame)
            dial.hand = d->next;
        pol_data(d->prev)->next = d->next;
        pol_data(d->next)->prev = d->prev;
    }
    d->next = d->prev = POL_NONE;
    dial.count--;
}

uint32_t dial_next(uint32_t frame)
{
    return pol_data(frame)->next;
}

/* A sweep is as many steps as there are frames on the dial (vmstat's clock_sweeps). */
uint32_t dial_advance(void)
{
    uint32_t f = dial.hand;
    dial.hand = dial_next(f);
    if (++dial.steps >= dial.count) {
        dial.steps = 0;
        pol_hand_wrapped();
    }
    return f;
}

void dial_stop_after(uint32_t frame)
{
    dial.hand = dial_next(frame);
}

int dial_candidate(uint32_t frame, pol_eligible_fn eligible, void *ctx)
{
    return pol_resident(frame) && eligible(frame, ctx);
}
