/* drivers/pit.h: the 8253/8254 programmable interval timer, the clock that drives
 * preemption and the replacement policies' reference-bit sampling. */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#define HZ 100

void pit_init(void);
void pit_stop(void);                /* no ticks (one last interrupt) until pit_resume */
int pit_tick(void);                 /* IRQ 0: a tick (1), or pit_stop's last (0) */
void pit_resume(void);

#endif
