/* mm/evict.c: getting a frame for a user page (Tanenbaum, MOS 3.6.2 step 4). A free one
 * if the user may have more; otherwise the active policy names a victim, which is
 * written to swap only if it is dirty, dropped if a clean copy exists (its file, zeros,
 * or its swap slot), and unmapped from every PTE that maps it. The pageout daemon
 * (mm/pageout.c) evicts in clusters ahead of need. When nothing can be evicted, the
 * process with the largest footprint is killed (OOM) and we wait for its memory. */
#include "mm/evict.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/uffd.h"
#include "mm/replace.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "mm/check.h"
#include "mm/trace.h"
#include "mm/pgtable.h"
#include "mm/pager.h"
#include "mm/pagecache.h"
#include "mm/pageout.h"
#include "mm/share.h"
#include "mm/memlayout.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/errno.h"
#include "kernel/trap.h"
#include "kernel/panic.h"      /* the swap lab's stub (docs/labs/swap.md) */

static uint32_t user_frames;         /* frames holding user pages now */
static uint32_t user_frame_limit;    /* vm.frames, or every frame */

void evict_init(void)
{
    long limit = cmdline_int("vm.frames", 0);
    user_frame_limit = limit > 0 ? (uint32_t)limit : frames_free_count();
    if (limit > 0)
        printk("vm.frames=%ld: user pages limited to %ld frames\n", limit, limit);
}

uint32_t evict_frames_used(void) { return user_frames; }
uint32_t evict_frames_limit(void) { return user_frame_limit; }

void evict_free_frame(uint32_t pa)
{
    user_frames--;
    frame_free(pa);
}

static int evictable(uint32_t f, void *ctx)
{
    (void)ctx;
    return frames[f].state == FRAME_USER && frames[f].refs > 0;
}

/* Replace one mapping of the victim with its swap entry (or with 0 when the page
 * can be recreated from its file or as zeros). */
static void unmap_to_swap(struct mm *mm, uint32_t va, pte_t *pte, void *ctx)
{
    uint32_t slot = *(uint32_t *)ctx;
    if (slot) {
        swap_slot_dup(slot);
        mm->swapped++;
    }
    pte_t wp = (*pte & PTE_UFFD_WP) ? SWP_UFFD_WP : 0;
    rmap_unmap(mm, va, pte, slot ? swp_entry(slot) | wp : 0);
}

/* LAB swap: BEGIN */
/* Choose the slot a dirty victim is written to: its own cached slot if nobody else
 * refers to it, or a fresh one. 0 when swap is full (or absent). */
static uint32_t slot_for_dirty_page(struct frame *f)
{
    if (f->swap_slot && swap_slot_refs(f->swap_slot) == 1)
        return f->swap_slot;
    swap_cache_drop(f);
    uint32_t slot = swap_enabled() ? swap_slot_alloc() : 0;
    if (slot) {
        swap_cache_add(f, slot);
        swap_slot_put(slot);            /* the cache now holds the only reference */
    }
    return slot;
}

/* LAB swap: STUB
LAB swap: END */

/* A victim's life, in three steps. First it leaves circulation: Busy (nobody maps or
 * picks it while we work) and gone from the policy's view. */
static void take_victim(struct frame *f)
{
    f->state = FRAME_BUSY;
    trace_frame(frame_pa(f));
    replace_removed(f);
}

/* Then every PTE that maps it is cleared, through the reverse map, and names `slot`
 * (0: the page comes back from its file or as zeros). A page of the page cache is shared
 * by all its mappers through one index entry, which holds the slot instead: their PTEs
 * are cleared, and a fault finds the page through the index (mm/pagecache.c). */
static void unmap_victim(struct frame *f, uint32_t slot, int kind)
{
    trace_eviction(f, kind);
    uint32_t pte_slot = f->pc ? 0 : slot;
    rmap_visit(f, unmap_to_swap, &pte_slot);
}

