/* fs/ext2.c: the ext2 driver's mounting, inodes and reading. The superblock gives
 * the geometry; an inode is found through its block group's descriptor; a file's
 * blocks through fs/ext2_bmap.c. Writing is in ext2_write.c and ext2_namei.c. */
#include <stdarg.h>
#include "fs/ext2_int.h"
#include "fs/bcache.h"
#include "drivers/pit.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/trap.h"
#include "mm/kheap.h"

_Static_assert(sizeof(struct ext2_super) == 104, "superblock layout");
_Static_assert(sizeof(struct ext2_group_desc) == 32, "group descriptor layout");
_Static_assert(sizeof(struct ext2_disk_inode) == 128, "inode layout");
_Static_assert(sizeof(struct ext2_dirent) == 8, "directory entry layout");

#define SUPPORTED_INCOMPAT (EXT2_INCOMPAT_FILETYPE | EXT2_INCOMPAT_FLEX_BG)
#define WRITABLE_RO_COMPAT (EXT2_RO_COMPAT_SPARSE_SUPER | EXT2_RO_COMPAT_LARGE_FILE)

static const struct { uint32_t bit; const char *name; } incompat_names[] = {
    {EXT2_INCOMPAT_COMPRESSION, "compression"}, {EXT2_INCOMPAT_RECOVER, "needs_recovery"},
    {EXT2_INCOMPAT_JOURNAL_DEV, "journal_dev"}, {EXT2_INCOMPAT_META_BG, "meta_bg"},
    {EXT2_INCOMPAT_EXTENTS, "extent"}, {EXT2_INCOMPAT_64BIT, "64bit"},
    {EXT2_INCOMPAT_MMP, "mmp"}, {EXT2_INCOMPAT_INLINE_DATA, "inline_data"},
};

int ext2_complain(const struct ext2_fs *fs, int err, const char *fmt, ...)
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
        return ext2_complain(fs, -EINVAL, "bad magic %04x: not an ext2 file system", sb->magic);
    if (sb->rev_level > EXT2_DYNAMIC_REV)
        return ext2_complain(fs, -EINVAL, "revision %u not supported", sb->rev_level);
    if (sb->log_block_size > 2)
        return ext2_complain(fs, -EINVAL, "block size 1024 << %u not supported (1-4 KiB)",
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
    fs->first_ino = dynamic ? sb->first_ino : EXT2_GOOD_OLD_FIRST_INO;

    uint32_t bs = fs->block_size, isize = fs->inode_size;
    if (isize < EXT2_GOOD_OLD_INODE_SIZE || isize > bs || (isize & (isize - 1)))
        return ext2_complain(fs, -EINVAL, "inode size %u not supported", isize);
    /* A group's block and inode bitmaps are one block each. */
    if (fs->blocks_per_group == 0 || fs->blocks_per_group > 8 * bs ||
        fs->inodes_per_group == 0 || fs->inodes_per_group > 8 * bs)
        return ext2_complain(fs, -EINVAL, "%u blocks and %u inodes per group: impossible",
                        fs->blocks_per_group, fs->inodes_per_group);
    if (fs->first_data_block != (bs == 1024) || fs->blocks_count <= fs->first_data_block)
        return ext2_complain(fs, -EINVAL, "first data block %u of %u: impossible",
                        fs->first_data_block, fs->blocks_count);
    fs->groups = ((uint64_t)fs->blocks_count - fs->first_data_block + fs->blocks_per_group - 1) /
                 fs->blocks_per_group;
    if ((uint64_t)fs->groups * fs->inodes_per_group != fs->inodes_count)
        return ext2_complain(fs, -EINVAL, "%u inodes do not fill %u groups of %u", fs->inodes_count,
                        fs->groups, fs->inodes_per_group);
    if ((uint64_t)fs->blocks_count * (bs / SECTOR_SIZE) > fs->dev->nsectors)
        return ext2_complain(fs, -EINVAL, "%u blocks do not fit in the %u sectors of the device",
                        fs->blocks_count, fs->dev->nsectors);
    uint64_t gdt_blocks = ((uint64_t)fs->groups * sizeof(struct ext2_group_desc) + bs - 1) / bs;
    if (fs->first_data_block + 1 + gdt_blocks > fs->blocks_count)
        return ext2_complain(fs, -EINVAL, "the group descriptors of %u groups do not fit", fs->groups);
    if (fs->first_ino <= EXT2_ROOT_INO || fs->first_ino > fs->inodes_count)
        return ext2_complain(fs, -EINVAL, "first inode %u: impossible", fs->first_ino);
    return 0;
}

/* Features a writer must understand, or a state that says the disk holds errors:
 * then the file system is only read. */
