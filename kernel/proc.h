/* kernel/proc.h: the process table. Each process has a kernel stack, an address
 * space, open files, and a state: Ready, Running, Blocked (sleeping on a channel,
 * e.g. waiting for the disk to bring in its page) or Zombie (exited, not yet waited). */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <stdint.h>
#include "kernel/gdt.h"
#include "kernel/spinlock.h"
#include "mm/mm.h"
#include "kernel/fpu.h"
#include "kernel/signal.h"

#define NPROC 64               /* process slots; fork fails with EAGAIN beyond this */
#define NOFILE 32              /* open files per process */
#define KSTACK_SIZE 4096

enum proc_state { PROC_UNUSED, PROC_EMBRYO, PROC_READY, PROC_RUNNING, PROC_BLOCKED, PROC_ZOMBIE };

/* Registers swtch() saves: the callee-saved ones and the return address. */
struct context {
    uint32_t edi, esi, ebx, ebp, eip;
};

/* Page faults in a row at one instruction, and the pages they touched. */
#define STREAK_PAGES 8
struct fault_streak {
    uint32_t eip, faults, npages;
    uint32_t pages[STREAK_PAGES];
};

struct proc {
    int pid;
    enum proc_state state;
    char name[16];
    struct proc *parent;
    uint8_t *kstack;             /* bottom of the kernel stack (one page, a guard below) */
    struct trapframe *tf;        /* at the top of kstack: the user registers */
    struct context *context;     /* where swtch() left this process */
    struct cli_state cli;        /* its interrupt-disable nesting, kept across switches */
    struct mm *mm;
    void *chan;                  /* Blocked: the channel it sleeps on */
    int killed;                  /* nonzero: die of this signal on the way back to user */
    struct sigstate sig;         /* handlers, mask, pending signals (kernel/signal.c) */
    int pgid, sid;               /* process group and session (job control) */
    int autoreap;                /* its parent ignores SIGCHLD: no zombie is kept */
    int exit_status;             /* Zombie: the wait status (Linux encoding) */
    struct file *files[NOFILE];
    uint8_t cloexec[NOFILE];     /* FD_CLOEXEC: close this descriptor on exec */
    char cwd[256];               /* the working directory, an absolute path */
    struct segdesc tls[SEG_TLS_COUNT];   /* set_thread_area slots, loaded on switch */
    uint32_t set_child_tid;      /* clone: write the pid here when the child first runs */
    uint32_t clear_child_tid;    /* set_tid_address: zeroed at exit */
    uint32_t wake_tick;          /* nanosleep: sleep until ticks reaches this */
    struct vm_counters vm;       /* this process's VM events */
    struct fpu_state fpu;        /* x87/SSE registers while it is not running */
    int nice;                    /* -20 (favoured) .. 19; working-set control suspends high */
    uint64_t run_cycles;         /* TSC cycles it has run (its instructions, under -icount) */
    uint64_t run_since;          /* ... the TSC when it was last given the CPU */
    int in_fault;                /* inside the page-fault handler (it may sleep there) */
    uint64_t faults_begun;       /* page faults entered (counted before any disk wait) */
    uint64_t major_work;         /* CPU work of its major faults, idle waits left out ... */
    uint64_t major_work_max;     /* ... and of the costliest one */
    void (*kthread)(void);       /* a kernel thread's function (no user space), or NULL */
    struct fault_streak streak;  /* its last faults at one instruction (mm/fault.c) */
};

extern struct proc proc_table[NPROC];
struct proc *myproc(void);       /* the running process, NULL in the scheduler */

struct proc *proc_alloc(void);   /* a slot with a kernel stack set up to start in forkret */
void proc_free(struct proc *p);  /* give back a Zombie's slot and kernel stack */
struct proc *proc_find(int pid);
int procs_in_use(void);

int proc_fork(uint32_t child_tid_ptr, int flags);
void proc_exit(int status) __attribute__((noreturn));   /* status: Linux wait encoding */
int proc_wait(int pid, uint32_t ustatus, int options);
void proc_kill(struct proc *p, int sig);
void proc_create_init(void);     /* process 1's slot (pid 1), before any other */
struct proc *proc_kthread(const char *name, void (*fn)(void));   /* NULL if no slot */
void proc_start_init(void) __attribute__((noreturn));   /* runs init: the scheduler */

/* kernel/sched.c */
void scheduler(void) __attribute__((noreturn));
void sched(void);
void swtch(struct context **old, struct context *new);   /* kernel/swtch.asm */

/* Linux wait-status encoding (<sys/wait.h>). */
#define W_EXITCODE(code) (((code) & 0xFF) << 8)
#define W_SIGNALED(sig)  ((sig) & 0x7F)
#define W_STOPCODE(sig)  (((sig) << 8) | 0x7F)
#define W_CONTINUED      0xFFFF

#endif
