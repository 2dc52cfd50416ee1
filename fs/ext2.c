/* fs/ext2.c: a read-only ext2 driver. The superblock gives the geometry; an inode
 * is found through its block group's descriptor; a file's blocks through the inode's
 * 12 direct pointers and its single, double and triple indirect blocks. */
#include <stdarg.h>
#include "fs/ext2.h"
#include "fs/ext2_disk.h"
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/kheap.h"

_Static_assert(sizeof(struct ext2_super) == 104, "superblock layout");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor layout");
_Static_assert(sizeof(struct ext2_disk_inode) == 128, "inode layout");
_Static_assert(sizeof(struct ext2_dirent) == 8, "directory entry layout");

#define SUPPORTED_INCOMPAT (EXT2_INCOMPAT_FILETYPE | EXT2_INCOMPAT_FLEX_BG)

/* What struct inode does not hold of an ext2 inode: where its data lies. */
struct ext2_inode_info {
    uint32_t block[EXT2_N_BLOCKS];
    uint32_t file_acl;
};

static const struct { uint32_t bit; const char *name; } incompat_names[] = {
    {EXT2_INCOMPAT_COMPRESSION, "compression"}, {EXT2_INCOMPAT_RECOVER, "needs_recovery"},
    {EXT2_INCOMPAT_JOURNAL_DEV, "journal_dev"}, {EXT2_INCOMPAT_META_BG, "meta_bg"},
    {EXT2_INCOMPAT_EXTENTS, "extent"}, {EXT2_INCOMPAT_64BIT, "64bit"},
    {EXT2_INCOMPAT_MMP, "mmp"}, {EXT2_INCOMPAT_INLINE_DATA, "inline_data"},
};

/* Say what is wrong with the file system (naming its device) and return err. */
static int complain(const struct ext2_fs *fs, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printk("ext2: %s: ", fs->dev->name);
    vprintk(fmt, ap);
    printk("\n");
    va_end(ap);
    return err;
}

/* ---- mounting --------------------------------------------------------------------- */

static int refuse_features(const struct ext2_fs *fs, uint32_t incompat)
{
    uint32_t unsupported = incompat & ~SUPPORTED_INCOMPAT;
    if (!unsupported)
        return 0;
    printk("ext2: %s: unsupported incompatible features:", fs->dev->name);
    for (unsigned i = 0; i < sizeof(incompat_names) / sizeof(incompat_names[0]); i++)
        if (unsupported & incompat_names[i].bit)
            printk(" %s", incompat_names[i].name);
    printk(" (mask %x): not mounted\n", unsupported);
    return -EINVAL;
}

/* Take the geometry from the superblock, refusing anything that does not add up. */
static int check_super(struct ext2_fs *fs, const struct ext2_super *sb)
{
    if (sb->magic != EXT2_MAGIC)
        return complain(fs, -EINVAL, "bad magic %04x: not an ext2 file system", sb->magic);
    if (sb->rev_level > EXT2_DYNAMIC_REV)
        return complain(fs, -EINVAL, "revision %u not supported", sb->rev_level);
    if (sb->log_block_size > 2)
        return complain(fs, -EINVAL, "block size 1024 << %u not supported (1-4 KiB)",
                        sb->log_block_size);
    int dynamic = sb->rev_level == EXT2_DYNAMIC_REV;
    uint32_t incompat = dynamic ? sb->feature_incompat : 0;
    if (refuse_features(fs, incompat))
        return -EINVAL;

    fs->block_size = 1024u << sb->log_block_size;
    fs->inode_size = dynamic ? sb->inode_size : EXT2_GOOD_OLD_INODE_SIZE;
    fs->dirent_has_type = (incompat & EXT2_INCOMPAT_FILETYPE) != 0;
    fs->blocks_count = sb->blocks_count;
    fs->inodes_count = sb->inodes_count;
    fs->blocks_per_group = sb->blocks_per_group;
    fs->inodes_per_group = sb->inodes_per_group;
    fs->first_data_block = sb->first_data_block;

    uint32_t bs = fs->block_size, isize = fs->inode_size;
    if (isize < EXT2_GOOD_OLD_INODE_SIZE || isize > bs || (isize & (isize - 1)))
        return complain(fs, -EINVAL, "inode size %u not supported", isize);
    /* A group's block and inode bitmaps are one block each. */
    if (fs->blocks_per_group == 0 || fs->blocks_per_group > 8 * bs ||
        fs->inodes_per_group == 0 || fs->inodes_per_group > 8 * bs)
        return complain(fs, -EINVAL, "%u blocks and %u inodes per group: impossible",
                        fs->blocks_per_group, fs->inodes_per_group);
    if (fs->first_data_block != (bs == 1024) || fs->blocks_count <= fs->first_data_block)
        return complain(fs, -EINVAL, "first data block %u of %u: impossible",
                        fs->first_data_block, fs->blocks_count);
    fs->groups = ((uint64_t)fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) /
                 fs->blocks_per_group;
    if ((uint64_t)fs->groups * fs->inodes_per_group != fs->inodes_count)
        return complain(fs, -EINVAL, "%u inodes do not fill %u groups of %u", fs->inodes_count,
                        fs->groups, fs->inodes_per_group);
    if ((uint64_t)fs->blocks_count * (bs / SECTOR_SIZE) > fs->dev->nsectors)
        return complain(fs, -EINVAL, "%u blocks do not fit in the %u sectors of the device",
                        fs->blocks_count, fs->dev->nsectors);
    uint64_t gdt_blocks = ((uint64_t)fs->groups * sizeof(struct ext2_group_desc) + bs - 1) / bs;
    if (fs->first_data_block + 1 + gdt_blocks > fs->blocks_count)
        return complain(fs, -EINVAL, "the group descriptors of %u groups do not fit", fs->groups);
    return 0;
}

