/* mm/vmstat.c: counting VM events. Each event is counted twice: in the system-wide
 * totals and in the running process's own counters (kept until it is reaped). */
#include "mm/vmstat.h"
#include "kernel/proc.h"

struct vm_counters vm_global_counters;

void vm_count_add(uint32_t offset, uint64_t n)
{
    *(uint64_t *)((char *)&vm_global_counters + offset) += n;
    struct proc *p = myproc();
    if (p)
        *(uint64_t *)((char *)&p->vm + offset) += n;
}
