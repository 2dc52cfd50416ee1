/* kernel/sys_signal.c: the signal system calls (Linux i386 numbers and structures):
 * handlers, the mask, waiting for a signal, sending one, the alternate stack, alarms. */
#include "kernel/syscall.h"
#include "kernel/signal.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "drivers/pit.h"
#include "mm/uaccess.h"

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2
#define SIGSET_SIZE 8            /* the kernel's sigset_t: 64 bits */

static int valid_signal(int sig)
{
    return sig >= 1 && sig <= NSIG;
}

/* Install act (unless NULL) for sig and give back the old one. Setting a pending
 * signal to be ignored discards it (POSIX). */
static int set_action(int sig, const struct k_sigaction *act, struct k_sigaction *old)
{
    struct proc *p = myproc();
    if (!valid_signal(sig) || (act && (sig == SIGKILL || sig == SIGSTOP)))
        return -EINVAL;
    *old = p->sig.action[sig];
    if (act) {
        p->sig.action[sig] = *act;
        p->sig.action[sig].mask &= ~UNBLOCKABLE;
        if (signal_ignored(p, sig))
            p->sig.pending &= ~SIGBIT(sig);
    }
    return 0;
}

/* rt_sigaction(sig, act, oldact, sigsetsize) */
SYSCALL(rt_sigaction)
{
    struct k_sigaction act, old;
    if (ARG4(tf) != SIGSET_SIZE)
        return -EINVAL;
    if (ARG2(tf) && copyin(&act, ARG2(tf), sizeof(act)) < 0)
        return -EFAULT;
    int err = set_action(ARG1(tf), ARG2(tf) ? &act : NULL, &old);
    if (err == 0 && ARG3(tf) && copyout(ARG3(tf), &old, sizeof(old)) < 0)
        return -EFAULT;
    return err;
}

/* sigaction (67), the old call: struct old_sigaction {handler, mask (32 bits), flags,
 * restorer}. */
struct old_sigaction {
    uint32_t handler, mask, flags, restorer;
};

SYSCALL(sigaction)
{
    struct old_sigaction o;
    struct k_sigaction act, old;
    if (ARG2(tf)) {
        if (copyin(&o, ARG2(tf), sizeof(o)) < 0)
            return -EFAULT;
        act = (struct k_sigaction){o.handler, o.flags, o.restorer, o.mask};
    }
    int err = set_action(ARG1(tf), ARG2(tf) ? &act : NULL, &old);
    o = (struct old_sigaction){old.handler, (uint32_t)old.mask, old.flags, old.restorer};
    if (err == 0 && ARG3(tf) && copyout(ARG3(tf), &o, sizeof(o)) < 0)
        return -EFAULT;
    return err;
}

static int change_mask(int how, const uint64_t *set, uint64_t *old)
{
    struct sigstate *s = &myproc()->sig;
    *old = s->blocked;
    if (!set)
        return 0;
    if (how == SIG_BLOCK)
        s->blocked |= *set;
    else if (how == SIG_UNBLOCK)
        s->blocked &= ~*set;
    else if (how == SIG_SETMASK)
        s->blocked = *set;
    else
        return -EINVAL;
    s->blocked &= ~UNBLOCKABLE;
    return 0;
}

/* rt_sigprocmask(how, set, oldset, sigsetsize) */
SYSCALL(rt_sigprocmask)
{
    uint64_t set, old;
    if (ARG4(tf) != SIGSET_SIZE)
        return -EINVAL;
    if (ARG2(tf) && copyin(&set, ARG2(tf), sizeof(set)) < 0)
        return -EFAULT;
    int err = change_mask(ARG1(tf), ARG2(tf) ? &set : NULL, &old);
    if (err == 0 && ARG3(tf) && copyout(ARG3(tf), &old, sizeof(old)) < 0)
        return -EFAULT;
    return err;
}

/* sigprocmask (126): the same with 32-bit sets (the high half is left alone). */
SYSCALL(sigprocmask)
{
    uint32_t set32, old32;
    uint64_t set, old;
    if (ARG2(tf)) {
        if (copyin(&set32, ARG2(tf), 4) < 0)
            return -EFAULT;
        uint64_t high = myproc()->sig.blocked & 0xFFFFFFFF00000000ull;
        set = ARG1(tf) == SIG_SETMASK ? high | set32 : set32;
    }
    int err = change_mask(ARG1(tf), ARG2(tf) ? &set : NULL, &old);
    old32 = (uint32_t)old;
    if (err == 0 && ARG3(tf) && copyout(ARG3(tf), &old32, 4) < 0)
        return -EFAULT;
    return err;
}