int ext2_mount(struct ext2_fs *fs, struct blkdev *dev)
{
    memset(fs, 0, sizeof(*fs));
    fs->dev = dev;
    bcache_forget(dev);                   /* blocks cached from an earlier medium */
    /* Every field Pagoda reads lies in the superblock's first sector. */
    struct ext2_super *sb = kmalloc(SECTOR_SIZE);
    if (!sb)
        return -ENOMEM;
    int err = blk_read(dev, EXT2_SUPER_OFFSET / SECTOR_SIZE, 1, sb);
    if (err == 0)
        err = check_super(fs, sb);
    kfree(sb);
    if (err == 0)
        printk("ext2: %s: %u blocks of %u bytes, %u inodes, %u block group(s)\n", dev->name,
               fs->blocks_count, fs->block_size, fs->inodes_count, fs->groups);
    return err;
}

/* ---- inodes ----------------------------------------------------------------------- */

/* The first block of group g's inode table, checked to lie inside the file system. */
static int inode_table(struct ext2_fs *fs, uint32_t group, uint32_t *block)
{
    struct ext2_group_desc gd;
    uint32_t per_block = fs->block_size / sizeof(gd);
    int err = bcache_read(fs->dev, fs->block_size, fs->first_data_block + 1 + group / per_block,
                          group % per_block * sizeof(gd), sizeof(gd), &gd);
    if (err)
        return err;
    uint32_t table_blocks = fs->inodes_per_group * fs->inode_size / fs->block_size;
    if (gd.inode_table <= fs->first_data_block || gd.inode_table >= fs->blocks_count ||
        table_blocks > fs->blocks_count - gd.inode_table)
        return complain(fs, -EIO, "group %u: inode table at block %u is outside the file system",
                        group, gd.inode_table);
    *block = gd.inode_table;
    return 0;
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode *ip)
{
    if (ino == 0 || ino > fs->inodes_count)
        return complain(fs, -EINVAL, "inode %u out of range (1-%u)", ino, fs->inodes_count);
    uint32_t group = (ino - 1) / fs->inodes_per_group;
    uint32_t byte = (ino - 1) % fs->inodes_per_group * fs->inode_size;
    uint32_t table = 0;
    struct ext2_disk_inode di;
    int err = inode_table(fs, group, &table);
    if (err == 0)
        err = bcache_read(fs->dev, fs->block_size, table + byte / fs->block_size,
                          byte % fs->block_size, sizeof(di), &di);
    if (err)
        return err;
    if (di.mode == 0 || di.links_count == 0)
        return complain(fs, -EIO, "inode %u is not in use", ino);
    if (S_ISREG(di.mode) && di.size_high)
        return complain(fs, -EFBIG, "inode %u is larger than 4 GiB", ino);
    struct ext2_inode_info *info = kmalloc(sizeof(*info));
    if (!info)
        return -ENOMEM;
    memcpy(info->block, di.block, sizeof(info->block));
    info->file_acl = di.file_acl;
    ip->ino = ino;
    ip->mode = di.mode;
    ip->nlink = di.links_count;
    ip->uid = di.uid | (uint32_t)di.uid_high << 16;
    ip->gid = di.gid | (uint32_t)di.gid_high << 16;
    ip->size = di.size;
    ip->atime = di.atime;
    ip->mtime = di.mtime;
    ip->ctime = di.ctime;
    ip->blocks512 = di.blocks;
    ip->fs_private = info;
    return 0;
}

