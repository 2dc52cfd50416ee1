/* kernel/panic.h: stopping the kernel when an invariant breaks: a message, the
 * trapframe when there is one, and a frame-pointer backtrace for addr2line/gdb. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

struct trapframe;

void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void panic_trap(struct trapframe *tf, const char *what) __attribute__((noreturn));
void print_backtrace(unsigned ebp);

#define assert(cond) \
    do { if (!(cond)) panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); } while (0)

#endif
