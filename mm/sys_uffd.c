/* mm/sys_uffd.c: userfaultfd(2) (Linux i386 374), which makes the descriptor an external
 * pager reads its faults from (mm/uffd.c) and answers through (mm/uffd_ioctl.c); and
 * Pagoda's two calls that show such a pager what the MMU knows of its pages. */
#include "mm/uffd.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/ptshare.h"
#include "mm/frame.h"
#include "mm/swap.h"
#include "mm/pgtable.h"
#include "mm/kheap.h"
#include "mm/memlayout.h"
#include "mm/uaccess.h"
#include "fs/file.h"
#include "kernel/string.h"
#include "user/pagoda_abi.h"
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"

SYSCALL(userfaultfd)
{
    uint32_t flags = ARG1(tf);
    if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY))
        return -EINVAL;
    struct proc *p = myproc();
    struct file *f = file_alloc(FILE_UFFD, 1, 0);
    struct uffd *ctx = f ? uffd_create(p->mm, (flags & UFFD_USER_MODE_ONLY) != 0) : NULL;
    if (!ctx) {
        if (f)
            file_close(f);
        return -ENOMEM;
    }
    f->uffd = ctx;
    f->nonblock = (flags & O_NONBLOCK) != 0;
    int fd = fd_install(p, f, 0);
    if (fd < 0)
        file_close(f);
    else
        p->cloexec[fd] = (flags & O_CLOEXEC) != 0;
    return fd;
}

/* What a pager cannot see on Linux, exported on purpose (Pagoda's calls 1006 and 1007,
 * user/pagoda_abi.h): with them the replacement policy itself can live in user space, the
 * answer to the question Tanenbaum leaves open in MOS 3.6.6. Both act on the address space
 * the descriptor serves, from whichever process holds it. */
static struct uffd *uffd_of(int fd)
{
    struct file *f = fd_get(fd);
    return f && f->type == FILE_UFFD ? f->uffd : NULL;
}

/* Dirty to the pager: written since it gave the page, or possibly so. A page the kernel
 * sent to swap (or brought back from there, still in the swap cache) has lost its dirty
 * bit on the way, so it counts as dirty. */
static uint8_t page_bits(pte_t pte)
{
    if (pte_is_swap(pte))
        return PAGODA_PAGE_DIRTY;
    if (!(pte & PTE_P))
        return 0;
    uint8_t bits = PAGODA_PAGE_PRESENT;
    if (pte & PTE_A)
        bits |= PAGODA_PAGE_ACCESSED;
    if ((pte & PTE_D) || frame_of(PTE_ADDR(pte))->swap_slot)
        bits |= PAGODA_PAGE_DIRTY;
    return bits;
}

#define BITS_MAX 1024                    /* pages one call may ask about */

/* pagoda_uffd_bits(uffd, start, npages, bits, clear): the clock hand of a user-space
 * policy reads (and clears, clear 1) the referenced bits the MMU sets (Intel SDM vol. 3,
 * 4.8), as the kernel's own clock does in mm/policy/clock.c. */
SYSCALL(pagoda_uffd_bits)
{
    struct uffd *ctx = uffd_of(ARG1(tf));
    uint32_t start = ARG2(tf), n = ARG3(tf);
    if (!ctx)
        return -EBADF;
    if (start % PGSIZE || n == 0 || n > BITS_MAX)
        return -EINVAL;
    /* The accessed bits cleared are this address space's only: a page table it shares
     * (vm.cow=2) is unshared first, which may sleep, so before the region is looked up. */
    if (ctx->mm && ARG5(tf) && ptshare_break_range(ctx->mm, start, start + n * PGSIZE) < 0)
        return -ENOMEM;
    if (!ctx->mm)
        return -ESRCH;
    if (!uffd_region(ctx, start, n * PGSIZE))
        return -ENOENT;
    uint8_t *bits = kmalloc(n);          /* not static: copyout may sleep, and another
                                          * pager's call would write over it */
    if (!bits)
        return -ENOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t va = start + i * PGSIZE;
        pte_t *pte = pgtable_walk(ctx->mm->pgdir, va, 0);
        bits[i] = pte ? page_bits(*pte) : 0;
        if (pte && (*pte & PTE_P) && (*pte & PTE_A) && ARG5(tf))
            pgtable_set(ctx->mm->pgdir, va, pte, *pte & ~PTE_A);
    }
    long ret = copyout(ARG4(tf), bits, n) < 0 ? -EFAULT : (long)n;
    kfree(bits);
    return ret;
}

/* The PTE of page va of ctx's address space if it holds a page (present or on swap);
 * NULL with *err 0 if the page is missing, or with the call's error. */
static pte_t *held_pte(struct uffd *ctx, uint32_t va, long *err)
{
    *err = !ctx->mm ? -ESRCH : !uffd_region(ctx, va, PGSIZE) ? -ENOENT : 0;
    pte_t *pte = *err ? NULL : pgtable_walk(ctx->mm->pgdir, va, 0);
    return pte && *pte ? pte : NULL;
}

/* A dirty page's contents, into the kernel buffer page: from its frame, or from swap
 * (the swap cache first, once any write to the slot has finished). 0 or -EIO. */
static int read_page(pte_t pte, void *page)
{
    struct frame *f = (pte & PTE_P) ? frame_of(PTE_ADDR(pte)) : swap_cache_wait(swp_slot(pte));
    if (f) {
        memcpy(page, P2V(frame_pa(f)), PGSIZE);
        return 0;
    }
    return swap_read(swp_slot(pte), page);
}

/* pagoda_uffd_evict(uffd, page, buf): the page leaves the address space (its next touch
 * is a missing-page fault for the pager); if it was dirty, its contents go to the pager's
 * buf first. Reading them and handing them out may sleep, and the page may change
 * meanwhile: it is unmapped only if its PTE is still the one that was read (or differs in
 * the accessed bit alone); otherwise all is done again. */
SYSCALL(pagoda_uffd_evict)
{
    struct uffd *ctx = uffd_of(ARG1(tf));
    uint32_t va = ARG2(tf);
    if (!ctx)
        return -EBADF;
    if (va % PGSIZE)
        return -EINVAL;
    void *page = kmalloc(PGSIZE);
    if (!page)
        return -ENOMEM;
    long ret;
    pte_t *pte;
    while ((pte = held_pte(ctx, va, &ret))) {
        pte_t seen = *pte;
        int dirty = (page_bits(seen) & PAGODA_PAGE_DIRTY) != 0;
        if (dirty && (ret = read_page(seen, page)) == 0 && copyout(ARG3(tf), page, PGSIZE) < 0)
            ret = -EFAULT;
        if (!ret && ctx->mm)
            ret = ptshare_break(ctx->mm, va);   /* may sleep: before the PTE is read again */
        if (ret)
            break;
        if ((pte = held_pte(ctx, va, &ret)) && ((*pte ^ seen) & ~PTE_A) == 0) {
            vma_zap_range(ctx->mm, va, va + PGSIZE);
            ret = dirty;
            break;
        }
    }
    kfree(page);
    return ret;
}
