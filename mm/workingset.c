/* mm/workingset.c: the working-set model (Denning; Silberschatz, OSC 9.6.2). Every sample
 * (POLICY_TICK_INTERVAL ticks) the accessed bits of all user pages are read and
 * cleared, and each frame remembers when its owner last referenced it. A process's
 * working set is its pages referenced within the last Δ of its OWN execution
 * (vm.wsdelta thousand instructions; Denning's window is in process virtual time: a
 * thrashing process hardly runs, and a wall-clock window would see few references):
 * the resident pages seen referenced, plus the ones it faulted in. With vm.ws=1,
 * when the working sets together need more frames than there are, the lowest-priority
 * process is suspended: it no longer runs, so its pages stay unreferenced and are the
 * first the replacement policy swaps out. When room returns it resumes, and brings its
 * working set back in (prepaging) before it runs on. That is thrashing control: fewer
 * processes at a time, each with the frames it needs. The sampler runs in the
 * scheduler's loop: it never sleeps, so it needs no process of its own. A process is
 * only asked to stop; it stops itself on its way back to user mode, where it holds
 * nothing (stopped mid-eviction, say, it would leave others waiting on its frame). */
#include "mm/workingset.h"
#include "mm/ptshare.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/evict.h"
#include "mm/pager.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "mm/pgtable.h"
#include "mm/kheap.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "drivers/pit.h"

#define MAX_SAVED_PAGES (PGSIZE / 4)   /* a suspended process's working set, remembered */
#define MIN_SUSPENSION (HZ / 2)        /* ticks a process stays suspended at least */

static int control;                   /* vm.ws=1: suspend and resume processes */
static uint32_t delta;                /* the window Δ, in units of 1024 instructions */
static uint32_t pff_lower;            /* vm.pfflower: fewer faults per Δ is calm */

/* A process's virtual time: how long it has run, in units of 1024 TSC cycles
 * (instructions, under QEMU -icount). */
static uint32_t virtual_time(const struct proc *p)
{
    return (uint32_t)(p->run_cycles >> 10);
}

void workingset_init(void)
{
    control = cmdline_int("vm.ws", 0) != 0;
    delta = (uint32_t)cmdline_int("vm.wsdelta", 5000);
    pff_lower = (uint32_t)cmdline_int("vm.pfflower", 2);
    if (control)
        printk("vm.ws=1: working-set control, window %u thousand instructions\n", delta);
}

/* Read and clear one mapping's accessed bit; the frame keeps the news for the policy
 * and the time, in its owner's virtual time. */
static void sample_pte(struct mm *mm, uint32_t va, pte_t *pte, void *ctx)
{
    struct frame *f = ctx;
    if (*pte & PTE_A) {
        pgtable_set(mm->pgdir, va, pte, *pte & ~PTE_A);
        f->flags |= FRAME_SOFTREF;
        if (mm->owner)
            f->last_ref = virtual_time(mm->owner);
    }
}

static void count_in_working_set(struct mm *mm, uint32_t va, pte_t *pte, void *ctx)
{
    /* LAB workingset: BEGIN */
    struct frame *f = ctx;
    (void)va, (void)pte;
    if (mm->owner && virtual_time(mm->owner) - f->last_ref <= delta)
        mm->ws.pages++;
    /* LAB workingset: STUB
    (void)mm, (void)va, (void)pte, (void)ctx;
    panic("lab workingset: write count_in_working_set() in mm/workingset.c "
          "(docs/labs/workingset.md)");
    LAB workingset: END */
}

/* Faults per second since the last sample (for vmstat), the faults it took in the last
 * Δ of its own execution (pages referenced but not resident), and whether it was calm.
 * Calm is judged in its own virtual time too, so a slow or loaded host running the
 * emulator cannot change the verdict: a process that ran is calm below vm.pfflower
 * faults per Δ; one that did not run at all is calm unless it faulted or sleeps in the
 * fault handler (a process waiting for its page is not idle, however long the disk). */
static void measure_faults(struct proc *p, uint32_t elapsed)
{
    struct mm_ws *ws = &p->mm->ws;
    /* Faults as they begin, not as they end: one that waits on the disk across a
     * sample still says, in the sample where its process ran, that it faulted. */
    uint64_t faults = p->faults_begun;
    uint64_t new_faults = faults - ws->faults_at_sample;
    uint32_t ran = virtual_time(p) - ws->vt_at_sample;
    ws->fault_rate = elapsed ? (uint32_t)(new_faults * HZ / elapsed) : 0;
    ws->faults_per_delta = ran > 0 ? (uint32_t)(new_faults * delta / ran) : 0;
    ws->fault_calm = ran > 0 ? ws->faults_per_delta < pff_lower
                            : new_faults == 0 && !p->in_fault;
    ws->faults_at_sample = faults;
    ws->vt_at_sample = virtual_time(p);
}

static void measure_fault_rates(void)
{
    static uint32_t last;
    uint32_t elapsed = ticks - last;
    last = ticks;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state != PROC_UNUSED && p->mm)
            measure_faults(p, elapsed);
}

