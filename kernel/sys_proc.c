/* kernel/sys_proc.c: system calls about processes: fork/clone, execve, exit, wait,
 * ids, resource limits and small answers glibc's start-up code asks for. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/exec.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/uaccess.h"
#include "mm/mm.h"
#include "mm/mmu.h"
#include "fs/file.h"
#include "mm/memlayout.h"

SYSCALL(exit)
{
    proc_exit(W_EXITCODE(ARG1(tf)));
}

SYSCALL(exit_group)
{
    proc_exit(W_EXITCODE(ARG1(tf)));
}

SYSCALL(fork)
{
    (void)tf;
    return proc_fork(0, 0);
}

/* clone(flags, stack, parent_tid, tls, child_tid): only fork-like clones (a new
 * address space); glibc's fork() asks for CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID. */
#define CLONE_VM 0x00000100
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_THREAD 0x00010000

SYSCALL(clone)
{
    uint32_t flags = ARG1(tf);
    if (flags & (CLONE_VM | CLONE_THREAD))
        return -ENOSYS;                 /* no threads in Pagoda */
    int pid = proc_fork(ARG5(tf), (flags & CLONE_CHILD_SETTID) != 0);
    if (pid > 0 && (flags & CLONE_CHILD_CLEARTID))
        proc_find(pid)->clear_child_tid = ARG5(tf);
    if (pid > 0 && (flags & CLONE_PARENT_SETTID))
        copyout(ARG3(tf), &pid, sizeof(pid));
    return pid;
}

SYSCALL(execve)
{
    char path[PATH_MAX];
    int n = user_path(path, ARG1(tf));
    if (n < 0)
        return n;
    struct exec_strings s = {1, ARG2(tf), ARG3(tf)};
    return exec(path, &s);
}

SYSCALL(wait4)
{
    return proc_wait((int)ARG1(tf), ARG2(tf), ARG3(tf));
}

SYSCALL(waitpid)
{
    return proc_wait((int)ARG1(tf), ARG2(tf), ARG3(tf));
}

SYSCALL(getpid)
{
    (void)tf;
    return myproc()->pid;
}

SYSCALL(getppid)
{
    (void)tf;
    struct proc *parent = myproc()->parent;
    return parent ? parent->pid : 0;
}

/* Priorities: only the nice value, which working-set control reads (the lowest
 * priority is suspended first). nice(inc); setpriority/getpriority(PRIO_PROCESS, pid). */
static int set_nice(struct proc *p, int nice)
{
    p->nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
    return 0;
}

/* The increment is clamped to [-40, 40] first, as Linux does: any larger one reaches the
 * same end of the range, and nice + INT_MAX would overflow. */
SYSCALL(nice)
{
    struct proc *p = myproc();
    int inc = (int)ARG1(tf);
    return set_nice(p, p->nice + (inc < -40 ? -40 : inc > 40 ? 40 : inc));
}

static struct proc *priority_target(struct trapframe *tf)
{
    if (ARG1(tf) != 0)                  /* PRIO_PROCESS only */
        return NULL;
    return ARG2(tf) == 0 ? myproc() : proc_find((int)ARG2(tf));
}

SYSCALL(setpriority)
{
    struct proc *p = priority_target(tf);
    return p ? set_nice(p, (int)ARG3(tf)) : -ESRCH;
}

/* The kernel returns 20 - nice (so the value is never negative); glibc converts back. */
SYSCALL(getpriority)
{
    struct proc *p = priority_target(tf);
    return p ? 20 - p->nice : -ESRCH;
}

SYSCALL(set_tid_address)
{
    myproc()->clear_child_tid = ARG1(tf);
    return myproc()->pid;
}

SYSCALL(sched_yield)
{
    (void)tf;
    yield();
    return 0;
}

/* rseq: restartable sequences need the kernel to abort a critical section when a
 * thread is preempted or migrated; Pagoda has no threads and one CPU, and glibc's
 * start-up carries on without them. A deliberate -ENOSYS, so it is not logged. */
