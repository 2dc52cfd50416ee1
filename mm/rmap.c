/* mm/rmap.c: mapping and unmapping user pages, keeping each frame's list of
 * mappings (its reverse map), reference count and pinning in step with the page tables. */
#include "mm/rmap.h"
#include "mm/trace.h"
#include "mm/frame.h"
#include "mm/vma.h"
#include "mm/pgtable.h"
#include "mm/kheap.h"
#include "mm/replace.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/pager.h"
#include "kernel/errno.h"
#include "kernel/panic.h"

/* Does this mapping lie in a locked region? */
static int mapping_locked(struct mm *mm, uint32_t va)
{
    if (!mm->ever_locked)
        return 0;                       /* the common case, without a region lookup */
    struct vma *v = vma_find(mm, va);
    return v && (v->flags & VMA_LOCKED);
}

/* Pinned while any mapping is locked: one process's munlock must not unpin a frame
 * that another still locks (they share it copy-on-write). */
void rmap_update_pin(struct frame *f)
{
    int locked = 0;
    for (struct rmap *r = f->rmap; r && !locked; r = r->next)
        locked = mapping_locked(r->mm, r->va);
    f->state = locked ? FRAME_PINNED : FRAME_USER;
    trace_frame(frame_pa(f));
}

void rmap_lock(struct mm *mm, uint32_t va)
{
    mm->locked++;
    uint32_t pa = PTE_ADDR(pgtable_lookup(mm->pgdir, va));
    if (frame_of(pa)->state == FRAME_BUSY)
        return;                         /* being written back: pinned when that is done */
    frame_of(pa)->state = FRAME_PINNED;
    trace_frame(pa);
}

void rmap_unlock(struct mm *mm, uint32_t va)
{
    mm->locked--;
    struct frame *f = frame_of(PTE_ADDR(pgtable_lookup(mm->pgdir, va)));
    if (f->state != FRAME_BUSY)
        rmap_update_pin(f);
}

int rmap_mapped_by(struct frame *f, struct mm *mm)
{
    for (struct rmap *r = f->rmap; r; r = r->next)
        if (r->mm == mm)
            return 1;
    return 0;
}

/* A frame's first mapping is kept in the frame itself (f->own_map): most user pages are
 * mapped once, and mapping those needs no heap allocation. A shared frame's other
 * mappings come from the heap. own_map.mm is NULL while the entry is unused. */
static struct rmap *rmap_alloc(struct frame *f)
{
    return f->own_map.mm ? kmalloc(sizeof(struct rmap)) : &f->own_map;
}

static void rmap_free(struct frame *f, struct rmap *r)
{
    if (r == &f->own_map)
        r->mm = NULL;
    else
        kfree(r);
}

/* Frames with two or more mappings now, kept as mappings come and go: vmstat asks for
 * it often (every reading of the work clock), and a walk of the frame table would
 * cost more than what the benchmarks measure. */
static uint32_t shared_frames;

int rmap_map(struct mm *mm, uint32_t va, pte_t *pte, uint32_t pa, uint32_t flags)
{
    struct frame *f = frame_of(pa);
    struct rmap *r = rmap_alloc(f);
    if (!r)
        return -ENOMEM;
    *r = (struct rmap){mm, va, f->rmap};
    f->rmap = r;
    if (r->next && !r->next->next)
        shared_frames++;                /* its second mapping */
    /* LAB bug-refcount: BEGIN */
    /* One reference per mapping, the second and later ones too: the frame lives as long
     * as anyone maps it (Silberschatz, OSC 9.3: a shared copy-on-write page). */
    if (f->refs++ == 0)
        replace_loaded(f);
    /* LAB bug-refcount: STUB
    if (!r->next && f->refs++ == 0)
        replace_loaded(f);
    LAB bug-refcount: END */
    pgtable_set(mm->pgdir, va, pte, pa | flags | PTE_P);
    mm->resident++;
    if (mapping_locked(mm, va))
        rmap_lock(mm, va);
    return 0;
}

/* The last mapping is gone: nobody needs the page any more. */
static void release_frame(struct frame *f)
{
    replace_removed(f);
    pager_settle(f, 0);
    swap_cache_drop(f);
    evict_free_frame(frame_pa(f));
}

void rmap_put(struct frame *f)
{
    if (--f->refs == 0 && f->state != FRAME_BUSY)
        release_frame(f);
}

void rmap_unmap(struct mm *mm, uint32_t va, pte_t *pte, pte_t replacement)
{
    uint32_t pa = PTE_ADDR(*pte);
    struct frame *f = frame_of(pa);
    if (*pte & PTE_A)
        pager_settle(f, 1);
    /* A cached page outlives its mappings: what this one wrote must not be forgotten
     * with its PTE's dirty bit (the page goes to swap or its file when evicted). */
    if (f->pc && (*pte & PTE_D))
        f->flags |= FRAME_DIRTY;
    int was_locked = mapping_locked(mm, va);
    if (was_locked)
        mm->locked--;
    pgtable_set(mm->pgdir, va, pte, replacement);
    mm->resident--;
    struct rmap **pp = &f->rmap;
    while (*pp && ((*pp)->mm != mm || (*pp)->va != va))
        pp = &(*pp)->next;
    if (!*pp)
        panic("rmap_unmap: frame %x has no mapping of %x", pa, va);
    struct rmap *r = *pp;
    *pp = r->next;
    rmap_free(f, r);
    if (f->rmap && !f->rmap->next)
        shared_frames--;                /* one mapping left */
    if (!f->rmap)
        pager_settle(f, 0);             /* prepaged, and gone unused (a cached page stays) */
    /* A Busy frame is being evicted: the evictor frees it when its write is done. */
    if (--f->refs == 0 && f->state != FRAME_BUSY)
        release_frame(f);
    else if (was_locked && f->state != FRAME_BUSY)
        rmap_update_pin(f);             /* the others' mappings decide now */
}

void rmap_move(struct frame *f, struct mm *mm, uint32_t va, uint32_t new_va)
{
    for (struct rmap *r = f->rmap; r; r = r->next)
        if (r->mm == mm && r->va == va)
            r->va = new_va;
}

void rmap_reown(struct mm *from, struct mm *to, uint32_t va, pte_t *pte)
{
    struct frame *f = frame_of(PTE_ADDR(*pte));
    for (struct rmap *r = f->rmap; r; r = r->next)
        if (r->mm == from && r->va == va)
            r->mm = to;
    from->resident--;
    to->resident++;
    /* Each side counts the mapping as locked if its own region is (mlock is not inherited). */
    if (mapping_locked(from, va))
        from->locked--;
    if (mapping_locked(to, va))
        to->locked++;
    if (f->state != FRAME_BUSY)
        rmap_update_pin(f);
}

void rmap_visit(struct frame *f, rmap_visit_fn fn, void *ctx)
{
    struct rmap *next;
    for (struct rmap *r = f->rmap; r; r = next) {
        next = r->next;                 /* fn may unmap (and free) this entry */
        fn(r->mm, r->va, pgtable_walk(r->mm->pgdir, r->va, 0), ctx);
    }
}

uint32_t rmap_shared_count(void)
{
    return shared_frames;
}
