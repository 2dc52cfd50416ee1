/* kernel/console.h: console output, to COM1 and the VGA screen. Input comes from COM1
 * through the line discipline (tty_enable_input, drivers/tty.c). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);

#endif
