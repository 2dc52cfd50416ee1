/* mm/evict.h: frames for user pages, evicting a victim when none is free. */
#ifndef MM_EVICT_H
#define MM_EVICT_H

#include <stdint.h>

void evict_init(void);               /* reads vm.frames */
uint32_t evict_alloc_frame(int zeroed);  /* a frame for a user page (zeroed if asked),
                                         * 0 if the process must die */
/* The same for a new page that a system call wants and can do without (a tmpfs file's
 * page for write): never the OOM killer, and no eviction once swap is full; 0 then, and
 * the call fails (ENOSPC) instead of some process dying for a file's page. */
uint32_t evict_try_alloc_frame(int zeroed);

/* Evict one victim, or if nothing can go, kill the largest process (OOM) and wait for
 * its memory: 0, or -ENOMEM when the caller itself was chosen or nothing is left. */
int evict_or_oom(void);
/* The pageout daemon: evict up to n victims, writing the dirty ones to adjacent swap
 * slots in one disk command. 0 if any went; -ENOMEM (none evictable), -ENOSPC (swap full). */
#define EVICT_CLUSTER_MAX 32
int evict_cluster(uint32_t n);
/* Out of memory and swap: the OOM killer takes the biggest process other than init and
 * waits for memory to come back. 0: try the allocation again; -ENOMEM: the caller was
 * chosen itself, or only init is left. */
int evict_oom_kill(void);

/* Local replacement: before region v of mm gets one more page, a process at its RSS
 * limit (setrlimit RLIMIT_RSS) gives up one of its own pages. */
struct mm;
struct vma;
void evict_local(struct mm *mm, struct vma *v);
void evict_free_frame(uint32_t pa);
uint32_t evict_frames_used(void);
uint32_t evict_frames_limit(void);
    /* vm.frames, or the number of free frames at boot */

#endif
