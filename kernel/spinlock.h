/* kernel/spinlock.h: critical sections on Pagoda's single CPU. There is nothing to
 * spin on: mutual exclusion with interrupt handlers is interrupts off, nested. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

void push_cli(void);   /* disable interrupts; remember if they were on */
void pop_cli(void);    /* re-enable them when the outermost push_cli is undone */

/* The nesting belongs to the running process: sched() saves it before switching
 * away and restores it when the process runs again. */
struct cli_state {
    int depth;
    int was_enabled;
};
void cli_state_save(struct cli_state *s);
void cli_state_restore(const struct cli_state *s);

#endif
