/* mm/pageout.h: the pageout daemon and direct reclaim, which keep the free-frame pool
 * between its watermarks (mm/frame.h). */
#ifndef MM_PAGEOUT_H
#define MM_PAGEOUT_H

void pageout_start(void);      /* the daemon, a kernel thread (after init's slot) */
void pageout_reclaim(void);    /* evict until the reserve is whole; holds nothing */
void pageout_wake(void);       /* a user page was taken below low: the daemon evicts */
/* The sample (mm_sample) calls this: every WRITEBACK_TICKS the daemon writes back the
 * pages shared file mappings dirtied. */
void pageout_writeback_tick(void);

#endif
