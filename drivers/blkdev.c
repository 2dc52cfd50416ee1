/* drivers/blkdev.c: reads and writes of a block device: check the range against the
 * device, translate a partition's sectors to its disk's, and call the disk's driver. */
#include "drivers/blkdev.h"
#include "kernel/errno.h"
#include "kernel/printk.h"

static int blk_transfer(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf, int write)
{
    if (count == 0)
        return 0;
    /* Written so that nothing can overflow: sector + count might not fit 32 bits. */
    if (sector >= dev->nsectors || count > dev->nsectors - sector) {
        printk("%s: %s of sectors %u+%u beyond the end (%u sectors)\n", dev->name,
               write ? "write" : "read", sector, count, dev->nsectors);
        return -EINVAL;
    }
    if (dev->disk)
        return blk_transfer(dev->disk, dev->start + sector, count, buf, write);
    return dev->transfer(dev, sector, count, buf, write);
}

int blk_read(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf)
{
    return blk_transfer(dev, sector, count, buf, 0);
}

int blk_write(struct blkdev *dev, uint32_t sector, uint32_t count, const void *buf)
{
    return blk_transfer(dev, sector, count, (void *)buf, 1);
}
