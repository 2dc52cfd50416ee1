/* kernel/sched.c: the round-robin scheduler, and sleep/wakeup. The scheduler runs
 * on the boot stack; processes give it the CPU in sched() (when they block, yield or
 * are preempted by the timer) and it picks the next Ready one. */
#include <stddef.h>
#include "kernel/sched.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "kernel/fpu.h"
#include "kernel/cmdline.h"
#include "kernel/string.h"
#include "mm/mm.h"
#include "kernel/panic.h"
#include "mm/pgtable.h"
#include "drivers/ata.h"

static struct context *scheduler_context;
uint64_t idle_cycles;            /* time-stamp counter ticks spent halted, waiting */
static struct proc *current;

/* A tick that comes while the process is in the kernel (a page fault, a system call)
 * still ends its slice: a process that spends most of its time faulting would
 * otherwise keep the CPU until it sleeps, and the others would starve. */
static int slice_over;
static int running;

struct proc *myproc(void)
{
    return current;
}

int sched_running(void)
{
    return running;
}

/* Tanenbaum, MOS 3.6.1, process execution: make this process's page table current. Loading
 * CR3 flushes every non-global TLB entry, so no stale translation of the previous
 * process survives; the kernel's global entries stay. */
static void switch_to_user_space(struct proc *p)
{
    tss_set_kernel_stack((uint32_t)p->kstack + KSTACK_SIZE);
    gdt_load_tls(p->tls);
    pde_t *pgdir = p->mm ? p->mm->pgdir : pgdir_kernel;   /* init before its exec */
    if (pgdir_current() != pgdir)
        pgdir_switch(pgdir);
}

/* The next Ready process after the one that ran last (round robin), or NULL. */
static struct proc *pick_next(void)
{
    static int last;
    for (int i = 1; i <= NPROC; i++) {
        struct proc *p = &proc_table[(last + i) % NPROC];
        if (p->state == PROC_READY) {
            last = p - proc_table;
            return p;
        }
    }
    return NULL;
}

void scheduler(void)
{
    static const struct cli_state scheduler_cli = {0, 0};
    running = 1;
    /* idle=poll: never halt, spin with interrupts on instead. Under QEMU record/replay
     * a halted CPU hears of a finished disk transfer only at the next timer deadline,
     * which makes every sector cost a tick (tools/rr.py passes it; docs/tracing.md). */
    const char *idle = cmdline_get("idle");
    int poll = idle && strcmp(idle, "poll") == 0;
    for (;;) {
        cli();
        mm_sample();                    /* reference bits, every POLICY_TICK_INTERVAL ticks */
        struct proc *p = pick_next();
        if (!p) {
            /* Nothing to run: zero a free frame ahead of demand (mm_idle), one at a
             * time so a wakeup is served after at most one page; when there is none to
             * zero, wait for an interrupt (a disk transfer, a tick, a key). Not while a
             * disk command is in flight: its end comes in the host's time, and zeroing
             * meanwhile would make the instruction at which the waiting process resumes
             * differ from run to run (DETERMINISTIC=1 runs must repeat exactly); the
             * driver waits for it (ata_halt, with the tick stopped under ata.defer=1).
             * sti takes effect after the next instruction, so no wakeup is lost. */
            uint64_t t0 = rdtsc(), irq0 = irq_cycles_idle;
            if (!ata_idle() && !poll)
                ata_halt();
            else if (!ata_idle() || !mm_idle()) {   /* zeroing: idle time, spent for later */
                if (poll)
                    __asm__ volatile("sti; pause");
                else
                    __asm__ volatile("sti; hlt");
            }
            idle_cycles += rdtsc() - t0 - (irq_cycles_idle - irq0);   /* handlers worked */
            continue;
        }
        current = p;
        slice_over = 0;                 /* a fresh slice, until the next tick */
        mm_switch_to(p);
        p->state = PROC_RUNNING;
        switch_to_user_space(p);
        fpu_restore(&p->fpu);
        p->run_since = rdtsc();
        swtch(&scheduler_context, p->context);
        p->run_cycles += rdtsc() - p->run_since;
        fpu_save(&p->fpu);
        /* p gave the CPU back (blocked, yielded or exited). */
        current = NULL;
        mm_switch_to(NULL);
        if (p->state == PROC_ZOMBIE && p->autoreap)
            proc_free(p);               /* its parent ignores SIGCHLD: nobody waits */
        cli_state_restore(&scheduler_cli);
    }
}

/* Give the CPU to the scheduler. Interrupts must be off; the caller has set its
 * state to something other than Running. */
void sched(void)
{
    struct proc *p = current;
    if (read_eflags() & EFLAGS_IF)
        panic("sched: interrupts enabled");
    if (p->state == PROC_RUNNING)
        panic("sched: process %d is still running", p->pid);
    cli_state_save(&p->cli);
    swtch(&p->context, scheduler_context);
    cli_state_restore(&p->cli);
}

uint64_t sched_cpu_time(const struct proc *p)
{
    return p->run_cycles + (p == current ? rdtsc() - p->run_since : 0);
}

void sched_tick(void) { slice_over = 1; }
int sched_slice_over(void) { return slice_over; }

void yield(void)
{
    push_cli();
    current->state = PROC_READY;
    sched();
    pop_cli();
}

void sleep(void *chan)
{
    struct proc *p = current;
    p->chan = chan;
    p->state = PROC_BLOCKED;
    sched();
    p->chan = NULL;
}

void wakeup(void *chan)
{
    push_cli();
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state == PROC_BLOCKED && p->chan == chan)
            p->state = PROC_READY;
    pop_cli();
}
