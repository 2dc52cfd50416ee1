/* mm/vma.c: the regions (VMAs) of an address space: add, find, split, grow and remove
 * them, and unmap or re-protect their pages. Only this file (and the iterators in
 * mm/vma.h) knows the regions are a sorted list. */
#include "mm/vma.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/kheap.h"
#include "mm/memlayout.h"
#include "mm/trace.h"
#include "mm/shmem.h"
#include "mm/pagecache.h"
#include "fs/vfs.h"
#include "kernel/errno.h"

static void vma_free(struct mm *mm, struct vma *v)
{
    if (mm->vma_last == v)
        mm->vma_last = NULL;
    /* A shared file mapping goes (munmap, exit): what it wrote goes to the file now. */
    if ((v->flags & VMA_SHARED) && v->file)
        pcache_writeback(&v->file->cache, vma_index(v, v->start), vma_index(v, v->end));
    if (v->file)
        vfs_iput(v->file);
    if (v->shm)
        shmem_put(v->shm);
    kfree(v);
}

/* A new piece or copy of a region holds the object too. */
static void vma_hold(struct vma *v)
{
    if (v->file)
        vfs_idup(v->file);
    if (v->shm)
        shmem_dup(v->shm);
}

struct pcache *vma_object(const struct vma *v)
{
    if (v->file)
        return &v->file->cache;
    return v->shm ? shmem_object(v->shm) : NULL;
}

/* Drop one page of a region being unmapped: the frame loses a reference, and is
 * freed with its last one (a copy-on-write frame may still be mapped elsewhere);
 * a page out on swap gives back its reference to the slot. */
static void drop_pte(pte_t *pte, uint32_t va, void *ctx)
{
    struct mm *mm = ctx;
    if (*pte & PTE_P) {
        rmap_unmap(mm, va, pte, 0);
    } else {
        swap_slot_put(swp_slot(*pte));
        mm->swapped--;
        *pte = 0;
    }
}

int vma_zap_range(struct mm *mm, uint32_t start, uint32_t end)
{
    int err = ptshare_break_range(mm, start, end);
    if (!err)
        pgtable_visit(mm->pgdir, start, end, drop_pte, mm);
    return err;
}

/* Every region goes, and every page in them: exit and exec's old address space. */
void vma_remove_all(struct mm *mm)
{
    struct vma *v;
    while ((v = mm->vmas)) {
        /* Unmapping looks the region up (is it locked?): unlink it only after. */
        pgtable_visit(mm->pgdir, v->start, v->end, drop_pte, mm);
        mm->vmas = v->next;
        vma_free(mm, v);
    }
}

/* The last region found is looked at first (Linux's per-thread vmacache has the same
 * idea): faults come in runs within one region, so the walk of the list is skipped
 * for most of them. A region that is freed is forgotten (vma_free); one that is split
 * or grown is still a correct answer for the addresses it now holds. */
struct vma *vma_find(struct mm *mm, uint32_t addr)
{
    struct vma *last = mm->vma_last;
    if (last && last->start <= addr && addr < last->end)
        return last;
    for (struct vma *v = mm->vmas; v && v->start <= addr; v = v->next)
        if (addr < v->end)
            return mm->vma_last = v;
    return NULL;
}

struct vma *vma_above(struct mm *mm, uint32_t addr, struct vma **below)
{
    struct vma *v = mm->vmas;
    *below = NULL;
    while (v && v->end <= addr)
        *below = v, v = v->next;
    return v;
}

/* Growing keeps the list sorted: the callers checked that nothing lies in the way. */
void vma_grow(struct mm *mm, struct vma *v, uint32_t start, uint32_t end)
{
    v->start = start;
    v->end = end;
    trace_regions(mm);
}

int vma_overlaps(struct mm *mm, uint32_t start, uint32_t end)
{
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next)
        if (v->end > start)
            return 1;
    return 0;
}

/* Link a region into the sorted list. */
static void vma_link(struct mm *mm, struct vma *nv)
{
    struct vma **pp = &mm->vmas;
    while (*pp && (*pp)->start < nv->start)
        pp = &(*pp)->next;
    nv->next = *pp;
    *pp = nv;
}

/* mremap: region v now lies at [start, end); its pages were moved by the caller. It is
 * taken out of the sorted list and linked in again at its new place. */
void vma_move(struct mm *mm, struct vma *v, uint32_t start, uint32_t end)
{
    struct vma **pp = &mm->vmas;
    while (*pp != v)
        pp = &(*pp)->next;
    *pp = v->next;
    v->start = start;
    v->end = end;
    vma_link(mm, v);
    trace_regions(mm);
}

struct vma *vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot,
                    uint32_t flags, struct inode *file, uint32_t file_off, uint32_t file_bytes)
{
    struct vma *v = kzalloc(sizeof(*v));
    if (!v)
        return NULL;
    *v = (struct vma){
        .start = start, .end = end, .prot = prot, .flags = flags,
        .file = file ? vfs_idup(file) : NULL, .file_off = file_off, .file_bytes = file_bytes,
        .ops = (flags & VMA_SHARED) ? &shmem_vma_ops
               : (flags & VMA_FILE) ? &pager_file_ops : &pager_anon_ops,
    };
    vma_link(mm, v);
    trace_regions(mm);
    return v;
}

struct vma *vma_copy(struct mm *mm, const struct vma *v)
{
    struct vma *c = vma_add(mm, v->start, v->end, v->prot, v->flags & ~VMA_LOCKED, v->file,
                            v->file_off, v->file_bytes);
    if (c && v->shm) {
        c->shm = v->shm;
        shmem_dup(c->shm);
    }
    return c;
}

