/* drivers/ramdisk.h: a disk made of RAM that answers each request after a fixed number
 * of timer ticks, one request at a time: a disk whose timing is part of the experiment,
 * so a run under QEMU -icount takes the same virtual time on every host (a real or
 * emulated disk finishes when the host's file system says so). */
#ifndef DRIVERS_RAMDISK_H
#define DRIVERS_RAMDISK_H

#include <stdint.h>
#include "drivers/blkdev.h"

/* The RAM disk kept in the `bytes` bytes at `base` (given by its user, who allocates
 * kernel memory), every request taking `latency` ticks. There is one. */
struct blkdev *ramdisk_create(void *base, uint32_t bytes, uint32_t latency);

#endif
