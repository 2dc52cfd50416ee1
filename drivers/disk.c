/* drivers/disk.c: brings up the disks at boot: the ATA drives, then each one's MBR,
 * keeping the partitions so that partition_find can hand them out. */
#include "drivers/disk.h"
#include "drivers/ata.h"
#include "drivers/mbr.h"
#include "kernel/printk.h"

static struct blkdev partitions[2][MBR_NPART];    /* per ATA drive */

static const char *type_name(uint8_t type)
{
    switch (type) {
    case MBR_TYPE_LINUX: return "Linux";
    case MBR_TYPE_SWAP: return "Linux swap";
    case MBR_TYPE_EXTENDED: return "extended (its logical partitions are not read)";
    default: return "unknown";
    }
}

static void list_partitions(const struct blkdev parts[MBR_NPART])
{
    for (int i = 0; i < MBR_NPART; i++) {
        const struct blkdev *p = &parts[i];
        if (p->nsectors)
            printk("  %s: sectors %u-%u (%u MiB), type %02x %s\n", p->name, p->start,
                   p->start + p->nsectors - 1, p->nsectors / 2048, p->type, type_name(p->type));
    }
}

int disk_init(void)
{
    int n = ata_init();
    for (int i = 0; i < 2; i++) {
        struct ata_drive *d = ata_drive(i);
        if (d && mbr_read(&d->dev, partitions[i]) >= 0)
            list_partitions(partitions[i]);
    }
    return n;
}

struct blkdev *partition_find(uint8_t type)
{
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < MBR_NPART; j++)
            if (partitions[i][j].nsectors && partitions[i][j].type == type)
                return &partitions[i][j];
    return NULL;
}
