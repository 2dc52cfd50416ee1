/* mm/share.h: frame allocation among processes (equal, proportional, priority) and
 * page-fault-frequency control; the limit local replacement works within. */
#ifndef MM_ALLOC_H
#define MM_ALLOC_H

#include <stdint.h>

struct mm;

void share_init(void);               /* vm.alloc, vm.scope, vm.pff, vm.minframes, ... */
void share_recompute(void);          /* at every sample */
uint32_t share_local_limit(const struct mm *mm);   /* frames it may keep; 0: no limit */

#endif
