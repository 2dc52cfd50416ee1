/* tests/kernel/bench_disk.c: make bench's disk figures (ktest=bench_disk): reading a
 * large file through ext2, and as many raw sectors, a page at a time; `make bench-disk`
 * boots it twice, with DMA (the default) and with PIO (ata.dma=0), and sets the two
 * side by side (tools/bench.py). */
#include "kernel/ktest.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/x86.h"
#include "drivers/ata.h"
#include "drivers/disk.h"
#include "drivers/mbr.h"
#include "fs/vfs.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

#define BENCH_FILE "/tests/big.bin"

struct sample {
    uint64_t tsc;
    struct ata_stats ata;
};

static void sample(struct sample *s)
{
    ata_stats(&s->ata);
    s->tsc = rdtsc();
}

/* Under QEMU's -icount shift=0 the TSC counts instructions, and virtual time runs at
 * one instruction per nanosecond. The test runs before any process exists, with
 * interrupts off except while the driver halts for the drive (drivers/ata.c,
 * poll_until_done and ata_halt), so the time splits in two:
 * - the wait: halted for the drive. Under ata.defer=1 (every -icount boot) a
 *   command's end is taken at the first tick a million instructions after it began,
 *   whatever the host took: the wait is that modelled service time, 1 to 11 ms a
 *   command, and repeats;
 * - the work: everything else, the kernel's own instructions, the sector copies of PIO
 *   (insw, done here in the polling loop, not in an interrupt) included.
 * Both repeat. */
static void report(const char *what, uint32_t bytes, const struct sample *a, const struct sample *b)
{
    uint64_t total = b->tsc - a->tsc;
    uint64_t wait = (b->ata.poll_cycles - a->ata.poll_cycles) +
                    (b->ata.halt_cycles - a->ata.halt_cycles);
    uint32_t kib = bytes / 1024;
    printk("# bench %s_work %llu instructions/KiB\n", what, (total - wait) / kib);
    printk("# bench %s_wait %llu instructions/KiB halted (ata.defer=1: 1 to 11 ms a command)\n",
           what, wait / kib);
    printk("# bench %s_commands %u commands for %u KiB\n", what, b->ata.commands - a->ata.commands,
           kib);
}

KTEST_ALONE(bench_disk)
{
    struct inode *ip;
    struct blkdev *root = partition_find(MBR_TYPE_LINUX);
    uint8_t *page = kmalloc(PGSIZE);
    struct sample a, b;
    KEXPECT_EQ(vfs_lookup(BENCH_FILE, &ip), 0);
    KEXPECT(root && page);
    if (!root || !page || !ip)
        return;
    uint32_t size = PGROUNDDOWN(ip->size);
    printk("# bench transfer %s mode\n", ata_dma_on() ? "DMA" : "PIO");
    push_cli();                       /* timer interrupts only while halted for the drive */

    sample(&a);
    for (uint32_t off = 0; off < size; off += PGSIZE)
        KEXPECT_EQ(vfs_read_page(ip, off, page), 0);
    sample(&b);
    report("ext2_read", size, &a, &b);          /* of BENCH_FILE, by 4 KiB pages */

    sample(&a);
    for (uint32_t sector = 0; sector < size / SECTOR_SIZE; sector += PGSIZE / SECTOR_SIZE)
        KEXPECT_EQ(blk_read(root, sector, PGSIZE / SECTOR_SIZE, page), 0);
    sample(&b);
    report("raw_read", size, &a, &b);           /* of hda1, by 8-sector requests */

    pop_cli();
    vfs_iput(ip);
    kfree(page);
}
