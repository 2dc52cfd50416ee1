/* drivers/serial.c: polled output and interrupt-driven input for the 16550 UART.
 * Output waits for the transmit holding register; input raises IRQ 4 (COM1). */
#include "drivers/serial.h"
#include "kernel/x86.h"

#define REG_DATA 0
#define REG_IER  1
#define REG_FCR  2
#define REG_LCR  3
#define REG_MCR  4
#define REG_LSR  5
#define REG_SCR  7
#define LSR_RX_READY 0x01
#define LSR_TX_EMPTY 0x20

void serial_init(uint16_t port)
{
    outb(port + REG_IER, 0x00);     /* no interrupts yet */
    outb(port + REG_LCR, 0x80);     /* DLAB on: the next two writes set the divisor */
    outb(port + REG_DATA, 3);       /* 115200 / 3 = 38400 baud */
    outb(port + REG_IER, 0);
    outb(port + REG_LCR, 0x03);     /* 8 data bits, no parity, one stop bit */
    outb(port + REG_FCR, 0xC7);     /* FIFOs on and cleared */
    outb(port + REG_MCR, 0x0B);     /* DTR, RTS, OUT2 (OUT2 gates the IRQ line) */
}

/* The scratch register keeps what is written to it; without a UART the port reads 0xFF. */
int serial_present(uint16_t port)
{
    outb(port + REG_SCR, 0x5A);
    return inb(port + REG_SCR) == 0x5A;
}

void serial_putc(uint16_t port, char c)
{
    for (int i = 0; i < 100000 && !(inb(port + REG_LSR) & LSR_TX_EMPTY); i++)
        ;
    outb(port + REG_DATA, (uint8_t)c);
}

int serial_getc(uint16_t port)
{
    if (!(inb(port + REG_LSR) & LSR_RX_READY))
        return -1;
    return inb(port + REG_DATA);
}

void serial_enable_rx_irq(uint16_t port)
{
    outb(port + REG_IER, 0x01);     /* interrupt when a byte arrives */
}