SYSCALL(no_rseq)
{
    (void)tf;
    return -ENOSYS;
}

/* Calls whose honest answer in Pagoda is "yes" or "root": getuid and friends,
 * set_robust_list (no threads die holding futexes here). */
SYSCALL(zero)
{
    (void)tf;
    return 0;
}

/* Resource limits: two are real. The stack's bounds stack growth; the resident set's
 * (RLIMIT_RSS, in bytes) gives the process a fixed number of frames under local
 * replacement (mm/evict.c: evict_local); RLIMIT_MEMLOCK bounds mlock (mm/mlock.c).
 * RLIMIT_NOFILE is the table size, fixed.
 * The others are accepted and not enforced. */
#define RLIMIT_STACK 3
#define RLIMIT_RSS 5
#define RLIMIT_NOFILE 7
#define RLIMIT_MEMLOCK 8
#define RLIM_INFINITY 0xFFFFFFFFu

struct rlimit32 {
    uint32_t cur, max;
};

static void get_limit(int resource, uint64_t out[2])
{
    struct mm *mm = myproc()->mm;
    out[0] = out[1] = (uint64_t)-1;
    if (resource == RLIMIT_STACK)
        out[0] = out[1] = mm->stack_limit;
    if (resource == RLIMIT_RSS && mm->rss_limit)
        out[0] = out[1] = (uint64_t)mm->rss_limit * PGSIZE;
    if (resource == RLIMIT_NOFILE)
        out[0] = out[1] = NOFILE;
    if (resource == RLIMIT_MEMLOCK)
        out[0] = mm->memlock_limit;     /* the hard limit stays unlimited: it may be raised */
}

/* Whole pages; at least one, since a process that may keep no page can never run. */
static int set_rss_limit(struct mm *mm, uint64_t bytes)
{
    if (bytes == (uint64_t)-1) {
        mm->rss_limit = 0;
        return 0;
    }
    if (bytes < PGSIZE)
        return -EINVAL;
    uint64_t pages = bytes / PGSIZE;
    mm->rss_limit = pages > UINT32_MAX ? 0 : (uint32_t)pages;
    return 0;
}

SYSCALL(ugetrlimit)
{
    uint64_t lim[2];
    get_limit(ARG1(tf), lim);
    struct rlimit32 r = {lim[0] > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)lim[0],
                         lim[1] > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)lim[1]};
    return copyout(ARG2(tf), &r, sizeof(r));
}

static int set_limit(int resource, uint64_t cur)
{
    if (resource == RLIMIT_RSS)
        return set_rss_limit(myproc()->mm, cur);
    if (resource == RLIMIT_MEMLOCK) {
        myproc()->mm->memlock_limit = cur;
        return 0;
    }
    if (resource != RLIMIT_STACK)
        return 0;                       /* accepted, not enforced */
    if (cur < PGSIZE)
        return -EINVAL;
    myproc()->mm->stack_limit = cur > STACK_MAX ? STACK_MAX : PGROUNDUP((uint32_t)cur);
    return 0;
}

SYSCALL(setrlimit)
{
    struct rlimit32 r;
    if (copyin(&r, ARG2(tf), sizeof(r)) < 0)
        return -EFAULT;
    return set_limit(ARG1(tf), r.cur == RLIM_INFINITY ? (uint64_t)-1 : r.cur);
}

/* prlimit64(pid, resource, new, old): for the caller itself (pid 0 or its own). */
SYSCALL(prlimit64)
{
    int pid = ARG1(tf);
    if (pid != 0 && pid != myproc()->pid)
        return -EPERM;
    uint64_t old[2], new[2];
    get_limit(ARG2(tf), old);
    if (ARG3(tf)) {
        if (copyin(new, ARG3(tf), sizeof(new)) < 0)
            return -EFAULT;
        int err = set_limit(ARG2(tf), new[0]);
        if (err)
            return err;
    }
    if (ARG4(tf) && copyout(ARG4(tf), old, sizeof(old)) < 0)
        return -EFAULT;
    return 0;
}