static void check_writable(struct ext2_fs *fs, const struct ext2_super *sb)
{
    uint32_t ro = sb->rev_level == EXT2_DYNAMIC_REV ? sb->feature_ro_compat : 0;
    fs->writable = 0;
    if (ro & ~WRITABLE_RO_COMPAT)
        printk("ext2: %s: read-only compatible features %x not supported: mounted read-only\n",
               fs->dev->name, ro & ~WRITABLE_RO_COMPAT);
    else if (sb->state & ~EXT2_VALID_FS)
        printk("ext2: %s: errors recorded (state %x): mounted read-only; run e2fsck\n",
               fs->dev->name, sb->state);
    else
        fs->writable = 1;
    if (fs->writable && !(sb->state & EXT2_VALID_FS))
        printk("ext2: %s: not cleanly unmounted: running e2fsck is recommended\n",
               fs->dev->name);
}

int ext2_super_rw(struct ext2_fs *fs, struct ext2_super *sb, int write)
{
    uint32_t block = EXT2_SUPER_OFFSET / fs->block_size, off = EXT2_SUPER_OFFSET % fs->block_size;
    if (write)
        return bcache_write(fs->dev, fs->block_size, block, off, sizeof(*sb), sb);
    return bcache_read(fs->dev, fs->block_size, block, off, sizeof(*sb), sb);
}

/* Clear or set the superblock's "valid" bit: clear while Pagoda may be writing, so
 * that a crash leaves a file system e2fsck will check. */
static int set_valid(struct ext2_fs *fs, int valid)
{
    struct ext2_super sb;
    int err = ext2_super_rw(fs, &sb, 0);
    if (err)
        return err;
    sb.state = valid ? sb.state | EXT2_VALID_FS : sb.state & ~EXT2_VALID_FS;
    sb.wtime = ext2_now(fs);
    err = ext2_super_rw(fs, &sb, 1);
    return err ? err : blk_flush(fs->dev);
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
    if (err == 0)
        check_writable(fs, sb);
    fs->generation = sb->wtime;
    fs->time_base = sb->wtime > sb->mtime ? sb->wtime : sb->mtime;
    if (fs->time_base < fs->inodes_count)
        fs->time_base = fs->inodes_count;     /* a superblock never stamped */
    kfree(sb);
    if (err == 0)
        printk("ext2: %s: %u blocks of %u bytes, %u inodes, %u block group(s)%s\n", dev->name,
               fs->blocks_count, fs->block_size, fs->inodes_count, fs->groups,
               fs->writable ? "" : ", read-only");
    return err;
}

/* The first change after mounting marks the file system "not clean" on the disk; a
 * boot that only reads writes nothing at all. */
int ext2_begin_change(struct ext2_fs *fs)
{
    if (!fs->writable)
        return -EROFS;
    if (fs->changed)
        return 0;
    int err = set_valid(fs, 0);
    if (err == 0)
        fs->changed = 1;
    return err;
}

int ext2_unmount(struct ext2_fs *fs)
{
    return fs->changed ? set_valid(fs, 1) : 0;
}

/* The blocks reserved for root (r_blocks_count) are free but not available. */
int ext2_statfs(struct ext2_fs *fs, struct vfs_statfs *out)
{
    struct ext2_super sb;
    int err = ext2_super_rw(fs, &sb, 0);
    if (err)
        return err;
    uint32_t avail = sb.free_blocks_count > sb.r_blocks_count ?
                     sb.free_blocks_count - sb.r_blocks_count : 0;
    *out = (struct vfs_statfs){.type = EXT2_MAGIC, .bsize = fs->block_size,
                               .blocks = fs->blocks_count, .bfree = sb.free_blocks_count,
                               .bavail = avail, .files = fs->inodes_count,
                               .ffree = sb.free_inodes_count, .namelen = EXT2_NAME_MAX,
                               .read_only = out->read_only};
    return 0;
}

/* The time stamped on inodes. Pagoda has no real-time clock (its wall clock counts
 * from the epoch at boot), so time goes on from the file system's last write: a
 * date, never 1970, which e2fsck needs (a deletion time below the inode count reads
 * to it as a link in the list of orphan inodes). */
uint32_t ext2_now(const struct ext2_fs *fs)
{
    return fs->time_base + ticks / HZ;
}

int ext2_bread(struct ext2_fs *fs, uint32_t block, void *buf)
{
    return bcache_read(fs->dev, fs->block_size, block, 0, fs->block_size, buf);
}

int ext2_bwrite(struct ext2_fs *fs, uint32_t block, const void *buf)
{
    return bcache_write(fs->dev, fs->block_size, block, 0, fs->block_size, buf);
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
        return ext2_complain(fs, -EIO, "group %u: inode table at block %u is outside the file system",
                        group, gd.inode_table);
    *block = gd.inode_table;
    return 0;
}

/* Where inode ino lies: its block of the inode table and byte in that block. */
static int locate(struct ext2_fs *fs, uint32_t ino, uint32_t *block, uint32_t *off)
{
    if (ino == 0 || ino > fs->inodes_count)
        return ext2_complain(fs, -EINVAL, "inode %u out of range (1-%u)", ino, fs->inodes_count);
    uint32_t group = (ino - 1) / fs->inodes_per_group;
    uint32_t byte = (ino - 1) % fs->inodes_per_group * fs->inode_size;
    uint32_t table = 0;
    int err = inode_table(fs, group, &table);
    *block = table + byte / fs->block_size;
    *off = byte % fs->block_size;
    return err;
}

