/* mm/kstack.c: kernel stacks, one per process slot, in their own part of the kernel's
 * address space with an unmapped guard page below each. The direct map cannot have
 * holes (every frame is mapped there), so a stack allocated from it would overflow
 * silently into whatever frame lies below; here an overflow touches the guard page and
 * faults. That fault cannot be handled on the stack that overflowed: the CPU raises a
 * double fault, which runs as a task of its own (kernel/doublefault.c) and names the
 * process. Intel SDM vol. 3, 6.15 "Interrupt 8 - Double Fault Exception". */
#include <stddef.h>
#include "mm/kstack.h"
#include "mm/frame.h"
#include "mm/pgtable.h"
#include "mm/memlayout.h"
#include "kernel/panic.h"
#include "kernel/x86.h"

/* Slot i's guard page is at KSTACK_AREA + 2 i pages, its stack the page above. */
static uint32_t slot_va(uint32_t slot)
{
    return KSTACK_AREA + 2 * slot * PGSIZE;
}

/* The area's page table is made now, before any address space exists, so every page
 * directory (which copies the kernel's entries, pgdir_create) shares it. */
void kstack_init(void)
{
    if (!pgtable_walk(pgdir_kernel, KSTACK_AREA, 1))
        panic("kstack_init: no memory for the kernel stacks' page table");
}

void *kstack_alloc(uint32_t slot)
{
    uint32_t pa = frame_alloc(FRAME_KERNEL);
    if (!pa)
        return NULL;
    uint32_t va = slot_va(slot) + PGSIZE;
    if (pgtable_map(pgdir_kernel, va, pa, PTE_W | PTE_G) < 0) {
        frame_free(pa);
        return NULL;
    }
    return (void *)va;
}

void kstack_free(void *stack)
{
    pte_t old = pgtable_unmap(pgdir_kernel, (uint32_t)stack);
    invlpg((uint32_t)stack);            /* a global page: a CR3 reload would keep it */
    frame_free(PTE_ADDR(old));
}

int kstack_guard_slot(uint32_t va)
{
    if (va < KSTACK_AREA || va >= slot_va(KSTACK_SLOTS))
        return -1;
    uint32_t slot = (va - KSTACK_AREA) / (2 * PGSIZE);
    return va < slot_va(slot) + PGSIZE ? (int)slot : -1;
}
