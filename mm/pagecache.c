/* mm/pagecache.c: the page cache (mm/pagecache.h). Each object keeps an index, one 32-bit
 * entry per page, in leaves of 1024 entries under a directory of 1024 leaves: the same
 * two-level shape as an x86 page table (Silberschatz, OSC 9.4), and for the same reason, a
 * file is sparse and 4 MiB of it costs one leaf. An entry is empty (no page), a frame (the
 * page is resident), or a swap slot (a swap-backed page evicted). The entry stays while
 * the page lives, resident or not, so evicting a page never needs memory to record
 * where it went: the entry just changes from frame to slot.
 *
 * A cached frame carries one reference for the cache itself besides one per mapping, so
 * it stays in memory when no process maps it (a file read once and read again) and
 * the replacement policy sees it like any other user page. */
#include "mm/pagecache.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/swap.h"
#include "mm/evict.h"
#include "mm/replace.h"
#include "mm/policy/policy.h"
#include "mm/check.h"
#include "mm/trace.h"
#include "mm/vmstat.h"
#include "mm/kheap.h"
#include "mm/memlayout.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/errno.h"

#define LEAF_ENTRIES 1024
#define ENTRY_FRAME 1u               /* pfn << 2 | ENTRY_FRAME: resident */
#define ENTRY_SWAP 2u                /* slot << 2 | ENTRY_SWAP: out on swap */

static uint32_t cached;              /* frames in all indexes */
static uint32_t swap_refs;           /* slots in all indexes */
static uint32_t written_objects;     /* file objects with `written` set: write-back's work */

uint32_t pcache_pages(void) { return cached; }
uint32_t pcache_swap_refs(void) { return swap_refs; }

void pcache_init(struct pcache *pc, const struct pcache_ops *ops, void *owner,
                 struct pcache_quota *quota)
{
    *pc = (struct pcache){.ops = ops, .owner = owner, .quota = quota};
}

/* Page index's entry, or NULL if its leaf does not exist (create: made, zeroed; NULL
 * then means out of memory). */
static uint32_t *entry(struct pcache *pc, uint32_t index, int create)
{
    if (!pc->dir && (!create || !(pc->dir = kzalloc(LEAF_ENTRIES * sizeof(uint32_t *)))))
        return NULL;
    uint32_t **leaf = &pc->dir[index / LEAF_ENTRIES];
    if (!*leaf && (!create || !(*leaf = kzalloc(LEAF_ENTRIES * sizeof(uint32_t)))))
        return NULL;
    return &(*leaf)[index % LEAF_ENTRIES];
}

static uint32_t entry_value(struct pcache *pc, uint32_t index)
{
    uint32_t *e = entry(pc, index, 0);
    return e ? *e : 0;
}

static struct frame *entry_frame(uint32_t e) { return &frames[e >> 2]; }

int pcache_resident(struct pcache *pc, uint32_t index)
{
    return (entry_value(pc, index) & ENTRY_FRAME) != 0;
}

/* A new page of a swap-backed object takes one page of its quota. */
static int quota_take(struct pcache *pc)
{
    if (!pc->quota)
        return 0;
    if (pc->quota->used >= pc->quota->max)
        return -ENOSPC;
    pc->quota->used++;
    return 0;
}

static void quota_give(struct pcache *pc)
{
    if (pc->quota)
        pc->quota->used--;
}

/* Sleep until frame f is not Busy (its disk transfer is done); the caller looks at the
 * entry again after, as the frame may have left the cache meanwhile. */
static void wait_busy(struct frame *f)
{
    push_cli();
    while (f->state == FRAME_BUSY)
        sleep(f);
    pop_cli();
}

/* Fill frame f with page index: its slot, its file, or zeros. What it took, or -EIO. */
static int fill(struct pcache *pc, struct frame *f, uint32_t index, uint32_t old)
{
    void *page = P2V(frame_pa(f));
    if (old & ENTRY_SWAP) {
        uint32_t slot = old >> 2;
        if (swap_read(slot, page) < 0)
            return -EIO;
        swap_cache_add(f, slot);        /* evicted again unchanged, it need not be written */
        swap_slot_put(slot);            /* the index's reference: the cache holds one now */
        swap_refs--;
        pc->swapped--;
        return TRACE_SWAP_IN;
    }
    if (pc->ops) {
        if (pc->ops->readpage(pc, index, page) < 0)
            return -EIO;
        return TRACE_FILE_FILL;
    }
    check_zeroed(frame_pa(f));
    return TRACE_ZERO_FILL;
}

