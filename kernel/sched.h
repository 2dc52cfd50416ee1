/* kernel/sched.h: blocking and waking. A process that must wait (for the disk, a
 * child, a pipe) sleeps on a channel (any address); wakeup(chan) makes every
 * process sleeping on it runnable again. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <stdint.h>

/* Call with interrupts disabled (inside push_cli/pop_cli), after checking the
 * condition you wait for, so a wakeup from an interrupt handler cannot slip in
 * between the check and the sleep. Returns with interrupts still disabled.
 * Re-check the condition afterwards: wakeups may be spurious. */
void sleep(void *chan);
void wakeup(void *chan);          /* safe from interrupt handlers */

/* Nonzero once processes run. Before that nothing can sleep: drivers poll. */
int sched_running(void);

void yield(void);                 /* give up the CPU to the next ready process */

/* Time slices: every timer tick ends the running process's slice (sched_tick, from the
 * timer interrupt); it gives up the CPU at its next return to user mode, whatever took
 * it into the kernel (sched_slice_over, from trap). */
void sched_tick(void);
int sched_slice_over(void);

/* TSC ticks the CPU spent halted with nothing to run (waiting for the disk, say).
 * Under QEMU -icount benchmarks subtract it to count only the work done. */
extern uint64_t idle_cycles;

/* TSC ticks a process has run, up to now if it is running (the faulting process's own
 * work in a fault, mm/fault.c). */
struct proc;
uint64_t sched_cpu_time(const struct proc *p);

#endif
