/* kernel/leakcheck.c: compares the kernel's resource counts with a baseline. Frames
 * count as in use when they hold user pages or page tables; heap frames are left out
 * (the heap keeps emptied pages for reuse) and heap objects are counted instead. */
#include "kernel/leakcheck.h"
#include "kernel/proc.h"
#include "kernel/printk.h"
#include "mm/mm.h"
#include "mm/kheap.h"
#include "mm/pagecache.h"
#include "fs/tmpfs.h"
#include "fs/vfs.h"

struct snapshot {
    uint32_t frames;             /* free frames plus frames held by the heap */
    uint32_t heap_objects, heap_bytes;
    uint32_t procs;
    uint32_t swap_slots;         /* free swap slots, and those retired after a write error */
    uint32_t tmpfs_inodes;       /* files left in /tmp or /dev/shm */
    uint32_t cached_pages;       /* pages in the page cache */
};

static struct snapshot baseline;

/* Closed files' clean pages stay cached (fs/vfs.c) and are no leak: they are given
 * back first, as memory pressure would take them, so a page or inode that is still
 * counted is one something holds. */
static void take(struct snapshot *s)
{
    vfs_drop_unused();
    struct kheap_stats h;
    struct mm_usage u;
    kheap_stats(&h);
    mm_usage(&u);
    s->frames = u.frames_free + h.pages;
    s->heap_objects = h.objects;
    s->heap_bytes = h.bytes;
    s->procs = procs_in_use();
    s->swap_slots = u.swap_slots;
    s->tmpfs_inodes = tmpfs_inodes();
    s->cached_pages = pcache_pages();
}

void leakcheck_baseline(void)
{
    take(&baseline);
}

static int compare(const char *what, uint32_t before, uint32_t after)
{
    printk(" %s %u -> %u", what, before, after);
    return before != after;
}

int leakcheck_report(void)
{
    struct snapshot now;
    take(&now);
    printk("leakcheck:");
    int leaks = compare("frames", baseline.frames, now.frames);
    leaks |= compare("heap-objects", baseline.heap_objects, now.heap_objects);
    leaks |= compare("heap-bytes", baseline.heap_bytes, now.heap_bytes);
    leaks |= compare("processes", baseline.procs, now.procs);
    leaks |= compare("swap-slots", baseline.swap_slots, now.swap_slots);
    leaks |= compare("tmpfs-inodes", baseline.tmpfs_inodes, now.tmpfs_inodes);
    leaks |= compare("cached-pages", baseline.cached_pages, now.cached_pages);
    printk(": %s\n", leaks ? "LEAK" : "ok");
    return leaks;
}
