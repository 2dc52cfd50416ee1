/* mm/cow.c: fork's address-space copy (cow_fork) and the copy-on-write fault.
 * With vm.cow=0 fork copies every resident page at once instead, for comparison; with
 * vm.cow=2 it copies no PTE at all but shares the page tables (mm/ptshare.c), whose
 * first change copies one table the vm.cow=1 way (cow_copy_table). */
#include "mm/cow.h"
#include "mm/vma.h"
#include "mm/pager.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/pageout.h"
#include "mm/frame.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/memlayout.h"
#include "mm/page.h"
#include "mm/vmstat.h"
#include "mm/trace.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"      /* the lab's stub (docs/labs/cow.md) */

struct fork_ctx {
    struct mm *child;
    int cow;
    int shared;                  /* the region being copied is MAP_SHARED */
    int failed;
    uint32_t table;              /* the directory index of the last page table begun */
};

/* vm.cow=1: share the frame. A private writable page becomes read-only in both
 * address spaces, so whichever writes first takes the copy-on-write fault. The
 * parent's TLB is flushed once after the whole copy, not page by page. A MAP_SHARED
 * page stays writable in both: parent and child see each other's writes (with vm.cow=0
 * too: sharing is the point). */
static int share_page(struct fork_ctx *c, pte_t *pte, uint32_t va, pte_t *dst)
{
    if (!c->shared)
        *pte &= ~PTE_W;
    /* LAB bug-cowdirty: BEGIN */
    /* The child's PTE keeps the dirty bit: the frame's dirtiness is that of all its
     * mappings together (mm/pol.c), and the parent's dirty PTE may go first (a copy on
     * its next write), leaving a page that differs from its swap copy, or has none. */
    return rmap_map(c->child, va, dst, PTE_ADDR(*pte), PTE_FLAGS(*pte) & ~PTE_P);
    /* LAB bug-cowdirty: STUB
    return rmap_map(c->child, va, dst, PTE_ADDR(*pte), PTE_FLAGS(*pte) & ~(PTE_P | PTE_D));
    LAB bug-cowdirty: END */
}

/* vm.cow=0: give the child its own copy of the page now. */
static int copy_page_now(struct fork_ctx *c, pte_t *pte, uint32_t va, pte_t *dst)
{
    uint32_t pa = evict_alloc_frame(0);
    if (!pa)
        return -ENOMEM;
    if (!(*pte & PTE_P)) {
        /* Getting a frame evicted the very page we are copying: fork_pte shares its slot. */
        evict_free_frame(pa);
        return 0;
    }
    page_copy(P2V(pa), P2V(PTE_ADDR(*pte)));
    /* A private copy exists nowhere else: dirty from birth. */
    int err = rmap_map(c->child, va, dst, pa, (PTE_FLAGS(*pte) & ~PTE_P) | PTE_D);
    if (err)
        evict_free_frame(pa);
    return err;
}

/* One parent PTE: a page out on swap is shared (both now hold its slot); a resident
 * page is shared or copied as vm.cow says. */
static void fork_pte(pte_t *pte, uint32_t va, void *ctx)
{
    struct fork_ctx *c = ctx;
    if (PDX(va) != c->table) {
        /* Between page tables nothing is half copied: refill the kernel's reserve
         * here (mm/pageout.c), since a big fork needs more than the reserve holds. */
        c->table = PDX(va);
        pageout_reclaim();
    }
    pte_t *dst = pgtable_walk(c->child->pgdir, va, 1);
    int err = dst ? 0 : -ENOMEM;
    if (!err && (*pte & PTE_P))
        err = c->cow || c->shared ? share_page(c, pte, va, dst) : copy_page_now(c, pte, va, dst);
    if (!err && pte_is_swap(*pte)) {
        swap_slot_dup(swp_slot(*pte));
        c->child->swapped++;
        *dst = *pte;
    }
    if (err)
        c->failed = 1;
}