/* rt_sigpending(set, sigsetsize): the signals waiting because they are blocked. */
SYSCALL(rt_sigpending)
{
    if (ARG2(tf) != SIGSET_SIZE)
        return -EINVAL;
    uint64_t set = myproc()->sig.pending & myproc()->sig.blocked;
    return copyout(ARG1(tf), &set, sizeof(set));
}

/* Sleep until a signal is pending (pause, sigsuspend). */
static long wait_for_signal(void)
{
    struct proc *p = myproc();
    push_cli();
    while (!signal_pending(p))
        sleep(&p->sig);
    pop_cli();
    return -ERESTARTNOHAND;             /* after a handler: EINTR */
}

SYSCALL(pause)
{
    (void)tf;
    return wait_for_signal();
}

/* rt_sigsuspend(mask, sigsetsize): wait with mask in force; the old mask comes back
 * when the handler returns (it is the frame's saved mask: kernel/signal.c). */
SYSCALL(rt_sigsuspend)
{
    struct sigstate *s = &myproc()->sig;
    uint64_t mask;
    if (ARG2(tf) != SIGSET_SIZE)
        return -EINVAL;
    if (copyin(&mask, ARG1(tf), sizeof(mask)) < 0)
        return -EFAULT;
    s->saved_mask = s->blocked;
    s->has_saved_mask = 1;
    s->blocked = mask & ~UNBLOCKABLE;
    return wait_for_signal();
}

/* rt_sigreturn (173) and sigreturn (119): back from a handler to where the signal
 * interrupted. A frame that does not pass sigframe_restore kills with SIGSEGV. */
static long do_sigreturn(struct trapframe *tf, int rt)
{
    struct proc *p = myproc();
    if (sigframe_restore(tf, rt) < 0) {
        printk("pid %d (%s): bad %ssigreturn frame at %x: killed by signal %d\n", p->pid,
               p->name, rt ? "rt_" : "", tf->esp, SIGSEGV);
        proc_kill(p, SIGSEGV);
        return -EFAULT;
    }
    return tf->eax;                     /* syscall() stores it back: eax as it was */
}

SYSCALL(rt_sigreturn)
{
    return do_sigreturn(tf, 1);
}

SYSCALL(sigreturn)
{
    return do_sigreturn(tf, 0);
}

/* sigaltstack(ss, old_ss): stack_t {ss_sp, ss_flags, ss_size}. */
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 2048

struct stack32 {
    uint32_t sp, flags, size;
};

SYSCALL(sigaltstack)
{
    struct sigstate *s = &myproc()->sig;
    uint32_t sp = tf->esp;
    int on = s->ss_size && sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
    struct stack32 old = {s->ss_sp, on ? SS_ONSTACK : s->ss_size ? 0 : SS_DISABLE, s->ss_size};
    if (ARG1(tf)) {
        struct stack32 ss;
        if (copyin(&ss, ARG1(tf), sizeof(ss)) < 0)
            return -EFAULT;
        if (on)
            return -EPERM;              /* not while running on it */
        if (ss.flags & ~(SS_ONSTACK | SS_DISABLE))
            return -EINVAL;
        if (ss.flags & SS_DISABLE) {
            s->ss_sp = s->ss_size = 0;
        } else {
            if (ss.size < MINSIGSTKSZ)
                return -ENOMEM;
            s->ss_sp = ss.sp;
            s->ss_size = ss.size;
        }
    }
    if (ARG2(tf) && copyout(ARG2(tf), &old, sizeof(old)) < 0)
        return -EFAULT;
    return 0;
}

/* kill(pid, sig): pid > 0 one process, 0 the caller's group, -1 everyone but init and
 * the caller, < -1 the group -pid. (Process 1 gets only the signals it has a handler
 * for: signal_send drops the others, as Linux does.) */
static int send_one(struct proc *p, int sig, int code)
{
    if (!p || p->state == PROC_ZOMBIE)
        return -ESRCH;
    if (sig == 0)
        return 0;
    struct ksiginfo info = {.code = code, .pid = myproc()->pid};
    signal_send(p, sig, &info);
    return 0;
}

