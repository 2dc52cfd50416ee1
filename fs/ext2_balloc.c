/* fs/ext2_balloc.c: allocation of blocks and inodes. Each block group has a bitmap
 * of its blocks and one of its inodes (a bit set: in use); its group descriptor and
 * the superblock count what is free. Allocating sets the bit first, then the counts;
 * freeing clears the bit first (Tanenbaum, MOS 4.4.1, free-space management by
 * bitmap). A crash between the two leaves counts that e2fsck recomputes; it never
 * leaves a block in use that the bitmap calls free. */
#include "fs/ext2_int.h"
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "mm/kheap.h"

enum { BLOCKS, INODES };           /* which bitmap */

static int group_rw(struct ext2_fs *fs, uint32_t g, struct ext2_group_desc *gd, int write)
{
    uint32_t per_block = fs->block_size / sizeof(*gd);
    uint32_t block = fs->first_data_block + 1 + g / per_block;
    uint32_t off = g % per_block * sizeof(*gd);
    if (write)
        return bcache_write(fs->dev, fs->block_size, block, off, sizeof(*gd), gd);
    return bcache_read(fs->dev, fs->block_size, block, off, sizeof(*gd), gd);
}

/* Bits in group g's bitmap of this kind: the last group may have fewer blocks. */
static uint32_t group_bits(struct ext2_fs *fs, uint32_t g, int kind)
{
    if (kind == INODES)
        return fs->inodes_per_group;
    uint32_t first = fs->first_data_block + g * fs->blocks_per_group;
    uint32_t left = fs->blocks_count - first;
    return left < fs->blocks_per_group ? left : fs->blocks_per_group;
}

/* Add delta to the free count of this kind in group g and in the superblock (and to
 * the group's directory count). */
static int count(struct ext2_fs *fs, uint32_t g, int kind, int delta, int dirs)
{
    struct ext2_group_desc gd;
    struct ext2_super sb;
    int err = group_rw(fs, g, &gd, 0);
    if (err)
        return err;
    if (kind == BLOCKS)
        gd.free_blocks_count += delta;
    else
        gd.free_inodes_count += delta;
    gd.used_dirs_count += dirs;
    if ((err = group_rw(fs, g, &gd, 1)) != 0 || (err = ext2_super_rw(fs, &sb, 0)) != 0)
        return err;
    if (kind == BLOCKS)
        sb.free_blocks_count += delta;
    else
        sb.free_inodes_count += delta;
    return ext2_super_rw(fs, &sb, 1);
}

/* The block holding group g's bitmap of this kind, checked to be inside. */
static int bitmap_block(struct ext2_fs *fs, uint32_t g, int kind, uint32_t *block)
{
    struct ext2_group_desc gd;
    int err = group_rw(fs, g, &gd, 0);
    if (err)
        return err;
    *block = kind == BLOCKS ? gd.block_bitmap : gd.inode_bitmap;
    if (*block <= fs->first_data_block || *block >= fs->blocks_count)
        return ext2_complain(fs, -EIO, "group %u: bitmap at block %u is outside", g, *block);
    return 0;
}

/* Find a clear bit at or after `from` in group g's bitmap, set it and write the byte
 * back: its number in *bit, or -ENOSPC if the group has none. */
static int take_bit(struct ext2_fs *fs, uint32_t g, int kind, uint32_t from, uint32_t *bit)
{
    uint32_t block, bits = group_bits(fs, g, kind);
    int err = bitmap_block(fs, g, kind, &block);
    uint8_t *map = err ? NULL : kmalloc(fs->block_size);
    if (!map)
        return err ? err : -ENOMEM;
    err = ext2_bread(fs, block, map);
    for (uint32_t i = from; err == 0 && i < bits; i++) {
        if (map[i / 8] & (1u << i % 8))
            continue;
        map[i / 8] |= 1u << i % 8;
        err = bcache_write(fs->dev, fs->block_size, block, i / 8, 1, &map[i / 8]);
        *bit = i;
        kfree(map);
        return err;
    }
    kfree(map);
    return err ? err : -ENOSPC;
}

/* Clear bit i of group g's bitmap; a bit already clear means the file system is
 * damaged (something was freed twice). */
