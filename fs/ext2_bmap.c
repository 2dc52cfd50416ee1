/* fs/ext2_bmap.c: from a file's block numbers to the disk's. An inode holds 12
 * direct pointers, then one to a block of pointers (single indirect), one to a block
 * of pointers to such blocks (double) and one with three levels (triple); a 0 pointer
 * is a hole, read as zeros (Tanenbaum, MOS 4.3.2, i-nodes). Writing fills holes;
 * truncating frees the blocks past the new end. */
#include "fs/ext2_int.h"
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/kheap.h"

/* Where file block fblock hangs: the inode's pointer slot, the levels of indirect
 * blocks below it (0: the slot points at the data), and the data block's index among
 * the blocks under that slot. Three levels reach 2^24 blocks even at 1 KiB: more than
 * a 4 GiB file has. */
static int path(struct ext2_fs *fs, uint32_t fblock, uint32_t *index)
{
    if (fblock < EXT2_NDIR_BLOCKS) {
        *index = 0;
        return 0;
    }
    fblock -= EXT2_NDIR_BLOCKS;
    uint32_t reach = fs->block_size / sizeof(uint32_t);   /* blocks under block[12] */
    int levels = 1;
    while (levels < 3 && fblock >= reach) {
        fblock -= reach;
        reach *= fs->block_size / sizeof(uint32_t);
        levels++;
    }
    *index = fblock;
    return levels;
}

static int slot_of(uint32_t fblock, int levels)
{
    return levels == 0 ? (int)fblock : EXT2_IND_BLOCK + levels - 1;
}

/* Data blocks under one pointer of an indirect block `levels` levels above the data. */
static uint32_t span(struct ext2_fs *fs, int levels)
{
    uint32_t s = 1;
    for (int l = 1; l < levels; l++)
        s *= fs->block_size / sizeof(uint32_t);
    return s;
}

/* A block pointer found in inode ip: 0 (a hole) or a block of the file system. */
static int check_pointer(struct ext2_fs *fs, struct inode *ip, uint32_t block)
{
    if (block >= fs->blocks_count || (block != 0 && block <= fs->first_data_block))
        return ext2_complain(fs, -EIO, "inode %u: block pointer %u outside (%u blocks)",
                             ip->ino, block, fs->blocks_count);
    return 0;
}

static int read_pointer(struct ext2_fs *fs, struct inode *ip, uint32_t block, uint32_t i,
                        uint32_t *out)
{
    int err = check_pointer(fs, ip, block);
    if (err == 0)
        err = bcache_read(fs->dev, fs->block_size, block, i * sizeof(uint32_t),
                          sizeof(uint32_t), out);
    return err ? err : check_pointer(fs, ip, *out);
}

int ext2_bmap(struct ext2_fs *fs, struct inode *ip, uint32_t fblock, uint32_t *out)
{
    const struct ext2_inode_info *info = ip->fs_private;
    uint32_t i;
    int levels = path(fs, fblock, &i);
    uint32_t block = info->block[slot_of(fblock, levels)];
    int err = check_pointer(fs, ip, block);
    for (; err == 0 && levels > 0 && block != 0; levels--) {
        uint32_t s = span(fs, levels);
        err = read_pointer(fs, ip, block, i / s, &block);
        i %= s;
    }
    *out = block;
    return err;
}

/* ---- allocating on write ---------------------------------------------------------------- */

/* A new block near `goal` holding `fill` (or zeros: a new indirect block), written
 * before anything points at it, so that a crash never leaves a pointer to stale
 * bytes (data before the metadata that names it). */
static int new_block(struct ext2_fs *fs, struct inode *ip, uint32_t goal, const void *fill,
                     uint32_t *block)
{
    static const uint8_t zeros[BCACHE_BLOCK_MAX];
    int err = ext2_balloc_block(fs, goal, block);
    if (err)
        return err;
    err = ext2_bwrite(fs, *block, fill ? fill : zeros);
    if (err) {
        ext2_balloc_free_block(fs, *block);
        return err;
    }
    ip->blocks512 += fs->block_size / SECTOR_SIZE;
    return 0;
}

/* Where to look for a free block for ip: right after one it already has, else in the
 * block group of its inode. */
static uint32_t goal_of(struct ext2_fs *fs, struct inode *ip, uint32_t near)
{
    if (near)
        return near + 1;
    return fs->first_data_block + (ip->ino - 1) / fs->inodes_per_group * fs->blocks_per_group;
}

