/* kernel/trap.c: trap(), the one C entry point for every exception, interrupt and
 * system call. It dispatches on the vector number saved in the trapframe. */
#include "kernel/trap.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "drivers/pic.h"
#include "mm/fault.h"

volatile uint32_t ticks;
static irq_handler_t irq_handlers[16];

void irq_register(int irq, irq_handler_t handler)
{
    irq_handlers[irq] = handler;
    pic_enable(irq);
}

static void handle_irq(int irq)
{
    if (irq == IRQ_TIMER)
        ticks++;
    if (irq_handlers[irq])
        irq_handlers[irq]();
    else if (irq == 7 || irq == 15)
        return;                 /* spurious: the PIC wants no EOI for these */
    pic_eoi(irq);
}

void trap(struct trapframe *tf)
{
    uint32_t t = tf->trapno;
    if (t == T_PGFLT) {
        page_fault(tf);
    } else if (t >= T_IRQ0 && t < T_IRQ0 + 16) {
        handle_irq(t - T_IRQ0);
    } else {
        panic_trap(tf, "exception");
    }
}
