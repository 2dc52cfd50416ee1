/* tests/host/imagedev.c: the in-memory image block device: transfers are memcpy
 * to and from the loaded bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tests/host/imagedev.h"
#include "kernel/errno.h"

static int image_transfer(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf,
                          int write)
{
    struct imagedev *d = dev->driver;
    if (d->failing)
        return -EIO;
    uint8_t *at = d->bytes + (size_t)sector * SECTOR_SIZE;
    if (write) {
        memcpy(at, buf, (size_t)count * SECTOR_SIZE);
    } else {
        memcpy(buf, at, (size_t)count * SECTOR_SIZE);
        d->reads++;
    }
    return 0;
}

int imagedev_open(struct imagedev *d, const char *path)
{
    memset(d, 0, sizeof(*d));
    FILE *f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        printf("    # cannot open %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    d->size = ftell(f);
    d->bytes = malloc(d->size ? d->size : 1);
    rewind(f);
    size_t got = fread(d->bytes, 1, d->size, f);
    fclose(f);
    if (got != d->size) {
        printf("    # short read of %s\n", path);
        free(d->bytes);
        return -1;
    }
    strcpy(d->dev.name, "img");
    d->dev.nsectors = d->size / SECTOR_SIZE;
    d->dev.transfer = image_transfer;
    d->dev.driver = d;
    return 0;
}

void imagedev_close(struct imagedev *d)
{
    free(d->bytes);
    d->bytes = NULL;
}
