/* drivers/pic.c: programs the 8259A pair (ICW1-ICW4), masks every line until a
 * driver enables it, and acknowledges interrupts (end of interrupt). */
#include <stdint.h>
#include "drivers/pic.h"
#include "kernel/x86.h"
#include "kernel/trap.h"

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xA0
#define PIC2_DATA 0xA1

static uint16_t irq_mask = 0xFFFF & ~(1 << 2);   /* everything masked but the cascade */

static void pic_write_mask(void)
{
    outb(PIC1_DATA, irq_mask & 0xFF);
    outb(PIC2_DATA, irq_mask >> 8);
}

void pic_init(void)
{
    outb(PIC1_CMD, 0x11);         /* ICW1: edge triggered, cascade, ICW4 follows */
    outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, T_IRQ0);      /* ICW2: vector base */
    outb(PIC2_DATA, T_IRQ0 + 8);
    outb(PIC1_DATA, 1 << 2);      /* ICW3: the slave hangs off IRQ 2 */
    outb(PIC2_DATA, 2);
    outb(PIC1_DATA, 0x01);        /* ICW4: 8086 mode */
    outb(PIC2_DATA, 0x01);
    pic_write_mask();
}

void pic_enable(int irq)
{
    irq_mask &= ~(1 << irq);
    pic_write_mask();
}

void pic_disable(int irq)
{
    irq_mask |= 1 << irq;
    pic_write_mask();
}

/* Has the line asked for an interrupt that the CPU has not taken yet? The PIC
 * latches a request in its interrupt request register (IRR) even while the line is
 * masked; OCW3 0x0A makes the next read of the command port return the IRR. */
int pic_pending(int irq)
{
    uint16_t port = irq >= 8 ? PIC2_CMD : PIC1_CMD;
    outb(port, 0x0A);
    return (inb(port) >> (irq & 7)) & 1;
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(PIC2_CMD, 0x20);
    outb(PIC1_CMD, 0x20);
}
