/* drivers/mbr.h: the MBR partition table in a disk's first sector: up to four
 * primary partitions, each a block device over part of the disk. */
#ifndef DRIVERS_MBR_H
#define DRIVERS_MBR_H

#include "drivers/blkdev.h"

#define MBR_NPART 4
#define MBR_TYPE_EXTENDED 0x05
#define MBR_TYPE_SWAP 0x82
#define MBR_TYPE_LINUX 0x83

/* Read disk's partition table into parts[0..3] (slot i is partition i+1; an unused
 * or rejected slot has nsectors 0). Entries that start at sector 0, end past the
 * disk or overlap an earlier one are reported and rejected. The number of usable
 * partitions, -EINVAL when sector 0 has no MBR signature, or -EIO. */
int mbr_read(struct blkdev *disk, struct blkdev parts[MBR_NPART]);

#endif
