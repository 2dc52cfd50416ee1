/* tests/kernel/test_disk.c: in-kernel tests of the disk: files read through ATA and
 * ext2 (their CRC-32s are checked by the boot suite against the host's copies), the
 * swap partition written and read back, requests past the end, the interrupt path. */
#include "kernel/ktest.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/trap.h"
#include "kernel/x86.h"
#include "drivers/ata.h"
#include "drivers/disk.h"
#include "drivers/mbr.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "fs/vfs.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

/* The CRC-32 of zlib (reflected, polynomial 0xEDB88320), so that the boot suite
 * gets the same value from Python's zlib.crc32. */
static uint32_t crc32(uint32_t crc, const uint8_t *p, uint32_t n)
{
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++)
                c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

/* The file's CRC-32, read a page at a time through the pager's entry point. */
static int file_crc(struct inode *ip, uint32_t *crc)
{
    uint8_t *page = kmalloc(PGSIZE);
    int err = page ? 0 : -ENOMEM;
    *crc = 0;
    for (uint32_t off = 0; err == 0 && off < ip->size; off += PGSIZE) {
        err = vfs_read_page(ip, off, page);
        *crc = crc32(*crc, page, ip->size - off < PGSIZE ? ip->size - off : PGSIZE);
    }
    kfree(page);
    return err;
}

static char path[256];

/* Print "# crc32 PATH CRC SIZE" for every regular file under the directory named by
 * path[0..len), following links to files; the number of files. */
static int print_crcs(uint32_t len)
{
    struct inode *dir, *ip;
    struct vfs_dirent *de = kmalloc(sizeof(*de));
    int files = 0;
    KEXPECT_EQ(vfs_lookup(path, &dir), 0);
    for (uint32_t pos = 0; de && vfs_readdir(dir, &pos, de) > 0; path[len] = 0) {
        if (strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0)
            continue;
        uint32_t n = ksnprintf(path + len, sizeof(path) - len, "/%s", de->name);
        KEXPECT_EQ(vfs_lookup(path, &ip), 0);
        uint32_t crc;
        if (de->type == DT_DIR) {
            files += print_crcs(len + n);
        } else if (S_ISREG(ip->mode)) {
            KEXPECT_EQ(file_crc(ip, &crc), 0);
            printk("# crc32 %s %08x %u\n", path, crc, ip->size);
            files++;
        }
        vfs_iput(ip);
    }
    vfs_iput(dir);
    kfree(de);
    return files;
}

KTEST(disk_file_checksums)
{
    strlcpy(path, "/tests", sizeof(path));
    KEXPECT(print_crcs(strlen(path)) >= 5);
}

/* Paths with ".", "..", doubled slashes and links all lead to one shared inode. */
KTEST(disk_lookup)
{
    struct inode *a, *b, *c;
    KEXPECT_EQ(vfs_lookup("/tests/dir/sub/deep.txt", &a), 0);
    KEXPECT_EQ(vfs_lookup("/tests/link-dir/deep.txt", &b), 0);
    KEXPECT_EQ(vfs_lookup("//tests/./dir/../link-deep", &c), 0);
    KEXPECT(a == b && b == c);
    KEXPECT_EQ(a->refs, 3);
    vfs_iput(a);
    vfs_iput(b);
    vfs_iput(c);
    KEXPECT_EQ(vfs_lookup("/tests/no-such-file", &a), -ENOENT);
    KEXPECT_EQ(vfs_lookup("/tests/small.txt/x", &a), -ENOTDIR);
}

/* Fill buf with a pattern that differs for every place it is written to. */
static void fill(uint8_t *buf, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
}

#define LONG_RUN 264                  /* sectors: more than one ATA command (256) moves */
static uint8_t long_buf[LONG_RUN * SECTOR_SIZE];

/* The swap partition (runtests boots with snapshot=on: the image is not changed):
 * its mkswap signature; a long write read back in pages and a long read; its last
 * page; and a write past its end refused. */
