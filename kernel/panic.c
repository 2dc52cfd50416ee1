/* kernel/panic.c: the last words of a broken kernel. The backtrace lines are
 * "  [<c0101234>]" so tools/runtests.py (or addr2line) can put names on them. */
#include <stdarg.h>
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "kernel/power.h"
#include "mm/memlayout.h"

extern char __kernel_start[], __rodata_end[];

static void print_backtrace(unsigned ebp)
{
    printk("backtrace:\n");
    /* Each frame starts with the caller's saved ebp, then the return address. */
    for (int depth = 0; depth < 16 && ebp >= KERNBASE && (ebp & 3) == 0; depth++) {
        unsigned *frame = (unsigned *)ebp;
        unsigned ret = frame[1];
        if (ret < (unsigned)__kernel_start || ret >= (unsigned)__rodata_end)
            break;
        printk("  [<%08x>]\n", ret - 1);    /* -1: point inside the call instruction */
        ebp = frame[0];
    }
}

void panic_halt(unsigned ebp)
{
    print_backtrace(ebp);
    printk("kernel panic: halting\n");
    power_off(EXIT_PANIC);
}

void panic(const char *fmt, ...)
{
    cli();
    va_list ap;
    printk("\nPANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    panic_halt(read_ebp());
}
