/* tests/host/fake_pcache.c: the page cache as the host tests of fs/ see it: nothing is
 * cached on the host (there is no memory manager). A read asks the object's readpage
 * for every page it touches, which is what the kernel's cache does on a miss, so
 * ext2's readpage and the VFS's bounds are exercised as in the kernel; a write writes
 * each page back at once through writepage; the calls that keep cached pages in step
 * with a file (or write dirty ones back) have nothing to do.
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

/* Each page of [off, off + n) read in through readpage; for a write, changed and written
 * straight back through writepage (no cache to keep it in: what the kernel's write-back
 * does with it later). */
static int each_page(struct pcache *pc, uint8_t *buf, uint32_t off, uint32_t n, int write)
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
        if (err == 0 && !write)
            memcpy(buf + done, page + in, chunk);
        if (err == 0 && write) {
            memcpy(page + in, buf + done, chunk);
            err = pc->ops->writepage(pc, at / PAGE, page);
        }
        done += chunk;
    }
    free(page);
    return err ? err : (int)n;
}

int pcache_read(struct pcache *pc, void *buf, uint32_t off, uint32_t n)
{
    return each_page(pc, buf, off, n, 0);
}

int pcache_write(struct pcache *pc, const void *buf, uint32_t off, uint32_t n)
{
    return each_page(pc, (uint8_t *)buf, off, n, 1);
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

uint32_t pcache_sync_all(void)
{
    return 0;
}
