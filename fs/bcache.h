/* fs/bcache.h: a small cache of file-system blocks, so that the blocks read again and
 * again (inode tables, directories, indirect blocks) come from memory. */
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

/* Drop every cached block of dev: its medium changed (a new mount). */
void bcache_forget(struct blkdev *dev);

struct bcache_stats {
    uint32_t hits, misses;
};
void bcache_stats(struct bcache_stats *st);

#endif