void ext2_irelease(struct inode *ip)
{
    kfree(ip->fs_private);
    ip->fs_private = NULL;
}

/* ---- from file blocks to disk blocks ------------------------------------------------ */

/* A block pointer found in inode ip: 0 (a hole) or a block of the file system. */
static int check_pointer(struct ext2_fs *fs, struct inode *ip, uint32_t block)
{
    if (block >= fs->blocks_count)
        return complain(fs, -EIO, "inode %u: block pointer %u past the end (%u blocks)",
                        ip->ino, block, fs->blocks_count);
    return 0;
}

/* Follow `levels` levels of indirect blocks down from `block` to entry i of the
 * data blocks under it: its disk block in *out (0 when a hole is met). */
static int walk_indirect(struct ext2_fs *fs, struct inode *ip, uint32_t block, int levels,
                         uint32_t i, uint32_t *out)
{
    uint32_t per_block = fs->block_size / sizeof(uint32_t);
    uint32_t span = 1;                    /* data blocks under one pointer of this level */
    for (int l = 1; l < levels; l++)
        span *= per_block;
    for (; levels > 0 && block != 0; levels--) {
        int err = check_pointer(fs, ip, block);
        if (err == 0)
            err = bcache_read(fs->dev, fs->block_size, block, i / span * sizeof(uint32_t),
                              sizeof(uint32_t), &block);
        if (err)
            return err;
        i %= span;
        span /= per_block;
    }
    *out = block;
    return check_pointer(fs, ip, block);
}

/* The disk block holding block fblock of the file, or 0 for a hole. The pointers
 * run: 12 direct, then one block of pointers, then two levels, then three. */
static int bmap(struct ext2_fs *fs, struct inode *ip, uint32_t fblock, uint32_t *out)
{
    const struct ext2_inode_info *info = ip->fs_private;
    if (fblock < EXT2_NDIR_BLOCKS)
        return walk_indirect(fs, ip, info->block[fblock], 0, 0, out);
    fblock -= EXT2_NDIR_BLOCKS;
    uint32_t reach = fs->block_size / sizeof(uint32_t);   /* blocks under block[12] */
    int levels = 1;
    /* Three levels reach 2^24 blocks even at 1 KiB: more than a 4 GiB file has. */
    while (levels < 3 && fblock >= reach) {
        fblock -= reach;
        reach *= fs->block_size / sizeof(uint32_t);
        levels++;
    }
    return walk_indirect(fs, ip, info->block[EXT2_IND_BLOCK + levels - 1], levels, fblock, out);
}

/* Linux's MAX_RW_COUNT: the largest count an int result can report. */
#define READ_MAX 0x7FFFF000u

int ext2_read(struct ext2_fs *fs, struct inode *ip, void *buf, uint32_t off, uint32_t n)
{
    if (off >= ip->size)
        return 0;
    if (n > ip->size - off)
        n = ip->size - off;
    if (n > READ_MAX)
        n = READ_MAX;
    uint8_t *dst = buf;
    for (uint32_t done = 0; done < n;) {
        uint32_t pos = off + done;
        uint32_t in_block = pos % fs->block_size;
        uint32_t chunk = fs->block_size - in_block < n - done ? fs->block_size - in_block : n - done;
        uint32_t block;
        int err = bmap(fs, ip, pos / fs->block_size, &block);
        if (err == 0 && block == 0)
            memset(dst + done, 0, chunk);
        else if (err == 0)
            err = bcache_read(fs->dev, fs->block_size, block, in_block, chunk, dst + done);
        if (err)
            return err;
        done += chunk;
    }
    return n;
}

