/* mm/fault.c: the page-fault handler (Tanenbaum, MOS 3.6.2, steps 3-8). It reads CR2
 * and the error code, finds the region (VMA) holding the address, checks the access
 * against the region's protection, and makes the page present: zero fill, file fill, stack
 * growth, or copy-on-write. Returning to trapret then restarts the instruction. */
#include "mm/fault.h"
#include "mm/vma.h"
#include "mm/cow.h"
#include "mm/pager.h"
#include "mm/evict.h"
#include "mm/pgtable.h"
#include "mm/ptshare.h"
#include "mm/uaccess.h"
#include "mm/memlayout.h"
#include "mm/mmu.h"
#include "mm/trace.h"
#include "kernel/trap.h"
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "kernel/x86.h"
#include "mm/vmstat.h"
#include "mm/evict.h"
#include "mm/check.h"
#include "kernel/sched.h"

/* No region holds addr: it may still be a stack access just below the stack region,
 * within the stack's size limit. Then the stack grows down to cover it. */
static struct vma *stack_grow(struct mm *mm, uint32_t addr)
{
    /* LAB lazy: BEGIN */
    struct vma *below, *v = vma_above(mm, addr, &below);
    if (!v || !(v->flags & VMA_GROWSDOWN) || addr >= v->start)
        return NULL;
    uint32_t new_start = PGROUNDDOWN(addr);
    if (STACK_TOP - new_start > mm->stack_limit)
        return NULL;                    /* past the limit: a stack overflow */
    if (below && below->end > new_start - PGSIZE)
        return NULL;                    /* keep a guard page above the next region */
    vma_grow(mm, v, new_start, v->end);
    return v;
    /* LAB lazy: STUB
    (void)mm;
    printk("lab lazy: stack_grow() in mm/fault.c is not written: %x is in no region\n", addr);
    return NULL;
    LAB lazy: END */
}

/* Tanenbaum, MOS 3.6.2 steps 4-7 for one address of an address space: 0 when the page is now
 * present with the access allowed, -EFAULT for an invalid access, -ENOMEM or -EIO
 * when the page could not be brought in. */
int fault_resolve(struct mm *mm, uint32_t addr, uint32_t err)
{
    /* Step 4: address and protection check. */
    if (addr >= USER_TOP)
        return -EFAULT;
    struct vma *v = vma_find(mm, addr);
    if (!v)
        v = stack_grow(mm, addr);
    if (!v || !(v->prot & VM_READ))
        return -EFAULT;
    if ((err & PFERR_W) && !(v->prot & VM_WRITE))
        return -EFAULT;

    mm->fault_addr = addr;              /* for a user-space pager's message (mm/uffd.c) */
    mm->fault_err = err;
    uint32_t va = PGROUNDDOWN(addr);
    /* Under a page table shared by fork (vm.cow=2), any fault makes it this mm's own
     * first: a read fault would fill a PTE the other sharers see, a write fault was the
     * table's read-only directory entry (mm/ptshare.c). */
    pte_t *pte = ptshare_break(mm, va) < 0 ? NULL : pgtable_walk(mm->pgdir, va, 1);
    if (!pte)
        return -ENOMEM;
    if (*pte & PTE_P) {
        /* Present, so this was a protection fault: a write to a shared page (or under a
         * shared table, which may now allow the write as it is). */
        if ((err & PFERR_W) && !(*pte & PTE_W))
            return v->ops->write_protected(mm, v, va, pte);
        return 0;                       /* already fixed (the access will succeed) */
    }
    /* Steps 5-7: get a frame, fill it, map it. */
    return pager_fill(mm, v, va, pte, err & PFERR_W);
}

/* No progress: one instruction faults again and again, because the pages it needs
 * cannot be resident together (memory and swap full: each fault can only drop the
 * clean page the previous one brought in). One instruction touches a handful of pages
 * at most (text, source and destination, each perhaps across a page boundary), so
 * NO_PROGRESS_FAULTS faults in a row at one instruction that touch no more than
 * STREAK_PAGES distinct pages are a livelock, which the OOM killer settles. A loop
 * at one instruction over many pages (rep movs, a sweep) meets new pages and starts
 * over; a system call between two faults ends the streak too (kernel/syscall.c). */
#define NO_PROGRESS_FAULTS 64

static int no_progress(struct proc *p, uint32_t eip, uint32_t addr)
{
    struct fault_streak *s = &p->streak;
    uint32_t page = PGROUNDDOWN(addr), i = 0;
    if (eip == s->eip)
        while (i < s->npages && s->pages[i] != page)
            i++;
    if (eip != s->eip || (i == s->npages && s->npages == STREAK_PAGES)) {
        s->eip = eip;                   /* a new streak (the other pages[] are unused) */
        s->pages[0] = page;
        s->npages = s->faults = 1;
        return 0;
    }
    if (i == s->npages)
        s->pages[s->npages++] = page;
    if (++s->faults < NO_PROGRESS_FAULTS)
        return 0;
    s->faults = 0;
    return 1;
}