KTEST(disk_swap_write_read)
{
    struct blkdev *swap = partition_find(MBR_TYPE_SWAP);
    uint8_t *page = kmalloc(PGSIZE), *want = kmalloc(PGSIZE);
    KEXPECT(swap != NULL);
    if (!swap || !page || !want)
        return;
    KEXPECT_EQ(blk_read(swap, 0, 8, page), 0);
    KEXPECT(memcmp(page + PGSIZE - 10, "SWAPSPACE2", 10) == 0);

    fill(long_buf, sizeof(long_buf), 1);
    KEXPECT_EQ(blk_write(swap, 8, LONG_RUN, long_buf), 0);
    for (uint32_t s = 0; s < LONG_RUN; s += 8) {
        KEXPECT_EQ(blk_read(swap, 8 + s, 8, page), 0);
        KEXPECT(memcmp(page, long_buf + s * SECTOR_SIZE, PGSIZE) == 0);
    }
    memset(long_buf, 0, sizeof(long_buf));
    KEXPECT_EQ(blk_read(swap, 8, LONG_RUN, long_buf), 0);
    fill(want, PGSIZE, 1);
    KEXPECT(memcmp(long_buf, want, PGSIZE) == 0);
    KEXPECT(long_buf[sizeof(long_buf) - 1] == (uint8_t)(131 + (sizeof(long_buf) - 1) * 7 +
                                                         ((sizeof(long_buf) - 1) >> 9)));

    uint32_t last = swap->nsectors - 8;
    fill(want, PGSIZE, 2);
    KEXPECT_EQ(blk_write(swap, last, 8, want), 0);
    KEXPECT_EQ(blk_read(swap, last, 8, page), 0);
    KEXPECT(memcmp(page, want, PGSIZE) == 0);
    KEXPECT_EQ(blk_write(swap, last + 1, 8, want), -EINVAL);
    KEXPECT_EQ(blk_read(swap, last, 8, page), 0);
    KEXPECT(memcmp(page, want, PGSIZE) == 0);              /* nothing was written */
    kfree(page);
    kfree(want);
}

/* Past the end of a partition and of the disk: refused at once by the block layer;
 * and when the drive itself is asked for sectors it lacks, it reports an error
 * that becomes -EIO (with a message naming the LBA), and keeps working. */
KTEST(disk_past_the_end)
{
    struct ata_drive *d = ata_drive(0);
    struct blkdev *root = partition_find(MBR_TYPE_LINUX), *swap = partition_find(MBR_TYPE_SWAP);
    uint8_t *buf = kmalloc(2 * SECTOR_SIZE), *swap0 = kmalloc(SECTOR_SIZE);
    KEXPECT(d && root && swap);
    if (!d || !root || !swap || !buf || !swap0)
        return;
    struct blkdev *disk = &d->dev;
    uint32_t start = ticks;
    KEXPECT_EQ(blk_read(root, root->nsectors, 1, buf), -EINVAL);
    KEXPECT_EQ(blk_read(swap, 0, 1, swap0), 0);
    KEXPECT_EQ(blk_write(root, root->nsectors - 1, 2, buf), -EINVAL);   /* into swap: no */
    KEXPECT_EQ(blk_read(swap, 0, 1, buf), 0);
    KEXPECT(memcmp(buf, swap0, SECTOR_SIZE) == 0);
    KEXPECT_EQ(blk_read(disk, disk->nsectors, 1, buf), -EINVAL);
    KEXPECT_EQ(blk_read(disk, disk->nsectors - 1, 1, buf), 0);

    KEXPECT_EQ(disk->transfer(disk, disk->nsectors + 100, 1, buf, 0), -EIO);
    KEXPECT_EQ(disk->transfer(disk, disk->nsectors - 1, 2, buf, 1), -EIO);
    KEXPECT_EQ(blk_read(disk, 0, 1, buf), 0);                            /* still works */
    KEXPECT(buf[510] == 0x55 && buf[511] == 0xAA);
    KEXPECT(ticks - start < 50);                                         /* in < 0.5 s */
    kfree(buf);
    kfree(swap0);
}

/* The transfer modes: with PIO (ata.dma=0, or no bus-master controller) every command
 * is a PIO one; with DMA every command is a DMA one, except for a buffer at an odd
 * address, which the controller cannot take. A cluster of three pages scattered in
 * memory, written in one command, reads back as one run into a buffer that straddles
 * page boundaries. */
