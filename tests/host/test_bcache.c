/* tests/host/test_bcache.c: the block cache over an image: the bytes it returns,
 * which reads reach the device (hits, misses, LRU eviction), and refused requests. */
// uses: fs/bcache.c drivers/blkdev.c tests/host/imagedev.c
#include <string.h>
#include "tests/host/check.h"
#include "tests/host/imagedev.h"
#include "fs/bcache.h"
#include "kernel/errno.h"

#define IMAGE "build/host/images/1k.img"
#define BS 1024

static struct imagedev img;
static uint8_t got[BCACHE_BLOCK_MAX];

static int open_image(void)
{
    if (imagedev_open(&img, IMAGE) < 0)
        return -1;
    bcache_forget(&img.dev);            /* a fresh device: nothing cached from a test before */
    return 0;
}

/* Read a whole block through the cache; 1 if the device was read for it. */
static int read_block(uint32_t block)
{
    uint32_t before = img.reads;
    CHECK_EQ(bcache_read(&img.dev, BS, block, 0, BS, got), 0);
    CHECK(memcmp(got, img.bytes + block * BS, BS) == 0);
    return img.reads != before;
}

TEST(returns_the_right_bytes)
{
    if (open_image() < 0) { CHECK(0); return; }
    static const uint32_t offs[][2] = {{0, 1}, {1, 1023}, {512, 512}, {1000, 24}, {1024, 0}};
    for (uint32_t block = 0; block < 40; block += 13) {
        for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
            memset(got, 0xEE, sizeof(got));
            CHECK_EQ(bcache_read(&img.dev, BS, block, offs[i][0], offs[i][1], got), 0);
            CHECK(memcmp(got, img.bytes + block * BS + offs[i][0], offs[i][1]) == 0);
            CHECK_EQ(got[offs[i][1]], 0xEE);                /* nothing past len */
        }
    }
    /* Block 1 of 4 KiB is not block 4 of 1 KiB: the size is part of the key. */
    CHECK_EQ(bcache_read(&img.dev, 4096, 1, 0, 4096, got), 0);
    CHECK(memcmp(got, img.bytes + 4096, 4096) == 0);
    imagedev_close(&img);
}

TEST(hits_misses_and_lru_eviction)
{
    if (open_image() < 0) { CHECK(0); return; }
    struct bcache_stats before, after;
    bcache_stats(&before);
    for (uint32_t b = 0; b < BCACHE_NBUF; b++)           /* fill the cache */
        CHECK_EQ(read_block(b), 1);
    for (uint32_t b = 0; b < BCACHE_NBUF; b++)           /* all of them are there */
        CHECK_EQ(read_block(b), 0);
    bcache_stats(&after);
    CHECK_EQ(after.misses - before.misses, BCACHE_NBUF);
    CHECK_EQ(after.hits - before.hits, BCACHE_NBUF);

    CHECK_EQ(read_block(0), 0);                          /* 0 is now the most recent */
    CHECK_EQ(read_block(BCACHE_NBUF), 1);                /* evicts 1, the least recent */
    CHECK_EQ(read_block(0), 0);
    CHECK_EQ(read_block(2), 0);
    CHECK_EQ(read_block(1), 1);                          /* gone: read again, evicting 3 */
    CHECK_EQ(read_block(3), 1);

    bcache_forget(&img.dev);
    CHECK_EQ(read_block(0), 1);
    imagedev_close(&img);
}

TEST(refuses_bad_requests)
{
    if (open_image() < 0) { CHECK(0); return; }
    uint32_t blocks = img.dev.nsectors / 2;
    CHECK_EQ(bcache_read(&img.dev, BS, blocks, 0, 1, got), -EINVAL);    /* past the end */
    CHECK_EQ(bcache_read(&img.dev, BS, blocks - 1, 0, 1, got), 0);
    CHECK_EQ(bcache_read(&img.dev, BS, 0xFFFFFFFFu, 0, 1, got), -EINVAL);
    CHECK_EQ(bcache_read(&img.dev, BS, 0, 1000, 25, got), -EINVAL);     /* past the block */
    CHECK_EQ(bcache_read(&img.dev, BS, 0, 2000, 0, got), -EINVAL);
    CHECK_EQ(bcache_read(&img.dev, 1000, 0, 0, 1, got), -EINVAL);       /* not whole sectors */
    CHECK_EQ(bcache_read(&img.dev, 8192, 0, 0, 1, got), -EINVAL);       /* bigger than a buffer */

    img.failing = 1;                                     /* a failed read caches nothing */
    CHECK_EQ(bcache_read(&img.dev, BS, 7, 0, BS, got), -EIO);
    img.failing = 0;
    CHECK_EQ(read_block(7), 1);
    imagedev_close(&img);
}
