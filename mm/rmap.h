/* mm/rmap.h: the reverse map and the one place user pages are mapped and unmapped.
 * Each user frame lists the (address space, virtual address) pairs whose PTEs map
 * it, so eviction can find and clear every one of them (a COW-shared frame has
 * several), and the policy can read their accessed and dirty bits. */
#ifndef MM_RMAP_H
#define MM_RMAP_H

#include <stdint.h>
#include "mm/mmu.h"

struct mm;
struct frame;

struct rmap {
    struct mm *mm;
    uint32_t va;
    struct rmap *next;
};

/* Map frame pa at va (pte is va's entry in mm): PTE, reference count, reverse map,
 * resident count, and, for a frame's first mapping, the replacement policy. */
int page_map(struct mm *mm, uint32_t va, pte_t *pte, uint32_t pa, uint32_t flags);
/* Remove va's mapping of its frame; the frame is freed with its last mapping.
 * The PTE becomes `replacement` (0, or a swap entry). */
void page_unmap(struct mm *mm, uint32_t va, pte_t *pte, pte_t replacement);

/* Every PTE that maps the frame, through the reverse map. */
typedef void (*rmap_visit_fn)(struct mm *mm, uint32_t va, pte_t *pte, void *ctx);
void rmap_visit(struct frame *f, rmap_visit_fn fn, void *ctx);

#endif
