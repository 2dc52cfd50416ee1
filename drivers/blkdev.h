/* drivers/blkdev.h: a block device is a numbered run of 512-byte sectors: a whole
 * disk, or a partition of one. Every read and write is checked against its size. */
#ifndef DRIVERS_BLKDEV_H
#define DRIVERS_BLKDEV_H

#include <stdint.h>

#define SECTOR_SIZE 512

struct blkdev {
    char name[8];              /* "hda", "hda1" */
    uint32_t nsectors;         /* size in sectors */
    /* A whole disk moves sectors with its driver's transfer function... */
    int (*transfer)(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf, int write);
    /* ...and, if its driver can, writes whole pages scattered in memory in one command
     * (NULL: blk_write_pages writes them one at a time). */
    int (*write_pages)(struct blkdev *dev, uint32_t sector, void *const *pages, uint32_t n);
    /* ...and, if it keeps written sectors in a volatile cache of its own, puts them on
     * the medium (NULL: every write is on the medium when it returns). */
    int (*flush)(struct blkdev *dev);
    void *driver;              /* the driver's own data (ata: the drive) */
    /* ...a partition is a window on its disk: sector 0 is the disk's sector `start`. */
    struct blkdev *disk;       /* NULL for a whole disk */
    uint32_t start;
    uint8_t type;              /* partitions: MBR type byte (0x83 Linux, 0x82 swap) */
};

/* Move count sectors starting at `sector` (relative to the device). 0, -EINVAL when
 * the range does not lie inside the device (nothing is transferred), or the driver's
 * error (-EIO). */
int blk_read(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf);
int blk_write(struct blkdev *dev, uint32_t sector, uint32_t count, const void *buf);

/* Wait until every sector written so far is on the medium, not in the disk's own
 * write cache: what fsync and sync need (a partition flushes its disk). 0 or -EIO. */
int blk_flush(struct blkdev *dev);

/* Write n pages (BLK_PAGE_SECTORS sectors each) to adjacent sectors from `sector`: a
 * cluster of evicted pages that lie anywhere in memory (mm/evict.c). */
#define BLK_PAGE_SECTORS 8
int blk_write_pages(struct blkdev *dev, uint32_t sector, void *const *pages, uint32_t n);

#endif
