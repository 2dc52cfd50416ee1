/* kernel/signal.c: sending signals and delivering them on the way back to user mode:
 * default actions (terminate, ignore, stop, continue), handlers, and restarting calls.
 * Silberschatz, OSC 4.6.2; Tanenbaum, Modern Operating Systems
 * 10.3.3. The frame a handler runs on is kernel/sigframe.c's. */
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/trap.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/printk.h"
#include "kernel/errno.h"

#define STOP_SIGNALS (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
/* Faults the program caused itself: delivered before anything else pending. */
#define SYNCHRONOUS (SIGBIT(SIGSEGV) | SIGBIT(SIGBUS) | SIGBIT(SIGILL) | SIGBIT(SIGTRAP) | \
                     SIGBIT(SIGFPE) | SIGBIT(SIGSYS))

enum action { ACT_TERMINATE, ACT_IGNORE, ACT_STOP, ACT_CONTINUE };

/* What SIG_DFL means for each signal (signal(7)); no core files are written. */
static enum action default_action(int sig)
{
    if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH)
        return ACT_IGNORE;
    if (sig == SIGCONT)
        return ACT_CONTINUE;
    if (SIGBIT(sig) & STOP_SIGNALS)
        return ACT_STOP;
    return ACT_TERMINATE;
}

int signal_ignored(struct proc *p, int sig)
{
    uint32_t h = p->sig.action[sig].handler;
    return h == SIG_IGN || (h == SIG_DFL && default_action(sig) == ACT_IGNORE);
}

/* A blocked process wakes to look at its signal. Every sleep re-checks what it waits
 * for, so one that must not be interrupted (a disk transfer) just sleeps again. */
static void wake(struct proc *p)
{
    if (p->state == PROC_BLOCKED)
        p->state = PROC_READY;
}

/* The parent learns that a child stopped, continued or exited: SIGCHLD, and a wakeup
 * for wait4 (which sleeps on the parent). */
static void notify_parent(struct proc *child, int code, int status)
{
    struct proc *parent = child->parent;
    if (!parent)
        return;
    int quiet = code != CLD_EXITED && code != CLD_KILLED &&
                (parent->sig.action[SIGCHLD].flags & SA_NOCLDSTOP);
    if (!quiet) {
        struct ksiginfo info = {.code = code, .pid = child->pid, .status = status};
        signal_send(parent, SIGCHLD, &info);
    }
    wakeup(parent);
}

/* SIGCONT (reported to the parent) or SIGKILL (which will report the death) ends a stop. */
static void continue_stopped(struct proc *p, int sig)
{
    p->sig.pending &= ~STOP_SIGNALS;
    if (!p->sig.stopped)
        return;
    p->sig.stopped = 0;
    if (sig == SIGCONT) {
        p->sig.report = CLD_CONTINUED;
        notify_parent(p, CLD_CONTINUED, SIGCONT);
    }
    wakeup(&p->sig.stopped);
}

/* Mark p to die of sig and wake it from any sleep: every sleep re-checks, and each that
 * waits for an event also stops for p->killed. (Not proc_kill: this may run in an
 * interrupt handler, which must not free memory the interrupted code may be allocating.) */
static void kill_now(struct proc *p, int sig)
{
    if (!p->killed)
        p->killed = sig;
    wake(p);
}

/* Generate sig for p (Linux: send_signal). Ignored signals are dropped now; one whose
 * default action kills and that is not blocked kills now, so a process blocked in any
 * interruptible sleep dies promptly; the rest wait in the pending set. Process 1 takes
 * only the signals it handles (^C or SIGKILL must not end the system), unless forced:
 * a fault it caused cannot be ignored. */
static void send(struct proc *p, int sig, const struct ksiginfo *info, int forced)
{
    if (sig < 1 || sig > NSIG || p->state == PROC_UNUSED || p->state == PROC_ZOMBIE)
        return;
    if (p->pid == 1 && !forced && p->sig.action[sig].handler == SIG_DFL)
        return;
    struct sigstate *s = &p->sig;
    uint64_t bit = SIGBIT(sig);
    push_cli();
    if (sig == SIGKILL || sig == SIGCONT)
        continue_stopped(p, sig);
    if (bit & STOP_SIGNALS)
        s->pending &= ~SIGBIT(SIGCONT);
    if (sig == SIGKILL || (!(s->blocked & bit) && s->action[sig].handler == SIG_DFL &&
                           default_action(sig) == ACT_TERMINATE)) {
        kill_now(p, sig);
    } else if ((s->blocked & bit) || !signal_ignored(p, sig)) {
        if (!(s->pending & bit))        /* classic signals do not queue */
            s->info[sig] = info ? *info : (struct ksiginfo){.code = SI_KERNEL};
        s->pending |= bit;
        if (!(s->blocked & bit))
            wake(p);
    }
    pop_cli();
}

