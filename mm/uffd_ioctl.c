/* mm/uffd_ioctl.c: what a user-space pager asks of the kernel through its userfaultfd
 * (ioctl(2) on the descriptor): the handshake, registering regions, and the answers to a
 * fault: a page's contents (UFFDIO_COPY), zeros (UFFDIO_ZEROPAGE), a write protection
 * set or lifted (UFFDIO_WRITEPROTECT), or just "run again" (UFFDIO_WAKE). Every answer
 * acts on the context's address space, whichever process asks: a pager is usually a
 * different process from the one it serves. Errors are Linux's (ioctl_userfaultfd(2)). */
#include "mm/uffd.h"
#include "mm/ptshare.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/rmap.h"
#include "mm/frame.h"
#include "mm/evict.h"
#include "mm/swap.h"
#include "mm/pgtable.h"
#include "mm/memlayout.h"
#include "mm/uaccess.h"
#include "mm/vmstat.h"
#include "mm/trace.h"
#include "kernel/errno.h"

/* UFFDIO_API: the handshake, once, before anything else. */
static long uffd_api(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_api a;
    if (copyin(&a, uarg, sizeof(a)) < 0)
        return -EFAULT;
    if (ctx->api_done || a.api != UFFD_API || (a.features & ~(uint64_t)UFFD_FEATURES)) {
        a = (struct uffdio_api){0};     /* Linux zeroes the answer on a refusal */
        return copyout(uarg, &a, sizeof(a)) < 0 ? -EFAULT : -EINVAL;
    }
    ctx->features = a.features;
    ctx->api_done = 1;
    a.features = UFFD_FEATURES;
    a.ioctls = (1u << _UFFDIO_REGISTER) | (1u << _UFFDIO_UNREGISTER) | (1ull << _UFFDIO_API);
    return copyout(uarg, &a, sizeof(a)) < 0 ? -EFAULT : 0;
}

/* A range given by a pager: page-aligned, not empty, inside user space. */
static int range_ok(uint64_t start, uint64_t len)
{
    return (start | len) % PGSIZE == 0 && len > 0 && start < USER_TOP && len <= USER_TOP - start;
}

/* Only private anonymous memory can have an external pager here (Linux also allows
 * shared memory and hugetlbfs; docs/pagers.md). */
static int can_register(const struct vma *v)
{
    return !(v->flags & (VMA_FILE | VMA_SHARED));
}

/* Every region overlapping [start, end) may be registered with ctx: 0, -EINVAL (none
 * there, or one of another kind), -EBUSY (another context has it). Holes are allowed. */
static int check_regions(struct uffd *ctx, uint32_t start, uint32_t end)
{
    int found = 0;
    for (struct vma *v = vma_first(ctx->mm); v && v->start < end; v = vma_next(v)) {
        if (v->end <= start)
            continue;
        if (!can_register(v))
            return -EINVAL;
        if (v->uffd && v->uffd != ctx)
            return -EBUSY;
        found = 1;
    }
    return found ? 0 : -EINVAL;
}

static long uffd_register(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_register r;
    if (copyin(&r, uarg, sizeof(r)) < 0)
        return -EFAULT;
    uint64_t modes = UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP;
    if (!range_ok(r.range.start, r.range.len) || !r.mode || (r.mode & ~modes))
        return -EINVAL;
    if (!ctx->mm)
        return -ESRCH;                  /* the address space it served is gone */
    uint32_t start = r.range.start, end = start + r.range.len;
    int err = check_regions(ctx, start, end);
    if (!err)
        err = vma_split_bounds(ctx->mm, start, end);
    if (err)
        return err;
    for (struct vma *v = vma_first(ctx->mm); v && v->start < end; v = vma_next(v)) {
        if (v->end > start) {
            v->uffd = ctx;
            v->uffd_mode = r.mode;
            v->ops = &uffd_vma_ops;
        }
    }
    r.ioctls = (1u << _UFFDIO_WAKE) | (1u << _UFFDIO_COPY) | (1u << _UFFDIO_ZEROPAGE);
    if (r.mode & UFFDIO_REGISTER_MODE_WP)
        r.ioctls |= 1u << _UFFDIO_WRITEPROTECT;
    return copyout(uarg + __builtin_offsetof(struct uffdio_register, ioctls), &r.ioctls,
                   sizeof(r.ioctls)) < 0 ? -EFAULT : 0;
}

