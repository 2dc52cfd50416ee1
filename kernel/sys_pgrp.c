/* kernel/sys_pgrp.c: process groups and sessions, what a shell needs for job control:
 * each pipeline is a group, and the terminal sends ^C to its foreground group
 * (Tanenbaum, MOS 10.3.3; Stevens, APUE 9.4-9.9). */
#include <stddef.h>
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"

/* Is some process of session sid in group pgid? */
static int group_in_session(int pgid, int sid)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid &&
            p->sid == sid)
            return 1;
    return 0;
}

/* setpgid(pid, pgid): the caller or one of its children joins or starts a group in
 * the caller's session. */
SYSCALL(setpgid)
{
    struct proc *me = myproc();
    int pid = (int)ARG1(tf) ? (int)ARG1(tf) : me->pid;
    int pgid = (int)ARG2(tf) ? (int)ARG2(tf) : pid;
    if (pgid < 0)
        return -EINVAL;
    struct proc *p = proc_find(pid);
    if (!p || p->state == PROC_ZOMBIE || (p != me && p->parent != me))
        return -ESRCH;
    if (p->sid == p->pid || p->sid != me->sid)
        return -EPERM;                  /* a session leader, or another session */
    if (pgid != pid && !group_in_session(pgid, me->sid))
        return -EPERM;
    p->pgid = pgid;
    return 0;
}

static struct proc *target(int pid)
{
    struct proc *p = pid ? proc_find(pid) : myproc();
    return p && p->state != PROC_ZOMBIE ? p : NULL;
}

SYSCALL(getpgid)
{
    struct proc *p = target((int)ARG1(tf));
    return p ? p->pgid : -ESRCH;
}

SYSCALL(getpgrp)
{
    (void)tf;
    return myproc()->pgid;
}

SYSCALL(getsid)
{
    struct proc *p = target((int)ARG1(tf));
    return p ? p->sid : -ESRCH;
}

/* setsid: a new session and group led by the caller, which must not lead a group. */
SYSCALL(setsid)
{
    (void)tf;
    struct proc *me = myproc();
    if (me->pgid == me->pid)
        return -EPERM;
    me->sid = me->pgid = me->pid;
    return me->pid;
}
