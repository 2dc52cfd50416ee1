/* mm/policy/random.c: random — replace a page chosen at random (seeded by vm.seed).
 * Source: Belady, "A study of replacement algorithms...", IBM Systems Journal 5(2), 1966. */
#include "mm/policy/dial.h"

/* Draw a frame, then take the first candidate from there round the dial. When every
 * frame is resident and eligible (the usual case) each is equally likely; holes in the
 * dial favour the frame just after them, a bias a teaching kernel can live with. */
static uint32_t random_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    if (dial.nframes == 0)
        return POL_NONE;
    uint32_t start = pol_random() % dial.nframes;
    for (uint32_t i = 0; i < dial.nframes; i++) {
        uint32_t f = (start + i) % dial.nframes;
        if (dial_candidate(f, eligible, ctx))
            return f;
    }
    return POL_NONE;
}

const struct vm_policy random_policy = {
    .name = "random",
    .description = "a random resident page (Belady 1966)",
    .init = dial_init,
    .loaded = dial_nothing_to_do,
    .removed = dial_nothing_to_do,
    .tick = 0,
    .choose_victim = random_choose_victim,
};