/* Last, with its write done (or none needed), the frame is free. Swap-ins waiting for
 * it wake and read the slot from the disk. */
static void release_victim(struct frame *f, uint32_t slot)
{
    if (f->pc)
        pcache_evicted(f, slot);        /* its index entry names the slot now */
    pager_settle(f, 0);
    swap_cache_drop(f);
    f->state = FRAME_USER;
    wakeup(f);
    evict_free_frame(frame_pa(f));
    check_after_eviction();
}

/* A dirty page of a file mapped shared: its backing store is the file itself (Silberschatz,
 * OSC 9.7.1), so it is written back to its blocks, not to swap, and then it is clean: the
 * next fault reads it from the file. If the write fails the page stays, dirty, in the
 * cache (its mappings gone: they fault it back from there). */
static int write_back(struct frame *f)
{
    take_victim(f);
    unmap_victim(f, 0, TRACE_FILE_WRITEBACK);
    int err = f->pc->ops->writepage(f->pc, f->index, P2V(frame_pa(f)));
    VM_COUNT(file_writebacks);
    if (err) {
        printk("page cache: write-back of page %u failed: kept in memory, dirty\n", f->index);
        f->flags |= FRAME_DIRTY;
        f->state = FRAME_USER;
        trace_frame(frame_pa(f));
        replace_loaded(f);
        wakeup(f);
        return err;
    }
    release_victim(f, 0);
    return 0;
}

/* Dirty, and written to swap (not to a file) if evicted. */
static int dirty_for_swap(uint32_t f)
{
    return pol_dirty(f) && !pcache_file_page(frames[f].pc);
}

/* Tanenbaum, MOS 3.6.2 step 5, the victim's side: write back dirty pages only, unmap everywhere. */
static int swap_out(struct frame *f)
{
    int dirty = pol_dirty(f - frames);
    if (dirty && pcache_file_page(f->pc))
        return write_back(f);
    /* LAB swap: BEGIN */
    uint32_t slot = dirty ? slot_for_dirty_page(f) : f->swap_slot;
    if (dirty && !slot)
        return -ENOSPC;
    take_victim(f);
    unmap_victim(f, slot, dirty ? TRACE_SWAP_OUT : slot ? TRACE_WRITEBACK_AVOIDED : TRACE_CLEAN_DROP);
    int err = 0;
    if (dirty) {
        err = swap_write(slot, P2V(frame_pa(f)));   /* the process sleeps; others run */
        VM_COUNT(swap_outs);
        if (err) {
            printk("swap: write of slot %u failed: its owners will die of SIGBUS\n", slot);
            swap_slot_mark_broken(slot);
        }
    } else if (slot) {
        VM_COUNT(writebacks_avoided);   /* clean, and its swap copy is still good */
    } else {
        VM_COUNT(clean_drops);          /* clean: refetch from the file, or zero fill */
    }
    release_victim(f, slot);
    return err;
    /* LAB swap: STUB
    panic("lab swap: write swap_out() in mm/evict.c (docs/labs/swap.md)");
    LAB swap: END */
}

/* Clustering (Tanenbaum, MOS 3.5.8; Linux's swap clusters): dirty victims chosen
 * together go to adjacent slots, written by one disk command, not one 4 KiB request
 * each. They are all unmapped before the write starts: nothing sleeps in between, so
 * no process can write to a page whose old contents are on their way to the disk. */
static void write_run(struct frame **run, uint32_t first, uint32_t n)
{
    void *pages[EVICT_CLUSTER_MAX];
    for (uint32_t i = 0; i < n; i++) {
        swap_cache_drop(run[i]);        /* its old slot, if any: the page changed */
        swap_cache_add(run[i], first + i);
        swap_slot_put(first + i);       /* the cache now holds the only reference */
        unmap_victim(run[i], first + i, TRACE_SWAP_OUT);
        pages[i] = P2V(frame_pa(run[i]));
    }
    int err = swap_write_pages(first, pages, n);
    VM_COUNT(swap_clusters);
    for (uint32_t i = 0; i < n; i++) {
        VM_COUNT(swap_outs);
        if (err) {
            printk("swap: write of slot %u failed: its owners will die of SIGBUS\n", first + i);
            swap_slot_mark_broken(first + i);
        }
        release_victim(run[i], first + i);
    }
}

