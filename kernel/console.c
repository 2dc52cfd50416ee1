/* kernel/console.c: the system console. Output (printk, write to fd 1) goes to the
 * serial port (what tests read) and the VGA screen; input comes from the serial port
 * and goes through the line discipline in drivers/tty.c. */
#include "kernel/console.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/trap.h"
#include "drivers/tty.h"

void console_init(void)
{
    serial_init(COM1);
    vga_init();
}

void console_putc(char c)
{
    if (c == '\n')
        serial_putc(COM1, '\r');
    serial_putc(COM1, c);
    vga_putc(c);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

/* Input: each byte from COM1 goes to the line discipline (drivers/tty.c). */
static void console_intr(void)
{
    int c;
    while ((c = serial_getc(COM1)) >= 0)
        tty_input(c);
}

void console_enable_input(void)
{
    irq_register(IRQ_COM1, console_intr);
    serial_enable_rx_irq(COM1);
}