/* Bring page index in. The frame goes into the index Busy before the disk is read, so a
 * second process that wants the page meanwhile waits for this read instead of starting
 * another (as the swap cache does for anonymous pages, mm/pager.c). */
static int bring_in(struct pcache *pc, uint32_t index, uint32_t old, struct frame **out,
                    int for_io)
{
    int zero = !pc->ops && !(old & ENTRY_SWAP);
    if (zero && quota_take(pc) < 0)
        return -ENOSPC;
    /* May sleep evicting. A new page for write(2) may be refused (tmpfs is then full);
     * a page that exists (on swap, in its file) is fetched as a fault would fetch it. */
    uint32_t pa = for_io && zero ? evict_try_alloc_frame(1) : evict_alloc_frame(zero);
    uint32_t *e = pa ? entry(pc, index, 1) : NULL;
    if (!e || *e != old) {               /* out of memory, or someone was quicker */
        if (pa)
            evict_free_frame(pa);
        if (zero)
            quota_give(pc);
        return !pa || !e ? -ENOMEM : -EAGAIN;
    }
    struct frame *f = frame_of(pa);
    f->pc = pc;
    f->index = index;
    f->refs = 1;                        /* the cache's own reference */
    f->state = FRAME_BUSY;
    trace_frame(pa);
    *e = pa_to_pfn(pa) << 2 | ENTRY_FRAME;
    if (index >= pc->top)
        pc->top = index + 1;
    pc->resident++;
    cached++;
    int r = fill(pc, f, index, old);
    f->state = FRAME_USER;
    trace_frame(pa);
    wakeup(f);
    if (r < 0) {
        *e = old;                       /* the slot keeps the page; a retry may read it */
        pc->resident--;
        cached--;
        f->pc = NULL;
        f->refs = 0;
        evict_free_frame(pa);
        return r;
    }
    replace_loaded(f);
    *out = f;
    return r;
}

/* Faults are counted here, not where the page is filled: read(2) fills pages too. */
void pcache_count_fault(int took)
{
    if (took == TRACE_FILE_FILL || took == TRACE_SWAP_IN)
        VM_COUNT(major_faults);
    else
        VM_COUNT(minor_faults);
    if (took == TRACE_FILE_FILL)
        VM_COUNT(file_fills);
    else if (took == TRACE_SWAP_IN)
        VM_COUNT(swap_ins);
    else if (took == TRACE_ZERO_FILL)
        VM_COUNT(zero_fills);
    else
        VM_COUNT(cache_hits);
}

/* for_io: for read(2) or write(2): a new page for them may be refused when memory and
 * swap are full (the write fails), rather than make the OOM killer take a process. */
static int get_page(struct pcache *pc, uint32_t index, struct frame **out, int for_io)
{
    for (;;) {
        uint32_t e = entry_value(pc, index);
        if (e & ENTRY_FRAME) {
            struct frame *f = entry_frame(e);
            if (f->state == FRAME_BUSY) {
                wait_busy(f);
                continue;
            }
            *out = f;
            return TRACE_CACHE_HIT;
        }
        int r = bring_in(pc, index, e, out, for_io);
        if (r != -EAGAIN)
            return r;
    }
}

int pcache_get(struct pcache *pc, uint32_t index, struct frame **out)
{
    return get_page(pc, index, out, 0);
}

/* A page for read or write: no fault (none is counted), but a page read back from swap
 * is a swap-in, which vmstat counts wherever it happens. */
static int io_page(struct pcache *pc, uint32_t index, struct frame **out)
{
    int r = get_page(pc, index, out, 1);
    if (r == TRACE_SWAP_IN)
        VM_COUNT(swap_ins);
    return r;
}

/* read and write copy through the direct map; the frame is marked used (the policy
 * reads it as a reference, as it reads a mapping's accessed bit). */
static void *page_at(struct frame *f, uint32_t off)
{
    f->flags |= FRAME_SOFTREF;
    return (char *)P2V(frame_pa(f)) + off % PGSIZE;
}

static uint32_t chunk(uint32_t off, uint32_t left)
{
    uint32_t n = PGSIZE - off % PGSIZE;
    return n < left ? n : left;
}

