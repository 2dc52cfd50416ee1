/* drivers/pit.c: channel 0 of the PIT in rate-generator mode at HZ interrupts
 * per second on IRQ 0, and a way to stop it while the CPU only waits for the disk
 * (ata.defer=1, drivers/ata.c). */
#include "drivers/pit.h"
#include "drivers/pic.h"
#include "kernel/x86.h"
#include "kernel/trap.h"

#define PIT_FREQ 1193182
#define PIT_CTRL 0x43
#define PIT_CH0  0x40

static int stopped;
static volatile int last_seen;     /* pit_stop's one last interrupt has come */

static void load(uint8_t mode, uint16_t count)
{
    outb(PIT_CTRL, mode);             /* channel 0, lobyte/hibyte, the mode */
    outb(PIT_CH0, count & 0xFF);
    outb(PIT_CH0, count >> 8);
}

static void start(void)
{
    load(0x34, PIT_FREQ / HZ);        /* mode 2: rate generator */
    stopped = 0;
}

void pit_init(void)
{
    start();
    pic_enable(IRQ_TIMER);
}

/* Stop the tick: mode 0 ("interrupt on terminal count") with a count of 1. The
 * counter runs out once, 838 ns later, interrupts that once and then stays quiet
 * until pit_resume loads it again (Intel 8254 data sheet, mode 0). Writing the mode
 * alone would not do: an 8254 (and QEMU's) keeps the old count running until a new
 * one is written. That last interrupt is not a tick; it is waited for here, with
 * interrupts on, so that nothing is left on the clock when the caller halts: under
 * QEMU -icount the wait is a fixed number of instructions. Interrupts are off on
 * entry and on return. */
void pit_stop(void)
{
    if (stopped)
        return;
    stopped = 1;
    last_seen = 0;
    load(0x30, 1);
    __asm__ volatile("sti");
    while (!last_seen)
        __asm__ volatile("pause");
    __asm__ volatile("cli");
}

/* Called for IRQ 0: 1 if it is a tick, 0 if it is the stopped timer's last one. */
int pit_tick(void)
{
    if (stopped)
        last_seen = 1;
    return !stopped;
}

/* The tick again, its phase from now. */
void pit_resume(void)
{
    if (stopped)
        start();
}
