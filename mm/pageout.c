/* mm/pageout.c: the pageout daemon and direct reclaim, which keep the free-frame pool
 * above its watermarks (mm/frame.c) so that an allocation finds a frame at once.
 *
 * Tanenbaum, MOS 3.5.8 ("Cleaning Policy"): a background process,
 * the paging daemon, sleeps most of the time and wakes to evict pages when too few
 * frames are free, so that a fault need not wait for a victim to be written. Here:
 *  - A user page taken below the low watermark wakes the daemon (a kernel thread, pid 2),
 *    which evicts until the pool is back at high, writing dirty victims to adjacent
 *    swap slots in clusters (evict_cluster in mm/evict.c).
 *  - A user page is never given the last `min` frames: the allocating process first
 *    evicts itself (direct reclaim, evict_alloc_frame in mm/evict.c).
 *  - The kernel's own allocations (page tables, heap pages, kernel stacks, pipe
 *    buffers) never sleep: a sleep in the middle of, say, fork's page-table copy would
 *    let other processes change what it is copying. They may take the reserve below
 *    min instead, and every path that allocates refills the reserve where it holds
 *    nothing: at each system call's entry (pageout_reclaim) and between the page tables
 *    of a fork. Eviction itself allocates nothing, so it can always finish.
 *  - Every WRITEBACK_TICKS the daemon also cleans: the dirty pages of files (written by
 *    write(2) or through shared mappings) go back to their files (pcache_sync_all,
 *    mm/pagecache.c), so that what a program writes reaches the disk within seconds, not only at eviction or
 *    munmap (Tanenbaum's paging daemon cleans as well as evicts; Linux's flusher threads
 *    write back dirty pages older than 30 s). */
#include "mm/pageout.h"
#include "mm/frame.h"
#include "mm/evict.h"
#include "mm/pagecache.h"
#include "mm/vmstat.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/panic.h"
#include "kernel/cmdline.h"
#include "kernel/trap.h"

static uint32_t cluster = 16;        /* vm.cluster: dirty victims written by one command */

#define WRITEBACK_TICKS 500          /* 5 s between write-backs of dirty file pages */
static volatile int writeback_due;   /* set by pageout_writeback_tick, cleared by the daemon */
static int pool_low;                 /* the channel the daemon sleeps on */
static int daemon_awake;             /* woken, and not gone back to sleep on pool_low since */

void pageout_writeback_tick(void)
{
    static uint32_t last;
    if (ticks - last < WRITEBACK_TICKS)
        return;
    last = ticks;
    writeback_due = 1;
    wakeup(&pool_low);
}

/* The frame allocator (mm/frame.c) is below the scheduler and cannot wake anyone, so the
 * one who takes a user page below low does it (evict_alloc_frame), once until the
 * daemon sleeps again. The kernel's own allocations leave it to the next user page. */
void pageout_wake(void)
{
    if (!daemon_awake) {
        daemon_awake = 1;
        wakeup(&pool_low);
    }
}

/* Sleep until the pool falls below low (pageout_wake), or for a tick after
 * a round that could evict nothing (every page pinned, busy, or swap full): what the
 * allocators cannot get they settle with the OOM killer, not with us spinning. */
static void wait_for_work(int idle_tick)
{
    const struct frame_watermarks *wm = frame_watermarks();
    push_cli();
    if (idle_tick)
        sleep((void *)&ticks);          /* the timer wakes this channel every tick */
    while (frames_free_count() >= wm->low && !writeback_due) {
        daemon_awake = 0;
        sleep(&pool_low);
    }
    pop_cli();
}

static void pageout_daemon(void)
{
    const struct frame_watermarks *wm = frame_watermarks();
    int stuck = 0;
    for (;;) {
        wait_for_work(stuck);
        stuck = 0;
        int low = frames_free_count() < wm->low;   /* else woken to write back only */
        if (writeback_due) {
            writeback_due = 0;
            VM_ADD(periodic_cleaned, pcache_sync_all());
        }
        while (low && !stuck && frames_free_count() < wm->high)
            stuck = evict_cluster(cluster) < 0;
    }
}

void pageout_start(void)
{
    long n = cmdline_int("vm.cluster", 16);
    cluster = n < 1 ? 1 : n > EVICT_CLUSTER_MAX ? EVICT_CLUSTER_MAX : (uint32_t)n;
    if (!proc_kthread("pageout", pageout_daemon))
        panic("pageout: no process slot for the daemon");
}

/* Direct reclaim: called where the caller holds nothing, it evicts until the reserve
 * is whole again (the OOM killer decides when nothing can go). */
void pageout_reclaim(void)
{
    const struct frame_watermarks *wm = frame_watermarks();
    struct proc *p = myproc();
    while (frames_free_count() < wm->min && !(p && p->killed))
        if (evict_or_oom() < 0)
            return;
}