struct mm *cow_fork(struct mm *parent, int mode)
{
    struct mm *child = mm_create();
    if (!child)
        return NULL;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    mm_copy_limits(child, parent);
    struct fork_ctx c = {child, mode != COW_EAGER, 0, 0, 0};
    for (struct vma *v = vma_first(parent); v && !c.failed; v = vma_next(v)) {
        /* Memory locks are not inherited (as in Linux): the child's regions are unlocked. */
        if (!vma_copy(child, v)) {
            c.failed = 1;
            break;
        }
        c.shared = (v->flags & VMA_SHARED) != 0;
        if (mode != COW_TABLES)
            pgtable_visit(parent->pgdir, v->start, v->end, fork_pte, &c);
    }
    if (!c.failed && mode == COW_TABLES)
        ptshare_fork(parent, child);        /* cannot fail: no frame, no heap */
    if (c.cow)
        pgtable_flush_all();                /* the parent's pages (or tables) just lost PTE_W */
    if (c.failed) {
        mm_destroy(child);
        return NULL;
    }
    return child;
}

/* The PTEs of mm's regions under the page table at `table` (mapping the 4 MiB from
 * `base`), copied into mm's own tables as a vm.cow=1 fork copies a parent's: pages shared
 * copy-on-write, swap slots shared. No reclaim between tables here, so nothing sleeps:
 * the caller (mm/ptshare.c) relies on the table not changing under the copy. */
int cow_copy_table(struct mm *mm, pte_t *table, uint32_t base)
{
    uint32_t end = base + (1u << 22);
    struct fork_ctx c = {mm, 1, 0, 0, PDX(base)};
    for (struct vma *v = vma_first(mm); v && v->start < end && !c.failed; v = vma_next(v)) {
        if (v->end <= base)
            continue;
        c.shared = (v->flags & VMA_SHARED) != 0;
        pgtable_visit_table(table, v->start > base ? v->start : base, v->end < end ? v->end : end,
                            fork_pte, &c);
    }
    return c.failed ? -ENOMEM : 0;
}

/* LAB cow: BEGIN */
/* vm.bug=cow plants a bug for the reverse-debugging recipe of docs/debugging.md, and
 * only there: the copy is mapped without being copied, so the writer gets a frame of
 * whatever it held before (Silberschatz, OSC 9.3: the copy is the
 * whole point). Never set it outside that lesson and its test. */
static int cow_bug_planted(void)
{
    static int planted = -1;            /* looked up once: the command line stays */
    if (planted < 0) {
        const char *bug = cmdline_get("vm.bug");
        planted = bug && strcmp(bug, "cow") == 0;
    }
    return planted;
}

int cow_fault(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte)
{
    (void)v;
    uint32_t old_pa = PTE_ADDR(*pte);
    struct frame *old = frame_of(old_pa);
    VM_COUNT(minor_faults);
    if (old->refs == 1) {
        /* Nobody else maps it any more (the other side copied or exited, or it came
         * back from swap read-only): reuse it. Its swap copy is about to be stale. */
        swap_cache_drop(old);
        trace_frame(old_pa);
        pgtable_set(mm->pgdir, va, pte, *pte | PTE_W | PTE_D);
        VM_COUNT(cow_reuses);
        trace_fault(mm, TRACE_COW_REUSE, va, old_pa, 1);
        return 0;
    }
    uint32_t pa = evict_alloc_frame(0);   /* may sleep evicting; our PTE stays as it is */
    if (!pa)
        return -ENOMEM;
    if (PTE_ADDR(*pte) != old_pa || !(*pte & PTE_P)) {
        evict_free_frame(pa);            /* evicted meanwhile: let the fault happen again */
        return 0;
    }
    if (!cow_bug_planted())
        page_copy(P2V(pa), P2V(old_pa));
    uint32_t flags = (PTE_FLAGS(*pte) & ~PTE_P) | PTE_W | PTE_A | PTE_D;
    rmap_unmap(mm, va, pte, 0);
    /* The copy exists nowhere else: mark it dirty ourselves (the MMU never wrote it). */
    int err = rmap_map(mm, va, pte, pa, flags);
    if (err) {
        evict_free_frame(pa);
        return err;
    }
    VM_COUNT(cow_copies);
    trace_fault(mm, TRACE_COW_COPY, va, pa, 1);
    return 0;
}
/* LAB cow: STUB
int cow_fault(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte)
{
    (void)mm, (void)v, (void)va, (void)pte;
    panic("lab cow: write cow_fault() in mm/cow.c (docs/labs/cow.md)");
}
LAB cow: END */
