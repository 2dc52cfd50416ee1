/* mm/uffd.c: userfaultfd, the kernel's half of an external pager (Tanenbaum, MOS 3.6.6,
 * "Separation of Policy and Mechanism"; Linux's Documentation/admin-guide/mm/userfaultfd).
 * The kernel keeps the mechanism: the trap, the check against the region, the page
 * tables. What a missing page should contain is the pager's policy: the fault is queued
 * as a message on the context, the faulting process is Blocked, and it runs again when
 * the pager has answered (mm/uffd_ioctl.c) or is gone. The instruction then restarts and
 * finds its page, or faults once more. */
#include "mm/uffd.h"
#include "mm/ptshare.h"
#include "mm/mm.h"
#include "mm/vma.h"
#include "mm/cow.h"
#include "mm/pgtable.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"
#include "mm/memlayout.h"
#include "mm/fault.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/errno.h"
#include "kernel/signal.h"

static struct uffd *contexts;            /* every live context, for uffd_mm_gone */

struct uffd *uffd_create(struct mm *mm, int user_only)
{
    struct uffd *ctx = kzalloc(sizeof(*ctx));
    if (!ctx)
        return NULL;
    ctx->mm = mm;
    ctx->user_only = user_only;
    ctx->next = contexts;
    contexts = ctx;
    return ctx;
}

/* The fault handler's side: queue the fault, tell the readers, sleep until answered.
 * 0 makes the faulting instruction run again (Linux's VM_FAULT_RETRY): if the pager
 * woke it without mapping the page, it simply faults, and is reported, again. */
static int hand_off(struct mm *mm, struct vma *v, uint32_t va, uint32_t flags)
{
    struct uffd *ctx = v->uffd;
    struct proc *p = myproc();
    if (ctx->features & UFFD_FEATURE_SIGBUS)
        return -EUFFD_SIGBUS;           /* the program asked for SIGBUS instead of a wait */
    if (ctx->user_only && !(mm->fault_err & PFERR_U))
        return -EFAULT;                 /* copyin/copyout: the system call gets EFAULT */
    struct uffd_fault w = {
        .page = va, .state = UFFD_QUEUED, .seq = ++ctx->seq,
        .msg = {.event = UFFD_EVENT_PAGEFAULT, .flags = flags,
                .address = (ctx->features & UFFD_FEATURE_EXACT_ADDRESS) ? mm->fault_addr : va,
                .ptid = (uint32_t)p->pid},
    };
    push_cli();
    struct uffd_fault **pp = &ctx->faults;
    while (*pp)
        pp = &(*pp)->next;
    *pp = &w;                           /* oldest first: pagers answer in order */
    wakeup(ctx);
    poll_wake();
    VM_COUNT(uffd_faults);
    /* Every sleep is killable; another signal also ends the wait (Linux's interruptible
     * wait), and the instruction faults again after its handler. */
    while (w.state != UFFD_WOKEN && !signal_pending(p))
        sleep(&w);
    if (w.state != UFFD_WOKEN) {        /* still listed: take it off */
        for (pp = &ctx->faults; *pp != &w; pp = &(*pp)->next)
            ;
        *pp = w.next;
    }
    pop_cli();
    return 0;
}

/* A page the region's process has never had (its PTE is 0) is the pager's to fill;
 * one out on swap is the kernel's own, and comes back from there, write-protected again
 * if the pager had protected it (mm/swap.h): it is brought in for reading, and a write
 * faults once more, on the protection. */
static int uffd_fill(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte, uint32_t write)
{
    if (*pte == 0 && (v->uffd_mode & UFFDIO_REGISTER_MODE_MISSING))
        return hand_off(mm, v, va, write ? UFFD_PAGEFAULT_FLAG_WRITE : 0);
    if (!(*pte & SWP_UFFD_WP))
        return pager_anon_ops.fill(mm, v, va, pte, write);
    int err = pager_anon_ops.fill(mm, v, va, pte, 0);
    if (!err)
        pgtable_set(mm->pgdir, va, pte, (*pte & ~PTE_W) | PTE_UFFD_WP);
    return err;
}

/* A write to a present read-only page: the pager's if it write-protected the page,
 * otherwise copy-on-write as usual. */
static int uffd_write_protected(struct mm *mm, struct vma *v, uint32_t va, pte_t *pte)
{
    if ((*pte & PTE_UFFD_WP) && (v->uffd_mode & UFFDIO_REGISTER_MODE_WP))
        return hand_off(mm, v, va, UFFD_PAGEFAULT_FLAG_WRITE | UFFD_PAGEFAULT_FLAG_WP);
    return cow_fault(mm, v, va, pte);
}

const struct vma_ops uffd_vma_ops = {
    .name = "userfaultfd", .fill = uffd_fill, .write_protected = uffd_write_protected,
};

