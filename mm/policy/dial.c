/* mm/policy/dial.c: the clock face and its hand (see dial.h). The hand wraps from the
 * last frame to frame 0: the "circular queue" of the textbooks is the frame table itself. */
#include "mm/policy/dial.h"

struct dial dial;

void dial_init(uint32_t nframes)
{
    dial.nframes = nframes;
    dial.hand = 0;
}

void dial_nothing_to_do(uint32_t frame)
{
    (void)frame;
}

uint32_t dial_advance(void)
{
    uint32_t f = dial.hand;
    dial.hand = f + 1 == dial.nframes ? 0 : f + 1;
    if (dial.hand == 0)
        pol_hand_wrapped();
    return f;
}

void dial_stop_after(uint32_t frame)
{
    dial.hand = frame + 1 == dial.nframes ? 0 : frame + 1;
}

int dial_candidate(uint32_t frame, pol_eligible_fn eligible, void *ctx)
{
    return pol_resident(frame) && eligible(frame, ctx);
}