static int disk_inode_rw(struct ext2_fs *fs, uint32_t ino, struct ext2_disk_inode *di, int write)
{
    uint32_t block, off;
    int err = locate(fs, ino, &block, &off);
    if (err)
        return err;
    if (write)
        return bcache_write(fs->dev, fs->block_size, block, off, sizeof(*di), di);
    return bcache_read(fs->dev, fs->block_size, block, off, sizeof(*di), di);
}

int ext2_iget(struct ext2_fs *fs, uint32_t ino, struct inode *ip)
{
    struct ext2_disk_inode di;
    int err = disk_inode_rw(fs, ino, &di, 0);
    if (err)
        return err;
    if (di.mode == 0 || di.links_count == 0)
        return ext2_complain(fs, -EIO, "inode %u is not in use", ino);
    if (S_ISREG(di.mode) && di.size_high)
        return ext2_complain(fs, -EFBIG, "inode %u is larger than 4 GiB", ino);
    struct ext2_inode_info *info = kmalloc(sizeof(*info));
    if (!info)
        return -ENOMEM;
    memcpy(info->block, di.block, sizeof(info->block));
    info->file_acl = di.file_acl;
    info->flags = di.flags;
    info->dtime = di.dtime;
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

/* The in-memory inode into its on-disk one; the fields Pagoda does not keep (flags
 * aside) stay as they were on the disk. */
int ext2_iupdate(struct ext2_fs *fs, struct inode *ip)
{
    const struct ext2_inode_info *info = ip->fs_private;
    struct ext2_disk_inode di;
    int err = disk_inode_rw(fs, ip->ino, &di, 0);
    if (err)
        return err;
    di.mode = ip->mode;
    di.links_count = ip->nlink;
    di.uid = ip->uid & 0xFFFF;
    di.uid_high = ip->uid >> 16;
    di.gid = ip->gid & 0xFFFF;
    di.gid_high = ip->gid >> 16;
    di.size = ip->size;
    di.atime = ip->atime;
    di.mtime = ip->mtime;
    di.ctime = ip->ctime;
    di.blocks = ip->blocks512;
    memcpy(di.block, info->block, sizeof(di.block));
    di.file_acl = info->file_acl;
    di.flags = info->flags;
    di.dtime = info->dtime;
    return disk_inode_rw(fs, ip->ino, &di, 1);
}

/* A freshly allocated inode's slot in the table, all zero but for what is given. */
int ext2_iinit(struct ext2_fs *fs, uint32_t ino, uint16_t mode, uint16_t nlink, uint32_t now)
{
    static const uint8_t zeros[BCACHE_BLOCK_MAX];
    uint32_t block, off;
    int err = locate(fs, ino, &block, &off);
    if (err == 0)
        err = bcache_write(fs->dev, fs->block_size, block, off, fs->inode_size, zeros);
    if (err)
        return err;
    struct ext2_disk_inode di;
    memset(&di, 0, sizeof(di));
    di.mode = mode;
    di.links_count = nlink;
    di.atime = di.ctime = di.mtime = now;
    di.generation = ++fs->generation;
    return disk_inode_rw(fs, ino, &di, 1);
}

void ext2_irelease(struct inode *ip)
{
    kfree(ip->fs_private);
    ip->fs_private = NULL;
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
        int err = ext2_bmap(fs, ip, pos / fs->block_size, &block);
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
int ext2_read_exact(struct ext2_fs *fs, struct inode *ip, void *buf, uint32_t off, uint32_t n)
{
    int got = ext2_read(fs, ip, buf, off, n);
    if (got < 0)
        return got;
    if ((uint32_t)got != n)
        return ext2_complain(fs, -EIO, "inode %u: %u bytes at %u lie past its size %u", ip->ino, n,
                        off, ip->size);
    return 0;
}

/* ---- symbolic links --------------------------------------------- */

/* A short target lives in the inode's block pointers; then no block is allocated
 * to the link (an extended-attribute block aside). */
int ext2_is_fast_symlink(const struct ext2_fs *fs, const struct inode *ip)
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
    if (ext2_is_fast_symlink(fs, ip)) {
        if (ip->size > EXT2_FAST_SYMLINK_MAX)
            return ext2_complain(fs, -EIO, "symlink %u: %u bytes cannot fit in the inode", ip->ino,
                            ip->size);
        memcpy(buf, ((const struct ext2_inode_info *)ip->fs_private)->block, ip->size);
    } else {
        int err = ext2_read_exact(fs, ip, buf, 0, ip->size);
        if (err)
            return err;
    }
    buf[ip->size] = 0;
    return ip->size;
}
