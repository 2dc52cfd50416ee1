/* mm/vma.h: a process's address space: its page directory and the sorted list of
 * memory regions (VMAs) that say which user addresses are valid and how. */
#ifndef MM_VMA_H
#define MM_VMA_H

#include <stdint.h>
#include "mm/mmu.h"
#include "mm/mm.h"

struct inode;
struct proc;

/* vma.prot is VM_READ | VM_WRITE | VM_EXEC (mm/mm.h). x86 without PAE cannot forbid
 * execution, so VM_EXEC is recorded for /proc-style listings and mprotect but not enforced. */

/* vma.flags */
#define VMA_ANON      0x01   /* zero-filled on first touch */
#define VMA_FILE      0x02   /* private copy of a file's pages, read on first touch */
#define VMA_GROWSDOWN 0x04   /* the stack: grows down on a fault just below it */
#define VMA_HEAP      0x08   /* the brk heap */
#define VMA_LOCKED    0x10   /* mlock: pages stay resident */
#define VMA_MMAP      0x20   /* VMA_FILE made by mmap: a page past the file's end is SIGBUS */
#define VMA_SHARED    0x40   /* MAP_SHARED: the pages are the object's own (page cache) */
#define VMA_NOWRITE   0x80   /* VMA_SHARED: the object may not be written through it (mprotect) */

struct shmem;
struct pcache;
struct vma;

/* What backs a region, as one table of operations (Linux's vm_operations_struct): the
 * fault handler calls them and never asks what kind of region it is (mm/fault.c).
 * Three tables: anonymous memory (zeros, then swap), a private file mapping (the file's
 * cached pages, copied on write), and a shared mapping (the object's cached pages
 * themselves). Cleaning a dirty page is the object's business, not the region's: the
 * evictor finds it from the frame (mm/pagecache.c). */
struct vma_ops {
    const char *name;            /* in traces and listings */
    /* Make page va present for an access (write: a write); the PTE is not present. */
    int (*fill)(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write);
    /* A write to a present page whose PTE is read-only (the region is writable). */
    int (*write_protected)(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte);
};
extern const struct vma_ops pager_anon_ops, pager_file_ops, shmem_vma_ops;
/* A region registered with a userfaultfd context has uffd_vma_ops (mm/uffd.h). */
struct uffd;

struct vma {
    uint32_t start, end;         /* [start, end), page-aligned */
    uint32_t prot;               /* VM_READ | VM_WRITE | VM_EXEC */
    uint32_t flags;              /* VMA_* */
    struct inode *file;          /* VMA_FILE: the file (a counted reference) */
    uint32_t file_off;           /* VMA_FILE: file offset of `start` (page-aligned) */
    uint32_t file_bytes;         /* VMA_FILE: bytes from `start` that come from the file;
                                  * the rest of the region reads as zeros (bss) */
    struct shmem *shm;           /* VMA_SHARED without a file: the shared anonymous object */
    const struct vma_ops *ops;   /* chosen from the flags by vma_add */
    struct uffd *uffd;           /* registered with this userfaultfd context, or NULL ... */
    uint32_t uffd_mode;          /* ... for these (UFFDIO_REGISTER_MODE_*); not inherited */
    struct vma *next;            /* the next region up; the list is sorted by start */
};


void vma_remove_all(struct mm *mm);              /* mm_destroy: every region and page */

struct vma *vma_find(struct mm *mm, uint32_t addr);      /* the region holding addr, or NULL */
struct vma *vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot,
                    uint32_t flags, struct inode *file, uint32_t file_off, uint32_t file_bytes);
/* A copy of region v (fork): the same object, its references taken; not locked. */
struct vma *vma_copy(struct mm *mm, const struct vma *v);
/* The page cache object a shared or file region maps (NULL: anonymous memory), and
 * the index there of page va. */
struct pcache *vma_object(const struct vma *v);
static inline uint32_t vma_index(const struct vma *v, uint32_t va)
{
    return (v->file_off + (va - v->start)) / PGSIZE;
}
int vma_overlaps(struct mm *mm, uint32_t start, uint32_t end);
/* The first region that ends above addr (NULL: none), and in *below the one before it. */
struct vma *vma_above(struct mm *mm, uint32_t addr, struct vma **below);
/* Region v of mm now covers [start, end), a superset of what it did (the stack, the heap). */
void vma_grow(struct mm *mm, struct vma *v, uint32_t start, uint32_t end);

/* Every region, in address order: for (v = vma_first(mm); v; v = vma_next(v)).
 * Only this header and mm/vma.c know the regions are a list: a tree would change just them. */
static inline struct vma *vma_first(struct mm *mm) { return mm->vmas; }
static inline struct vma *vma_next(struct vma *v) { return v->next; }
int vma_unmap_range(struct mm *mm, uint32_t start, uint32_t end);   /* munmap */
/* madvise(MADV_DONTNEED): the pages of [start, end) go from this address space (a
 * private page is lost, a shared one stays in its object); the regions stay. */
int vma_zap_range(struct mm *mm, uint32_t start, uint32_t end);   /* 0 or -ENOMEM */
/* mremap (mm/mremap.c): region v is re-linked at [start, end), its pages already there. */
void vma_move(struct mm *mm, struct vma *v, uint32_t start, uint32_t end);
int vma_protect_range(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot); /* mprotect */

/* Split the regions at start and end, then call edit on each region of [start, end):
 * 0, the first error edit returns, or -ENOMEM if a page of the range is in no region. */
typedef int (*vma_edit_fn)(struct mm *mm, struct vma *v, void *ctx);
int vma_edit_range(struct mm *mm, uint32_t start, uint32_t end, vma_edit_fn edit, void *ctx);
/* Split the regions so that start and end fall on region boundaries: 0 or -ENOMEM. */
int vma_split_bounds(struct mm *mm, uint32_t start, uint32_t end);
uint32_t vma_find_free(struct mm *mm, uint32_t len);      /* an mmap address, 0 if none */

/* The PTE bits for a region's protection: user-accessible only if it may be read
 * (the fault handler refuses every access to a region without VM_READ). */
static inline uint32_t vma_pte_flags(uint32_t prot)
{
    if (!(prot & VM_READ))
        return 0;
    return PTE_U | ((prot & VM_WRITE) ? PTE_W : 0);
}

#endif
