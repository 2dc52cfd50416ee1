/* mm/mlock.c: mlock and munlock. Locking a region marks it VMA_LOCKED and faults in
 * each of its pages, which rmap_map then pins (FRAME_PINNED: eviction's filters only
 * accept FRAME_USER). Unlocking clears the mark and lets each frame go back to
 * FRAME_USER, unless another process's lock still holds it. Two limits keep a lock from
 * taking every frame (with nothing left to evict, every allocation would fail): the
 * process's RLIMIT_MEMLOCK, and a ceiling on all processes' pinned pages together. */
#include <stddef.h>
#include "mm/mlock.h"
#include "mm/ptshare.h"
#include "mm/vma.h"
#include "mm/fault.h"
#include "mm/rmap.h"
#include "mm/pgtable.h"
#include "mm/evict.h"
#include "mm/memlayout.h"
#include "kernel/proc.h"
#include "kernel/errno.h"

/* Pinned pages of every process (a frame two lockers share counts twice: on the safe side). */
static uint32_t pinned_pages(void)
{
    uint32_t n = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state != PROC_UNUSED && p->mm)
            n += p->mm->locked;
    return n;
}

/* All the frames user pages may have, less an eighth (at least 16) that stays
 * evictable: room for the other processes' pages to come and go. */
static uint32_t pinned_ceiling(void)
{
    uint32_t limit = evict_frames_limit(), reserve = limit / 8 < 16 ? 16 : limit / 8;
    return limit > reserve ? limit - reserve : 0;
}

/* Bytes in locked regions of mm, with those in [start, end) counted as they would be
 * (every region there locked) when lock is set. */
static uint64_t locked_bytes(struct mm *mm, uint32_t start, uint32_t end)
{
    uint64_t n = 0;
    for (struct vma *v = vma_first(mm); v; v = vma_next(v)) {
        uint32_t lo = v->start > start ? v->start : start, hi = v->end < end ? v->end : end;
        uint32_t inside = lo < hi ? hi - lo : 0;
        n += (v->flags & VMA_LOCKED) ? v->end - v->start : inside;
    }
    return n;
}

static void unlock_pte(pte_t *pte, uint32_t va, void *ctx)
{
    if (*pte & PTE_P)
        rmap_unlock(ctx, va);
}

static int unlock_region(struct mm *mm, struct vma *v, void *ctx)
{
    (void)ctx;
    if (!(v->flags & VMA_LOCKED))
        return 0;
    v->flags &= ~VMA_LOCKED;
    pgtable_visit(mm->pgdir, v->start, v->end, unlock_pte, mm);
    return 0;
}

/* Pages already present are pinned here; the others are faulted in, and rmap_map pins
 * them. A region nobody may read (PROT_NONE) is only marked: its pages cannot be
 * touched, and arrive pinned once mprotect allows it. A region that cannot be locked
 * whole is unlocked again: half locked, its other pages would arrive pinned when
 * touched, past the ceiling. */
static int lock_region(struct mm *mm, struct vma *v, void *ctx)
{
    (void)ctx;
    if (v->flags & VMA_LOCKED)
        return 0;
    v->flags |= VMA_LOCKED;
    mm->ever_locked = 1;
    if (!(v->prot & VM_READ))
        return 0;
    int err = 0;
    for (uint32_t va = v->start; va < v->end && !err; va += PGSIZE) {
        if (pinned_pages() >= pinned_ceiling())
            err = -EAGAIN;              /* Linux: "could not be locked" */
        else if (pgtable_lookup(mm->pgdir, va) & PTE_P)
            rmap_lock(mm, va);
        else
            err = fault_resolve(mm, va, 0);
    }
    if (err)
        unlock_region(mm, v, NULL);
    return err == -EFAULT ? -ENOMEM : err;
}

int mlock_range(struct mm *mm, uint32_t start, uint32_t end, int lock)
{
    if (!lock)
        return vma_edit_range(mm, start, end, unlock_region, NULL);
    if (locked_bytes(mm, start, end) > mm->memlock_limit)
        return -ENOMEM;
    return vma_edit_range(mm, start, end, lock_region, NULL);
}

int mlock_all(struct mm *mm, int lock)
{
    if (lock && locked_bytes(mm, 0, USER_TOP) > mm->memlock_limit)
        return -ENOMEM;
    int err = ptshare_break_range(mm, 0, USER_TOP);
    for (struct vma *v = vma_first(mm); v && !err; v = vma_next(v))
        err = lock ? lock_region(mm, v, NULL) : unlock_region(mm, v, NULL);
    return err;
}
