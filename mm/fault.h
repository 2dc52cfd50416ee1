/* mm/fault.h: the page-fault handler, entered from trap() for vector 14. */
#ifndef MM_FAULT_H
#define MM_FAULT_H

struct trapframe;
void page_fault(struct trapframe *tf);

#endif
