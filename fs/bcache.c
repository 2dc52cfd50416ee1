/* fs/bcache.c: the block cache: a fixed array of block-sized buffers, found by a
 * linear search, and a "last used" stamp per buffer to evict the least recently used. */
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"

struct buf {
    struct blkdev *dev;            /* NULL: holds nothing */
    uint32_t bsize;
    uint32_t block;
    uint32_t last_used;            /* the value of `clock` at its last use */
    int filling;                   /* the disk is filling it: nobody may take it */
    uint8_t data[BCACHE_BLOCK_MAX];
};

static struct buf bufs[BCACHE_NBUF];
static uint32_t clock;             /* counts uses; stamps wrap harmlessly (see victim) */
static struct bcache_stats stats;

static struct buf *lookup(struct blkdev *dev, uint32_t bsize, uint32_t block)
{
    for (struct buf *b = bufs; b < bufs + BCACHE_NBUF; b++)
        if (b->dev == dev && b->block == block && b->bsize == bsize)
            return b;
    return NULL;
}

/* An empty buffer, or else the one unused for longest; NULL if every buffer is
 * being filled. Ages are differences of stamps: right even when the clock wraps. */
static struct buf *victim(void)
{
    struct buf *oldest = NULL;
    for (struct buf *b = bufs; b < bufs + BCACHE_NBUF; b++) {
        if (b->filling)
            continue;
        if (!b->dev)
            return b;
        if (!oldest || clock - b->last_used > clock - oldest->last_used)
            oldest = b;
    }
    return oldest;
}

static void copy_out(struct buf *b, uint32_t off, uint32_t len, void *dst)
{
    b->last_used = ++clock;
    memcpy(dst, b->data + off, len);
}

int bcache_read(struct blkdev *dev, uint32_t bsize, uint32_t block, uint32_t off,
                uint32_t len, void *dst)
{
    if (bsize < SECTOR_SIZE || bsize > BCACHE_BLOCK_MAX || bsize % SECTOR_SIZE) {
        printk("bcache: block size %u not supported\n", bsize);
        return -EINVAL;
    }
    uint32_t per_block = bsize / SECTOR_SIZE;
    if (off > bsize || len > bsize - off || block >= dev->nsectors / per_block) {
        printk("bcache: %s: refused: bytes %u+%u of block %u (%u bytes; the device has %u)\n",
               dev->name, off, len, block, bsize, dev->nsectors / per_block);
        return -EINVAL;
    }
    struct buf *b;
    push_cli();
    for (;;) {
        b = lookup(dev, bsize, block);
        if (b) {
            stats.hits++;
            copy_out(b, off, len, dst);
            pop_cli();
            return 0;
        }
        if ((b = victim()) != NULL)
            break;
        pop_cli();                        /* all being filled: let their owners finish */
        yield();
        push_cli();
    }
    /* The disk may put this process to sleep: meanwhile nobody must find the half-
     * filled buffer or take it. Should another process read the same block at the
     * same time, it fills a buffer of its own; the spare copy just ages out. */
    b->dev = NULL;
    b->filling = 1;
    pop_cli();
    int err = blk_read(dev, block * per_block, per_block, b->data);
    push_cli();
    b->filling = 0;
    if (err == 0) {
        b->dev = dev;
        b->bsize = bsize;
        b->block = block;
        stats.misses++;
        copy_out(b, off, len, dst);
    }
    pop_cli();
    return err;
}

void bcache_forget(struct blkdev *dev)
{
    push_cli();
    for (struct buf *b = bufs; b < bufs + BCACHE_NBUF; b++)
        if (b->dev == dev)
            b->dev = NULL;
    pop_cli();
}

void bcache_stats(struct bcache_stats *st)
{
    push_cli();
    *st = stats;
    pop_cli();
}
