/* mm/check.h: vm.check=1, the VM's invariants checked after faults, evictions and
 * exits (mm/check.c lists them). */
#ifndef MM_CHECK_H
#define MM_CHECK_H

#include <stdint.h>

struct mm;

void check_init(void);                           /* reads vm.check */
int check_vm(char *why, uint32_t len);           /* the whole system: 0, or -1 and why */
void check_after_fault(struct mm *mm, uint32_t va);
void check_zeroed(uint32_t pa);                  /* a frame handed out as zeroed holds zeros */
void check_after_eviction(void);
void check_after_exit(void);

#endif
