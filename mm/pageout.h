/* mm/pageout.h: the pageout daemon and direct reclaim, which keep the free-frame pool
 * between its watermarks (mm/frame.h). */
#ifndef MM_PAGEOUT_H
#define MM_PAGEOUT_H

void pageout_start(void);      /* the daemon, a kernel thread (after init's slot) */
void pageout_reclaim(void);    /* evict until the reserve is whole; holds nothing */

#endif
