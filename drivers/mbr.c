/* drivers/mbr.c: parses the classic PC partition table: four 16-byte entries at
 * byte 446 of sector 0, followed by the signature bytes 0x55 0xAA. */
#include "drivers/mbr.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/kheap.h"

#define MBR_TABLE 446

struct mbr_entry {
    uint8_t status;            /* 0x80: the BIOS may boot it */
    uint8_t chs_first[3];      /* cylinder/head/sector: obsolete, LBA below wins */
    uint8_t type;
    uint8_t chs_last[3];
    uint32_t lba_start;
    uint32_t nsectors;
} __attribute__((packed));

static int overlaps(const struct blkdev *a, uint32_t start, uint32_t n)
{
    return a->nsectors && start < a->start + a->nsectors && a->start < start + n;
}

/* Is entry i a sane partition of the disk? Says why not. */
static int entry_ok(struct blkdev *disk, struct blkdev parts[], int i, const struct mbr_entry *e)
{
    const char *why = NULL;
    if (e->lba_start == 0)
        why = "starts at sector 0, over the partition table";
    else if (e->lba_start >= disk->nsectors || e->nsectors > disk->nsectors - e->lba_start)
        why = "ends past the end of the disk";
    for (int j = 0; j < i && !why; j++)
        if (overlaps(&parts[j], e->lba_start, e->nsectors))
            why = "overlaps an earlier partition";
    if (why)
        printk("%s%d: type %02x sectors %u+%u %s: ignored\n", disk->name, i + 1, e->type,
               e->lba_start, e->nsectors, why);
    return why == NULL;
}

int mbr_read(struct blkdev *disk, struct blkdev parts[MBR_NPART])
{
    uint8_t *sector = kmalloc(SECTOR_SIZE);
    if (!sector)
        return -ENOMEM;
    int err = blk_read(disk, 0, 1, sector);
    if (err == 0 && (sector[510] != 0x55 || sector[511] != 0xAA)) {
        printk("%s: no partition table (sector 0 lacks the 55 AA signature)\n", disk->name);
        err = -EINVAL;
    }
    int found = 0;
    for (int i = 0; i < MBR_NPART; i++) {
        struct mbr_entry e;          /* copied out: the table is not 4-byte aligned */
        memcpy(&e, sector + MBR_TABLE + i * sizeof(e), sizeof(e));
        struct blkdev *p = &parts[i];
        memset(p, 0, sizeof(*p));
        ksnprintf(p->name, sizeof(p->name), "%s%d", disk->name, i + 1);
        if (err || e.type == 0 || e.nsectors == 0 || !entry_ok(disk, parts, i, &e))
            continue;
        p->disk = disk;
        p->start = e.lba_start;
        p->nsectors = e.nsectors;
        p->type = e.type;
        found++;
    }
    kfree(sector);
    return err ? err : found;
}
