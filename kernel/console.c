/* kernel/console.c: console output. printk and writes to fd 1 go to the serial port
 * (what tests read) and the VGA screen. Input is the line discipline's (drivers/tty.c),
 * so this file depends on nothing but the two devices: printk and panic can use it
 * from anywhere. */
#include "kernel/console.h"
#include "drivers/serial.h"
#include "drivers/vga.h"

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
