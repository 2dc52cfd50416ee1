/* mm/share.h: frame allocation among processes (equal, proportional, priority) and
 * page-fault-frequency control; the limit local replacement works within. */
#ifndef MM_ALLOC_H
#define MM_ALLOC_H

#include <stdint.h>
#include "mm/mm.h"

extern int share_limits;             /* vm.scope=local or vm.pff=1: the allocations limit */

void share_init(void);               /* vm.alloc, vm.scope, vm.pff, vm.minframes, ... */
void share_recompute(void);          /* at every sample */

/* The frames the process may keep; 0: no limit. Inline: every page fault asks, and
 * when no limit is set the answer should cost two tests, not a call. */
static inline uint32_t share_local_limit(const struct mm *mm)
{
    uint32_t limit = share_limits ? mm->alloc : 0;
    if (mm->rss_limit && (!limit || mm->rss_limit < limit))
        limit = mm->rss_limit;
    return limit;
}

#endif
