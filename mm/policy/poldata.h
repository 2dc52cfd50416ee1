/* mm/policy/poldata.h: the fields a replacement policy keeps in each frame. A header of
 * its own, with no includes but <stdint.h>, so that the frame table (mm/frame.h, the
 * lowest layer) can embed them without depending on the policy interface. */
#ifndef MM_POLICY_POLDATA_H
#define MM_POLICY_POLDATA_H

#include <stdint.h>

/* Per-frame fields a policy may use as it likes (a FIFO queue's links, a load time,
 * an aging register, a use count). They live in the kernel's frame table and in the
 * simulator's own table; pol_data(f) (mm/policy/policy.h) finds them. */
struct pol_data {
    uint32_t next, prev;         /* list links (frame numbers; POL_NONE = none) */
    uint32_t stamp;              /* a time: when loaded, or last seen referenced */
    uint32_t count;              /* a use count (LFU, MFU) */
    uint8_t age;                 /* an aging shift register (LRU approximation) */
    uint8_t flags;               /* policy-private bits */
};
#define POL_NONE 0xFFFFFFFFu

#endif
