/* tests/host/test_mbr.c: the MBR parser and partition block devices on a disk image
 * partitioned by sfdisk (tests/host/mkimages.py): offsets, bounds, damaged tables. */
// uses: drivers/mbr.c drivers/blkdev.c kernel/format.c tests/host/imagedev.c
#include <string.h>
#include "tests/host/check.h"
#include "tests/host/imagedev.h"
#include "drivers/mbr.h"
#include "kernel/errno.h"

#define DISK "build/host/images/disk.img"
#define ENTRY(i) (446 + 16 * (i))       /* byte offset of partition table entry i */

static struct imagedev img;
static struct blkdev parts[MBR_NPART];
static char sector[SECTOR_SIZE];

/* As mkimages.py lays the disk out. */
static const struct { uint32_t start, size; uint8_t type; } layout[] = {
    {2048, 4096, 0x83}, {6144, 2048, 0x82}, {8192, 4096, 0x05},
};

static void put32(size_t at, uint32_t v)
{
    memcpy(img.bytes + at, &v, 4);
}

TEST(reads_sfdisk_table)
{
    if (imagedev_open(&img, DISK) < 0) { CHECK(0); return; }
    CHECK_EQ(mbr_read(&img.dev, parts), 3);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(parts[i].start, layout[i].start);
        CHECK_EQ(parts[i].nsectors, layout[i].size);
        CHECK_EQ(parts[i].type, layout[i].type);
        CHECK(parts[i].disk == &img.dev);
    }
    CHECK(strcmp(parts[1].name, "img2") == 0);
    CHECK_EQ(parts[3].nsectors, 0);
    imagedev_close(&img);
}

TEST(partition_sectors_map_to_disk)
{
    if (imagedev_open(&img, DISK) < 0) { CHECK(0); return; }
    CHECK_EQ(mbr_read(&img.dev, parts), 3);
    char want[64];
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(blk_read(&parts[i], 0, 1, sector), 0);
        snprintf(want, sizeof(want), "first sector of partition %d", i + 1);
        CHECK(strcmp(sector, want) == 0);
        CHECK_EQ(blk_read(&parts[i], layout[i].size - 1, 1, sector), 0);
        snprintf(want, sizeof(want), "last sector of partition %d", i + 1);
        CHECK(strcmp(sector, want) == 0);
    }
    /* A write lands at the partition's start on the disk. */
    memset(sector, 0x5A, sizeof(sector));
    CHECK_EQ(blk_write(&parts[1], 3, 1, sector), 0);
    CHECK_EQ(img.bytes[(6144 + 3) * SECTOR_SIZE], 0x5A);
    CHECK_EQ(img.bytes[(6144 + 3) * SECTOR_SIZE - 1], 0);
    imagedev_close(&img);
}

TEST(partition_bounds_are_enforced)
{
    if (imagedev_open(&img, DISK) < 0) { CHECK(0); return; }
    CHECK_EQ(mbr_read(&img.dev, parts), 3);
    CHECK_EQ(blk_read(&parts[0], 4096, 1, sector), -EINVAL);          /* one past the end */
    CHECK_EQ(blk_read(&parts[0], 4095, 2, sector), -EINVAL);          /* straddles it */
    CHECK_EQ(blk_read(&parts[0], 1, 0xFFFFFFFFu, sector), -EINVAL);   /* sector + count wraps */
    CHECK_EQ(blk_read(&parts[0], 0xFFFFFFFFu, 1, sector), -EINVAL);
    CHECK_EQ(blk_read(&parts[0], 4096, 0, sector), 0);                /* nothing to do */
    /* A refused write changes nothing, not even the next partition's first sector. */
    memset(sector, 0x77, sizeof(sector));
    CHECK_EQ(blk_write(&parts[1], 2047, 2, sector), -EINVAL);
    CHECK(strcmp((char *)img.bytes + 8192 * SECTOR_SIZE, "first sector of partition 3") == 0);
    CHECK_EQ(img.bytes[(6144 + 2047) * SECTOR_SIZE], 'l');             /* "last sector..." */
    CHECK_EQ(blk_read(&img.dev, img.dev.nsectors, 1, sector), -EINVAL);
    imagedev_close(&img);
}

TEST(damaged_tables)
{
    if (imagedev_open(&img, DISK) < 0) { CHECK(0); return; }
    img.bytes[511] = 0;                                  /* no signature: no table */
    CHECK_EQ(mbr_read(&img.dev, parts), -EINVAL);
    for (int i = 0; i < MBR_NPART; i++)
        CHECK_EQ(parts[i].nsectors, 0);
    img.bytes[511] = 0xAA;

    img.dev.nsectors = 10000;                            /* partition 3 ends past the disk */
    CHECK_EQ(mbr_read(&img.dev, parts), 2);
    CHECK_EQ(parts[2].nsectors, 0);
    img.dev.nsectors = img.size / SECTOR_SIZE;

    put32(ENTRY(1) + 8, 3000);                           /* partition 2 overlaps partition 1 */
    CHECK_EQ(mbr_read(&img.dev, parts), 2);
    CHECK_EQ(parts[1].nsectors, 0);
    CHECK_EQ(parts[2].start, 8192);

    put32(ENTRY(1) + 8, 0);                              /* starts on the table itself */
    CHECK_EQ(mbr_read(&img.dev, parts), 2);
    CHECK_EQ(parts[1].nsectors, 0);

    img.failing = 1;                                     /* the disk cannot be read */
    CHECK_EQ(mbr_read(&img.dev, parts), -EIO);
    imagedev_close(&img);
}
