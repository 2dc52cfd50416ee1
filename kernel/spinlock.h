/* kernel/spinlock.h: critical sections on Pagoda's single CPU. There is nothing to
 * spin on: mutual exclusion with interrupt handlers is interrupts off, nested. */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

void push_cli(void);   /* disable interrupts; remember if they were on */
void pop_cli(void);    /* re-enable them when the outermost push_cli is undone */

#endif
