/* kernel/idt.c: the interrupt descriptor table. Every vector points at its stub in
 * trapentry.asm; only int 0x80 may be raised from user mode (DPL 3). */
#include <stdint.h>
#include "kernel/trap.h"
#include "kernel/gdt.h"
#include "kernel/printk.h"

struct gatedesc {
    uint16_t off_lo, sel;
    uint8_t zero, type_attr;
    uint16_t off_hi;
};

#define GATE_INTR 0x8E    /* present, DPL 0, 32-bit interrupt gate (clears IF) */
#define GATE_TASK 0x85    /* present, DPL 0, task gate: a task switch to the TSS named */

static struct gatedesc idt[256];
extern uint32_t vectors[];   /* trapentry.asm: 48 stubs, then the one for 0x80 */

static void set_gate(int vec, uint32_t handler, int dpl)
{
    idt[vec] = (struct gatedesc){
        .off_lo = handler & 0xFFFF, .sel = KCODE_SEL, .zero = 0,
        .type_attr = GATE_INTR | (dpl << 5), .off_hi = handler >> 16,
    };
}

void idt_init(void)
{
    /* All gates are interrupt gates: the handler starts with interrupts off, so the
     * page-fault handler can read CR2 before another fault could overwrite it. */
    for (int v = 0; v < 48; v++)
        set_gate(v, vectors[v], 0);
    set_gate(T_SYSCALL, vectors[48], 3);
    /* A double fault switches to a task of its own, on a stack of its own: it is what
     * the CPU raises when a fault cannot be delivered, a kernel stack overflow among
     * them (mm/kstack.c, kernel/doublefault.c). */
    idt[T_DBLFLT] = (struct gatedesc){.sel = SEG_DFTSS << 3, .type_attr = GATE_TASK};
    struct { uint16_t limit; uint32_t base; } __attribute__((packed)) idtr = {
        sizeof(idt) - 1, (uint32_t)idt
    };
    __asm__ volatile("lidt %0" : : "m"(idtr));
}

static const char *const exception_names[32] = {
    "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
    "invalid opcode", "device not available", "double fault", "coprocessor overrun",
    "invalid TSS", "segment not present", "stack fault", "general protection",
    "page fault", "reserved", "x87 FPU error", "alignment check", "machine check",
    "SIMD exception",
};

const char *trap_name(uint32_t trapno)
{
    if (trapno < 32)
        return exception_names[trapno] ? exception_names[trapno] : "reserved";
    if (trapno == T_SYSCALL)
        return "system call";
    if (trapno >= T_IRQ0 && trapno < T_IRQ0 + 16)
        return "hardware interrupt";
    return "unknown";
}

void trapframe_print(const struct trapframe *tf)
{
    printk("  eax %08x ebx %08x ecx %08x edx %08x\n", tf->eax, tf->ebx, tf->ecx, tf->edx);
    printk("  esi %08x edi %08x ebp %08x esp %08x\n", tf->esi, tf->edi, tf->ebp,
           trap_from_user(tf) ? tf->esp : (uint32_t)&tf->esp);
    printk("  eip %08x cs %04x eflags %08x ds %04x es %04x gs %04x\n", tf->eip, tf->cs,
           tf->eflags, tf->ds, tf->es, tf->gs);
}