/* Write the dirty victims in runs of adjacent free slots. The ones swap has no room
 * for stay resident and go back to the policy. How many were written. */
static uint32_t write_cluster(struct frame **dirty, uint32_t n)
{
    uint32_t done = 0;
    while (done < n) {
        uint32_t got = 0, first = swap_enabled() ? swap_slot_alloc_run(n - done, &got) : 0;
        if (!first)
            break;
        write_run(dirty + done, first, got);
        done += got;
    }
    for (uint32_t i = done; i < n; i++) {
        dirty[i]->state = FRAME_USER;
        trace_frame(frame_pa(dirty[i]));
        replace_loaded(dirty[i]);
    }
    return done;
}

int evict_cluster(uint32_t n)
{
    struct frame *dirty[EVICT_CLUSTER_MAX];
    uint32_t ndirty = 0, clean = 0;
    if (n > EVICT_CLUSTER_MAX)
        n = EVICT_CLUSTER_MAX;
    while (ndirty + clean < n) {
        struct frame *f = replace_choose_victim(evictable, NULL);
        if (!f)
            break;
        if (dirty_for_swap(f - frames)) {
            take_victim(f);             /* held Busy until the cluster is written */
            dirty[ndirty++] = f;
        } else {
            swap_out(f);                /* clean: dropped at once, no disk I/O */
            clean++;
        }
    }
    uint32_t written = write_cluster(dirty, ndirty);
    if (clean + written)
        return 0;
    return ndirty ? -ENOSPC : -ENOMEM;
}

/* Local replacement's filter: evictable, and mapped by this address space. */
static int evictable_from(uint32_t f, void *mm)
{
    return evictable(f, NULL) && rmap_mapped_by(&frames[f], mm);
}

/* Local replacement (Silberschatz, OSC 9.5.3): the victim is chosen by the active policy
 * among the process's own frames. Locked regions are outside the limit: their pages
 * neither count nor make room. A page shared copy-on-write counts in every process
 * that maps it, and one of them at its limit may evict it (the others fault it back
 * from swap). When nothing of its own can go (every frame pinned by another process's
 * lock, or swap full), the limit gives way for this page rather than kill the process. */
void evict_local(struct mm *mm, struct vma *v)
{
    uint32_t limit = share_local_limit(mm);
    if (!limit || (v->flags & VMA_LOCKED))
        return;
    while (mm->resident - mm->locked >= limit) {
        struct frame *victim = replace_choose_victim(evictable_from, mm);
        if (!victim || swap_out(victim) == -ENOSPC)
            return;
    }
}

/* With swap full a dirty page cannot go, but a clean one, or a dirty one whose own slot
 * it may overwrite, still can. */
static int evictable_without_new_slot(uint32_t f, void *ctx)
{
    uint32_t slot = frames[f].swap_slot;
    return evictable(f, ctx) && (!dirty_for_swap(f) || (slot && swap_slot_refs(slot) == 1));
}

static int evict_one(void)
{
    struct frame *victim = replace_choose_victim(evictable, NULL);
    if (!victim)
        return -ENOMEM;
    if (swap_out(victim) != -ENOSPC)
        return 0;
    victim = replace_choose_victim(evictable_without_new_slot, NULL);
    return victim && swap_out(victim) != -ENOSPC ? 0 : -ENOSPC;
}

static uint32_t footprint(const struct proc *p)
{
    return p->mm->resident + p->mm->swapped;
}

