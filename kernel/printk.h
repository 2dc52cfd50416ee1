/* kernel/printk.h: formatted output to the console (printk) and into buffers
 * (ksnprintf). Conversions: %d %i %u %x %X %p %s %c %%, with l/ll, width, 0 and -. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <stddef.h>

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintk(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvformat(void (*out)(char c, void *arg), void *arg, const char *fmt, va_list ap);

#endif
