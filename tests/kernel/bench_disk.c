/* tests/kernel/bench_disk.c: make bench's disk figures (ktest=bench_disk): reading a
 * large file through ext2, and as many raw sectors, a page at a time. */
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

/* Under QEMU's -icount shift=0 the TSC counts instructions, and virtual time runs
 * at one instruction per nanosecond. How long QEMU keeps the drive busy depends on
 * the host, so the instructions spent polling it vary from run to run; the rest,
 * the kernel's own work, repeats exactly. */
static void report(const char *what, uint32_t bytes, const struct sample *a, const struct sample *b)
{
    uint64_t total = b->tsc - a->tsc;
    uint64_t polling = b->ata.poll_cycles - a->ata.poll_cycles;
    uint64_t centi_mib_s = (uint64_t)bytes * 100000000000ull / total / (1 << 20);
    printk("# bench disk: %s: %u KiB in %u ATA commands\n", what, bytes / 1024,
           b->ata.commands - a->ata.commands);
    printk("# bench disk:   %llu instructions per KiB without polling (repeatable); "
           "with polling %llu, %llu.%02llu MiB/s (vary with the host)\n",
           (total - polling) / (bytes / 1024), total / (bytes / 1024), centi_mib_s / 100,
           centi_mib_s % 100);
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
    push_cli();                       /* timer interrupts would make the counts vary */

    sample(&a);
    for (uint32_t off = 0; off < size; off += PGSIZE)
        KEXPECT_EQ(vfs_read_page(ip, off, page), 0);
    sample(&b);
    report("ext2 read of " BENCH_FILE " by 4 KiB pages", size, &a, &b);

    sample(&a);
    for (uint32_t sector = 0; sector < size / SECTOR_SIZE; sector += PGSIZE / SECTOR_SIZE)
        KEXPECT_EQ(blk_read(root, sector, PGSIZE / SECTOR_SIZE, page), 0);
    sample(&b);
    report("raw read of hda1 by 8-sector requests", size, &a, &b);

    pop_cli();
    vfs_iput(ip);
    kfree(page);
}
