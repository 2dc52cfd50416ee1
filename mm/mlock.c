/* mm/mlock.c: mlock and munlock. Locking a region marks it VMA_LOCKED and faults in
 * each of its pages, which page_map then pins (FRAME_PINNED: eviction's filters only
 * accept FRAME_USER). Unlocking clears the mark and lets each frame go back to
 * FRAME_USER, unless another process's lock still holds it. */
#include <stddef.h>
#include "mm/mlock.h"
#include "mm/vm.h"
#include "mm/fault.h"
#include "mm/rmap.h"
#include "mm/pgtable.h"
#include "kernel/errno.h"

/* Pages already present are pinned here; the others are faulted in, and page_map pins
 * them. A region nobody may read (PROT_NONE) is only marked: its pages cannot be
 * touched, and arrive pinned once mprotect allows it. A failure leaves the pages
 * locked so far locked: they stay consistent, and exit or munlock releases them. */
static int lock_region(struct mm *mm, struct vma *v, void *ctx)
{
    (void)ctx;
    if (v->flags & VMA_LOCKED)
        return 0;
    v->flags |= VMA_LOCKED;
    mm->ever_locked = 1;
    if (!(v->prot & VM_READ))
        return 0;
    for (uint32_t va = v->start; va < v->end; va += PGSIZE) {
        if (pgtable_lookup(mm->pgdir, va) & PTE_P) {
            page_lock(mm, va);
            continue;
        }
        int err = vm_fault(mm, va, 0);
        if (err)
            return err == -EFAULT ? -ENOMEM : err;
    }
    return 0;
}

static void unlock_pte(pte_t *pte, uint32_t va, void *ctx)
{
    if (*pte & PTE_P)
        page_unlock(ctx, va);
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

int vm_lock_range(struct mm *mm, uint32_t start, uint32_t end, int lock)
{
    return vma_edit_range(mm, start, end, lock ? lock_region : unlock_region, NULL);
}

int vm_lock_all(struct mm *mm, int lock)
{
    int err = 0;
    for (struct vma *v = mm->vmas; v && !err; v = v->next)
        err = lock ? lock_region(mm, v, NULL) : unlock_region(mm, v, NULL);
    return err;
}
