/* kernel/proc.c: the life of a process: a slot and kernel stack (proc_alloc), fork,
 * exit, wait, and process 1. Termination (Tanenbaum, MOS 3.6.1) frees the address space
 * here; shared copy-on-write frames survive until their last mapping goes. */
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/trap.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/power.h"
#include "kernel/exec.h"
#include "kernel/leakcheck.h"
#include "kernel/cmdline.h"
#include "kernel/x86.h"
#include "mm/mm.h"
#include "mm/kheap.h"
#include "mm/pgtable.h"
#include "mm/uaccess.h"
#include "mm/kstack.h"
#include "fs/file.h"

struct proc proc_table[NPROC];
static int next_pid = 1;
static struct proc *init_proc;

extern void trapret(void);

/* Where a new process's first swtch() lands: from here it "returns" to trapret,
 * which restores its trapframe and enters user mode with iret. */
static void forkret(void)
{
    struct proc *p = myproc();
    static const struct cli_state fresh = {0, 0};
    cli_state_restore(&fresh);          /* iret will turn interrupts on */
    if (!p->mm) {                       /* only process 1 starts without a program */
        exec_init();
        return;
    }
    if (p->set_child_tid) {             /* clone(CLONE_CHILD_SETTID) */
        copyout(p->set_child_tid, &p->pid, sizeof(p->pid));
        p->set_child_tid = 0;
    }
}

struct proc *proc_alloc(void)
{
    struct proc *p = NULL;
    push_cli();
    for (struct proc *q = proc_table; q < &proc_table[NPROC]; q++) {
        if (q->state == PROC_UNUSED) {
            p = q;
            p->state = PROC_EMBRYO;
            break;
        }
    }
    pop_cli();
    if (!p)
        return NULL;
    uint8_t *kstack = kstack_alloc(p - proc_table);   /* with a guard page below */
    if (!kstack) {
        p->state = PROC_UNUSED;
        return NULL;
    }
    *p = (struct proc){.state = PROC_EMBRYO, .pid = next_pid++, .kstack = kstack};
    fpu_reset(&p->fpu);
    /* Build the stack forkret's swtch expects: [context][&trapret][trapframe]. */
    uint8_t *sp = kstack + KSTACK_SIZE - sizeof(struct trapframe);
    p->tf = (struct trapframe *)sp;
    memset(p->tf, 0, sizeof(*p->tf));
    sp -= 4;
    *(uint32_t *)sp = (uint32_t)trapret;
    sp -= sizeof(struct context);
    p->context = (struct context *)sp;
    memset(p->context, 0, sizeof(*p->context));
    p->context->eip = (uint32_t)forkret;
    return p;
}

void proc_free(struct proc *p)
{
    kstack_free(p->kstack);
    p->kstack = NULL;
    p->state = PROC_UNUSED;
}

struct proc *proc_find(int pid)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state != PROC_UNUSED && p->pid == pid)
            return p;
    return NULL;
}

int procs_in_use(void)
{
    int n = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        n += p->state != PROC_UNUSED;
    return n;
}

/* fork() and clone() with fork-like flags: a new process with a copy of the
 * caller's address space (copy-on-write unless vm.cow=0), files and registers. */
int proc_fork(uint32_t child_tid_ptr, int set_child_tid)
{
    struct proc *parent = myproc();
    struct proc *child = proc_alloc();
    if (!child)
        return -EAGAIN;
    child->parent = parent;
    if (mm_fork(child, parent) < 0) {   /* the address space (mm/mm.c) */
        proc_free(child);
        return -ENOMEM;
    }
    *child->tf = *parent->tf;
    child->tf->eax = 0;                 /* fork returns 0 in the child */
    for (int fd = 0; fd < NOFILE; fd++)
        if (parent->files[fd])
            child->files[fd] = file_dup(parent->files[fd]);
    memcpy(child->cloexec, parent->cloexec, sizeof(child->cloexec));
    memcpy(child->tls, parent->tls, sizeof(child->tls));
    fpu_save(&child->fpu);              /* the parent's registers, live right now */
    memcpy(child->name, parent->name, sizeof(child->name));
    memcpy(child->cwd, parent->cwd, sizeof(child->cwd));
    child->nice = parent->nice;
    child->pgid = parent->pgid;
    child->sid = parent->sid;
    signal_fork(child, parent);
    if (set_child_tid)
        child->set_child_tid = child_tid_ptr;
    int pid = child->pid;
    child->state = PROC_READY;
    return pid;
}

/* Give every child of p to init, which reaps orphans. */
static void reparent_children(struct proc *p)
{
    for (struct proc *q = proc_table; q < &proc_table[NPROC]; q++) {
        if (q->state != PROC_UNUSED && q->parent == p) {
            q->parent = init_proc;
            if (q->state == PROC_ZOMBIE)
                wakeup(init_proc);
        }
    }
}

