/* mm/policy/random.c: random — replace a page chosen at random (seeded by vm.seed).
 * Source: Belady, "A study of replacement algorithms...", IBM Systems Journal 5(2), 1966. */
#include "mm/policy/dial.h"

#define RANDOM_TRIES 8

/* Draw frames of the whole table at random until one is a candidate: when most of
 * memory holds user pages, the first or second draw hits, each page equally likely.
 * If RANDOM_TRIES draws miss (few resident pages, or few eligible ones), take the
 * first candidate round the dial from the hand, which moves on past it. */
static uint32_t random_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    for (int i = 0; i < RANDOM_TRIES && dial.count > 0; i++) {
        uint32_t f = pol_random() % pol_nframes();
        if (dial_candidate(f, eligible, ctx))
            return f;
    }
    for (uint32_t i = 0; i < dial.count; i++) {
        uint32_t f = dial_advance();
        if (dial_candidate(f, eligible, ctx))
            return f;
    }
    return POL_NONE;
}

const struct vm_policy random_policy = {
    .name = "random",
    .description = "a random resident page (Belady 1966)",
    .init = dial_init,
    .loaded = dial_loaded,
    .removed = dial_removed,
    .tick = 0,
    .choose_victim = random_choose_victim,
};
