/* tests/host/imagedev.h: a block device over an image file loaded into memory, for
 * host tests of the partition table and ext2 code. Tests may corrupt its bytes. */
#ifndef TESTS_HOST_IMAGEDEV_H
#define TESTS_HOST_IMAGEDEV_H

#include <stddef.h>
#include <stdint.h>
#include "drivers/blkdev.h"

struct imagedev {
    struct blkdev dev;             /* named "img" */
    uint8_t *bytes;
    size_t size;                   /* of the file; the device is size / 512 sectors */
    uint32_t reads;                /* transfers that read, for cache tests */
    int failing;                   /* while set, every transfer fails with -EIO */
};

/* Load the file at path; 0, or -1 (the test fails with a message). */
int imagedev_open(struct imagedev *d, const char *path);
void imagedev_close(struct imagedev *d);

#endif