/* Every process's working-set size, from the frames referenced within Δ. */
static void measure_working_sets(void)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->mm)
            p->mm->ws.pages = 0;
    for (uint32_t i = 0; i < nframes; i++) {
        struct frame *f = &frames[i];
        if (f->state != FRAME_USER || f->refs == 0)
            continue;
        rmap_visit(f, sample_pte, f);
        rmap_visit(f, count_in_working_set, f);
    }
    /* LAB workingset: BEGIN */
    /* A page that had to be faulted in was referenced too, though it may be gone
     * again: under thrashing most of the working set is not resident at any moment.
     * Faults repeat on the same pages, so count no more than it has out on swap. */
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->mm && p->state != PROC_ZOMBIE)
            p->mm->ws.pages += p->mm->ws.faults_per_delta < p->mm->swapped
                                   ? p->mm->ws.faults_per_delta : p->mm->swapped;
    /* LAB workingset: STUB
    panic("lab workingset: add the pages each process faulted in, in "
          "measure_working_sets() in mm/workingset.c (docs/labs/workingset.md)");
    LAB workingset: END */
}

static int priority_below(const struct proc *a, const struct proc *b)
{
    return a->nice > b->nice || (a->nice == b->nice && a->pid > b->pid);
}

/* Remember which pages were in the working set (its own: mapped by it alone), to bring
 * them back on resume. */
static void remember_working_set(struct proc *p)
{
    struct mm_ws *ws = &p->mm->ws;
    kfree(ws->saved);                  /* suspended again before it prepaged: start over */
    uint32_t *saved = kmalloc(PGSIZE), n = 0;
    for (uint32_t i = 0; saved && i < nframes && n < MAX_SAVED_PAGES; i++) {
        struct frame *f = &frames[i];
        if (f->state == FRAME_USER && f->rmap && !f->rmap->next && f->rmap->mm == p->mm &&
            virtual_time(p) - f->last_ref <= delta)
            saved[n++] = f->rmap->va;
    }
    ws->saved = saved;
    ws->saved_count = n;
}

/* Prepaging on resume: called by the resumed process itself on its way back to user
 * mode (it may sleep on the disk). */
void workingset_prepage(struct proc *p)
{
    struct mm_ws *ws = &p->mm->ws;
    for (uint32_t i = 0; ws->saved && i < ws->saved_count; i++) {
        uint32_t va = ws->saved[i];
        struct vma *v = vma_find(p->mm, va);
        pte_t *pte = ptshare_break(p->mm, va) < 0 ? NULL : pgtable_walk(p->mm->pgdir, va, 0);
        if (v && pte && pte_is_swap(*pte) && pager_fill(p->mm, v, va, pte, 0) == 0) {
            frame_of(PTE_ADDR(*pte))->flags |= FRAME_PREPAGED;
            VM_COUNT(prepaged);
        }
    }
    kfree(ws->saved);
    ws->saved = NULL;
}

static void suspend(struct proc *p, uint32_t demand, uint32_t frames)
{
    printk("vm.ws: working sets need %u frames of %u: suspending pid %d (%s), %u pages\n",
           demand, frames, p->pid, p->name, p->mm->ws.pages);
    p->mm->ws.suspended = 1;            /* takes effect in workingset_stop_if_asked */
    p->mm->ws.suspended_at = ticks;
    VM_COUNT(suspensions);
    remember_working_set(p);
}

static void resume(struct proc *p)
{
    printk("vm.ws: room again: resuming pid %d (%s)\n", p->pid, p->name);
    p->mm->ws.suspended = 0;
    VM_COUNT(resumes);
    wakeup(&p->mm->ws.suspended);
}

void workingset_stop_if_asked(struct proc *p)
{
    push_cli();
    while (p->mm->ws.suspended && !p->killed)
        sleep(&p->mm->ws.suspended);
    pop_cli();
    if (p->mm->ws.saved)
        workingset_prepage(p);
}

/* Σ WSSi against the frames there are (Silberschatz: D > m means thrashing). */
static void control_load(void)
{
    /* LAB workingset: BEGIN */
    uint32_t frames = evict_frames_limit(), demand = 0;
    struct proc *lowest = NULL, *waiting = NULL;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (!p->mm || p->state == PROC_ZOMBIE || p->state == PROC_UNUSED)
            continue;
        if (p->mm->ws.suspended) {
            if (!waiting || priority_below(waiting, p))
                waiting = p;
            continue;
        }
        demand += p->mm->ws.pages;
        if (p->pid != 1 && (!lowest || priority_below(p, lowest)))
            lowest = p;
    }
    if (demand > frames && lowest)
        suspend(lowest, demand, frames);
    else if (waiting && demand + waiting->mm->ws.saved_count <= frames * 9 / 10 &&
             ticks - waiting->mm->ws.suspended_at >= MIN_SUSPENSION)
        resume(waiting);            /* with headroom and after a while: no bouncing */
    /* LAB workingset: STUB
    (void)priority_below, (void)suspend, (void)resume;     // yours to call
    panic("lab workingset: write control_load() in mm/workingset.c "
          "(docs/labs/workingset.md)");
    LAB workingset: END */
}

/* The fault rates always (vmstat and PFF use them); the scan of every frame only when
 * working-set control needs the working sets: it costs a few instructions per frame. */
void workingset_sample(void)
{
    measure_fault_rates();
    if (control) {
        measure_working_sets();
        control_load();
    }
}

void workingset_forget(struct mm *mm)
{
    mm->ws.suspended = 0;
    wakeup(&mm->ws.suspended);
    kfree(mm->ws.saved);
    mm->ws.saved = NULL;
}
