/* kernel/console.c: the console output path shared by printk and write(1, ...).
 * Every byte goes to the serial port (what tests read) and to the VGA screen. */
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