/* Process termination (Tanenbaum, MOS 3.6.1): the files, then the address space. */
static void release_resources(struct proc *p)
{
    if (p->clear_child_tid) {
        uint32_t zero = 0;
        copyout(p->clear_child_tid, &zero, sizeof(zero));
    }
    for (int fd = 0; fd < NOFILE; fd++) {
        if (p->files[fd]) {
            file_close(p->files[fd]);
            p->files[fd] = NULL;
        }
    }
    mm_exit(p);                         /* mm/mm.c */
}

static void init_exited(int status) __attribute__((noreturn));
static void init_exited(int status)
{
    int code = (status & 0x7F) ? 128 + (status & 0x7F) : (status >> 8) & 0xFF;
    if (status & 0x7F)
        printk("init: killed by signal %d\n", status & 0x7F);
    else
        printk("init: exited with status %d\n", code);
    vmstat_print(&vmstat_global);
    int leaks = leakcheck_report();
    power_off(leaks && code == 0 ? 1 : code);
}

void proc_exit(int status)
{
    struct proc *p = myproc();
    release_resources(p);
    if (p == init_proc)
        init_exited(status);
    push_cli();
    reparent_children(p);
    p->exit_status = status;
    p->state = PROC_ZOMBIE;
    signal_child_exited(p, status);     /* SIGCHLD; wakes a parent in wait4 */
    sched();
    panic("proc_exit: a zombie ran");
}

/* wait4(): reap a Zombie child matching pid (-1: any; 0 or < -1: a process group);
 * with WUNTRACED/WCONTINUED also report a child that stopped or continued. */
static int wait_matches(struct proc *me, struct proc *q, int pid)
{
    if (q->state == PROC_UNUSED || q->parent != me || (q->autoreap && q->state == PROC_ZOMBIE))
        return 0;
    return pid == -1 || (pid > 0 && q->pid == pid) || (pid == 0 && q->pgid == me->pgid) ||
           (pid < -1 && q->pgid == -pid);
}

int proc_wait(int pid, uint32_t ustatus, int options)
{
    if (pid == INT32_MIN)
        return -ESRCH;                  /* as Linux: no group -pid to wait for */
    struct proc *me = myproc();
    push_cli();
    for (;;) {
        int have_children = 0;
        for (struct proc *q = proc_table; q < &proc_table[NPROC]; q++) {
            if (!wait_matches(me, q, pid))
                continue;
            have_children = 1;
            int child_pid = q->pid, status = q->exit_status;
            if (q->state == PROC_ZOMBIE)
                proc_free(q);
            else if (!signal_child_report(q, options, &status))
                continue;
            pop_cli();
            if (ustatus && copyout(ustatus, &status, sizeof(status)) < 0)
                return -EFAULT;
            return child_pid;
        }
        if (!have_children || (options & 1 /* WNOHANG */)) {
            pop_cli();
            return have_children ? 0 : -ECHILD;
        }
        if (signal_pending(me)) {
            pop_cli();
            return -ERESTARTSYS;        /* a signal: its handler runs, then EINTR or again */
        }
        sleep(me);                      /* a child's exit wakes us */
    }
}

void proc_kill(struct proc *p, int sig)
{
    if (p->kthread)
        return;                         /* kernel threads are the kernel: not killable */
    if (!p->killed)
        p->killed = sig;
    mm_kill(p);                         /* a suspended process must run to die */
    if (p->state == PROC_BLOCKED)
        p->state = PROC_READY;          /* let it run to its death */
}

/* Process 1: its first run (forkret) execs the program named by init=. */
void proc_create_init(void)
{
    struct proc *p = proc_alloc();
    if (!p)
        panic("no process slot for init");
    init_proc = p;
    strlcpy(p->name, "init", sizeof(p->name));
    strlcpy(p->cwd, "/", sizeof(p->cwd));
    p->pgid = p->sid = p->pid;          /* process 1 leads the first session */
}

/* A kernel thread's first run: interrupts on (a process would get them from iret),
 * then its function, which never returns. */
static void kthread_start(void)
{
    static const struct cli_state fresh = {0, 0};
    cli_state_restore(&fresh);
    sti();
    myproc()->kthread();
    panic("kernel thread %s returned", myproc()->name);
}

/* A process without user space that runs fn in the kernel (the pageout daemon). It
 * is scheduled like any process, and cannot be killed. */
struct proc *proc_kthread(const char *name, void (*fn)(void))
{
    struct proc *p = proc_alloc();
    if (!p)
        return NULL;
    strlcpy(p->name, name, sizeof(p->name));
    strlcpy(p->cwd, "/", sizeof(p->cwd));
    p->kthread = fn;
    p->context->eip = (uint32_t)kthread_start;
    p->state = PROC_READY;
    return p;
}

/* From here on the boot stack belongs to the scheduler. The leak check's baseline is
 * what exists now: kernel threads included, init's program not yet loaded. */
void proc_start_init(void)
{
    leakcheck_baseline();
    init_proc->state = PROC_READY;
    scheduler();
}
