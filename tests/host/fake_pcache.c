/* tests/host/fake_pcache.c: the page cache as the host tests of fs/ see it: nothing is
 * cached on the host (there is no memory manager), so the calls that keep cached pages in
 * step with a file have nothing to do. The kernel's is mm/pagecache.c. */
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
