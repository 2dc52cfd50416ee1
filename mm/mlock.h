/* mm/mlock.h: locking regions in memory (mlock, mlockall): their pages are brought in
 * now and pinned, so they never compete with the process's other pages for frames. */
#ifndef MM_MLOCK_H
#define MM_MLOCK_H

#include <stdint.h>

struct mm;

/* RLIMIT_MEMLOCK's default, as Linux's since 5.16: 8 MiB. Pagoda has no capabilities,
 * so root (everyone here) is not exempt; a program may raise its own limit. */
#define MEMLOCK_DEFAULT (8ull << 20)

/* Lock (lock=1) or unlock the regions of [start, end), page-aligned: 0, -ENOMEM if a
 * page of the range is in no region, cannot be brought in or RLIMIT_MEMLOCK would be
 * passed, -EAGAIN if memory cannot hold that many pinned pages, -EIO if one cannot be
 * read. A lock that fails leaves the range unlocked. */
int mlock_range(struct mm *mm, uint32_t start, uint32_t end, int lock);

/* Lock or unlock every region the address space has now (the same errors). */
int mlock_all(struct mm *mm, int lock);

#endif
