/* mm/check.h: vm.check=1, the VM's invariants checked after faults, evictions and
 * exits (mm/check.c lists them). */
#ifndef MM_CHECK_H
#define MM_CHECK_H

#include <stdint.h>

struct mm;

void check_init(void);                           /* reads vm.check */
int check_vm(char *why, uint32_t len);           /* the whole system: 0, or -1 and why */
void check_after_fault(struct mm *mm, uint32_t va);
/* A frame handed out as zeroed holds zeros. Inline: a demand-zero fault pays one test. */
extern int check_on;
void check_zeroed_frame(uint32_t pa);
static inline void check_zeroed(uint32_t pa)
{
    if (check_on)
        check_zeroed_frame(pa);
}
void check_after_eviction(void);
void check_after_exit(void);

#endif
