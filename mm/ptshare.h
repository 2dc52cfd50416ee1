/* mm/ptshare.h: vm.cow=2, fork that shares page tables instead of copying PTEs. A
 * shared table's directory entries lack PTE_W, so every write under it faults; this
 * mm's first change under it ("unshare") gives it a table of its own. */
#ifndef MM_PTSHARE_H
#define MM_PTSHARE_H

#include <stdint.h>
#include "mm/mm.h"
#include "mm/mmu.h"

/* fork: the child's directory points at each of the parent's user page tables. */
void ptshare_fork(struct mm *parent, struct mm *child);
/* Before mm changes a PTE in [start, end): each shared table there becomes mm's own.
 * 0, or -ENOMEM (nothing changed for the table that could not be copied). */
int ptshare_break_range(struct mm *mm, uint32_t start, uint32_t end);
/* ... the table holding va. Inline: every fault asks, and the answer is nearly always
 * that the directory entry is writable (or absent), so nothing is shared. */
static inline int ptshare_break(struct mm *mm, uint32_t va)
{
    pde_t pde = mm->pgdir[PDX(va)];
    if (__builtin_expect((pde & (PTE_P | PTE_W)) != PTE_P, 1))
        return 0;
    return ptshare_break_range(mm, va, va + 1);
}
/* exit and exec: mm stops sharing its tables (no copy); mm_destroy frees the rest. */
void ptshare_exit(struct mm *mm);

/* vm.check=1 (mm/check.c): does mm's walk count the PTEs of the table at pdx? (A shared
 * table's are counted once, for the sharer its reverse-map entries name.) And is the
 * sharing itself right: a read-only directory entry in every sharer, the count of its
 * sharers, an owner among them? 0, or -1 with why filled in. */
int ptshare_counted_by(struct mm *mm, uint32_t pdx);
int ptshare_check(struct mm *mm, char *why, uint32_t len);

#endif
