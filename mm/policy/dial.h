/* mm/policy/dial.h: the frames seen as a clock face, numbered 0 .. nframes-1, with one
 * hand, for the policies that sweep it (clock, enhanced second chance, WSClock, random). */
#ifndef MM_POLICY_DIAL_H
#define MM_POLICY_DIAL_H

#include "mm/policy/policy.h"

struct dial {
    uint32_t hand;               /* the next frame to look at */
    uint32_t nframes;
};
/* One dial serves every policy: only one policy is active at a time, and init resets it. */
extern struct dial dial;

void dial_init(uint32_t nframes);            /* fits struct vm_policy's init */
void dial_nothing_to_do(uint32_t frame);     /* fits loaded/removed: the dial is the frame table */
uint32_t dial_advance(void);                 /* the frame under the hand; the hand moves on */
void dial_stop_after(uint32_t frame);        /* put the hand just past a chosen victim */
int dial_candidate(uint32_t frame, pol_eligible_fn eligible, void *ctx);  /* resident, eligible */

#endif
