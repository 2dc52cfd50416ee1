/* mm/kstack.h: kernel stacks with a guard page below each (mm/kstack.c). */
#ifndef MM_KSTACK_H
#define MM_KSTACK_H

#include <stdint.h>

#define KSTACK_AREA 0xFF800000u        /* above the direct map's largest end (0xF0000000) */
#define KSTACK_SLOTS 64                /* one per process slot (NPROC) */

void kstack_init(void);                /* before the first address space is made */
void *kstack_alloc(uint32_t slot);     /* the page-sized stack of process slot `slot` */
void kstack_free(void *stack);
int kstack_guard_slot(uint32_t va);    /* the slot whose guard page holds va, or -1 */

#endif
