/* mm/fault.h: the page-fault handler, entered from trap() for vector 14. */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdint.h>

struct trapframe;
void page_fault(struct trapframe *tf);

struct mm;
int vm_fault(struct mm *mm, uint32_t addr, uint32_t err);   /* 0, -EFAULT, -ENOMEM, -EIO, -ENXIO */

#endif
