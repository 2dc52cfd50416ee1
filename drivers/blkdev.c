/* drivers/blkdev.c: reads and writes of a block device: check the range against the
 * device, translate a partition's sectors to its disk's, and call the disk's driver. */
#include "drivers/blkdev.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

/* Does [sector, sector + count) lie inside dev? Written so that nothing can overflow:
 * sector + count might not fit 32 bits. */
static int in_range(struct blkdev *dev, uint32_t sector, uint32_t count, int write)
{
    if (sector < dev->nsectors && count <= dev->nsectors - sector)
        return 1;
    printk("%s: %s of sectors %u+%u beyond the end (%u sectors)\n", dev->name,
           write ? "write" : "read", sector, count, dev->nsectors);
    return 0;
}

static int blk_transfer(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf, int write)
{
    if (count == 0)
        return 0;
    if (!in_range(dev, sector, count, write))
        return -EINVAL;
    if (dev->disk)
        return blk_transfer(dev->disk, dev->start + sector, count, buf, write);
    return dev->transfer(dev, sector, count, buf, write);
}

int blk_write_pages(struct blkdev *dev, uint32_t sector, void *const *pages, uint32_t n)
{
    if (n == 0)
        return 0;
    if (n > UINT32_MAX / BLK_PAGE_SECTORS || !in_range(dev, sector, n * BLK_PAGE_SECTORS, 1))
        return -EINVAL;
    if (dev->disk)
        return blk_write_pages(dev->disk, dev->start + sector, pages, n);
    if (dev->write_pages)
        return dev->write_pages(dev, sector, pages, n);
    int err = 0;
    for (uint32_t i = 0; i < n && !err; i++)
        err = dev->transfer(dev, sector + i * BLK_PAGE_SECTORS, BLK_PAGE_SECTORS, pages[i], 1);
    return err;
}

int blk_read(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf)
{
    return blk_transfer(dev, sector, count, buf, 0);
}

int blk_write(struct blkdev *dev, uint32_t sector, uint32_t count, const void *buf)
{
    return blk_transfer(dev, sector, count, (void *)buf, 1);
}

int blk_flush(struct blkdev *dev)
{
    if (dev->disk)
        return blk_flush(dev->disk);
    return dev->flush ? dev->flush(dev) : 0;
}