/* The OOM killer's choice (Silberschatz, OSC 9.10; Tanenbaum,
 * Modern Operating Systems 3.4): the process with the largest footprint, its pages in
 * memory and on swap together (Linux's badness counts both: a process pushed out to swap
 * frees swap by dying, and under pressure most of a big one is out there), but never
 * init while another candidate exists (its death ends the system). *dying says whether
 * an earlier victim is still on its way out: its memory is about to come back. */
static struct proc *oom_choose(int *dying)
{
    struct proc *victim = NULL;
    *dying = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        if (p->state == PROC_UNUSED || p->state == PROC_ZOMBIE || !p->mm)
            continue;
        if (p->killed) {
            *dying |= p != myproc();
            continue;
        }
        if (!victim || (victim->pid == 1 && p->pid != 1) ||
            (p->pid != 1 && footprint(p) > footprint(victim)))
            victim = p;
    }
    return victim;
}

/* How long an allocation waits for an earlier victim to die before it chooses another
 * (a victim asleep in wait4 only dies when its child does). */
#define OOM_GRACE_TICKS 100
static uint32_t last_oom_kill;

/* Sleep one timer tick: then the caller looks at memory again. (Not until a frame is
 * freed: a victim that cannot die yet frees none, and the waiter must go on.) */
static void wait_a_tick(void)
{
    push_cli();
    sleep((void *)&ticks);
    pop_cli();
}

/* Out of memory and swap: kill the chosen process, then wait for its exit to free
 * memory; 0 to try again, -ENOMEM if the caller itself was chosen or none is left. */
int evict_oom_kill(void)
{
    int dying;
    struct proc *victim = oom_choose(&dying);
    if (dying && ticks - last_oom_kill < OOM_GRACE_TICKS) {
        wait_a_tick();
        return 0;
    }
    if (!victim || (victim->pid == 1 && victim != myproc()))
        return -ENOMEM;                 /* init only: let the caller's allocation fail */
    printk("oom: out of memory and swap: killed pid %d (%s), %u resident pages, %u on swap\n",
           victim->pid, victim->name, victim->mm->resident, victim->mm->swapped);
    VM_COUNT(oom_kills);
    last_oom_kill = ticks;
    proc_kill(victim, SIGKILL);
    if (victim == myproc())
        return -ENOMEM;
    wait_a_tick();                      /* the victim's exit frees its frames */
    return 0;
}

int evict_or_oom(void)
{
    if (evict_one() == 0) {
        VM_COUNT(direct_reclaims);
        return 0;
    }
    return evict_oom_kill();
}

/* A user page never takes the reserve below the min watermark (mm/pageout.c): below
 * it, or at the vm.frames quota, the allocating process evicts first (direct reclaim).
 * One that leaves fewer than low frames free wakes the pageout daemon. When nothing can be
 * evicted, may_kill says whether the OOM killer may make room. */
static uint32_t alloc_user_frame(int zeroed, int may_kill)
{
    const struct frame_watermarks *wm = frame_watermarks();
    struct proc *me = myproc();
    for (;;) {
        if (me && me->killed)
            return 0;
        uint32_t nfree = frames_free_count();
        if (user_frames < user_frame_limit && nfree > wm->min) {
            uint32_t pa = zeroed ? frame_alloc_zeroed(FRAME_USER) : frame_alloc(FRAME_USER);
            if (pa) {
                user_frames++;
                if (nfree <= wm->low)        /* fewer than low are left now */
                    pageout_wake();
                return pa;
            }
        }
        /* A new page that can be done without is not worth an eviction when swap is full:
         * it could never leave RAM, and would push out the pages processes run on. */
        if (!may_kill && !swap_slots_free())
            return 0;
        if (evict_one() == 0)
            VM_COUNT(direct_reclaims);
        else if (!may_kill || evict_oom_kill() < 0)
            return 0;
    }
}

uint32_t evict_alloc_frame(int zeroed) { return alloc_user_frame(zeroed, 1); }
uint32_t evict_try_alloc_frame(int zeroed) { return alloc_user_frame(zeroed, 0); }
