/* fs/bcache.h: a small cache of file-system blocks, so that the blocks read again and
 * again (inode tables, directories, indirect blocks) come from memory. Writes go
 * through to the disk at once. */
#ifndef FS_BCACHE_H
#define FS_BCACHE_H

#include <stdint.h>
#include "drivers/blkdev.h"

#define BCACHE_NBUF 32             /* blocks held; the least recently used goes first */
#define BCACHE_BLOCK_MAX 4096

/* Copy len bytes from byte off of block `block` (blocks of bsize bytes, a multiple
 * of the sector size) of dev into dst, reading the block from dev if it is not
 * cached. 0, -EINVAL (block outside dev, or the bytes outside the block) or the
 * device's -EIO. */
int bcache_read(struct blkdev *dev, uint32_t bsize, uint32_t block, uint32_t off,
                uint32_t len, void *dst);

/* Copy len bytes from src into byte off of the block and write the block to dev at
 * once (write-through: the cache never holds a block newer than the disk). Errors
 * as bcache_read's. */
int bcache_write(struct blkdev *dev, uint32_t bsize, uint32_t block, uint32_t off,
                 uint32_t len, const void *src);

/* Drop every cached block of dev: its medium changed (a new mount). */
void bcache_forget(struct blkdev *dev);

struct bcache_stats {
    uint32_t hits, misses;
    uint32_t writes;               /* blocks written through to the device */
};
void bcache_stats(struct bcache_stats *st);

#endif
