/* mm/swap.h: the swap area, a disk partition made by mkswap. Its pages ("slots")
 * hold evicted user pages. A swapped-out page's PTE holds its slot number (Linux's
 * encoding: present bit clear, slot << 9), so no side table is needed to find it. */
#ifndef MM_SWAP_H
#define MM_SWAP_H

#include <stdint.h>
#include "mm/mmu.h"

struct frame;

#define SWP_OFFSET_SHIFT 9
static inline pte_t swp_entry(uint32_t slot) { return slot << SWP_OFFSET_SHIFT; }
static inline uint32_t swp_slot(pte_t pte) { return pte >> SWP_OFFSET_SHIFT; }
static inline int pte_is_swap(pte_t pte) { return pte != 0 && !(pte & PTE_P); }
/* Bits 1 to 8 of a swap entry are free: bit 1 keeps a user-space pager's write protection
 * (PTE_UFFD_WP, mm/uffd.h) while the page is out, so the page comes back protected. */
#define SWP_UFFD_WP 0x2


int swap_init(void);                 /* find and check the partition; 0, or -errno (disabled) */
int swap_enabled(void);
uint32_t swap_slots_free(void);
uint32_t swap_slots_total(void);
uint32_t swap_slots_retired(void);   /* taken out of use after a failed write */

/* Slots have reference counts: one per PTE holding the slot's entry (parent and child
 * share them after fork) and one if a frame caches the slot's contents. */
uint32_t swap_slot_alloc(void);      /* a free slot with one reference, or 0 if full */
/* Up to `want` adjacent free slots, each with one reference: the first, and how many
 * in *got (0 when swap is full). For clusters written with one disk command. */
uint32_t swap_slot_alloc_run(uint32_t want, uint32_t *got);
void swap_slot_dup(uint32_t slot);
void swap_slot_put(uint32_t slot);   /* the slot is free again at zero references */
uint32_t swap_slot_refs(uint32_t slot);

int swap_read(uint32_t slot, void *page);          /* 0 or -EIO; sleeps on the disk */
void swap_slot_mark_broken(uint32_t slot);          /* after a failed write */
int swap_write(uint32_t slot, const void *page);
int swap_write_pages(uint32_t first, void *const *pages, uint32_t n);   /* adjacent slots */

/* The swap cache: a resident frame holding a slot's contents unchanged, so a clean page
 * is not written again and a shared slot is read only once. */
struct frame *swap_cache_lookup(uint32_t slot);
struct frame *swap_cache_wait(uint32_t slot);          /* lookup, once it is not Busy */
void swap_cache_add(struct frame *f, uint32_t slot);   /* takes a slot reference */
void swap_cache_drop(struct frame *f);                  /* gives it back, if any */

#endif
