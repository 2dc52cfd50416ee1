/* mm/policy/dial.h: the resident frames seen as a clock face with one hand, for the
 * policies that sweep it (clock, enhanced second chance, WSClock, random). */
#ifndef MM_POLICY_DIAL_H
#define MM_POLICY_DIAL_H

#include "mm/policy/policy.h"

struct dial {
    uint32_t hand;               /* the next frame to look at; POL_NONE: the dial is empty */
    uint32_t count;              /* frames on the dial: the resident ones */
    uint32_t steps;              /* the hand's steps since it last went round */
};
/* One dial serves every policy: only one policy is active at a time, and init resets it. */
extern struct dial dial;

void dial_init(uint32_t nframes);            /* fits struct vm_policy's init */
void dial_loaded(uint32_t frame);            /* fits loaded: onto the dial, behind the hand */
void dial_removed(uint32_t frame);           /* fits removed: off the dial */
uint32_t dial_next(uint32_t frame);          /* the frame after it, going round */
uint32_t dial_advance(void);                 /* the frame under the hand; the hand moves on */
void dial_stop_after(uint32_t frame);        /* put the hand just past a chosen victim */
int dial_candidate(uint32_t frame, pol_eligible_fn eligible, void *ctx);  /* resident, eligible */

#endif
