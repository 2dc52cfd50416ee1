/* mm/rmap.h: the reverse map and the one place user pages are mapped, unmapped and
 * pinned. Each user frame lists the (address space, virtual address) pairs whose PTEs
 * map it, so eviction can find and clear every one of them (a COW-shared frame has
 * several), and the policy can read their accessed and dirty bits. */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <stdint.h>
#include "mm/mmu.h"
#include "mm/frame.h"     /* struct frame, struct rmap */

struct mm;

/* Map frame pa at va (pte is va's entry in mm): PTE, reference count, reverse map,
 * resident count, and, for a frame's first mapping, the replacement policy. */
int rmap_map(struct mm *mm, uint32_t va, pte_t *pte, uint32_t pa, uint32_t flags);
/* Remove va's mapping of its frame; the frame is freed with its last mapping.
 * The PTE becomes `replacement` (0, or a swap entry). */
void rmap_unmap(struct mm *mm, uint32_t va, pte_t *pte, pte_t replacement);

/* mremap: the mapping of f at va in mm moved to new_va (the caller moved the PTE). */
void rmap_move(struct frame *f, struct mm *mm, uint32_t va, uint32_t new_va);

/* vm.cow=2 (mm/ptshare.c): the mapping at va, one PTE in a page table that from and to
 * share, is named by to from now on (with its resident and locked counts). */
void rmap_reown(struct mm *from, struct mm *to, uint32_t va, pte_t *pte);

/* Drop a reference that is not a mapping (the page cache's, mm/pagecache.c): the frame
 * is freed with the last reference, as with rmap_unmap. */
void rmap_put(struct frame *f);

/* mlock: a frame is FRAME_PINNED (never evicted) while any of its mappings lies in a
 * locked region (VMA_LOCKED), and FRAME_USER again when none does. rmap_map and
 * rmap_unmap keep this up to date and count the locked mappings in mm->locked; these
 * two are for a region whose lock changes while its pages are mapped. */
void rmap_lock(struct mm *mm, uint32_t va);      /* va's region was just locked */
void rmap_unlock(struct mm *mm, uint32_t va);    /* va's region was just unlocked */
/* The frame is Pinned if any of its mappings lies in a locked region, else User (after
 * it was Busy: written back in place, mm/pagecache.c). */
void rmap_update_pin(struct frame *f);

/* Does mm map the frame? (Local replacement picks only such frames.) */
int rmap_mapped_by(struct frame *f, struct mm *mm);

/* Frames mapped by more than one PTE now (vmstat's shared pages: a page mapped by N
 * processes is one frame, counted once). */
uint32_t rmap_shared_count(void);

/* Every PTE that maps the frame, through the reverse map. */
typedef void (*rmap_visit_fn)(struct mm *mm, uint32_t va, pte_t *pte, void *ctx);
void rmap_visit(struct frame *f, rmap_visit_fn fn, void *ctx);

#endif
