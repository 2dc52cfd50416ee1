/* mm/pager.h: bringing a page in (Tanenbaum, MOS 3.6.2, steps 5-7): get a frame, fill it (zeros, the
 * executable's bytes, or its swap slot), and map it. Used by the fault handler and exec. */
#ifndef MM_PAGER_H
#define MM_PAGER_H

#include <stdint.h>
#include <stddef.h>
#include "mm/mmu.h"

struct mm;
struct vma;

/* Make va present through its region's operations (v->ops->fill), after local
 * replacement has made room (vm.rss). write: the fault was a write. */
int pager_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write);

/* A prepaged frame is now known to be used (referenced) or not (dropped untouched). */
struct frame;
void pager_settle(struct frame *f, int referenced);

#endif
