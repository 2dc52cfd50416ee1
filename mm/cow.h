/* mm/cow.h: copy-on-write. fork shares every page and write-protects the private
 * writable ones; the first write to such a page copies it (or, if nobody else maps
 * it any more, just makes it writable again). */
#ifndef MM_COW_H
#define MM_COW_H

#include <stdint.h>
#include "mm/mmu.h"

struct mm;
struct vma;
/* A write to a present read-only page of a private region (struct vma_ops). */
int cow_fault(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte);   /* 0 or -ENOMEM */
struct mm *cow_fork(struct mm *parent, int cow);  /* copy-on-write (cow=1) or eager copy */

#endif
