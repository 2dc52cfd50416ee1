/* mm/mm.c: the memory manager's entry points for the rest of the kernel (mm/mm.h).
 * Each is short: it puts the pieces of mm/ together in the order they need, so that
 * kernel/ never has to know that order (or the pieces). */
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/frame.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/kstack.h"
#include "mm/cow.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/pageout.h"
#include "mm/replace.h"
#include "mm/workingset.h"
#include "mm/share.h"
#include "mm/check.h"
#include "mm/trace.h"
#include "mm/vmstat.h"
#include "mm/pager.h"
#include "mm/kheap.h"
#include "mm/mlock.h"
#include "mm/memlayout.h"
#include "kernel/string.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/errno.h"

/* Every address space, those still being built by fork or exec included (no process
 * names them yet): vm.check walks them all (mm/check.c). */
struct mm *mm_all;

struct mm *mm_create(void)
{
    struct mm *mm = kzalloc(sizeof(*mm));
    if (!mm)
        return NULL;
    mm->pgdir = pgdir_create();
    if (!mm->pgdir) {
        kfree(mm);
        return NULL;
    }
    mm->stack_limit = STACK_MAX;
    mm->memlock_limit = MEMLOCK_DEFAULT;
    mm->next_mm = mm_all;
    mm_all = mm;
    return mm;
}

void mm_destroy(struct mm *mm)
{
    ptshare_exit(mm);                   /* first: what follows changes PTEs of its own only */
    uffd_mm_gone(mm);
    vma_remove_all(mm);
    pgdir_free(mm->pgdir);
    struct mm **pp = &mm_all;
    while (*pp != mm)
        pp = &(*pp)->next_mm;
    *pp = mm->next_mm;
    kfree(mm);
}

void mm_copy_limits(struct mm *dst, const struct mm *src)
{
    dst->stack_limit = src->stack_limit;
    dst->rss_limit = src->rss_limit;
    dst->memlock_limit = src->memlock_limit;
}

/* Sets the accessed and dirty bits, because the MMU did not see these writes. */
int mm_write(struct mm *mm, uint32_t va, const void *src, size_t n)
{
    const char *s = src;
    while (n > 0) {
        uint32_t page_va = PGROUNDDOWN(va);
        struct vma *v = vma_find(mm, page_va);
        pte_t *pte = ptshare_break(mm, page_va) < 0 ? NULL : pgtable_walk(mm->pgdir, page_va, 1);
        if (!v || !pte)
            return v ? -ENOMEM : -EFAULT;
        if (!(*pte & PTE_P)) {
            int err = pager_fill(mm, v, page_va, pte, 1);
            if (err)
                return err;
        }
        uint32_t off = va - page_va;
        uint32_t chunk = PGSIZE - off < n ? PGSIZE - off : n;
        memcpy((char *)P2V(PTE_ADDR(*pte)) + off, s, chunk);
        *pte |= PTE_A | PTE_D;
        va += chunk, s += chunk, n -= chunk;
    }
    return 0;
}

void mm_boot(struct multiboot_info *mbi, uint32_t kernel_end_pa)
{
    frame_init(mbi, kernel_end_pa);
    pgdir_init();
    kstack_init();
    printk("memory: %u MiB usable, %u frames free of %u\n",
           frames_total_count() * (PGSIZE / 1024) / 1024, frames_free_count(),
           frames_total_count());
}

void mm_init_pool(void)
{
    frame_watermarks_init();
    check_init();
}

void mm_init_paging(void)
{
    swap_init();
    evict_init();
    replace_init();
    workingset_init();
    share_init();
    trace_init();
}

void mm_start(void)
{
    pageout_start();
}

/* Here, between processes, because the scheduler's loop runs however the time is
 * spent (a thrashing process is hardly ever in user mode for the timer to catch), and
 * because none of the three needs to sleep. */
void mm_sample(void)
{
    static uint32_t last_sample;
    if (ticks - last_sample < POLICY_TICK_INTERVAL)
        return;
    last_sample = ticks;
    workingset_sample();
    share_recompute();
    replace_tick();
    pageout_writeback_tick();
}

void mm_switch_to(struct proc *p)
{
    vmstat_switch(p ? &p->vm : NULL);
}

int mm_idle(void)
{
    return frame_prezero();
}

void mm_return_to_user(struct proc *p)
{
    workingset_stop_if_asked(p);
}

void mm_syscall_enter(void)
{
    pageout_reclaim();
}

int mm_fork(struct proc *child, struct proc *parent)
{
    child->mm = cow_fork(parent->mm, cmdline_int("vm.cow", COW_PAGES));
    if (!child->mm)
        return -ENOMEM;
    child->mm->owner = child;
    trace_fork(child);
    return 0;
}

int mm_map(struct mm *mm, uint32_t start, uint32_t end, uint32_t prot,
           struct inode *file, uint32_t off, uint32_t bytes)
{
    if (vma_overlaps(mm, start, end))
        return -EEXIST;
    uint32_t flags = file ? VMA_FILE : VMA_ANON;
    return vma_add(mm, start, end, prot, flags, file, off, bytes) ? 0 : -ENOMEM;
}

int mm_map_stack(struct mm *mm, uint32_t start, uint32_t end)
{
    return vma_add(mm, start, end, VM_READ | VM_WRITE, VMA_ANON | VMA_GROWSDOWN, NULL, 0, 0)
               ? 0 : -ENOMEM;
}

/* The point of no return of exec (Tanenbaum, MOS 3.6.1, process execution): the CR3
 * load flushes the old TLB entries, then the old address space is freed. Resource
 * limits survive exec, memory locks do not; so does the working-set state, which
 * belongs to the process's history of faults, not to its program. */
void mm_exec(struct proc *p, struct mm *mm)
{
    struct mm *old = p->mm;
    if (old) {
        mm_copy_limits(mm, old);
        mm->ws = old->ws;
        old->ws.saved = NULL;
    }
    p->mm = mm;
    mm->owner = p;
    pgdir_switch(mm->pgdir);
    if (old)
        mm_destroy(old);
    trace_exec(p);
    vmprint_exec(p->pid, p->name, mm->pgdir);
}

/* Process termination (Tanenbaum, MOS 3.6.1): the page tables, frames and regions. */
void mm_exit(struct proc *p)
{
    struct mm *mm = p->mm;
    p->mm = NULL;
    pgdir_switch(pgdir_kernel);         /* never free the page tables we are running on */
    if (mm) {
        workingset_forget(mm);
        mm_destroy(mm);
    }
    check_after_exit();
    trace_exit(p);
}

void mm_kill(struct proc *p)
{
    if (p->mm)
        workingset_forget(p->mm);
}

void mm_usage(struct mm_usage *u)
{
    u->frames_free = frames_free_count();
    u->swap_slots = swap_slots_free() + swap_slots_retired();
}
