/* mm/check.c: vm.check=1, the VM checking its own invariants. After each fault the
 * frame it mapped is checked; after each exit, and every CHECK_EVICTIONS evictions,
 * the whole system: a broken invariant is a panic that names it, at the event that
 * broke it rather than thousands of faults later where the damage shows.
 *
 * The invariants (each is what some other file relies on):
 *  1. A user frame's reference count equals its reverse-map entries (plus one if it is in
 *     the page cache, whose index entry names it), and each entry's PTE is present and
 *     maps that frame (eviction must find every mapping: rmap.c).
 *  2. Every present user PTE lies in a region that allows it (writable only where the
 *     region is; user-accessible exactly where it may be read), maps a user frame, and is
 *     in that frame's reverse map; mm->resident and mm->swapped count the present and the swap PTEs.
 *     The regions are sorted and disjoint (a PTE two regions claim is copied twice by fork).
 *  3. Swap-slot references add up: one per PTE naming the slot, one per frame caching
 *     it (swap.c), one per page-cache index entry holding it (pagecache.c), and each
 *     cached frame is the one its slot points back to.
 *  4. The free pool: frames marked free number frames_free_count(), and the frames
 *     holding user pages number evict_frames_used() (evict.c).
 *  5. A frame handed out as zeroed holds zeros (the idle loop's pre-zeroed frames,
 *     frame_alloc_zeroed in frame.c): checked at the demand-zero fault that takes it.
 *  6. A page table shared by fork (vm.cow=2, mm/ptshare.c) counts its sharers right, none
 *     writes through its directory entry, and its PTEs are checked once, for its owner. */
#include "mm/check.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/pagecache.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/memlayout.h"
#include "kernel/proc.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define CHECK_EVICTIONS 256

int check_on;                   /* vm.check=1 */

void check_init(void)
{
    check_on = cmdline_int("vm.check", 0) != 0;
}

static int holds_user_page(const struct frame *f)
{
    return f->state == FRAME_USER || f->state == FRAME_PINNED || f->state == FRAME_BUSY;
}

/* A frame's report: 0, or -1 with `why` filled in. */
static int frame_ok(struct frame *f, char *why, uint32_t len)
{
    uint32_t n = 0, pa = frame_pa(f);
    for (struct rmap *r = f->rmap; r; r = r->next, n++) {
        pte_t *pte = pgtable_walk(r->mm->pgdir, r->va, 0);
        if (!pte || !(*pte & PTE_P) || PTE_ADDR(*pte) != pa) {
            ksnprintf(why, len, "frame %x: reverse-map entry for %x does not map it (PTE %x)",
                     pa, r->va, pte ? *pte : 0);
            return -1;
        }
    }
    if (f->pc && !pcache_frame_ok(f)) {
        ksnprintf(why, len, "frame %x: in the page cache at index %u, whose entry names another",
                  pa, f->index);
        return -1;
    }
    if (n + (f->pc != NULL) != f->refs) {
        ksnprintf(why, len, "frame %x: %u references but %u reverse-map entries%s", pa, f->refs,
                  n, f->pc ? " and the page cache's" : "");
        return -1;
    }
    if (f->swap_slot && swap_cache_lookup(f->swap_slot) != f) {
        ksnprintf(why, len, "frame %x: caches swap slot %u, which points elsewhere", pa,
                 f->swap_slot);
        return -1;
    }
    return 0;
}

struct walk {
    struct mm *mm;
    uint32_t present, swapped;     /* PTEs seen */
    char *why;
    uint32_t len;
    int bad;
};

static void check_pte(pte_t *pte, uint32_t va, void *ctx)
{
    struct walk *w = ctx;
    if (w->bad || !ptshare_counted_by(w->mm, PDX(va)))
        return;                         /* a shared table's PTEs are its owner's to count */
    if (!(*pte & PTE_P)) {
        uint32_t refs = swap_slot_refs(swp_slot(*pte));
        w->swapped++;
        if ((refs & 0x7FFF) == 0 || refs == 0xFFFF) {
            ksnprintf(w->why, w->len, "%x: swap entry names slot %u, which is free or bad", va,
                     swp_slot(*pte));
            w->bad = 1;
        }
        return;
    }
    w->present++;
    struct vma *v = vma_find(w->mm, va);
    struct frame *f = frame_of(PTE_ADDR(*pte));
    /* User-accessible exactly when the region may be read (PROT_NONE keeps the page
     * present for the kernel, without PTE_U: vma_pte_flags), writable only if it may be
     * written (a copy-on-write page is read-only in a writable region). */
    if (!v || !(*pte & PTE_U) != !(v->prot & VM_READ) ||
        ((*pte & PTE_W) && !(v->prot & VM_WRITE))) {
        ksnprintf(w->why, w->len, "%x: PTE %x outside a region or beyond its rights", va, *pte);
        w->bad = 1;
    } else if (!holds_user_page(f) || !rmap_mapped_by(f, w->mm)) {
        ksnprintf(w->why, w->len, "%x: maps frame %x (state %u) without a reverse-map entry",
                 va, PTE_ADDR(*pte), f->state);
        w->bad = 1;
    }
}

