/* mm/evict.h: frames for user pages, evicting a victim when none is free. */
#ifndef MM_EVICT_H
#define MM_EVICT_H

#include <stdint.h>

void evict_init(void);               /* reads vm.frames */
uint32_t frame_alloc_user(void);     /* a frame for a user page, 0 if the process must die */

/* Out of memory and swap: the OOM killer takes the biggest process other than init and
 * waits for memory to come back. 0: try the allocation again; -ENOMEM: the caller was
 * chosen itself, or only init is left. */
int evict_oom_kill(void);

/* Local replacement: before region v of mm gets one more page, a process at its RSS
 * limit (setrlimit RLIMIT_RSS) gives up one of its own pages. */
struct mm;
struct vma;
void evict_local(struct mm *mm, struct vma *v);
void frame_free_user(uint32_t pa);
uint32_t user_frames_in_use(void);
uint32_t user_frames_limit(void);
    /* vm.frames, or the number of free frames at boot */

#endif