/* Cut region v in two at addr (start < addr < end); the upper half is a new region
 * right after it. Returns the upper half, or NULL if out of memory. */
static struct vma *vma_split(struct vma *v, uint32_t addr)
{
    struct vma *hi = kmalloc(sizeof(*hi));
    if (!hi)
        return NULL;
    uint32_t lo_len = addr - v->start;
    *hi = *v;
    hi->start = addr;
    vma_hold(hi);
    hi->file_off = v->file_off + lo_len;      /* the object's offset, file or shared memory */
    if (v->file) {
        hi->file_bytes = v->file_bytes > lo_len ? v->file_bytes - lo_len : 0;
        v->file_bytes = v->file_bytes < lo_len ? v->file_bytes : lo_len;
    }
    v->end = addr;
    v->next = hi;
    return hi;
}

int vma_split_bounds(struct mm *mm, uint32_t start, uint32_t end)
{
    for (struct vma *v = mm->vmas; v && v->start < end; v = v->next) {
        if (v->start < start && start < v->end && !vma_split(v, start))
            return -ENOMEM;
        if (v->start < end && end < v->end && !vma_split(v, end))
            return -ENOMEM;
    }
    return 0;
}

int vma_unmap_range(struct mm *mm, uint32_t start, uint32_t end)
{
    int err = ptshare_break_range(mm, start, end);
    if (!err)
        err = vma_split_bounds(mm, start, end);
    if (err)
        return err;
    trace_unmap(mm, start, end);
    struct vma **pp = &mm->vmas;
    while (*pp) {
        struct vma *v = *pp;
        if (v->start >= start && v->end <= end) {
            pgtable_visit(mm->pgdir, v->start, v->end, drop_pte, mm);
            *pp = v->next;
            vma_free(mm, v);
        } else {
            pp = &v->next;
        }
    }
    trace_regions(mm);
    return 0;
}

/* A new protection must reach the PTEs already present (and the TLB: pgtable_set
 * invalidates), or the old rights live on in them. Taking a right away clears its bit:
 * no read, no user bit (x86 has no other way to refuse a read). Granting write leaves
 * PTE_W clear: the next write faults and the copy-on-write path decides (copy, or
 * reuse). Pages on swap carry no rights: the fault that brings one back maps it with
 * the region's rights then. (Silberschatz, OSC 9.3, protection bits.) */
struct protect_ctx {
    struct mm *mm;
    uint32_t flags;                     /* vma_pte_flags of the new protection */
};

static void protect_pte(pte_t *pte, uint32_t va, void *ctx)
{
    struct protect_ctx *c = ctx;
    /* LAB bug-invlpg: BEGIN */
    if (*pte & PTE_P)
        pgtable_set(c->mm->pgdir, va, pte,
                    (*pte & ~(PTE_U | PTE_W)) | (c->flags & (PTE_U | (*pte & PTE_W))));
    /* LAB bug-invlpg: STUB
    (void)va;
    if (*pte & PTE_P)
        *pte = (*pte & ~(PTE_U | PTE_W)) | (c->flags & (PTE_U | (*pte & PTE_W)));
    LAB bug-invlpg: END */
}

int vma_edit_range(struct mm *mm, uint32_t start, uint32_t end, vma_edit_fn edit, void *ctx)
{
    for (uint32_t a = start; a < end;) {         /* every page must be mapped (Linux: ENOMEM) */
        struct vma *v = vma_find(mm, a);
        if (!v)
            return -ENOMEM;
        a = v->end;
    }
    int err = ptshare_break_range(mm, start, end);
    if (!err)
        err = vma_split_bounds(mm, start, end);
    for (struct vma *v = mm->vmas; !err && v && v->start < end; v = v->next)
        if (v->end > start)
            err = edit(mm, v, ctx);
    trace_regions(mm);
    return err;
}

static int protect_region(struct mm *mm, struct vma *v, void *ctx)
{
    if ((v->flags & VMA_NOWRITE) && (*(uint32_t *)ctx & VM_WRITE))
        return -EACCES;                 /* a shared mapping its file may not be written through */
    v->prot = *(uint32_t *)ctx;
    struct protect_ctx c = {mm, vma_pte_flags(v->prot)};
    pgtable_visit(mm->pgdir, v->start, v->end, protect_pte, &c);
    return 0;
}

int vma_protect_range(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot)
{
    return vma_edit_range(mm, start, end, protect_region, &prot);
}

uint32_t vma_find_free(struct mm *mm, uint32_t len)
{
    /* Top down from MMAP_TOP, below the stack's reserved range, like Linux's mmap. */
    uint32_t top = MMAP_TOP;
    struct vma *prev_below = NULL;
    for (;;) {
        /* The highest region starting below `top`. */
        prev_below = NULL;
        for (struct vma *v = mm->vmas; v && v->start < top; v = v->next)
            prev_below = v;
        uint32_t floor = prev_below ? prev_below->end : PGSIZE;
        /* Measured as the gap's size, never as floor + len: a length near 3 GiB above a
         * high floor wraps past 4 GiB, and the "free" range found then started in kernel
         * space and ended below where it started (mmap returned a kernel address for a
         * region every range test saw as empty, where Linux says ENOMEM). */
        if (top >= floor && top - floor >= len)
            return top - len;
        if (!prev_below)
            return 0;
        top = prev_below->start;
    }
}
