/* tests/host/pcache_nocache.c: mm/pagecache.h for host tests of the file systems, a
 * page cache that holds no page (the host has no frames). A read asks the object's
 * readpage for every page it touches, which is what the kernel's cache does on a
 * miss, so ext2's readpage and the VFS's bounds are exercised as in the kernel;
 * there is nothing to update, truncate or release. Swap-backed objects (tmpfs) need
 * the kernel: they are not compiled into host tests, and asking is -ENOMEM. */
#include <stdlib.h>
#include <string.h>
#include "mm/pagecache.h"
#include "kernel/errno.h"

#define PAGE 4096u

void pcache_init(struct pcache *pc, const struct pcache_ops *ops, void *owner,
                 struct pcache_quota *quota)
{
    *pc = (struct pcache){.ops = ops, .owner = owner, .quota = quota};
}

int pcache_read(struct pcache *pc, void *buf, uint32_t off, uint32_t n)
{
    if (!pc->ops)
        return -ENOMEM;
    uint8_t *page = malloc(PAGE);
    if (!page)
        return -ENOMEM;
    int err = 0;
    for (uint32_t done = 0; done < n && err == 0;) {
        uint32_t at = off + done, in = at % PAGE;
        uint32_t chunk = PAGE - in < n - done ? PAGE - in : n - done;
        err = pc->ops->readpage(pc, at / PAGE, page);
        if (err == 0)
            memcpy((uint8_t *)buf + done, page + in, chunk);
        done += chunk;
    }
    free(page);
    return err ? err : (int)n;
}

int pcache_write(struct pcache *pc, const void *buf, uint32_t off, uint32_t n)
{
    (void)pc, (void)buf, (void)off, (void)n;
    return -ENOMEM;
}

void pcache_update(struct pcache *pc, const void *buf, uint32_t off, uint32_t n)
{
    (void)pc, (void)buf, (void)off, (void)n;     /* no page is cached */
}

void pcache_truncate(struct pcache *pc, uint32_t size)
{
    (void)pc, (void)size;
}

void pcache_release(struct pcache *pc)
{
    (void)pc;
}

uint32_t pcache_pages(void)
{
    return 0;
}
