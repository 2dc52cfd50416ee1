/* mm/vm.h: a process's address space: its page directory and the sorted list of
 * memory regions (VMAs) that say which user addresses are valid and how. */
#ifndef MM_VM_H
#define MM_VM_H

#include <stdint.h>
#include "mm/mmu.h"

struct inode;
struct proc;

/* vma.prot: what the program may do (x86 without PAE cannot forbid execution,
 * so VM_EXEC is recorded for /proc-style listings and mprotect but not enforced). */
#define VM_READ  0x1
#define VM_WRITE 0x2
#define VM_EXEC  0x4

/* vma.flags */
#define VMA_ANON      0x01   /* zero-filled on first touch */
#define VMA_FILE      0x02   /* private copy of a file's pages, read on first touch */
#define VMA_GROWSDOWN 0x04   /* the stack: grows down on a fault just below it */
#define VMA_HEAP      0x08   /* the brk heap */
#define VMA_LOCKED    0x10   /* mlock: pages stay resident */
#define VMA_MMAP      0x20   /* VMA_FILE made by mmap: a page past the file's end is SIGBUS */

struct vma {
    uint32_t start, end;         /* [start, end), page-aligned */
    uint32_t prot;               /* VM_READ | VM_WRITE | VM_EXEC */
    uint32_t flags;              /* VMA_* */
    struct inode *file;          /* VMA_FILE: the file (a counted reference) */
    uint32_t file_off;           /* VMA_FILE: file offset of `start` (page-aligned) */
    uint32_t file_bytes;         /* VMA_FILE: bytes from `start` that come from the file;
                                  * the rest of the region reads as zeros (bss) */
    struct vma *next;            /* the next region up; the list is sorted by start */
};

struct mm {
    pde_t *pgdir;
    struct vma *vmas;
    struct vma *vma_last;        /* the region vma_find found last (a cache), or NULL */
    uint32_t brk_start, brk;     /* the heap is [brk_start, brk) */
    uint32_t stack_limit;        /* how far the stack may grow (bytes below STACK_TOP) */
    uint32_t rss_limit;          /* RLIMIT_RSS in pages, locked ones not counted (0: none) */
    uint64_t memlock_limit;      /* RLIMIT_MEMLOCK in bytes (mm/mlock.c), ~0: none */
    uint32_t alloc;              /* frames allocated to it (mm/alloc.c) */
    uint32_t resident;           /* user pages currently mapped */
    uint32_t ws_pages;           /* its working set: pages referenced within Δ */
    struct proc *owner;          /* the process whose address space this is */
    uint32_t swapped;            /* its PTEs that hold swap entries (pages out on swap) */
    uint32_t locked;             /* ... of which in locked regions (mlock), so pinned */
    int ever_locked;             /* mlock was used: page_map must look for locked regions */
    struct mm *next_mm;          /* the list of every address space (mm_all) */
};

extern struct mm *mm_all;

struct mm *mm_create(void);                      /* empty user half; NULL if out of memory */
void mm_destroy(struct mm *mm);                  /* frees every page, table and region */
struct mm *mm_fork(struct mm *parent, int cow);  /* copy-on-write (cow=1) or eager copy */
void mm_copy_limits(struct mm *dst, const struct mm *src);  /* resource limits: fork, exec */

struct vma *vma_find(struct mm *mm, uint32_t addr);      /* the region holding addr, or NULL */
struct vma *vma_add(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot,
                    uint32_t flags, struct inode *file, uint32_t file_off, uint32_t file_bytes);
int vma_overlaps(struct mm *mm, uint32_t start, uint32_t end);
int vm_unmap_range(struct mm *mm, uint32_t start, uint32_t end);   /* munmap */
int vm_protect_range(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot); /* mprotect */

/* Split the regions at start and end, then call edit on each region of [start, end):
 * 0, the first error edit returns, or -ENOMEM if a page of the range is in no region. */
typedef int (*vma_edit_fn)(struct mm *mm, struct vma *v, void *ctx);
int vma_edit_range(struct mm *mm, uint32_t start, uint32_t end, vma_edit_fn edit, void *ctx);
uint32_t vm_find_free(struct mm *mm, uint32_t len);      /* an mmap address, 0 if none */

/* The PTE bits for a region's protection: user-accessible only if it may be read
 * (the fault handler refuses every access to a region without VM_READ). */
static inline uint32_t vm_pte_flags(uint32_t prot)
{
    if (!(prot & VM_READ))
        return 0;
    return PTE_U | ((prot & VM_WRITE) ? PTE_W : 0);
}

#endif
