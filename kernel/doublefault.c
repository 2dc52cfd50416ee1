/* kernel/doublefault.c: the double-fault task. A fault that cannot be delivered, a
 * kernel stack overflow above all (the CPU cannot push the page fault's frame onto the
 * stack that overflowed), raises a double fault; its IDT entry is a task gate
 * (kernel/idt.c), so the CPU switches to this TSS, with its own stack and the kernel's
 * page directory, and the report can still be printed. Intel SDM vol. 3, 7.3 (task
 * switching) and 6.15 (interrupt 8). Nothing returns from here. */
#include "kernel/doublefault.h"
#include "kernel/gdt.h"
#include "kernel/proc.h"
#include "kernel/panic.h"
#include "kernel/x86.h"
#include "mm/kstack.h"
#include "mm/pgtable.h"
#include "mm/memlayout.h"

/* The whole 32-bit TSS: a task switch loads every one of these. */
struct tss32 {
    uint32_t link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
    uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
    uint32_t es, cs, ss, ds, fs, gs, ldt;
    uint16_t trap, iomap_base;
} __attribute__((packed));

static struct tss32 df_tss;
static uint8_t df_stack[8192] __attribute__((aligned(16)));

/* Entered by the task switch with the error code (always 0) on the fresh stack. CR2
 * still holds the address whose access could not be delivered. */
static void __attribute__((noreturn)) double_fault_task(void)
{
    uint32_t cr2 = read_cr2();
    int slot = kstack_guard_slot(cr2);
    if (slot >= 0 && slot < NPROC)
        panic("kernel stack overflow in pid %d (%s): guard page %x touched",
              proc_table[slot].pid, proc_table[slot].name, cr2);
    panic("double fault (CR2 %x)", cr2);
}

void doublefault_init(void)
{
    df_tss = (struct tss32){
        .cr3 = V2P(pgdir_kernel), .eip = (uint32_t)double_fault_task, .eflags = 0x2,
        .esp = (uint32_t)(df_stack + sizeof(df_stack)), .cs = KCODE_SEL, .ss = KDATA_SEL,
        .ds = KDATA_SEL, .es = KDATA_SEL, .iomap_base = sizeof(df_tss),
    };
    gdt_set_tss(SEG_DFTSS, &df_tss, sizeof(df_tss));
}
