/* drivers/pit.h: the 8253/8254 programmable interval timer, the clock that drives
 * preemption and the replacement policies' reference-bit sampling. */
#ifndef DRIVERS_PIT_H
#define DRIVERS_PIT_H

#define HZ 100

void pit_init(void);

#endif
