/* kernel/printk.c: printk, the kernel's printf, writing to the console.
 * Interrupts are held off for the duration so lines from an IRQ never interleave. */
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/spinlock.h"

static void console_out(char c, void *arg)
{
    (void)arg;
    console_putc(c);
}

int vprintk(const char *fmt, va_list ap)
{
    push_cli();
    int n = kvformat(console_out, NULL, fmt, ap);
    pop_cli();
    return n;
}

int printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
