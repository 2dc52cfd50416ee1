/* mm/sys_pages.c: the system calls about the pages of regions, not the regions:
 * msync, mincore and madvise (Linux's semantics and errors). */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "mm/vma.h"
#include "mm/ptshare.h"
#include "mm/pager.h"
#include "mm/pagecache.h"
#include "mm/pgtable.h"
#include "mm/memlayout.h"
#include "mm/uaccess.h"

/* [addr, addr + len) rounded out to pages, for a call that needs addr page-aligned:
 * 0, or -EINVAL; -ENOMEM if some page of it is in no region (Linux's answer). */
static int range_of(uint32_t addr, uint32_t len, uint32_t *end)
{
    if ((addr & (PGSIZE - 1)) || addr >= USER_TOP || len > USER_TOP - addr)
        return addr & (PGSIZE - 1) ? -EINVAL : -ENOMEM;
    *end = PGROUNDUP(addr + len);
    struct mm *mm = myproc()->mm;
    for (uint32_t a = addr; a < *end;) {
        struct vma *v = vma_find(mm, a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    return 0;
}

/* msync(addr, len, flags): the dirty pages of the shared file mappings in the range go
 * to their file now (MS_ASYNC as MS_SYNC: the write is not deferred). tmpfs and shared
 * anonymous memory have no file to go to (swap holds evicted pages, not a file): for
 * them only Linux's checking of the arguments remains. */
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4

SYSCALL(msync)
{
    uint32_t addr = ARG1(tf), flags = ARG3(tf), end;
    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC))
        return -EINVAL;
    int err = range_of(addr, ARG2(tf), &end);
    struct mm *mm = myproc()->mm;
    for (uint32_t a = addr; !err && a < end;) {
        struct vma *v = vma_find(mm, a);
        uint32_t stop = v->end < end ? v->end : end;
        if ((v->flags & VMA_SHARED) && v->file)
            err = pcache_writeback(vma_object(v), vma_index(v, a), vma_index(v, stop));
        a = stop;
    }
    return err;
}

/* Is page va of region v in memory? Present in this process, or (not mapped here yet)
 * in its object's page cache, as Linux reports a file's pages; a page out on swap is not. */
static uint8_t page_in_core(struct mm *mm, struct vma *v, uint32_t va)
{
    pte_t pte = pgtable_lookup(mm->pgdir, va);
    if (pte & PTE_P)
        return 1;
    struct pcache *pc = vma_object(v);
    return pte == 0 && pc && pcache_resident(pc, vma_index(v, va));
}

/* mincore(addr, len, vec): one byte per page, bit 0 set if the page is resident. */
SYSCALL(mincore)
{
    uint32_t addr = ARG1(tf), uvec = ARG3(tf), end;
    int err = range_of(addr, ARG2(tf), &end);
    struct mm *mm = myproc()->mm;
    uint8_t buf[256];
    for (uint32_t a = addr; !err && a < end;) {
        uint32_t n = 0;
        for (; n < sizeof(buf) && a < end; n++, a += PGSIZE)
            buf[n] = page_in_core(mm, vma_find(mm, a), a);
        err = copyout(uvec, buf, n);
        uvec += n;
    }
    return err;
}

/* MADV_WILLNEED: bring in what would take a major fault (pages out on swap, a file's or
 * a shared object's pages), as the faults would; pages never touched stay untouched. */
static int will_need(struct mm *mm, uint32_t start, uint32_t end)
{
    if (ptshare_break_range(mm, start, end) < 0)
        return -ENOMEM;
    for (uint32_t a = start; a < end; a += PGSIZE) {
        struct vma *v = vma_find(mm, a);
        pte_t *pte = pgtable_walk(mm->pgdir, a, 1);
        if (!pte)
            return -ENOMEM;
        if ((*pte & PTE_P) || (*pte == 0 && !vma_object(v)) || !(v->prot & VM_READ))
            continue;
        int err = pager_fill(mm, v, a, pte, 0);
        if (err)
            return err == -ENXIO ? 0 : err;   /* past the end of the file: nothing to bring */
    }
    return 0;
}

/* MADV_DONTNEED: the pages go from this address space; the next touch finds zeros (a
 * private anonymous page), the file's bytes (a private file page) or the shared page as
 * it is. A locked region's pages may not go (Linux: EINVAL). */
static int dont_need(struct mm *mm, uint32_t start, uint32_t end)
{
    for (uint32_t a = start; a < end;) {
        struct vma *v = vma_find(mm, a);
        if (v->flags & VMA_LOCKED)
            return -EINVAL;
        a = v->end;
    }
    return vma_zap_range(mm, start, end);
}

#define MADV_NORMAL 0
#define MADV_WILLNEED 3
#define MADV_DONTNEED 4

/* madvise(addr, len, advice): MADV_NORMAL (Pagoda's only behaviour), MADV_WILLNEED and
 * MADV_DONTNEED. Any other advice is refused with EINVAL, Linux's answer to advice it
 * does not know, rather than accepted and ignored. */
SYSCALL(madvise)
{
    uint32_t addr = ARG1(tf), advice = ARG3(tf), end;
    if (advice != MADV_NORMAL && advice != MADV_WILLNEED && advice != MADV_DONTNEED)
        return -EINVAL;
    int err = range_of(addr, ARG2(tf), &end);
    if (err || advice == MADV_NORMAL)
        return err;
    struct mm *mm = myproc()->mm;
    return advice == MADV_WILLNEED ? will_need(mm, addr, end) : dont_need(mm, addr, end);
}
