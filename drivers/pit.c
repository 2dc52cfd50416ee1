/* drivers/pit.c: channel 0 of the PIT in rate-generator mode at HZ interrupts
 * per second on IRQ 0. */
#include "drivers/pit.h"
#include "drivers/pic.h"
#include "kernel/x86.h"
#include "kernel/trap.h"

#define PIT_FREQ 1193182

void pit_init(void)
{
    uint32_t divisor = PIT_FREQ / HZ;
    outb(0x43, 0x34);                 /* channel 0, lobyte/hibyte, mode 2 */
    outb(0x40, divisor & 0xFF);
    outb(0x40, divisor >> 8);
    pic_enable(IRQ_TIMER);
}
