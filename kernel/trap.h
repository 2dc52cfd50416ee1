/* kernel/trap.h: struct trapframe, the registers the NASM stubs save on every
 * trap, exception, interrupt and system call, and the trap numbers. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

/* Laid out exactly as kernel/trapentry.asm pushes it (lowest address first). */
struct trapframe {
    uint32_t edi, esi, ebp, oesp, ebx, edx, ecx, eax;      /* pushad (oesp is ignored) */
    uint32_t gs, fs, es, ds;                               /* pushed by the stub */
    uint32_t trapno;                                       /* pushed by the stub */
    uint32_t err;                   /* by the CPU for some exceptions, else 0 by the stub */
    uint32_t eip, cs, eflags;                              /* pushed by the CPU */
    uint32_t esp, ss;               /* pushed by the CPU only when coming from ring 3 */
};

extern uint64_t irq_cycles_idle;  /* interrupt handlers' work while the CPU idled */

#define T_DIVIDE   0
#define T_DEBUG    1
#define T_NMI      2
#define T_BRKPT    3
#define T_ILLOP    6
#define T_DBLFLT   8
#define T_GPFLT   13
#define T_PGFLT   14
#define T_IRQ0    32     /* IRQ n arrives as vector T_IRQ0 + n */
#define T_SYSCALL 0x80

#define IRQ_TIMER  0
#define IRQ_KBD    1
#define IRQ_COM1   4
#define IRQ_ATA   14

static inline int trap_from_user(const struct trapframe *tf) { return (tf->cs & 3) == 3; }

void idt_init(void);
const char *trap_name(uint32_t trapno);
void trapframe_print(const struct trapframe *tf);
void trap_panic(struct trapframe *tf, const char *what) __attribute__((noreturn));
void trap(struct trapframe *tf);

typedef void (*irq_handler_t)(void);
void irq_register(int irq, irq_handler_t handler);

extern volatile uint32_t ticks;   /* timer interrupts since boot (100 per second) */

#endif
