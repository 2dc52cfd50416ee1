/* mm/fault.h: the page-fault handler, entered from trap() for vector 14
 * (fault_handler, declared in mm/mm.h). */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdint.h>

struct mm;
/* Make addr present in mm for the access err describes (PFERR_W: a write): 0, -EFAULT,
 * -ENOMEM, -EIO, -ENXIO, -ENOSPC or -EUFFD_SIGBUS (SIGBUS). */
int fault_resolve(struct mm *mm, uint32_t addr, uint32_t err);

/* Not an errno user space sees: a missing page of a region whose userfaultfd asked for
 * UFFD_FEATURE_SIGBUS (mm/uffd.c), which the handler turns into SIGBUS. */
#define EUFFD_SIGBUS 600

#endif
