/* fs/ext2_write.c: writing a file's bytes and changing its size. The order of the
 * disk writes is what keeps a crash harmless (Tanenbaum, MOS 4.4.3, file-system
 * consistency; Silberschatz, Operating System Concepts 14.7, consistency checking):
 *   1. a new block's bit is set in the bitmap (and the free counts lowered);
 *   2. the block's contents are written;
 *   3. the pointer to it is written (in the inode or an indirect block);
 *   4. the inode's new size is written last.
 * A file's bytes reach its blocks later, when the page cache writes its dirty pages back
 * (ext2_write_in_place): write(2) first reserves the blocks (ext2_reserve: steps 1 to 4
 * with the new blocks' contents zeros), so step 2 is done twice for a new block, once
 * as zeros and once as data. Every metadata write goes through the block cache to the
 * disk at once, in this order. A
 * crash between 1 and 3 leaves a block marked used that nothing names (e2fsck: "block
 * bitmap differences", fixed by freeing it); between 3 and 4 a block past the end of
 * the file (e2fsck corrects i_size or i_blocks). No crash leaves a pointer to a block
 * whose bytes belong to someone else. Shrinking goes the other way: the size first,
 * then the pointers cleared, then the bits. */
#include "fs/ext2_int.h"
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/kheap.h"

#define SIZE_MAX32 0xFFFFFFFFu
#define LARGE_FILE_SIZE 0x80000000u      /* from 2 GiB on the feature must be set */

/* A file of 2 GiB or more needs the large_file feature in the superblock. */
static int note_large_file(struct ext2_fs *fs, uint32_t size)
{
    struct ext2_super sb;
    if (size < LARGE_FILE_SIZE)
        return 0;
    int err = ext2_super_rw(fs, &sb, 0);
    if (err || sb.rev_level != EXT2_DYNAMIC_REV)
        return err ? err : -EFBIG;        /* revision 0 has no feature flags */
    if (sb.feature_ro_compat & EXT2_RO_COMPAT_LARGE_FILE)
        return 0;
    sb.feature_ro_compat |= EXT2_RO_COMPAT_LARGE_FILE;
    return ext2_super_rw(fs, &sb, 1);
}

/* Give every block of [off, off + n) that is a hole its own block of zeros (the bytes a
 * hole reads as), in the order above; *given: the bytes from off whose blocks exist now
 * (short of n only when the disk filled up). */
static int give_blocks(struct ext2_fs *fs, struct inode *ip, uint32_t off, uint32_t n,
                       uint32_t *given)
{
    static const uint8_t zeros[BCACHE_BLOCK_MAX];
    uint32_t bs = fs->block_size, block;
    int err = 0;
    *given = 0;
    for (uint32_t fb = off / bs; err == 0 && *given < n; fb++) {
        if ((err = ext2_bmap(fs, ip, fb, &block)) == 0 && !block)
            err = ext2_bmap_alloc(fs, ip, fb, zeros, &block);
        if (err == 0)
            *given = (fb + 1) * bs - off < n ? (fb + 1) * bs - off : n;
    }
    return err;
}

int ext2_reserve(struct ext2_fs *fs, struct inode *ip, uint32_t off, uint32_t n)
{
    if (!fs->writable)
        return -EROFS;
    if (n == 0)
        return 0;
    if (off >= SIZE_MAX32)
        return -EFBIG;
    if (n > SIZE_MAX32 - off)
        n = SIZE_MAX32 - off;
    if (n > 0x7FFFF000u)                  /* what an int result can report, as Linux */
        n = 0x7FFFF000u;
    uint32_t done = 0;
    int err = note_large_file(fs, off + n);
    if (err == 0)
        err = give_blocks(fs, ip, off, n, &done);
    if (off + done > ip->size)
        ip->size = off + done;
    ip->mtime = ip->ctime = ext2_now(fs);
    int uerr = ext2_iupdate(fs, ip);      /* step 4: the size, after the blocks */
    if (done > 0 && (err == 0 || err == -ENOSPC))
        return uerr ? uerr : (int)done;   /* a short write: the disk filled up */
    return err ? err : uerr;
}

int ext2_truncate(struct ext2_fs *fs, struct inode *ip, uint32_t size)
{
    static const uint8_t zeros[BCACHE_BLOCK_MAX];
    if (!fs->writable)
        return -EROFS;
    int err = note_large_file(fs, size);
    if (err)
        return err;
    uint32_t old = ip->size, bs = fs->block_size;
    ip->size = size;
    ip->mtime = ip->ctime = ext2_now(fs);
    if ((err = ext2_iupdate(fs, ip)) != 0 || size >= old)
        return err;                       /* growing: the new bytes are a hole */
    /* The bytes past the new end in its last block must read as zeros if the file
     * grows again. */
    uint32_t block;
    if (size % bs && (err = ext2_bmap(fs, ip, size / bs, &block)) == 0 && block)
        err = bcache_write(fs->dev, bs, block, size % bs, bs - size % bs, zeros);
    if (err == 0)
        err = ext2_bmap_truncate(fs, ip, size / bs + (size % bs != 0));
    return err;
}

/* ---- a shared mapping's pages (mm/pagecache.h: mkwrite and writepage) --------------- */

/* A page about to be written through a mapping, or by write-back: its holes get blocks,
 * and the inode its new block count (a block under an indirect one changes no pointer
 * in the inode, but i_blocks counts it). */
int ext2_alloc_range(struct ext2_fs *fs, struct inode *ip, uint32_t off, uint32_t n)
{
    if (!fs->writable)
        return -EROFS;
    uint32_t given, before = ip->blocks512;
    int err = give_blocks(fs, ip, off, n, &given);
    int uerr = ip->blocks512 != before ? ext2_iupdate(fs, ip) : 0;
    return err ? err : uerr;
}

static int all_zero(const uint8_t *p, uint32_t n)
{
    while (n && *p == 0)
        p++, n--;
    return n == 0;
}

/* Write [off, off + n) of the file from buf into the blocks it has: nothing is allocated
 * and no inode changes, so no lock is needed (the pageout daemon writes back this way).
 * A page may span holes that write(2) left (it reserves only the blocks it writes, when
 * blocks are smaller than a page): zeros there are what the hole reads as and are
 * skipped; anything else in a hole is -EIO, its bytes have nowhere to go. */
int ext2_write_in_place(struct ext2_fs *fs, struct inode *ip, const void *buf, uint32_t off,
                        uint32_t n)
{
    uint32_t bs = fs->block_size, block;
    for (uint32_t done = 0; done < n;) {
        uint32_t pos = off + done, in = pos % bs, len = bs - in < n - done ? bs - in : n - done;
        int err = ext2_bmap(fs, ip, pos / bs, &block);
        if (err == 0 && !block && all_zero((const uint8_t *)buf + done, len)) {
            done += len;                  /* what the hole reads as: nothing to write */
            continue;
        }
        if (err == 0 && !block)
            err = ext2_complain(fs, -EIO, "inode %u: write-back into a hole at %u", ip->ino, pos);
        if (err == 0)
            err = bcache_write(fs->dev, bs, block, in, len, (const uint8_t *)buf + done);
        if (err)
            return err;
        done += len;
    }
    return 0;
}