static int regions_ok(struct mm *mm, char *why, uint32_t len)
{
    for (struct vma *v = vma_first(mm); v; v = vma_next(v))
        if (v->start >= v->end || (vma_next(v) && v->end > vma_next(v)->start)) {
            ksnprintf(why, len, "address space of pid %d: region %x-%x is empty or overlaps the next",
                     mm->owner ? mm->owner->pid : 0, v->start, v->end);
            return -1;
        }
    return 0;
}

static int mm_ok(struct mm *mm, uint32_t *swap_ptes, char *why, uint32_t len)
{
    struct walk w = {mm, 0, 0, why, len, 0};
    if (regions_ok(mm, why, len) < 0 || ptshare_check(mm, why, len) < 0)
        return -1;
    pgtable_visit(mm->pgdir, 0, USER_TOP, check_pte, &w);
    if (!w.bad && (w.present != mm->resident || w.swapped != mm->swapped)) {
        ksnprintf(why, len, "address space of pid %d: %u present and %u swap PTEs, counted "
                 "%u resident and %u swapped", mm->owner ? mm->owner->pid : 0, w.present,
                 w.swapped, mm->resident, mm->swapped);
        w.bad = 1;
    }
    *swap_ptes += w.swapped;
    return w.bad ? -1 : 0;
}

/* Invariants 3 and 4 need totals over all frames and slots. */
static int totals_ok(uint32_t swap_ptes, uint32_t cached, uint32_t user, uint32_t nfree,
                     char *why, uint32_t len)
{
    uint32_t refs = 0;
    for (uint32_t s = 1; s <= swap_slots_total(); s++)
        if (swap_slot_refs(s) != 0xFFFF)
            refs += swap_slot_refs(s) & 0x7FFF;
    if (refs != swap_ptes + cached + pcache_swap_refs())
        ksnprintf(why, len, "swap: slot references add up to %u, but %u PTEs, %u cached "
                 "frames and %u page-cache entries name slots", refs, swap_ptes, cached,
                 pcache_swap_refs());
    else if (user != evict_frames_used())
        ksnprintf(why, len, "%u frames hold user pages, counted %u", user, evict_frames_used());
    else if (nfree != frames_free_count())
        ksnprintf(why, len, "%u frames are free, counted %u", nfree, frames_free_count());
    else
        return 0;
    return -1;
}

int check_vm(char *why, uint32_t len)
{
    uint32_t cached = 0, user = 0, nfree = 0, swap_ptes = 0;
    for (uint32_t i = 0; i < nframes; i++) {
        struct frame *f = &frames[i];
        nfree += f->state == FRAME_FREE;
        if (!holds_user_page(f))
            continue;
        user++;
        cached += f->swap_slot != 0;
        if (f->state != FRAME_BUSY && frame_ok(f, why, len) < 0)
            return -1;
    }
    for (struct mm *mm = mm_all; mm; mm = mm->next_mm)
        if (mm_ok(mm, &swap_ptes, why, len) < 0)
            return -1;
    return totals_ok(swap_ptes, cached, user, nfree, why, len);
}

static void fail(const char *event, const char *why)
{
    panic("vm.check after %s: %s", event, why);
}

void check_after_fault(struct mm *mm, uint32_t va)
{
    char why[160];
    if (!check_on)
        return;
    pte_t pte = pgtable_lookup(mm->pgdir, va);
    if ((pte & PTE_P) && frame_ok(frame_of(PTE_ADDR(pte)), why, sizeof(why)) < 0)
        fail("a fault", why);
}

void check_zeroed_frame(uint32_t pa)
{
    char why[160];
    const uint32_t *word = P2V(pa);
    for (uint32_t i = 0; i < PGSIZE / 4; i++)
        if (word[i]) {
            ksnprintf(why, sizeof(why), "frame %x, handed out as zeroed, holds %x at offset %x",
                      pa, word[i], i * 4);
            fail("a zeroed allocation", why);
        }
}

void check_after_eviction(void)
{
    static uint32_t evictions;
    char why[160];
    if (check_on && ++evictions % CHECK_EVICTIONS == 0 && check_vm(why, sizeof(why)) < 0)
        fail("an eviction", why);
}

void check_after_exit(void)
{
    char why[160];
    if (check_on && check_vm(why, sizeof(why)) < 0)
        fail("an exit", why);
}
