/* mm/fault.h: the page-fault handler, entered from trap() for vector 14
 * (page_fault, declared in mm/mm.h). */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdint.h>

struct mm;
int vm_fault(struct mm *mm, uint32_t addr, uint32_t err);   /* 0, -EFAULT, -ENOMEM, -EIO, -ENXIO */

#endif
