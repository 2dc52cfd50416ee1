/* tests/host/fake_pcache.c: the page cache as the host tests of fs/ see it. The host has
 * no memory manager, so nothing is cached: a read reads each page from the file through
 * the object's readpage, and the calls that keep cached pages in step with a file (or
 * write dirty ones back) have nothing to do. The kernel's is mm/pagecache.c. */
#include <string.h>
#include "mm/pagecache.h"

void pcache_init(struct pcache *pc, const struct pcache_ops *ops, void *owner,
                 struct pcache_quota *quota)
{
    *pc = (struct pcache){.ops = ops, .owner = owner, .quota = quota};
}

void pcache_update(struct pcache *pc, const void *buf, uint32_t off, uint32_t n)
{
    (void)pc, (void)buf, (void)off, (void)n;
}

void pcache_truncate(struct pcache *pc, uint32_t size)
{
    (void)pc, (void)size;
}

void pcache_release(struct pcache *pc)
{
    (void)pc;
}

int pcache_sync(struct pcache *pc)
{
    (void)pc;
    return 0;
}

void pcache_sync_all(void)
{
}

/* With nothing cached, a read is the file's pages read one by one. */
int pcache_read(struct pcache *pc, void *buf, uint32_t off, uint32_t n)
{
    static uint8_t page[4096];
    for (uint32_t done = 0; done < n;) {
        uint32_t in = (off + done) % sizeof(page), len = sizeof(page) - in;
        if (len > n - done)
            len = n - done;
        if (pc->ops->readpage(pc, (off + done) / sizeof(page), page) < 0)
            return -5;                  /* -EIO */
        memcpy((uint8_t *)buf + done, page + in, len);
        done += len;
    }
    return (int)n;
}
