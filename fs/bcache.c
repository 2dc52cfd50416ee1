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
    int pins;                      /* the disk is filling or writing it: nobody may take it */
    int filling;                   /* the disk is filling it: whoever wants the block waits */
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
 * pinned. Ages are differences of stamps: right even when the clock wraps. */
static struct buf *victim(void)
{
    struct buf *oldest = NULL;
    for (struct buf *b = bufs; b < bufs + BCACHE_NBUF; b++) {
        if (b->pins)
            continue;
        if (!b->dev)
            return b;
        if (!oldest || clock - b->last_used > clock - oldest->last_used)
            oldest = b;
    }
    return oldest;
}

static int check_request(struct blkdev *dev, uint32_t bsize, uint32_t block, uint32_t off,
                         uint32_t len)
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
    return 0;
}

/* The buffer holding the block, pinned, with interrupts off (the caller unpins it
 * inside the same push_cli). A block not cached is read from dev, unless `fill` is 0
 * (the caller overwrites all of it). */
static int get(struct blkdev *dev, uint32_t bsize, uint32_t block, int fill, struct buf **out)
{
    struct buf *b;
    push_cli();
    for (;;) {
        if ((b = lookup(dev, bsize, block)) != NULL && b->filling) {
            sleep(b);                     /* another process reads it: wait, look again */
            continue;
        }
        if (b) {
            stats.hits++;
            b->pins++;
            *out = b;
            return 0;
        }
        if ((b = victim()) != NULL)
            break;
        pop_cli();                        /* all pinned: let their owners finish */
        yield();
        push_cli();
    }
    /* The disk may put this process to sleep: meanwhile nobody must take the half-
     * filled buffer, and whoever wants the same block waits for it (`filling`) rather
     * than read a second copy: two copies of one block would let a change made to one
     * be lost when the other, stale, is changed and written (the page cache writes
     * file blocks back without the file system's lock, fs/vfs_write.c). */
    b->dev = dev;
    b->bsize = bsize;
    b->block = block;
    b->pins = 1;
    int err = 0;
    if (fill) {
        b->filling = 1;
        pop_cli();
        err = blk_read(dev, block * (bsize / SECTOR_SIZE), bsize / SECTOR_SIZE, b->data);
        push_cli();
        b->filling = 0;
        wakeup(b);
    }
    if (err) {
        b->dev = NULL;
        b->pins = 0;
        pop_cli();
        return err;
    }
    stats.misses++;
    *out = b;
    return 0;
}

static void put(struct buf *b)
{
    b->last_used = ++clock;
    b->pins--;
    pop_cli();
}

int bcache_read(struct blkdev *dev, uint32_t bsize, uint32_t block, uint32_t off,
                uint32_t len, void *dst)
{
    struct buf *b;
    int err = check_request(dev, bsize, block, off, len);
    if (err == 0)
        err = get(dev, bsize, block, 1, &b);
    if (err)
        return err;
    memcpy(dst, b->data + off, len);
    put(b);
    return 0;
}

/* Write-through: the block goes to the disk before the call returns, so the file
 * system's writes reach the disk in the order it makes them (fs/ext2_inode.c says
 * why that order matters). */
int bcache_write(struct blkdev *dev, uint32_t bsize, uint32_t block, uint32_t off,
                 uint32_t len, const void *src)
{
    struct buf *b;
    int err = check_request(dev, bsize, block, off, len);
    if (err == 0)
        err = get(dev, bsize, block, off != 0 || len != bsize, &b);
    if (err)
        return err;
    memcpy(b->data + off, src, len);
    stats.writes++;
    pop_cli();
    err = blk_write(dev, block * (bsize / SECTOR_SIZE), bsize / SECTOR_SIZE, b->data);
    push_cli();
    if (err)
        b->dev = NULL;                    /* the disk does not hold what the copy says */
    put(b);
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