/* ext2_read that must deliver all n bytes: a short read means the inode's size
 * disagrees with its contents. */
static int read_exact(struct ext2_fs *fs, struct inode *ip, void *buf, uint32_t off, uint32_t n)
{
    int got = ext2_read(fs, ip, buf, off, n);
    if (got < 0)
        return got;
    if ((uint32_t)got != n)
        return complain(fs, -EIO, "inode %u: %u bytes at %u lie past its size %u", ip->ino, n,
                        off, ip->size);
    return 0;
}

/* ---- directories and symbolic links --------------------------------------------- */

/* ext2's file_type byte (0 unknown, 1 regular, 2 directory, ... 7 link) as DT_*. */
static uint8_t dirent_type(uint8_t ext2_type)
{
    static const uint8_t dt[] = {DT_UNKNOWN, DT_REG, DT_DIR, DT_CHR, DT_BLK, DT_FIFO, DT_SOCK,
                                 DT_LNK};
    return ext2_type < sizeof(dt) ? dt[ext2_type] : DT_UNKNOWN;
}

/* Is the entry header read at pos sane for a directory of this block size? */
static int check_dirent(struct ext2_fs *fs, struct inode *dir, uint32_t pos,
                        const struct ext2_dirent *de, uint32_t name_len)
{
    uint32_t room = fs->block_size - pos % fs->block_size;    /* left in this block */
    if (de->rec_len < sizeof(*de) || de->rec_len % 4 || de->rec_len > room ||
        sizeof(*de) + name_len > de->rec_len || name_len > EXT2_NAME_MAX ||
        (de->inode && name_len == 0))
        return complain(fs, -EIO, "directory %u: bad entry at byte %u (length %u, name %u)",
                        dir->ino, pos, de->rec_len, name_len);
    if (de->inode > fs->inodes_count)
        return complain(fs, -EIO, "directory %u: entry at byte %u names inode %u, out of range",
                        dir->ino, pos, de->inode);
    return 0;
}

int ext2_readdir(struct ext2_fs *fs, struct inode *dir, uint32_t *pos, struct vfs_dirent *out)
{
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    while (*pos < dir->size) {
        struct ext2_dirent de;
        uint32_t at = *pos;
        int err = read_exact(fs, dir, &de, at, sizeof(de));
        if (err)
            return err;
        uint32_t name_len = fs->dirent_has_type ? de.name_len : de.name_len | de.file_type << 8;
        err = check_dirent(fs, dir, at, &de, name_len);
        if (err)
            return err;
        *pos = at + de.rec_len;
        if (de.inode == 0)
            continue;                     /* a free slot */
        err = read_exact(fs, dir, out->name, at + sizeof(de), name_len);
        if (err)
            return err;
        out->name[name_len] = 0;
        out->ino = de.inode;
        out->type = fs->dirent_has_type ? dirent_type(de.file_type) : DT_UNKNOWN;
        return 1;
    }
    return 0;
}

/* A short target lives in the inode's block pointers; then no block is allocated
 * to the link (an extended-attribute block aside). */
static int is_fast_symlink(const struct ext2_fs *fs, const struct inode *ip)
{
    const struct ext2_inode_info *info = ip->fs_private;
    uint32_t xattr_sectors = info->file_acl ? fs->block_size / SECTOR_SIZE : 0;
    return ip->blocks512 == xattr_sectors;
}

int ext2_readlink(struct ext2_fs *fs, struct inode *ip, char *buf, uint32_t size)
{
    if (!S_ISLNK(ip->mode))
        return -EINVAL;
    if (ip->size >= size)
        return -ENAMETOOLONG;
    if (is_fast_symlink(fs, ip)) {
        if (ip->size > EXT2_FAST_SYMLINK_MAX)
            return complain(fs, -EIO, "symlink %u: %u bytes cannot fit in the inode", ip->ino,
                            ip->size);
        memcpy(buf, ((const struct ext2_inode_info *)ip->fs_private)->block, ip->size);
    } else {
        int err = read_exact(fs, ip, buf, 0, ip->size);
        if (err)
            return err;
    }
    buf[ip->size] = 0;
    return ip->size;
}