void uffd_wake_range(struct uffd *ctx, uint32_t start, uint32_t end)
{
    push_cli();
    struct uffd_fault **pp = &ctx->faults;
    while (*pp) {
        struct uffd_fault *w = *pp;
        if (w->page >= start && w->page < end) {
            *pp = w->next;              /* off the list before it runs: it may be gone soon */
            w->state = UFFD_WOKEN;
            wakeup(w);
        } else {
            pp = &w->next;
        }
    }
    pop_cli();
}

struct vma *uffd_region(struct uffd *ctx, uint32_t start, uint32_t len)
{
    if (!ctx->mm || (start | len) % PGSIZE || len == 0 || start + len < start ||
        start + len > USER_TOP)
        return NULL;
    struct vma *v = vma_find(ctx->mm, start);
    return v && v->uffd == ctx && start + len <= v->end ? v : NULL;
}

/* read(2): the oldest faults not yet read, one 32-byte message each, as many as fit.
 * The message is copied out before the fault is marked read: copyout may sleep, and a
 * fault answered meanwhile (or a bad buffer) must not be lost or reported twice. */
int uffd_read(struct uffd *ctx, uint32_t ubuf, uint32_t n, int nonblock)
{
    if (!ctx->api_done || n < sizeof(struct uffd_msg))
        return -EINVAL;
    uint32_t done = 0;
    while (done + sizeof(struct uffd_msg) <= n) {
        push_cli();
        struct uffd_fault *w;
        for (;;) {
            for (w = ctx->faults; w && w->state != UFFD_QUEUED; w = w->next)
                ;
            if (w || done > 0 || nonblock || signal_pending(myproc()))
                break;
            sleep(ctx);
        }
        pop_cli();
        if (!w)
            return done > 0 ? (int)done : nonblock ? -EAGAIN : -ERESTARTSYS;
        struct uffd_msg msg = w->msg;
        uint32_t seq = w->seq;          /* w may be answered and gone once copyout sleeps */
        if (copyout(ubuf + done, &msg, sizeof(msg)) < 0)
            return done > 0 ? (int)done : -EFAULT;
        for (struct uffd_fault *x = ctx->faults; x; x = x->next)
            if (x->seq == seq)
                x->state = UFFD_READ;   /* still waiting: now the pager knows of it */
        done += sizeof(msg);
    }
    return done;
}

/* Readable while a fault is queued and not yet read; before the handshake, an error
 * (Linux's answers). */
int uffd_poll(struct uffd *ctx)
{
    if (!ctx->api_done)
        return POLLERR;
    for (struct uffd_fault *w = ctx->faults; w; w = w->next)
        if (w->state == UFFD_QUEUED)
            return POLL_READABLE;
    return 0;
}

/* Take region v back from its pager: the kernel fills its pages again, and no page of it
 * stays write-protected for a pager that will never answer. */
static void clear_wp(pte_t *pte, uint32_t va, void *ctx)
{
    struct mm *mm = ctx;
    if ((*pte & PTE_P) && (*pte & PTE_UFFD_WP))
        pgtable_set(mm->pgdir, va, pte, *pte & ~PTE_UFFD_WP);
    else if (pte_is_swap(*pte))
        *pte &= ~SWP_UFFD_WP;           /* not present: nothing cached in the TLB */
}

void uffd_unregister_region(struct mm *mm, struct vma *v)
{
    struct uffd *ctx = v->uffd;
    v->uffd = NULL;
    v->uffd_mode = 0;
    v->ops = &pager_anon_ops;
    /* Out of memory to unshare a page table (vm.cow=2): the marks are cleared for its
     * other sharers too, which lose nothing (their regions are not registered: fork does
     * not pass a registration on, and a marked page stays read-only). */
    ptshare_break_range(mm, v->start, v->end);
    pgtable_visit(mm->pgdir, v->start, v->end, clear_wp, mm);
    uffd_wake_range(ctx, v->start, v->end);
}

/* The last descriptor closed (its last holder closed it or died): every region it
 * served becomes ordinary memory and every waiting fault runs again, now served by the
 * kernel (anonymous pages read as zeros, as on Linux). */
void uffd_release(struct uffd *ctx)
{
    if (ctx->mm)
        for (struct vma *v = vma_first(ctx->mm); v; v = vma_next(v))
            if (v->uffd == ctx)
                uffd_unregister_region(ctx->mm, v);
    uffd_wake_range(ctx, 0, USER_TOP);
    struct uffd **pp = &contexts;
    while (*pp != ctx)
        pp = &(*pp)->next;
    *pp = ctx->next;
    kfree(ctx);
}

/* An address space is destroyed (exit, exec): a context serving it serves nothing now.
 * Its regions went with it; nobody waits, since only its own process faulted in it. */
void uffd_mm_gone(struct mm *mm)
{
    for (struct uffd *ctx = contexts; ctx; ctx = ctx->next)
        if (ctx->mm == mm)
            ctx->mm = NULL;
}
