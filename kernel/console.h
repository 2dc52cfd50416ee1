/* kernel/console.h: the system console: output goes to COM1 and the VGA screen;
 * input comes from COM1 through the line discipline (drivers/tty.c). */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

void console_init(void);
void console_putc(char c);
void console_write(const char *s, size_t n);
void console_enable_input(void);   /* once processes can sleep for input */

#endif
