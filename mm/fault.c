/* mm/fault.c: the page-fault handler (seed steps 3-8). It reads CR2 and the error
 * code, decides whether the access was legal, and makes the page present. */
#include "mm/fault.h"
#include "mm/uaccess.h"
#include "mm/mmu.h"
#include "kernel/trap.h"
#include "kernel/panic.h"
#include "kernel/x86.h"

void page_fault(struct trapframe *tf)
{
    /* Step 3: identify the page. CR2 holds the faulting address; read it first,
     * while interrupts are still off, before anything else could fault. */
    uint32_t addr = read_cr2();

    if (!trap_from_user(tf)) {
        /* A kernel access: legal only inside copyin/copyout (mm/uaccess.asm). */
        if (uaccess_fixup(tf, addr))
            return;
        panic_trap(tf, "page fault");
    }
    panic_trap(tf, "user page fault (no processes yet)");
}