int pcache_read(struct pcache *pc, void *buf, uint32_t off, uint32_t n)
{
    for (uint32_t done = 0; done < n;) {
        uint32_t index = (off + done) / PGSIZE, len = chunk(off + done, n - done);
        struct frame *f;
        if (!pc->ops && entry_value(pc, index) == 0) {
            memset((char *)buf + done, 0, len);     /* a hole reads as zeros, costs nothing */
        } else {
            int r = io_page(pc, index, &f);
            if (r < 0)
                return r;
            memcpy((char *)buf + done, page_at(f, off + done), len);
        }
        done += len;
    }
    return (int)n;
}

int pcache_write(struct pcache *pc, const void *buf, uint32_t off, uint32_t n)
{
    for (uint32_t done = 0; done < n;) {
        uint32_t len = chunk(off + done, n - done);
        struct frame *f;
        int r = io_page(pc, (off + done) / PGSIZE, &f);
        if (r == -ENOMEM && !pc->ops)
            r = -ENOSPC;                /* memory and swap full: tmpfs's device is full */
        if (r < 0)
            return done ? (int)done : r;
        memcpy(page_at(f, off + done), (const char *)buf + done, len);
        f->flags |= FRAME_DIRTY;        /* it differs from its file, or from its slot */
        if (pc->ops)
            pcache_mark_written(pc);
        done += len;
    }
    return (int)n;
}

/* ---- write-back of a file's dirty pages (Tanenbaum, MOS 3.5.8, cleaning policy) ---- */

static void write_protect(struct mm *mm, uint32_t va, pte_t *pte, void *ctx)
{
    (void)ctx;
    pgtable_set(mm->pgdir, va, pte, *pte & ~(PTE_W | PTE_D));
}

/* Write a dirty file page back where it is: it stays cached and mapped. Its PTEs lose the
 * dirty bit and the right to write first, so a store during the write faults and dirties
 * the page again (shared_write_protected) instead of slipping past the copy on its way
 * to the disk; Busy meanwhile, it is neither evicted nor dropped. */
static int clean_page(struct frame *f)
{
    f->state = FRAME_BUSY;
    trace_frame(frame_pa(f));
    rmap_visit(f, write_protect, NULL);
    f->flags &= ~FRAME_DIRTY;
    int err = f->pc->ops->writepage(f->pc, f->index, P2V(frame_pa(f)));
    if (err)
        f->flags |= FRAME_DIRTY;        /* still to be written: it stays dirty */
    else
        VM_COUNT(pages_cleaned);
    rmap_update_pin(f);                 /* User again, or Pinned if a mapping is locked */
    wakeup(f);
    return err;
}

/* A page to write back: resident, not Busy, of an object that can, and dirty. */
static int needs_writeback(struct frame *f)
{
    return (f->state == FRAME_USER || f->state == FRAME_PINNED) && f->pc &&
           f->pc->ops && f->pc->ops->writepage && pol_dirty(f - frames);
}

int pcache_writeback(struct pcache *pc, uint32_t first, uint32_t end)
{
    int err = 0;
    if (!pc->dir || !pc->written)
        return 0;                       /* nothing was ever written */
    for (uint32_t index = first; index < end && index < pc->top;) {
        if (!pc->dir[index / LEAF_ENTRIES]) {
            index = (index / LEAF_ENTRIES + 1) * LEAF_ENTRIES;   /* a hole of 4 MiB */
            continue;
        }
        uint32_t e = entry_value(pc, index);
        struct frame *f = entry_frame(e);
        if ((e & ENTRY_FRAME) && f->state == FRAME_BUSY) {
            wait_busy(f);               /* being read, evicted or cleaned: look again */
            continue;
        }
        if ((e & ENTRY_FRAME) && needs_writeback(f) && clean_page(f) < 0)
            err = -EIO;
        index++;
    }
    return err;
}

void pcache_mark_written(struct pcache *pc)
{
    if (!pc->written)
        written_objects++;
    pc->written = 1;
}

int pcache_sync(struct pcache *pc)
{
    return pcache_writeback(pc, 0, pc->top);
}