KTEST(disk_transfer_modes)
{
    struct blkdev *swap = partition_find(MBR_TYPE_SWAP);
    uint8_t *pages[3] = {kmalloc(PGSIZE), kmalloc(PGSIZE), kmalloc(PGSIZE)};
    int dma = ata_dma_on();
    struct ata_stats a, b, c;
    KEXPECT(swap != NULL);
    if (!swap || !pages[0] || !pages[1] || !pages[2])
        return;
    for (int i = 0; i < 3; i++)
        fill(pages[i], PGSIZE, 10 + i);
    ata_stats(&a);
    KEXPECT_EQ(blk_write_pages(swap, 320, (void *const *)pages, 3), 0);
    memset(long_buf, 0, 3 * PGSIZE);
    KEXPECT_EQ(blk_read(swap, 320, 3 * BLK_PAGE_SECTORS, long_buf), 0);
    ata_stats(&b);
    for (int i = 0; i < 3; i++)
        KEXPECT(memcmp(long_buf + i * PGSIZE, pages[i], PGSIZE) == 0);
    KEXPECT_EQ(b.commands - a.commands, 2u);
    KEXPECT_EQ(b.dma_commands - a.dma_commands, dma ? 2u : 0u);

    KEXPECT_EQ(blk_read(swap, 320 + BLK_PAGE_SECTORS, BLK_PAGE_SECTORS, long_buf + 1), 0);
    ata_stats(&c);
    KEXPECT(memcmp(long_buf + 1, pages[1], PGSIZE) == 0);
    KEXPECT_EQ(c.commands - b.commands, 1u);
    KEXPECT_EQ(c.dma_commands - b.dma_commands, 0u);     /* odd address: PIO */
    for (int i = 0; i < 3; i++)
        kfree(pages[i]);
}

/* The interrupt-driven path, before any process exists: three requests queued at
 * once (a read, a write to swap, a read of what was written) are carried out by
 * the IRQ 14 handler alone while this test halts; the last read sees the write, so
 * they ran in order. Static: a request must outlive its submitter's stack frame. */
KTEST(disk_interrupt_queue)
{
    static struct ata_request req[3];
    struct ata_drive *d = ata_drive(0);
    struct blkdev *swap = partition_find(MBR_TYPE_SWAP);
    uint8_t *mbr = kmalloc(PGSIZE), *first = kmalloc(PGSIZE);
    uint8_t *data = kmalloc(PGSIZE), *back = kmalloc(PGSIZE);
    KEXPECT(d && swap);
    if (!d || !swap || !mbr || !first || !data || !back)
        return;
    KEXPECT_EQ(blk_read(&d->dev, 0, 8, mbr), 0);         /* polled, for comparison */
    fill(data, PGSIZE, 3);
    memset(first, 0, PGSIZE);
    memset(back, 0, PGSIZE);
    req[0] = (struct ata_request){.drive = d, .lba = 0, .left = 8, .buf = first};
    req[1] = (struct ata_request){.drive = d, .lba = swap->start + 64, .left = 8, .buf = data,
                                  .write = 1};
    req[2] = (struct ata_request){.drive = d, .lba = swap->start + 64, .left = 8, .buf = back};
    for (int i = 0; i < 3; i++)
        ata_submit(&req[i]);
    /* Wait as the idle loop does (kernel/sched.c): under ata.defer=1 a plain hlt would
     * let sleep=off jump from tick to tick while the host works on the command, and
     * 200 ticks could pass before a loaded host has answered. */
    uint32_t start = ticks;
    push_cli();
    while (!req[2].done && ticks - start < 200)
        ata_halt();
    pop_cli();
    for (int i = 0; i < 3; i++) {
        KEXPECT(req[i].done);
        KEXPECT_EQ(req[i].error, 0);
    }
    KEXPECT(memcmp(first, mbr, PGSIZE) == 0);
    KEXPECT(memcmp(back, data, PGSIZE) == 0);
    kfree(mbr);
    kfree(first);
    kfree(data);
    kfree(back);
}

/* A lost interrupt must not hang the requester: with IRQ 14 masked, a submitted read
 * never hears from the drive; the timer's watchdog fails it with -EIO in bounded time,
 * and afterwards the drive works again. */
KTEST(disk_lost_interrupt)
{
    static struct ata_request req;
    struct ata_drive *d = ata_drive(0);
    uint8_t *buf = kmalloc(PGSIZE);
    KEXPECT(d != NULL);
    if (!d || !buf)
        return;
    pic_disable(IRQ_ATA);
    req = (struct ata_request){.drive = d, .lba = 0, .left = 8, .buf = buf};
    ata_submit(&req);
    uint32_t start = ticks;
    while (!req.done && ticks - start < 10 * HZ)
        hlt();
    pic_enable(IRQ_ATA);
    KEXPECT(req.done);
    KEXPECT_EQ(req.error, -EIO);
    KEXPECT(ticks - start <= 7 * HZ);                    /* bounded: about 5 seconds */
    KEXPECT_EQ(blk_read(&d->dev, 0, 8, buf), 0);         /* the channel was reset */
    KEXPECT(buf[510] == 0x55 && buf[511] == 0xAA);      /* the MBR signature */
    kfree(buf);
}