void signal_send(struct proc *p, int sig, const struct ksiginfo *info)
{
    send(p, sig, info, 0);
}

/* kill(-pgid) and the terminal's ^C: every member of a process group. */
int signal_send_group(int pgid, int sig, int sender)
{
    int found = 0;
    struct ksiginfo info = {.code = SI_USER, .pid = sender};
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE || p->pgid != pgid)
            continue;
        found = 1;
        if (sig)
            signal_send(p, sig, &info);
    }
    return found ? 0 : -ESRCH;
}

/* A fault the program caused (a page fault, a bad instruction). If the signal is
 * blocked or ignored there is no way to go on past the faulting instruction, so, as on
 * Linux (force_sig_info), the default action applies: a fault inside a SIGSEGV handler
 * kills. Returns 1 if the process dies of it. */
int signal_fault(struct proc *p, int sig, int code, uint32_t addr)
{
    struct sigstate *s = &p->sig;
    if ((s->blocked & SIGBIT(sig)) || s->action[sig].handler == SIG_IGN) {
        s->action[sig].handler = SIG_DFL;
        s->blocked &= ~SIGBIT(sig);
    }
    struct ksiginfo info = {.code = code, .addr = addr};
    send(p, sig, &info, 1);
    return p->killed != 0;
}

/* The lowest pending unblocked signal, a synchronous one first; 0 if none. */
static int next_signal(struct sigstate *s)
{
    uint64_t ready = s->pending & ~s->blocked;
    if (ready & SYNCHRONOUS)
        ready &= SYNCHRONOUS;
    for (int sig = 1; ready && sig <= NSIG; sig++)
        if (ready & SIGBIT(sig))
            return sig;
    return 0;
}

/* Default action "stop": sleep until SIGCONT or SIGKILL (Tanenbaum, MOS 10.3.3). */
static void stop(struct proc *p, int sig)
{
    push_cli();
    p->sig.stopped = sig;
    p->sig.report = CLD_STOPPED;
    notify_parent(p, CLD_STOPPED, sig);
    while (p->sig.stopped && !p->killed)
        sleep(&p->sig.stopped);
    pop_cli();
}

/* A slow call was interrupted (it returned -ERESTART...). With a handler about to run
 * (act) it fails with EINTR unless SA_RESTART says to restart it; with no handler it
 * restarts: eip goes back over the 2-byte `int 0x80` and eax gets the call's number. */
static void restart_syscall(struct trapframe *tf, const struct k_sigaction *act)
{
    struct sigstate *s = &myproc()->sig;
    int r = -(int)tf->eax;
    if (tf->trapno != T_SYSCALL || s->syscall_nr == (uint32_t)-1 ||
        (r != ERESTARTSYS && r != ERESTARTNOINTR && r != ERESTARTNOHAND))
        return;
    if (act && (r == ERESTARTNOHAND || (r == ERESTARTSYS && !(act->flags & SA_RESTART)))) {
        tf->eax = -EINTR;
        return;
    }
    tf->eax = s->syscall_nr;
    tf->eip -= 2;
}

/* Run the handler: a frame on the user stack saves what the program was doing, the
 * mask grows by sa_mask (and the signal itself, unless SA_NODEFER), and iret enters
 * the handler. A stack the frame cannot be written to kills the process. */
