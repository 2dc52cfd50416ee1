/* kernel/trap.c: trap(), the one C entry point for every exception, interrupt and
 * system call. It dispatches on the vector number saved in the trapframe. */
#include "kernel/trap.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "drivers/pic.h"
#include "mm/mm.h"
#include "kernel/sched.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/x86.h"
#include "drivers/ata.h"
#include "drivers/pit.h"

volatile uint32_t ticks;
static irq_handler_t irq_handlers[16];

void irq_register(int irq, irq_handler_t handler)
{
    irq_handlers[irq] = handler;
    pic_enable(irq);
}

/* Device interrupts that came while the CPU was idle (no process current): their
 * handlers' work (the ATA's insw/outsw above all) is work, not idle time
 * (kernel/sched.c). Timer ticks are left out: under QEMU -icount with sleep=off an idle
 * CPU jumps from tick to tick while the host finishes a disk request, so how many come
 * depends on the host, not on the kernel. */
uint64_t irq_cycles_idle;

static void handle_irq(int irq)
{
    uint64_t start = rdtsc();
    if (irq == IRQ_TIMER && !pit_tick()) {
        pic_eoi(irq);                   /* the stopped timer's last interrupt */
        return;
    }
    if (irq == IRQ_TIMER) {
        ticks++;
        sched_tick();                   /* the running process's slice is over */
        wakeup((void *)&ticks);         /* nanosleep sleeps on the tick counter */
        signal_tick();                  /* alarm() and setitimer(ITIMER_REAL) */
        ata_tick();                     /* a disk command that never interrupts fails */
    }
    if (irq_handlers[irq])
        irq_handlers[irq]();
    else if (irq == 7 || irq == 15)
        return;                 /* spurious: the PIC wants no EOI for these */
    pic_eoi(irq);
    if (!myproc() && irq != IRQ_TIMER)
        irq_cycles_idle += rdtsc() - start;
}

/* The way back to user mode faulted: trapret popped a selector whose descriptor the
 * program has made invalid since it loaded it (set_thread_area cleared its TLS slot),
 * or iret refused the user's %cs/%ss. The program is at fault, not the kernel: it dies
 * of SIGSEGV, as one would that loaded the bad selector itself. (Linux's entry_32.S
 * has exception-table fixups on the same instructions: it loads a null selector, and
 * the program faults on its next use of the register.) */
extern char trapret_segs[], trapret_iret[];

/* A fault in the kernel itself is a bug: the trapframe, then panic's backtrace. */
void trap_panic(struct trapframe *tf, const char *what)
{
    cli();
    printk("\nPANIC: %s in kernel: %s (trap %u) err %x\n", what, trap_name(tf->trapno),
           tf->trapno, tf->err);
    trapframe_print(tf);
    if (tf->trapno == T_PGFLT)
        printk("CR2=%08x\n", read_cr2());
    printk("  [<%08x>] (faulting instruction)\n", tf->eip);
    panic_halt(tf->ebp);
}

static void return_to_user_fault(struct trapframe *tf)
{
    if (tf->eip < (uint32_t)trapret_segs || tf->eip > (uint32_t)trapret_iret || !myproc())
        return;
    struct proc *p = myproc();
    printk("pid %d (%s): %s (error %x) loading its segment registers on return to user "
           "mode: killed by signal %d\n", p->pid, p->name, trap_name(tf->trapno), tf->err,
           SIGSEGV);
    proc_kill(p, SIGSEGV);
    proc_exit(W_SIGNALED(SIGSEGV));
}

/* An exception other than a page fault: in user mode the program dies of the
 * matching signal; in the kernel it is a bug (unless it was the return to user mode). */
static void exception(struct trapframe *tf)
{
    static const uint8_t signal_of[32] = {
        [T_DIVIDE] = SIGFPE, [T_DEBUG] = SIGTRAP, [T_BRKPT] = SIGTRAP, [T_ILLOP] = SIGILL,
        [16] = SIGFPE, [19] = SIGFPE,
    };
    /* si_code: FPE_INTDIV, TRAP_BRKPT, ILL_ILLOPN; a #GP is SI_KERNEL, as on Linux. */
    static const uint8_t code_of[32] = {
        [T_DIVIDE] = 1, [T_DEBUG] = 1, [T_BRKPT] = 1, [T_ILLOP] = 2, [16] = 1, [19] = 1,
    };
    if (!trap_from_user(tf)) {
        return_to_user_fault(tf);
        trap_panic(tf, "exception");
    }
    int known = tf->trapno < 32 && signal_of[tf->trapno];
    int sig = known ? signal_of[tf->trapno] : SIGSEGV;
    struct proc *p = myproc();
    if (signal_fault(p, sig, known ? code_of[tf->trapno] : SI_KERNEL, known ? tf->eip : 0))
        printk("pid %d (%s): %s at ip %08x: killed by signal %d\n", p->pid, p->name,
               trap_name(tf->trapno), tf->eip, sig);
}

void trap(struct trapframe *tf)
{
    uint32_t t = tf->trapno;
    if (t == T_SYSCALL)
        syscall(tf);
    else if (t == T_PGFLT)
        fault_handler(tf);
    else if (t >= T_IRQ0 && t < T_IRQ0 + 16)
        handle_irq(t - T_IRQ0);
    else
        exception(tf);

    /* On the way back to user mode: give up the CPU when a tick has ended our time
     * slice, in user mode or while we were in the kernel (the kernel itself is never
     * preempted; it only gives up the CPU when it sleeps), then die of a fatal signal
     * or run a handler. */
    struct proc *p = myproc();
    if (!p || !trap_from_user(tf))
        return;
    if (p->killed)
        proc_exit(W_SIGNALED(p->killed));
    if (sched_slice_over())
        yield();
    if (mm_return_pending(p->mm))
        mm_return_to_user(p);           /* working-set control (mm/workingset.c) */
    if (signal_pending(p))
        signal_deliver(tf);             /* kernel/signal.c */
}
