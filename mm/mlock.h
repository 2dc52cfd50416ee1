/* mm/mlock.h: locking regions in memory (mlock, mlockall): their pages are brought in
 * now and pinned, so they never compete with the process's other pages for frames. */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include <stdint.h>

struct mm;

/* Lock (lock=1) or unlock the regions of [start, end), page-aligned: 0, -ENOMEM if a
 * page of the range is in no region or cannot be brought in, -EIO if it cannot be read. */
int vm_lock_range(struct mm *mm, uint32_t start, uint32_t end, int lock);

/* Lock or unlock every region the address space has now. */
int vm_lock_all(struct mm *mm, int lock);

#endif
