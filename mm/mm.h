/* mm/mm.h: what the rest of the kernel needs from the memory manager, and all of it.
 * kernel/ includes nothing else from mm/ but the page tables (mm/pgtable.h, mm/mmu.h,
 * mm/memlayout.h), user access (mm/uaccess.h) and kernel memory (mm/kheap.h,
 * mm/kstack.h); tools/layers.py checks that, and draws docs/architecture.md's picture.
 * An address space (Silberschatz, OSC 9.1) is a page directory and a list of regions;
 * the regions themselves are mm/'s business (mm/vma.h). */
#ifndef MM_MM_H
#define MM_MM_H

#include <stdint.h>
#include <stddef.h>
#include "mm/mmu.h"
#include "mm/vmstat.h"        /* struct vm_counters: each process keeps its own */

struct proc;
struct trapframe;
struct inode;
struct multiboot_info;
struct vma;

/* What a region's pages may be used for (mmap's PROT_READ, PROT_WRITE, PROT_EXEC). */
#define VM_READ  0x1
#define VM_WRITE 0x2
#define VM_EXEC  0x4

/* Working-set control (mm/workingset.c) and each process's share of the frames
 * (mm/share.c) keep their state per address space, sampled from the scheduler. */
struct mm_ws {
    uint32_t pages;              /* the working set: pages referenced within Δ */
    int suspended;               /* working-set control stopped it (in user-mode return) */
    uint32_t suspended_at;       /* ... at this tick */
    uint32_t *saved;             /* ... and the pages of its working set, to prepage */
    uint32_t saved_count;
    uint32_t fault_rate;         /* faults per second over the last sample */
    uint64_t faults_at_sample;
    uint32_t vt_at_sample;       /* its owner's virtual time (run_cycles / 1024) then */
    uint32_t faults_per_delta;   /* faults per working-set window of its own execution */
    int fault_calm;              /* ... few enough for PFF to take frames back */
};

struct mm {
    pde_t *pgdir;
    struct vma *vmas;            /* only mm/vma.c walks or edits this list */
    struct vma *vma_last;        /* the region vma_find found last (a cache), or NULL */
    uint32_t brk_start, brk;     /* the heap is [brk_start, brk) */
    uint32_t stack_limit;        /* how far the stack may grow (bytes below STACK_TOP) */
    uint32_t rss_limit;          /* RLIMIT_RSS in pages, locked ones not counted (0: none) */
    uint64_t memlock_limit;      /* RLIMIT_MEMLOCK in bytes (mm/mlock.c), ~0: none */
    uint32_t alloc;              /* frames allocated to it (mm/share.c) */
    uint32_t resident;           /* user pages currently mapped */
    struct mm_ws ws;
    struct proc *owner;          /* the process whose address space this is */
    uint32_t swapped;            /* its PTEs that hold swap entries (pages out on swap) */
    uint32_t locked;             /* ... of which in locked regions (mlock), so pinned */
    int ever_locked;             /* mlock was used: rmap_map must look for locked regions */
    struct mm *next_mm;          /* the list of every address space (mm_all) */
    uint32_t fault_addr;         /* the fault being resolved: its address and error code */
    uint32_t fault_err;          /* ... (a user-space pager is told them, mm/uffd.c) */
};

/* Boot, in kmain's order (mm/mm.c). */
void mm_boot(struct multiboot_info *mbi, uint32_t kernel_end_pa);
    /* the frame table, the kernel's page tables, the kernel stacks */
void mm_init_pool(void);      /* the free pool's watermarks and vm.check, before the heap grows */
void mm_init_paging(void);    /* after the disk: swap, eviction, policies, sampling, trace */
void mm_start(void);          /* the pageout daemon (a kernel thread, after init's slot) */

/* The scheduler's loop calls this between processes: every POLICY_TICK_INTERVAL ticks
 * it samples the reference bits (working sets, frame shares, the policy's tick). */
void mm_sample(void);
/* ... this when p starts or stops running (NULL: none runs): its VM events count as its own. */
void mm_switch_to(struct proc *p);
/* ... and this when nothing is runnable: it zeroes one free frame ahead of demand
 * (vm.prezero); 0 when there is nothing to zero, and the CPU may halt. */
int mm_idle(void);

/* On the way back to user mode: a process suspended by working-set control stops here,
 * and a resumed one prepages. The test is inline: it runs on every return, and a process
 * that returns to user mode always has an address space (kernel threads never do). */
static inline int mm_return_pending(const struct mm *mm)
{
    return __builtin_expect(mm->ws.suspended != 0 || mm->ws.saved != NULL, 0);
}
void mm_return_to_user(struct proc *p);

void fault_handler(struct trapframe *tf);    /* trap() for vector 14 (mm/fault.c) */
void mm_syscall_enter(void);              /* the kernel's frame reserve whole (mm/pageout.c) */

/* Address spaces: fork, exec, exit (Tanenbaum, MOS 3.6.1). */
int mm_fork(struct proc *child, struct proc *parent);   /* 0 or -ENOMEM; child->parent set */
struct mm *mm_create(void);                 /* empty user half; NULL if out of memory */
/* A region of a new address space: file bytes [off, off + bytes) at start (file NULL:
 * anonymous). 0, -EEXIST if it overlaps one, -ENOMEM. */
int mm_map(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot,
           struct inode *file, uint32_t off, uint32_t bytes);
int mm_map_stack(struct mm *mm, uint32_t start, uint32_t end);   /* grows down */
/* Write into another address space through the direct map, faulting its pages in
 * first (exec builds the new stack this way). 0 or -errno. */
int mm_write(struct mm *mm, uint32_t va, const void *src, size_t n);
void mm_exec(struct proc *p, struct mm *mm);   /* p's address space is mm now; old freed */
void mm_destroy(struct mm *mm);             /* frees every page, table and region */
void mm_exit(struct proc *p);               /* p is dying: its address space goes */
void mm_kill(struct proc *p);               /* p must run to die: no longer suspended */

/* userfaultfd (mm/uffd.c): a descriptor's context and what fs/file.c does with it. */
struct uffd;
struct uffd *uffd_create(struct mm *mm, int user_only);   /* NULL: out of memory */
int uffd_read(struct uffd *ctx, uint32_t ubuf, uint32_t n, int nonblock);
int uffd_poll(struct uffd *ctx);                          /* POLLIN: a fault is unread */
long uffd_ioctl(struct uffd *ctx, uint32_t cmd, uint32_t uarg);   /* mm/uffd_ioctl.c */
void uffd_release(struct uffd *ctx);                      /* its last descriptor closed */
void uffd_mm_gone(struct mm *mm);                         /* mm_destroy */

/* Inside mm/ only: every address space (vm.check walks them, mm/check.c), and the
 * resource limits a new one takes over (fork, exec). */
extern struct mm *mm_all;
void mm_copy_limits(struct mm *dst, const struct mm *src);

/* For the leak check: the resources that must come back after every program. */
struct mm_usage {
    uint32_t frames_free;        /* free frames plus the heap's (kernel/leakcheck.c) */
    uint32_t swap_slots;         /* free swap slots plus retired ones */
};
void mm_usage(struct mm_usage *u);
void mm_print_counters(void);    /* the global vmstat line, as init exits */

#endif
