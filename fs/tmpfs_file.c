/* fs/tmpfs_file.c: the bytes of a tmpfs file. They live only in the file's page
 * cache, a swap-backed object (mm/pagecache.h): a page is made (zeros) when first
 * written, counts against the mount's quota, and goes to swap under pressure like an
 * anonymous page (Silberschatz, OSC 12.6.2; Linux's shmem). A hole is pages never
 * written: they read as zeros. */
#include "fs/tmpfs_int.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "mm/mm.h"
#include "mm/mmu.h"

/* st_blocks: the pages the file holds, in memory or on swap. */
static void count_blocks(struct inode *ip)
{
    ip->blocks512 = (ip->cache.resident + ip->cache.swapped) * (PGSIZE / 512);
    ip->mtime = ip->ctime = tmpfs_now();
}

/* A page at a time, so that a full quota stops the write at a page boundary: the
 * bytes before it are written (a short count), none after, and the size covers
 * exactly what was written (-ENOSPC if nothing was). */
int tmpfs_write(struct inode *ip, const void *buf, uint32_t off, uint32_t n)
{
    if (off + n < off)
        return -EFBIG;                     /* past 4 GiB */
    uint32_t done = 0;
    int err = 0;
    while (done < n) {
        uint32_t at = off + done;
        uint32_t chunk = PGSIZE - at % PGSIZE;
        if (chunk > n - done)
            chunk = n - done;
        err = pcache_write(&ip->cache, (const uint8_t *)buf + done, at, chunk);
        if (err < 0)
            break;
        done += chunk;
        if (at + chunk > ip->size)
            ip->size = at + chunk;
    }
    count_blocks(ip);
    return done > 0 ? (int)done : err;
}

/* Shrinking drops the pages past the end (and unmaps them: a mapping that touches
 * them gets SIGBUS); growing makes a hole, which takes no page. */
int tmpfs_truncate(struct inode *ip, uint32_t size)
{
    pcache_truncate(&ip->cache, size);
    ip->size = size;
    count_blocks(ip);
    return 0;
}

/* tmpfs.size: a number of bytes, or of KiB, MiB or GiB with k, m or g, in pages
 * (rounded up). 0 if absent or malformed (said so). */
static uint32_t size_option(void)
{
    const char *arg = cmdline_get("tmpfs.size"), *s = arg;
    uint64_t n = 0;
    if (!s)
        return 0;
    while (*s >= '0' && *s <= '9' && n < (1ull << 40))
        n = n * 10 + (uint32_t)(*s++ - '0');
    int shift = *s == 'k' || *s == 'K' ? 10 : *s == 'm' || *s == 'M' ? 20
              : *s == 'g' || *s == 'G' ? 30 : 0;
    if (s == arg || n == 0 || (shift && s[1]) || (!shift && *s)) {
        printk("tmpfs: tmpfs.size=%s is not a size (bytes, or with k, m or g)\n", arg);
        return 0;
    }
    n <<= shift;
    n = (n + PGSIZE - 1) / PGSIZE;
    return n > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)n;
}

/* Half of the RAM free at boot unless tmpfs.size says otherwise: a limit, not a
 * reservation (each mount has its own), as Linux's size= default of half of RAM. */
uint32_t tmpfs_quota_pages(void)
{
    uint32_t pages = size_option();
    if (pages == 0) {
        struct mm_usage u;
        mm_usage(&u);
        pages = u.frames_free / 2;
    }
    return pages;
}
