/* kernel/panic.h: stopping the kernel when an invariant breaks: a message and a
 * frame-pointer backtrace for addr2line/gdb. The lowest layer: it knows nothing of
 * traps (a fault in the kernel is trap_panic, kernel/trap.c, which ends here). */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
/* The backtrace from frame pointer ebp, then power off: the end of every panic. */
void panic_halt(unsigned ebp) __attribute__((noreturn));

#define assert(cond) \
    do { if (!(cond)) panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif
