/* tests/kernel/test_vfs_cache.c: the VFS reads regular files through the page cache
 * (fs/vfs.c, fs/vfs_ext2.c): the first read of an ext2 file fills cached pages from
 * the disk, a second read of the same bytes is served from them without ext2 reading
 * a single block (the block cache's counters, fs/bcache.h, do not move), and the last
 * reference to the inode gives the pages back. tmpfs files are cached pages only:
 * written, read back, and gone with their last name. */
#include "kernel/ktest.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "fs/bcache.h"
#include "fs/vfs.h"
#include "mm/kheap.h"
#include "mm/mmu.h"
#include "mm/pagecache.h"
#include "kernel/printk.h"

#define FILE_PAGES 16

static uint32_t blocks_touched(void)
{
    struct bcache_stats st;
    bcache_stats(&st);
    return st.hits + st.misses;
}

/* One pass over the first FILE_PAGES pages of ip: a sum of their bytes, or 0 on error. */
static uint32_t read_pass(struct inode *ip, uint8_t *page)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < FILE_PAGES; i++) {
        if (vfs_read(ip, page, i * PGSIZE, PGSIZE) != PGSIZE)
            return 0;
        for (uint32_t j = 0; j < PGSIZE; j++)
            sum = sum * 31 + page[j];
    }
    return sum | 1;
}

KTEST(vfs_read_twice_from_cache)
{
    struct inode *ip = NULL;
    uint8_t *page = kmalloc(PGSIZE);
    KEXPECT(page != NULL);
    KEXPECT_EQ(vfs_lookup("/tests/big.bin", &ip), 0);
    if (!page || !ip)
        return;
    KEXPECT(ip->size >= FILE_PAGES * PGSIZE);
    uint32_t cached = pcache_pages(), blocks = blocks_touched();
    uint32_t first = read_pass(ip, page);
    uint32_t after_first = blocks_touched();
    KEXPECT(after_first > blocks);                 /* the first pass read ext2's blocks */
    KEXPECT(ip->cache.resident >= FILE_PAGES);
    KEXPECT(pcache_pages() >= cached + FILE_PAGES);
    uint32_t filled = pcache_pages();
    uint32_t second = read_pass(ip, page);
    KEXPECT(first != 0 && second == first);
    KEXPECT_EQ(blocks_touched(), after_first);     /* no block read at all */
    KEXPECT_EQ(pcache_pages(), filled);
    vfs_iput(ip);
    KEXPECT_EQ(pcache_pages(), filled);            /* kept: the file is closed, not gone */
    KEXPECT_EQ(vfs_lookup("/tests/big.bin", &ip), 0);
    if (ip) {                                      /* (the lookup read the directory) */
        uint32_t looked_up = blocks_touched();
        KEXPECT_EQ(read_pass(ip, page), first);    /* the same inode, its pages still there */
        KEXPECT_EQ(blocks_touched(), looked_up);
        vfs_iput(ip);
    }
    vfs_drop_unused();
    KEXPECT_EQ(pcache_pages(), cached);            /* given back, as the leak check does */
    kfree(page);
}

/* More files than the table has in-memory inodes, each looked up and closed in turn:
 * every lookup succeeds, as kept inodes give their slots back, and the last of them is
 * still kept afterwards. */
KTEST(vfs_kept_inodes_give_their_slots_back)
{
    static const char *const dirs[] = {"/bin", "/tests", "/tests/badelf"};
    uint32_t looked = 0, failed = 0;
    struct vfs_dirent *d = kmalloc(sizeof(*d));
    char *path = kmalloc(512);
    KEXPECT(d != NULL && path != NULL);
    for (uint32_t i = 0; d && path && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        struct inode *dir = NULL;
        KEXPECT_EQ(vfs_lookup(dirs[i], &dir), 0);
        if (!dir)
            continue;
        for (uint32_t pos = 0; vfs_readdir(dir, &pos, d) > 0;) {
            struct inode *ip = NULL;
            if (d->name[0] == '.')
                continue;
            ksnprintf(path, 512, "%s/%s", dirs[i], d->name);
            failed += vfs_lookup(path, &ip) != 0;
            if (ip)
                vfs_iput(ip);
            looked++;
        }
        vfs_iput(dir);
    }
    printk("# %u files looked up one after another\n", looked);
    KEXPECT(looked > 64);                          /* more than NINODE in fs/vfs.c */
    KEXPECT_EQ(failed, 0);
    kfree(d);
    kfree(path);
    vfs_drop_unused();
}

KTEST(vfs_tmpfs_file_is_cached_pages)
{
    struct inode *ip = NULL;
    uint8_t *page = kmalloc(PGSIZE);
    KEXPECT(page != NULL);
    if (!page)
        return;
    uint32_t cached = pcache_pages();
    KEXPECT_EQ(vfs_create("/tmp/ktest-cache", 0600, 1, &ip), 0);
    memset(page, 0x5a, PGSIZE);
    KEXPECT_EQ(vfs_write(ip, page, 3 * PGSIZE, PGSIZE), PGSIZE);   /* pages 0-2: a hole */
    KEXPECT_EQ(ip->size, 4 * PGSIZE);
    KEXPECT_EQ(ip->cache.resident, 1);
    KEXPECT_EQ(pcache_pages(), cached + 1);
    memset(page, 0, PGSIZE);
    KEXPECT_EQ(vfs_read(ip, page, 3 * PGSIZE, PGSIZE), PGSIZE);
    KEXPECT(page[0] == 0x5a && page[PGSIZE - 1] == 0x5a);
    KEXPECT_EQ(vfs_unlink("/tmp/ktest-cache"), 0);
    KEXPECT_EQ(vfs_read(ip, page, 3 * PGSIZE, 1), 1);   /* open: still there */
    vfs_iput(ip);
    KEXPECT_EQ(pcache_pages(), cached);
    KEXPECT_EQ(vfs_lookup("/tmp/ktest-cache", &ip), -ENOENT);
    kfree(page);
}