static int send_all(int sig)
{
    int found = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE || p->pid == 1 ||
            p == myproc())
            continue;
        found = 1;
        send_one(p, sig, SI_USER);
    }
    return found ? 0 : -ESRCH;
}

SYSCALL(kill)
{
    int pid = (int)ARG1(tf), sig = (int)ARG2(tf);
    if (sig != 0 && !valid_signal(sig))
        return -EINVAL;
    if (pid == INT32_MIN)
        return -ESRCH;                  /* as Linux: -pid would overflow */
    if (pid > 0)
        return send_one(proc_find(pid), sig, SI_USER);
    if (pid == -1)
        return send_all(sig);
    return signal_send_group(pid == 0 ? myproc()->pgid : -pid, sig, myproc()->pid);
}

/* tkill(tid, sig) and tgkill(tgid, tid, sig): a thread is a process here (raise and
 * abort use tgkill with tgid == tid == getpid()). */
static int thread_kill(int tgid, int tid, int sig)
{
    if (tid <= 0 || (tgid != -1 && tgid <= 0) || (sig != 0 && !valid_signal(sig)))
        return -EINVAL;
    struct proc *p = proc_find(tid);
    if (tgid != -1 && tgid != tid)
        p = NULL;
    return send_one(p, sig, SI_TKILL);
}

SYSCALL(tkill)
{
    return thread_kill(-1, (int)ARG1(tf), (int)ARG2(tf));
}

SYSCALL(tgkill)
{
    return thread_kill((int)ARG1(tf), (int)ARG2(tf), (int)ARG3(tf));
}

/* ITIMER_REAL, counted in timer ticks: SIGALRM when it runs out (kernel/signal.c:
 * signal_tick). The other timers count CPU time, which Pagoda does not account. */
#define ITIMER_REAL 0
#define USEC_PER_TICK (1000000 / HZ)

struct itimerval32 {
    int32_t interval_sec, interval_usec, value_sec, value_usec;
};

static uint32_t usec_to_ticks(int32_t sec, int32_t usec)
{
    uint64_t us = (uint64_t)sec * 1000000 + usec;
    return (uint32_t)((us + USEC_PER_TICK - 1) / USEC_PER_TICK);
}

static struct itimerval32 timer_now(const struct sigstate *s)
{
    uint32_t left = s->alarm_tick ? s->alarm_tick - ticks : 0;
    return (struct itimerval32){
        (int32_t)(s->alarm_interval / HZ), (int32_t)(s->alarm_interval % HZ * USEC_PER_TICK),
        (int32_t)(left / HZ), (int32_t)(left % HZ * USEC_PER_TICK)};
}

SYSCALL(getitimer)
{
    if (ARG1(tf) != ITIMER_REAL)
        return -EINVAL;
    struct itimerval32 v = timer_now(&myproc()->sig);
    return copyout(ARG2(tf), &v, sizeof(v));
}

SYSCALL(setitimer)
{
    struct sigstate *s = &myproc()->sig;
    struct itimerval32 v, old = timer_now(s);
    if (ARG1(tf) != ITIMER_REAL)
        return -EINVAL;
    if (copyin(&v, ARG2(tf), sizeof(v)) < 0)
        return -EFAULT;
    if (v.value_sec < 0 || v.value_usec < 0 || v.value_usec >= 1000000 ||
        v.interval_sec < 0 || v.interval_usec < 0 || v.interval_usec >= 1000000)
        return -EINVAL;
    push_cli();
    uint32_t n = usec_to_ticks(v.value_sec, v.value_usec);
    s->alarm_tick = n ? ticks + n : 0;
    s->alarm_interval = usec_to_ticks(v.interval_sec, v.interval_usec);
    pop_cli();
    if (ARG3(tf) && copyout(ARG3(tf), &old, sizeof(old)) < 0)
        return -EFAULT;
    return 0;
}

/* alarm(seconds): the seconds left of the previous alarm (rounded up), 0 if none. */
SYSCALL(alarm)
{
    struct sigstate *s = &myproc()->sig;
    push_cli();
    uint32_t left = s->alarm_tick ? s->alarm_tick - ticks : 0;
    s->alarm_tick = ARG1(tf) ? ticks + ARG1(tf) * HZ : 0;
    s->alarm_interval = 0;
    pop_cli();
    return (left + HZ - 1) / HZ;
}
