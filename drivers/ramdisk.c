/* drivers/ramdisk.c: the RAM disk with a fixed service time (ramdisk.h).
 *
 * A request copies its sectors at once and then holds the requester until the disk is
 * done with it: the disk serves one request at a time, first come first served, each
 * for `latency` ticks, so a request that finds the disk busy waits for the ones before
 * it as on a real drive (Silberschatz, OSC 11.2: the access time is dominated by the
 * seek and rotational latency, which this fixes at one value). Before processes run
 * nobody can sleep, and requests end at once. The memory is the caller's (mm/swap.c). */
#include "drivers/ramdisk.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/trap.h"

struct ramdisk {
    uint8_t *base;
    uint32_t latency;      /* ticks per request */
    uint32_t free_at;      /* the tick when the last queued request ends */
};

static struct ramdisk disk;
static struct blkdev dev = {.name = "ram0"};

/* Hold the requester until its request, queued behind the others, has been served. */
static void serve(struct ramdisk *d)
{
    if (!sched_running() || d->latency == 0)
        return;
    push_cli();
    uint32_t start = (int32_t)(d->free_at - ticks) > 0 ? d->free_at : ticks;
    d->free_at = start + d->latency;
    uint32_t done = d->free_at;
    while ((int32_t)(ticks - done) < 0)
        sleep((void *)&ticks);
    pop_cli();
}

static int ramdisk_transfer(struct blkdev *b, uint32_t sector, uint32_t count, void *buf, int write)
{
    struct ramdisk *d = b->driver;
    uint8_t *at = d->base + (size_t)sector * SECTOR_SIZE;
    if (write)
        memcpy(at, buf, (size_t)count * SECTOR_SIZE);
    else
        memcpy(buf, at, (size_t)count * SECTOR_SIZE);
    serve(d);
    return 0;
}

/* A cluster of evicted pages is one request, as one ATA command is. */
static int ramdisk_write_pages(struct blkdev *b, uint32_t sector, void *const *pages, uint32_t n)
{
    struct ramdisk *d = b->driver;
    for (uint32_t i = 0; i < n; i++)
        memcpy(d->base + (size_t)(sector + i * BLK_PAGE_SECTORS) * SECTOR_SIZE, pages[i],
               BLK_PAGE_SECTORS * SECTOR_SIZE);
    serve(d);
    return 0;
}

struct blkdev *ramdisk_create(void *base, uint32_t bytes, uint32_t latency)
{
    disk.base = base;
    disk.latency = latency;
    dev.nsectors = bytes / SECTOR_SIZE;
    dev.transfer = ramdisk_transfer;
    dev.write_pages = ramdisk_write_pages;
    dev.driver = &disk;
    printk("ramdisk: %s, %u MiB, %u ticks per request\n", dev.name, bytes >> 20, latency);
    return &dev;
}