static long uffd_unregister(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_range r;
    if (copyin(&r, uarg, sizeof(r)) < 0)
        return -EFAULT;
    if (!range_ok(r.start, r.len))
        return -EINVAL;
    if (!ctx->mm)
        return -ESRCH;
    uint32_t start = r.start, end = start + r.len;
    for (struct vma *v = vma_first(ctx->mm); v && v->start < end; v = vma_next(v))
        if (v->end > start && !can_register(v))
            return -EINVAL;
    int err = vma_split_bounds(ctx->mm, start, end);
    for (struct vma *v = vma_first(ctx->mm); !err && v && v->start < end; v = vma_next(v))
        if (v->end > start && v->uffd == ctx)
            uffd_unregister_region(ctx->mm, v);
    return err;
}

static long uffd_wake(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_range r;
    if (copyin(&r, uarg, sizeof(r)) < 0)
        return -EFAULT;
    if (!range_ok(r.start, r.len))
        return -EINVAL;
    uffd_wake_range(ctx, r.start, r.start + r.len);
    return 0;
}

/* The source of an answer that is zeros (UFFDIO_ZEROPAGE): never a user address. */
#define ZEROS UINT64_MAX

/* A pager's source range: anywhere in user space, not necessarily aligned. Address 0 is
 * accepted, as Linux accepts it: nothing is mapped there, so the copy fails with EFAULT. */
static int src_ok(uint64_t src, uint64_t len)
{
    return src < USER_TOP && len <= USER_TOP - src;
}

/* One page of an answer: a frame holding a copy of the pager's page at src (or zeros),
 * mapped at va in the context's address space if va is still missing there.
 * The copy is made before the page-table look-up: copyin may fault, and sleep, on the
 * pager's own memory, and the served region may change meanwhile. */
static int give_page(struct uffd *ctx, uint32_t va, uint64_t src, int wp)
{
    uint32_t pa = evict_alloc_frame(src == ZEROS);
    if (!pa)
        return -ENOMEM;
    if (src != ZEROS && copyin(P2V(pa), (uint32_t)src, PGSIZE) < 0) {
        evict_free_frame(pa);
        return -EFAULT;
    }
    /* Unsharing a page table (vm.cow=2) may sleep: before the region is looked up. */
    if (ctx->mm && ptshare_break(ctx->mm, va) < 0) {
        evict_free_frame(pa);
        return -ENOMEM;
    }
    struct vma *v = uffd_region(ctx, va, PGSIZE);
    pte_t *pte = v ? pgtable_walk(ctx->mm->pgdir, va, 1) : NULL;
    int err = !v ? -ENOENT : !pte ? -ENOMEM : *pte ? -EEXIST : 0;
    uint32_t flags = v ? vma_pte_flags(v->prot) : 0;
    if (wp)
        flags = (flags & ~PTE_W) | PTE_UFFD_WP;
    if (!err)
        err = rmap_map(ctx->mm, va, pte, pa, flags);
    if (err) {
        evict_free_frame(pa);
        return err;
    }
    /* The page must never be missing again unless the pager says so: if the kernel must
     * evict it, it goes to swap, never dropped as a clean zero or file page would be
     * (Linux maps such pages dirty). Its PTE stays clean, so the dirty bit a pager reads
     * back (sys_uffd.c) means "written since it was given". */
    frame_of(pa)->flags |= FRAME_DIRTY;
    VM_COUNT(uffd_fills);
    trace_fault(ctx->mm, TRACE_UFFD_FILL, va, pa, 0);
    return 0;
}

/* UFFDIO_COPY and UFFDIO_ZEROPAGE, once their arguments are checked: page after page.
 * As on Linux, the answer's copy or zeropage field (*done) is written only from here on
 * (a request refused before it starts leaves it alone): the bytes done, or the error if
 * none was (-ENOENT too, for a range not wholly in one registered region); a part done
 * is -EAGAIN (the pager retries the rest). */
static long give_pages(struct uffd *ctx, uint64_t dst, uint64_t len, uint64_t src, int wp,
                       int wake, int64_t *done)
{
    *done = 0;
    int err = uffd_region(ctx, dst, len) ? 0 : -ENOENT;
    for (uint64_t off = 0; off < len && !err; off += PGSIZE) {
        err = give_page(ctx, dst + off, src == ZEROS ? ZEROS : src + off, wp);
        if (!err)
            *done += PGSIZE;
    }
    if (wake && *done)
        uffd_wake_range(ctx, dst, dst + *done);
    if (err && *done == 0)
        *done = err;
    return err && *done > 0 ? -EAGAIN : err;
}