static void run_handler(struct trapframe *tf, int sig, struct k_sigaction *act)
{
    struct proc *p = myproc();
    struct sigstate *s = &p->sig;
    uint64_t oldmask = s->has_saved_mask ? s->saved_mask : s->blocked;
    s->has_saved_mask = 0;
    restart_syscall(tf, act);
    struct k_sigaction used = *act;
    if (act->flags & SA_RESETHAND)
        *act = (struct k_sigaction){.handler = SIG_DFL};
    if (sigframe_push(tf, sig, &used, &s->info[sig], oldmask) < 0) {
        printk("pid %d (%s): bad signal stack at %x for signal %d: killed by signal %d\n",
               p->pid, p->name, tf->esp, sig, SIGSEGV);
        proc_exit(W_SIGNALED(SIGSEGV));
    }
    s->blocked |= used.mask | (used.flags & SA_NODEFER ? 0 : SIGBIT(sig));
    s->blocked &= ~UNBLOCKABLE;
}

/* Called by trap() on a return to user mode with a signal pending (Linux:
 * arch_do_signal_or_restart); trap() tests signal_pending first, the common case. */
void signal_deliver(struct trapframe *tf)
{
    struct proc *p = myproc();
    struct sigstate *s = &p->sig;
    for (;;) {
        if (p->killed)
            proc_exit(W_SIGNALED(p->killed));
        push_cli();
        int sig = next_signal(s);
        if (sig)
            s->pending &= ~SIGBIT(sig);
        pop_cli();
        if (!sig)
            break;
        struct k_sigaction *act = &s->action[sig];
        if (act->handler == SIG_IGN)
            continue;
        if (act->handler != SIG_DFL) {
            run_handler(tf, sig, act);
            return;
        }
        enum action a = default_action(sig);
        if (a == ACT_STOP)
            stop(p, sig);
        else if (a == ACT_TERMINATE)
            proc_exit(W_SIGNALED(sig));
    }
    restart_syscall(tf, NULL);
    if (s->has_saved_mask) {            /* sigsuspend with no handler run */
        s->blocked = s->saved_mask;
        s->has_saved_mask = 0;
    }
}

/* fork: the child has its parent's handlers, mask and alternate stack, nothing pending. */
void signal_fork(struct proc *child, struct proc *parent)
{
    child->sig = parent->sig;
    child->sig.pending = 0;
    child->sig.has_saved_mask = 0;
    child->sig.alarm_tick = child->sig.alarm_interval = 0;
    child->sig.stopped = child->sig.report = 0;
}

/* execve: caught signals go back to SIG_DFL (the handlers' code is gone); ignored
 * ones stay ignored; the mask, pending signals and the alarm survive (POSIX). */
void signal_exec(struct proc *p)
{
    for (int sig = 1; sig <= NSIG; sig++) {
        struct k_sigaction *a = &p->sig.action[sig];
        *a = (struct k_sigaction){.handler = a->handler == SIG_IGN ? SIG_IGN : SIG_DFL};
    }
    p->sig.ss_sp = p->sig.ss_size = 0;
}

/* The timer interrupt: SIGALRM for every alarm that is due (ITIMER_REAL). */
void signal_tick(void)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        struct sigstate *s = &p->sig;
        if (!s->alarm_tick || p->state == PROC_UNUSED || (int32_t)(ticks - s->alarm_tick) < 0)
            continue;
        s->alarm_tick = s->alarm_interval ? ticks + s->alarm_interval : 0;
        signal_send(p, SIGALRM, NULL);
    }
}

/* proc_exit: the parent hears of it. A parent that ignores SIGCHLD (SIG_IGN or
 * SA_NOCLDWAIT) keeps no zombie: the scheduler frees the child's slot. */
void signal_child_exited(struct proc *child, int status)
{
    struct proc *parent = child->parent;
    struct k_sigaction *a = &parent->sig.action[SIGCHLD];
    if (a->handler == SIG_IGN || (a->flags & SA_NOCLDWAIT))
        child->autoreap = 1;
    int killed = status & 0x7F;
    notify_parent(child, killed ? CLD_KILLED : CLD_EXITED, killed ? killed : status >> 8);
}

/* wait4 with WUNTRACED (2) or WCONTINUED (8): a stopped or continued child's status. */
int signal_child_report(struct proc *child, int options, int *status)
{
    struct sigstate *s = &child->sig;
    if (s->report == CLD_STOPPED && s->stopped && (options & 2))
        *status = W_STOPCODE(s->stopped);
    else if (s->report == CLD_CONTINUED && (options & 8))
        *status = W_CONTINUED;
    else
        return 0;
    s->report = 0;
    return 1;
}