int ext2_bmap_alloc(struct ext2_fs *fs, struct inode *ip, uint32_t fblock, const void *fill,
                    uint32_t *out)
{
    struct ext2_inode_info *info = ip->fs_private;
    uint32_t i;
    int levels = path(fs, fblock, &i);
    int slot = slot_of(fblock, levels);
    uint32_t block = info->block[slot];
    int err = check_pointer(fs, ip, block);
    if (err == 0 && block == 0) {         /* the inode's own pointer: then the inode */
        uint32_t goal = goal_of(fs, ip, slot > 0 ? info->block[slot - 1] : 0);
        err = new_block(fs, ip, goal, levels ? NULL : fill, &block);
        if (err == 0) {
            info->block[slot] = block;
            err = ext2_iupdate(fs, ip);
        }
    }
    for (; err == 0 && levels > 0; levels--) {
        uint32_t s = span(fs, levels), parent = block;
        err = read_pointer(fs, ip, parent, i / s, &block);
        if (err == 0 && block == 0) {     /* a pointer in an indirect block */
            err = new_block(fs, ip, goal_of(fs, ip, parent), levels == 1 ? fill : NULL, &block);
            if (err == 0)
                err = bcache_write(fs->dev, fs->block_size, parent, i / s * sizeof(uint32_t),
                                   sizeof(uint32_t), &block);
        }
        i %= s;
    }
    *out = block;
    return err;
}

/* ---- freeing on truncate ---------------------------------------------------------------- */

/* Free block b, nothing pointing at it any more, and, `levels` levels above the
 * data, every block under it. */
static int free_tree(struct ext2_fs *fs, struct inode *ip, uint32_t b, int levels)
{
    int err = check_pointer(fs, ip, b);
    if (err == 0 && levels > 0) {
        uint32_t per = fs->block_size / sizeof(uint32_t);
        uint32_t *ptrs = kmalloc(fs->block_size);
        err = ptrs ? ext2_bread(fs, b, ptrs) : -ENOMEM;
        for (uint32_t k = 0; err == 0 && k < per; k++)
            if (ptrs[k])
                err = free_tree(fs, ip, ptrs[k], levels - 1);
        kfree(ptrs);
    }
    if (err == 0)
        err = ext2_balloc_free_block(fs, b);
    if (err == 0)
        ip->blocks512 -= fs->block_size / SECTOR_SIZE;
    return err;
}

/* In indirect block b (`levels` above the data), free everything under it from data
 * index `from` on (from > 0: b itself stays). The pointers are cleared on the disk
 * before the blocks they named are freed. */
static int trim(struct ext2_fs *fs, struct inode *ip, uint32_t b, int levels, uint32_t from)
{
    static const uint32_t zeros[BCACHE_BLOCK_MAX / sizeof(uint32_t)];
    uint32_t per = fs->block_size / sizeof(uint32_t), s = span(fs, levels);
    uint32_t k = from / s;
    uint32_t *ptrs = kmalloc(fs->block_size);
    int err = ptrs ? ext2_bread(fs, b, ptrs) : -ENOMEM;
    if (err == 0 && from % s && ptrs[k])
        err = trim(fs, ip, ptrs[k], levels - 1, from % s);
    if (from % s)
        k++;
    if (err == 0 && k < per)
        err = bcache_write(fs->dev, fs->block_size, b, k * sizeof(uint32_t),
                           (per - k) * sizeof(uint32_t), zeros);
    for (; err == 0 && k < per; k++)
        if (ptrs[k])
            err = free_tree(fs, ip, ptrs[k], levels - 1);
    kfree(ptrs);
    return err;
}

/* Keep file blocks 0..keep-1. Whole subtrees past them come off the inode first (one
 * inode write), then their blocks are freed; a subtree that keeps some is trimmed. */
int ext2_bmap_truncate(struct ext2_fs *fs, struct inode *ip, uint32_t keep)
{
    struct ext2_inode_info *info = ip->fs_private;
    uint32_t gone[EXT2_N_BLOCKS] = {0};
    uint32_t start = EXT2_NDIR_BLOCKS;    /* file block of the first under the slot */
    int err = 0;
    for (int slot = 0; slot < EXT2_N_BLOCKS; slot++) {
        int levels = slot < EXT2_NDIR_BLOCKS ? 0 : slot - EXT2_IND_BLOCK + 1;
        uint32_t first = levels ? start : (uint32_t)slot;
        uint32_t under = levels ? span(fs, levels + 1) : 1;
        if (levels)
            start += under;
        if (!info->block[slot] || keep >= first + under)
            continue;
        if (keep <= first) {
            gone[slot] = info->block[slot];
            info->block[slot] = 0;
        } else if (err == 0) {
            err = trim(fs, ip, info->block[slot], levels, keep - first);
        }
    }
    if (err == 0)
        err = ext2_iupdate(fs, ip);
    for (int slot = 0; err == 0 && slot < EXT2_N_BLOCKS; slot++)
        if (gone[slot])
            err = free_tree(fs, ip, gone[slot], slot < EXT2_NDIR_BLOCKS ? 0 : slot - EXT2_IND_BLOCK + 1);
    return err == 0 ? ext2_iupdate(fs, ip) : err;
}