static int drop_bit(struct ext2_fs *fs, uint32_t g, int kind, uint32_t i)
{
    uint32_t block;
    uint8_t byte;
    int err = bitmap_block(fs, g, kind, &block);
    if (err == 0)
        err = bcache_read(fs->dev, fs->block_size, block, i / 8, 1, &byte);
    if (err)
        return err;
    if (!(byte & (1u << i % 8)))
        return ext2_complain(fs, -EIO, "group %u: freeing %s %u, already free", g,
                             kind == BLOCKS ? "block" : "inode", i);
    byte &= ~(1u << i % 8);
    return bcache_write(fs->dev, fs->block_size, block, i / 8, 1, &byte);
}

/* Search the groups from `start` on (wrapping round), first from bit `from` of the
 * first group; skip groups whose descriptor says they are full. */
static int take(struct ext2_fs *fs, uint32_t start, int kind, uint32_t from, uint32_t *g_out,
                uint32_t *bit)
{
    if (!fs->writable)
        return -EROFS;
    for (uint32_t n = 0; n < fs->groups; n++, from = 0) {
        uint32_t g = (start + n) % fs->groups;
        struct ext2_group_desc gd;
        int err = group_rw(fs, g, &gd, 0);
        if (err)
            return err;
        if ((kind == BLOCKS ? gd.free_blocks_count : gd.free_inodes_count) == 0)
            continue;
        err = take_bit(fs, g, kind, from, bit);
        if (err == -ENOSPC)
            continue;                     /* the count was wrong; e2fsck will say so */
        *g_out = g;
        return err;
    }
    return -ENOSPC;
}

/* Near `goal`: in its group, from it on, so that a file's blocks lie together and
 * are read without long seeks (MOS 4.5.3, reducing disk-arm motion). */
int ext2_balloc_block(struct ext2_fs *fs, uint32_t goal, uint32_t *block)
{
    if (goal < fs->first_data_block || goal >= fs->blocks_count)
        goal = fs->first_data_block;
    uint32_t g, bit, rel = goal - fs->first_data_block;
    int err = take(fs, rel / fs->blocks_per_group, BLOCKS, rel % fs->blocks_per_group, &g, &bit);
    if (err == 0)
        err = count(fs, g, BLOCKS, -1, 0);
    if (err == 0)
        *block = fs->first_data_block + g * fs->blocks_per_group + bit;
    return err;
}

int ext2_balloc_free_block(struct ext2_fs *fs, uint32_t block)
{
    if (block <= fs->first_data_block || block >= fs->blocks_count)
        return ext2_complain(fs, -EIO, "freeing block %u, outside the file system", block);
    uint32_t rel = block - fs->first_data_block;
    uint32_t g = rel / fs->blocks_per_group;
    int err = drop_bit(fs, g, BLOCKS, rel % fs->blocks_per_group);
    return err ? err : count(fs, g, BLOCKS, 1, 0);
}

/* The group with the most free inodes: where a new directory goes, so that the
 * directories spread over the disk and their files find room beside them. */
static uint32_t emptiest_group(struct ext2_fs *fs)
{
    uint32_t best = 0, most = 0;
    for (uint32_t g = 0; g < fs->groups; g++) {
        struct ext2_group_desc gd;
        if (group_rw(fs, g, &gd, 0) == 0 && gd.free_inodes_count > most) {
            most = gd.free_inodes_count;
            best = g;
        }
    }
    return best;
}

/* A file goes into its directory's group; the reserved inodes (below first_ino, all
 * in group 0) are never handed out. */
int ext2_balloc_inode(struct ext2_fs *fs, uint32_t near, int is_dir, uint32_t *ino)
{
    uint32_t start = is_dir ? emptiest_group(fs) : (near - 1) / fs->inodes_per_group;
    uint32_t g, bit;
    int err;
    do {
        err = take(fs, start, INODES, 0, &g, &bit);
        if (err == 0)
            err = count(fs, g, INODES, -1, is_dir);
        if (err)
            return err;
        *ino = g * fs->inodes_per_group + bit + 1;
    } while (*ino < fs->first_ino);       /* a reserved inode whose bit mke2fs left clear */
    return 0;
}

int ext2_balloc_free_inode(struct ext2_fs *fs, uint32_t ino, int is_dir)
{
    if (ino < fs->first_ino || ino > fs->inodes_count)
        return ext2_complain(fs, -EIO, "freeing inode %u, reserved or out of range", ino);
    uint32_t g = (ino - 1) / fs->inodes_per_group;
    int err = drop_bit(fs, g, INODES, (ino - 1) % fs->inodes_per_group);
    return err ? err : count(fs, g, INODES, 1, -is_dir);
}