/* What a major fault cost the CPU: the faulting process's own instructions (eviction
 * included, when it reclaimed directly) and the disk interrupts' work while the CPU
 * waited (the transfer, moved by insw/outsw), but neither the idle wait nor other
 * processes' work meanwhile (the pageout daemon's reclaim is its own, in the
 * background: that is what it is for). */
static void count_major_work(struct proc *p, uint64_t work)
{
    p->major_work += work;
    if (work > p->major_work_max)
        p->major_work_max = work;
}

static void report_segfault(struct proc *p, uint32_t addr, struct trapframe *tf)
{
    printk("pid %d (%s): segfault at %x ip %08x error %x\n", p->pid, p->name, addr, tf->eip,
           tf->err);
}

void fault_handler(struct trapframe *tf)
{
    /* Step 3: identify the page. CR2 holds the faulting address; read it first,
     * while interrupts are still off, before anything else could fault. */
    uint32_t addr = read_cr2();
    uint64_t start = rdtsc();
    struct proc *p = myproc();
    int user = trap_from_user(tf);

    /* From here the handler may sleep on the disk: let interrupts in again if the
     * interrupted code had them on. */
    if (tf->eflags & EFLAGS_IF)
        sti();

    int result = -EFAULT;
    /* Its own run time so far (sched_cpu_time, without a second rdtsc): for the cost of
     * a major fault, measured only if the fault turns out to be one. */
    uint64_t own0 = p ? p->run_cycles + (start - p->run_since) : 0, irq0 = irq_cycles_idle;
    uint64_t majors0 = p ? p->vm.major_faults : 0;
    if (p && p->mm && user && no_progress(p, tf->eip, addr)) {
        printk("pid %d (%s): no progress at ip %08x: the pages it needs at once do not fit "
               "in memory and swap\n", p->pid, p->name, tf->eip);
        evict_oom_kill();
    }
    if (p && p->mm) {
        p->in_fault = 1;                /* waiting for its page is not idling (PFF) */
        p->faults_begun++;
        result = fault_resolve(p->mm, addr, tf->err);
        p->in_fault = 0;
    }
    if (result == 0) {
        VM_ADD(fault_cycles, rdtsc() - start);   /* the service time, disk waits included */
        if (p->vm.major_faults != majors0)
            count_major_work(p, sched_cpu_time(p) - own0 + irq_cycles_idle - irq0);
        check_after_fault(p->mm, addr);
        return;                         /* step 8: iret restarts the instruction */
    }

    /* A kernel allocation failed (a page table, a reverse-map entry): the OOM killer
     * frees memory elsewhere and the access is retried, in user mode or in copyout. */
    if (result == -ENOMEM && p && !p->killed && evict_oom_kill() == 0)
        return;
    if (p && p->killed && user)
        return;                         /* already dying (its memory may be going): no message */
    if (!user) {
        /* A kernel access to a bad user address: legal only inside copyin/copyout
         * (mm/uaccess.asm), which then return -EFAULT. Anything else is a bug. */
        if (uaccess_fixup(tf, addr))
            return;
        trap_panic(tf, "page fault");
    }
    if (result == -EFAULT) {
        /* si_code: no region at all (SEGV_MAPERR) or one that forbids this access
         * (SEGV_ACCERR, e.g. a write to a page a program made read-only). */
        int code = addr < USER_TOP && vma_find(p->mm, addr) ? SEGV_ACCERR : SEGV_MAPERR;
        trace_fault(p->mm, TRACE_SEGV, addr, 0, tf->err & PFERR_W);
        if (signal_fault(p, SIGSEGV, code, addr))   /* a handler may catch it instead */
            report_segfault(p, addr, tf);
    } else if (result == -EIO || result == -ENXIO || result == -ENOSPC ||
               result == -EUFFD_SIGBUS) {
        /* A disk error, an mmap of a file touched past the file's end, a new page of
         * a full tmpfs, or a page a userfaultfd pager was asked not to wait for (Linux's
         * SIGBUS in each case). */
        if (signal_fault(p, SIGBUS, BUS_ADRERR, addr))
            printk("pid %d (%s): %s %x: killed (SIGBUS)\n", p->pid, p->name,
                   result == -EIO    ? "I/O error paging in"
                   : result == -ENXIO ? "past the end of the mapped file at"
                   : result == -ENOSPC ? "no room left in its file system for the page at"
                                       : "missing page (userfaultfd, UFFD_FEATURE_SIGBUS) at",
                   addr);
    } else {
        /* Not the OOM killer's choice (that one is killed already): the kernel's own
         * reserve ran out under it. Counted as an OOM kill all the same. */
        printk("pid %d (%s): out of memory at %x (kernel memory exhausted): killed\n",
               p->pid, p->name, addr);
        VM_COUNT(oom_kills);
        proc_kill(p, SIGKILL);
    }
}