static long uffd_copy(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_copy c;
    if (copyin(&c, uarg, sizeof(c)) < 0)
        return -EFAULT;
    if ((c.mode & ~(uint64_t)(UFFDIO_COPY_MODE_DONTWAKE | UFFDIO_COPY_MODE_WP)) ||
        !range_ok(c.dst, c.len) || !src_ok(c.src, c.len))
        return -EINVAL;
    if (!ctx->mm)
        return -ESRCH;
    long err = give_pages(ctx, c.dst, c.len, c.src, (c.mode & UFFDIO_COPY_MODE_WP) != 0,
                          !(c.mode & UFFDIO_COPY_MODE_DONTWAKE), &c.copy);
    uint32_t field = uarg + __builtin_offsetof(struct uffdio_copy, copy);
    return copyout(field, &c.copy, sizeof(c.copy)) < 0 ? -EFAULT : err;
}

static long uffd_zeropage(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_zeropage z;
    if (copyin(&z, uarg, sizeof(z)) < 0)
        return -EFAULT;
    if ((z.mode & ~(uint64_t)UFFDIO_ZEROPAGE_MODE_DONTWAKE) ||
        !range_ok(z.range.start, z.range.len))
        return -EINVAL;
    if (!ctx->mm)
        return -ESRCH;
    long err = give_pages(ctx, z.range.start, z.range.len, ZEROS, 0,
                          !(z.mode & UFFDIO_ZEROPAGE_MODE_DONTWAKE), &z.zeropage);
    uint32_t field = uarg + __builtin_offsetof(struct uffdio_zeropage, zeropage);
    return copyout(field, &z.zeropage, sizeof(z.zeropage)) < 0 ? -EFAULT : err;
}

/* Set or lift the write protection of the present pages of a range. Lifting it makes a
 * page writable again only if this mapping is its only one: a page still shared
 * copy-on-write keeps its PTE read-only, and the next write copies it as usual. */
struct wp_ctx {
    struct mm *mm;
    int protect;
    uint32_t writable;                  /* PTE_W if the region may be written */
};

static void wp_pte(pte_t *pte, uint32_t va, void *arg)
{
    struct wp_ctx *c = arg;
    if (!(*pte & PTE_P)) {              /* out on swap: its entry keeps the protection */
        *pte = c->protect ? *pte | SWP_UFFD_WP : *pte & ~SWP_UFFD_WP;
        return;
    }
    pte_t val = *pte;
    if (c->protect) {
        val = (val & ~PTE_W) | PTE_UFFD_WP;
    } else if (val & PTE_UFFD_WP) {
        struct frame *f = frame_of(PTE_ADDR(val));
        val &= ~PTE_UFFD_WP;
        if (f->refs == 1 && !f->pc)
            val |= c->writable;
    }
    if (val != *pte)
        pgtable_set(c->mm->pgdir, va, pte, val);
}

static long uffd_writeprotect(struct uffd *ctx, uint32_t uarg)
{
    struct uffdio_writeprotect w;
    if (copyin(&w, uarg, sizeof(w)) < 0)
        return -EFAULT;
    uint64_t modes = UFFDIO_WRITEPROTECT_MODE_WP | UFFDIO_WRITEPROTECT_MODE_DONTWAKE;
    if (!range_ok(w.range.start, w.range.len) || (w.mode & ~modes))
        return -EINVAL;
    if (!ctx->mm)
        return -ESRCH;
    uint32_t start = w.range.start, end = start + w.range.len;
    if (ptshare_break_range(ctx->mm, start, end) < 0)   /* may sleep: before the look-up */
        return -ENOMEM;
    struct vma *v = uffd_region(ctx, start, end - start);
    if (!v || !(v->uffd_mode & UFFDIO_REGISTER_MODE_WP))
        return -ENOENT;
    int protect = (w.mode & UFFDIO_WRITEPROTECT_MODE_WP) != 0;
    struct wp_ctx c = {ctx->mm, protect, vma_pte_flags(v->prot) & PTE_W};
    pgtable_visit(ctx->mm->pgdir, start, end, wp_pte, &c);
    if (!protect && !(w.mode & UFFDIO_WRITEPROTECT_MODE_DONTWAKE))
        uffd_wake_range(ctx, start, end);
    return 0;
}

long uffd_ioctl(struct uffd *ctx, uint32_t cmd, uint32_t uarg)
{
    if (cmd == UFFDIO_API)
        return uffd_api(ctx, uarg);
    if (!ctx->api_done)
        return -EINVAL;                 /* the handshake comes first */
    switch (cmd) {
    case UFFDIO_REGISTER:
        return uffd_register(ctx, uarg);
    case UFFDIO_UNREGISTER:
        return uffd_unregister(ctx, uarg);
    case UFFDIO_WAKE:
        return uffd_wake(ctx, uarg);
    case UFFDIO_COPY:
        return uffd_copy(ctx, uarg);
    case UFFDIO_ZEROPAGE:
        return uffd_zeropage(ctx, uarg);
    case UFFDIO_WRITEPROTECT:
        return uffd_writeprotect(ctx, uarg);
    }
    return -EINVAL;
}
