/* tests/host/fake_pcache.c: the page cache as the host tests of fs/ see it: nothing is
 * cached on the host (there is no memory manager). A read asks the object's readpage
 * for every page it touches, which is what the kernel's cache does on a miss, so
 * ext2's readpage and the VFS's bounds are exercised as in the kernel; the calls that
 * keep cached pages in step with a file (or write dirty ones back) have nothing to do.
 * Swap-backed objects (tmpfs) need the kernel: tmpfs is not compiled into host tests,
 * and a read of one is -ENOMEM. The kernel's is mm/pagecache.c. */
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
    (void)pc;                           /* no page is cached, so none is dirty */
    return 0;
}

void pcache_sync_all(void)
{
}
