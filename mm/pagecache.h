/* mm/pagecache.h: the page cache, the one door between files and memory. Every page of
 * a file (or of a shared anonymous region) that is in memory is one frame, found by
 * (object, page index) and shared by read, write and every mapping of the object
 * (Silberschatz, OSC 9.7 and 12.6.2 "unified buffer cache"; Tanenbaum, MOS 10.4.3 on
 * Linux's page cache). A cached frame names its object and index (struct frame), so the
 * pageout code can find and clean it; the reverse map finds every PTE that maps it.
 *
 * Two kinds of object. A file object has a readpage operation: its pages come from the
 * file. write(2) and a shared writable mapping both dirty the cached page, which goes
 * back to the file through writepage: when it is evicted, on msync, munmap and exit,
 * fsync and sync, and every few seconds (Silberschatz, OSC 9.7.1; Tanenbaum, MOS 3.5.8 on cleaning). A
 * swap-backed object (ops NULL: tmpfs files, shared anonymous memory) has no file: a page
 * starts as zeros, and under pressure it goes to swap, its slot kept in the object's
 * index until the page is wanted again. */
#ifndef MM_PAGECACHE_H
#define MM_PAGECACHE_H

#include <stdint.h>

struct pcache;

struct pcache_ops {
    /* Fill one page-sized kernel buffer with the object's page `index` (bytes past the
     * end of the file are zeros): 0, or -EIO. It may sleep on the disk. */
    int (*readpage)(struct pcache *pc, uint32_t index, void *page);
    /* The page is about to be made writable through a shared mapping: give it its disk
     * blocks now (Linux's page_mkwrite), so that writing it back later allocates
     * nothing and takes no lock. 0, -ENOSPC, -EROFS, -EIO; it may sleep. NULL: the
     * file is shared read-only. */
    int (*mkwrite)(struct pcache *pc, uint32_t index);
    /* Write a dirty page back to its blocks (mkwrite gave it them): 0 or -EIO. It takes
     * no file-system lock, as the pageout daemon calls it in the middle of eviction. */
    int (*writepage)(struct pcache *pc, uint32_t index, const void *page);
};

/* A limit on the pages of a group of swap-backed objects (one tmpfs mount): a new page
 * beyond `max` is refused (-ENOSPC from pcache_write, SIGBUS in a fault). */
struct pcache_quota {
    uint32_t used, max;
};

struct pcache {
    const struct pcache_ops *ops;    /* NULL: swap-backed */
    void *owner;                     /* for ops: the inode; NULL for anonymous memory */
    struct pcache_quota *quota;      /* swap-backed only; NULL: no limit */
    uint32_t **dir;                  /* the index: entries in leaves of 1024 (mm/pagecache.c) */
    uint32_t resident;               /* pages in frames */
    uint32_t swapped;                /* pages out on swap (swap-backed only) */
    uint32_t top;                    /* 1 + the highest page index ever in the index */
    int written;                     /* write(2) or a shared mapping (mkwrite) wrote a
                                      * page: pages may be dirty, write-back has work */
};

/* A new, empty object. An inode embeds its object and initializes it once. */
void pcache_init(struct pcache *pc, const struct pcache_ops *ops, void *owner,
                 struct pcache_quota *quota);

/* Copy n bytes at byte offset off between the object and a kernel buffer, bringing
 * pages in as needed; the caller bounds off + n by the file's size. read: n or -EIO /
 * -ENOMEM. write: n, or -ENOSPC (a swap-backed object's quota, or memory and swap full),
 * -ENOMEM, -EIO; the pages become dirty (a file's: the caller gave them blocks first). Neither touches user memory, so a caller may hold a file-system lock. */
int pcache_read(struct pcache *pc, void *buf, uint32_t off, uint32_t n);
int pcache_write(struct pcache *pc, const void *buf, uint32_t off, uint32_t n);

/* The file is now `size` bytes: every page wholly past it is unmapped from every process
 * and dropped (its swap slot freed); the tail of a partial last page becomes zeros. A
 * mapping that touches a dropped page later gets SIGBUS. */
void pcache_truncate(struct pcache *pc, uint32_t size);

/* Write every dirty page of a file object back to the file (fsync): 0 or -EIO; and of
 * every object (sync, and the periodic write-back), returning how many it cleaned. */
int pcache_sync(struct pcache *pc);
uint32_t pcache_sync_all(void);

/* A page of the file object may be dirty now (write(2), or mkwrite for a shared mapping):
 * its write-back has work, until the object is released. */
void pcache_mark_written(struct pcache *pc);

/* The object's owner is going (an inode freed): its dirty pages are written back, then
 * pcache_truncate(pc, 0), and the index itself is freed. Nothing may map it any more. */
void pcache_release(struct pcache *pc);

/* Pages cached in every object, for vmstat and the leak check. */
uint32_t pcache_pages(void);

/* ---- inside mm/ only: the fault path, eviction and vm.check ------------------------- */
struct frame;

/* The frame holding page `index`, brought in if it is not resident (from the file, from
 * swap, or as zeros for a swap-backed object); it waits while another process brings
 * it in. What it took, as a trace kind (mm/trace.h): TRACE_CACHE_HIT, TRACE_ZERO_FILL,
 * TRACE_FILE_FILL or TRACE_SWAP_IN (the last two read the disk); or -ENOMEM, -EIO,
 * -ENOSPC (the quota). */
int pcache_get(struct pcache *pc, uint32_t index, struct frame **out);
/* Count a fault that pcache_get served: major if it took the disk, else minor. */
void pcache_count_fault(int took);
/* Write back the dirty pages of [first, end) (page indexes) of a file object: msync, and
 * a shared mapping's munmap or exit. 0 or -EIO. */
int pcache_writeback(struct pcache *pc, uint32_t first, uint32_t end);
/* Is f a page of a file object, which a dirty eviction writes back to its file? */
static inline int pcache_file_page(const struct pcache *pc) { return pc && pc->ops; }
/* Is page `index` in a frame now? (mincore) */
int pcache_resident(struct pcache *pc, uint32_t index);
/* The evictor has unmapped cached frame f from every process and, if it was dirty, written
 * it to `slot` (0: none, the page comes back from the file or as zeros): the index forgets
 * the frame and holds the slot instead, and the cache's reference to f goes. */
void pcache_evicted(struct frame *f, uint32_t slot);
/* vm.check: the index entry of cached frame f names f. */
int pcache_frame_ok(const struct frame *f);
/* Swap-slot references that the indexes hold (pages of objects out on swap). */
uint32_t pcache_swap_refs(void);

#endif
