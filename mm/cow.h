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
/* The fork modes, vm.cow=N on the command line (docs/cow.md compares them). */
#define COW_EAGER  0     /* every resident page copied at fork */
#define COW_PAGES  1     /* pages shared copy-on-write (the default) */
#define COW_TABLES 2     /* page tables shared, copied at their first change (mm/ptshare.c) */
struct mm *cow_fork(struct mm *parent, int mode);   /* NULL: out of memory */
/* mm/ptshare.c's unshare: mm's PTEs in the shared table at `table` (the 4 MiB from base)
 * copied into mm's own table, pages copy-on-write. 0 or -ENOMEM (half copied). */
int cow_copy_table(struct mm *mm, pte_t *table, uint32_t base);

#endif