/* A sweep of the frame table, not of the objects: cleaning a page sleeps on the disk, and
 * meanwhile objects may come and go, where the table stays. When no object was ever
 * written there is nothing to find, and the periodic write-back costs nothing: with 700
 * MiB of RAM a sweep is 175,000 frames, and how many sweeps fall into a run depends on
 * how long the host's disk takes (docs/performance.md). */
uint32_t pcache_sync_all(void)
{
    uint32_t cleaned = 0;
    for (uint32_t i = 0; written_objects && i < nframes; i++)
        if (needs_writeback(&frames[i]) && clean_page(&frames[i]) == 0)
            cleaned++;
    return cleaned;
}

void pcache_evicted(struct frame *f, uint32_t slot)
{
    struct pcache *pc = f->pc;
    uint32_t *e = entry(pc, f->index, 0);
    *e = slot ? slot << 2 | ENTRY_SWAP : 0;
    if (slot) {
        swap_slot_dup(slot);            /* the index's reference to the slot */
        swap_refs++;
        pc->swapped++;
    } else if (!pc->ops) {
        quota_give(pc);                 /* a page of zeros, never written: gone */
    }
    pc->resident--;
    cached--;
    f->pc = NULL;
    f->flags &= ~FRAME_DIRTY;
    f->refs--;                          /* the cache's reference (the evictor frees f) */
}

static void unmap_one(struct mm *mm, uint32_t va, pte_t *pte, void *ctx)
{
    (void)ctx;
    rmap_unmap(mm, va, pte, 0);
}

/* Remove a page from the object: every mapping of it goes (a process that touches it
 * again gets SIGBUS past the end of the file), then its frame or its slot. */
static void drop_page(struct pcache *pc, uint32_t *e)
{
    while ((*e & ENTRY_FRAME) && entry_frame(*e)->state == FRAME_BUSY)
        wait_busy(entry_frame(*e));     /* being read or evicted: wait for the outcome */
    uint32_t old = *e;
    if (!old)
        return;
    *e = 0;
    if (old & ENTRY_SWAP) {
        swap_slot_put(old >> 2);
        swap_refs--;
        pc->swapped--;
    } else {
        struct frame *f = entry_frame(old);
        rmap_visit(f, unmap_one, NULL);
        f->pc = NULL;
        f->flags &= ~FRAME_DIRTY;
        pc->resident--;
        cached--;
        rmap_put(f);                    /* the cache's reference: the frame is free now */
    }
    if (!pc->ops)
        quota_give(pc);
}

/* Zero the bytes of page index from byte `from` of the page on: the tail of a file's
 * last page, which a mapping would otherwise still show after a truncate. */
static void zero_tail(struct pcache *pc, uint32_t index, uint32_t from)
{
    struct frame *f;
    if (entry_value(pc, index) == 0 || pcache_get(pc, index, &f) < 0)
        return;                         /* a hole, or unreadable: nothing to show */
    memset(page_at(f, from), 0, PGSIZE - from);
    if (!pc->ops)
        f->flags |= FRAME_DIRTY;
}

void pcache_truncate(struct pcache *pc, uint32_t size)
{
    if (!pc->dir)
        return;
    uint32_t first = (uint32_t)(((uint64_t)size + PGSIZE - 1) / PGSIZE);
    if (size % PGSIZE)
        zero_tail(pc, size / PGSIZE, size % PGSIZE);
    for (uint32_t index = first; index < pc->top; index++) {
        uint32_t *leaf = pc->dir[index / LEAF_ENTRIES];
        if (leaf)
            drop_page(pc, &leaf[index % LEAF_ENTRIES]);
        else
            index |= LEAF_ENTRIES - 1;  /* a hole of 4 MiB: on to the next leaf */
    }
}

void pcache_release(struct pcache *pc)
{
    pcache_sync(pc);                    /* what exited mappers left dirty */
    pcache_truncate(pc, 0);
    if (!pc->dir)
        return;
    for (uint32_t l = 0; l * LEAF_ENTRIES < pc->top; l++)
        kfree(pc->dir[l]);
    kfree(pc->dir);
    pc->dir = NULL;
    pc->top = 0;
    written_objects -= pc->written != 0;
    pc->written = 0;
}

int pcache_frame_ok(const struct frame *f)
{
    uint32_t *e = entry(f->pc, f->index, 0);
    return e && *e == (pa_to_pfn(frame_pa(f)) << 2 | ENTRY_FRAME);
}
