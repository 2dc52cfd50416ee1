/* drivers/disk.h: the disks found at boot and their partitions. The root file
 * system and the swap area find their partitions here by MBR type. */
#ifndef DRIVERS_DISK_H
#define DRIVERS_DISK_H

#include <stdint.h>
#include "drivers/blkdev.h"

/* Probe the ATA disks, read their partition tables and list them. Disks found. */
int disk_init(void);

/* The first partition of that MBR type (MBR_TYPE_LINUX, MBR_TYPE_SWAP), or NULL.
 * Its sectors are numbered from 0; blk_read/blk_write refuse to go past its end. */
struct blkdev *partition_find(uint8_t type);

#endif
