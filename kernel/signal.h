/* kernel/signal.h: POSIX signals with Linux i386's numbers, structures and semantics:
 * what each process keeps (handlers, mask, pending set, alternate stack) and the calls. */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdint.h>

struct proc;
struct trapframe;

#define NSIG 64                  /* signals 1..64; bit sig-1 of a 64-bit set */
#define SIGBIT(sig) (1ull << ((sig) - 1))
#define UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))   /* no mask holds these */

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
#define SIGTTIN 21
#define SIGTTOU 22
#define SIGURG 23
#define SIGWINCH 28
#define SIGSYS 31

#define SIG_DFL 0u
#define SIG_IGN 1u

/* sa_flags (asm/signal.h) */
#define SA_NOCLDSTOP 0x00000001u
#define SA_NOCLDWAIT 0x00000002u
#define SA_SIGINFO   0x00000004u
#define SA_RESTORER  0x04000000u
#define SA_ONSTACK   0x08000000u
#define SA_RESTART   0x10000000u
#define SA_NODEFER   0x40000000u
#define SA_RESETHAND 0x80000000u

/* si_code values (asm-generic/siginfo.h) */
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_TKILL (-6)
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define BUS_ADRERR 2
#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* Kernel-internal results of an interrupted slow call (never seen by programs): on
 * the way out, kernel/signal.c restarts the call or turns them into EINTR. */
#define ERESTARTSYS 512          /* restart if the handler has SA_RESTART */
#define ERESTARTNOINTR 513       /* always restart */
#define ERESTARTNOHAND 514       /* restart only if no handler runs (pause, sigsuspend) */

/* struct sigaction as rt_sigaction takes it on i386 (handler, flags, restorer, mask). */
struct k_sigaction {
    uint32_t handler, flags, restorer;
    uint64_t mask;
};

/* What the sender knows, kept per pending signal and given to SA_SIGINFO handlers. */
struct ksiginfo {
    int code;
    int pid;                     /* the sender, or the child for SIGCHLD */
    int status;                  /* SIGCHLD: exit code or signal */
    uint32_t addr;               /* SIGSEGV, SIGBUS, SIGILL, SIGFPE: the address */
};

struct sigstate {
    struct k_sigaction action[NSIG + 1];   /* indexed by signal number */
    struct ksiginfo info[NSIG + 1];
    uint64_t pending, blocked;
    uint64_t saved_mask;         /* sigsuspend: the mask to put back after the handler */
    int has_saved_mask;
    uint32_t ss_sp, ss_size;     /* sigaltstack; ss_size 0: none */
    uint32_t alarm_tick;         /* ITIMER_REAL: SIGALRM at this tick (0: off) */
    uint32_t alarm_interval;     /* ... and then every this many ticks (0: once) */
    int stopped;                 /* stopped by this signal (SIGSTOP, SIGTSTP, ...) */
    int report;                  /* for the parent's wait4: CLD_STOPPED or CLD_CONTINUED */
    uint32_t syscall_nr;         /* the call this trap made, to restart it */
};

/* kernel/signal.c: sending and delivering */
void signal_send(struct proc *p, int sig, const struct ksiginfo *info);
int signal_send_group(int pgid, int sig, int sender);   /* 0 or -ESRCH */
int signal_fault(struct proc *p, int sig, int code, uint32_t addr);   /* 1: it dies */
/* Nonzero when a slow call should give up waiting: the process must die, or a signal
 * it does not block is pending (its handler runs, then the call restarts or fails with
 * EINTR). A macro, not a call: trap() asks at every return to user mode, so every page
 * fault pays for it (struct proc is not complete here). */
#define signal_pending(p) ((p)->killed || ((p)->sig.pending & ~(p)->sig.blocked) != 0)
void signal_deliver(struct trapframe *tf);   /* returning to user mode, signal_pending */
void signal_fork(struct proc *child, struct proc *parent);
void signal_exec(struct proc *p);
int signal_ignored(struct proc *p, int sig);
void signal_tick(void);                /* the timer: alarms */
void signal_child_exited(struct proc *child, int status);   /* SIGCHLD to the parent */
int signal_child_report(struct proc *child, int options, int *status);   /* wait4 */

/* kernel/sigframe.c: the frame on the user stack, and sigreturn */
int sigframe_push(struct trapframe *tf, int sig, const struct k_sigaction *act,
                  const struct ksiginfo *info, uint64_t oldmask);
int sigframe_restore(struct trapframe *tf, int rt);

#endif
