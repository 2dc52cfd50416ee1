/* fs/ext2_dir.c: directories. A directory is a file of entries (inode, length,
 * name), each rec_len bytes long, never crossing a block; a removed entry's bytes
 * join the one before it, or, first in its block, it keeps its place with inode 0.
 * A new entry goes into the spare room at the end of an entry, else into a new block
 * at the end (Tanenbaum, MOS 4.3.3, implementing directories). */
#include "fs/ext2_int.h"
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/kheap.h"

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
        return ext2_complain(fs, -EIO, "directory %u: bad entry at byte %u (length %u, name %u)",
                        dir->ino, pos, de->rec_len, name_len);
    if (de->inode > fs->inodes_count)
        return ext2_complain(fs, -EIO, "directory %u: entry at byte %u names inode %u, out of range",
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
        int err = ext2_read_exact(fs, dir, &de, at, sizeof(de));
        if (err)
            return err;
        uint32_t name_len = fs->dirent_has_type ? de.name_len : de.name_len | de.file_type << 8;
        err = check_dirent(fs, dir, at, &de, name_len);
        if (err)
            return err;
        *pos = at + de.rec_len;
        if (de.inode == 0)
            continue;                     /* a free slot */
        err = ext2_read_exact(fs, dir, out->name, at + sizeof(de), name_len);
        if (err)
            return err;
        out->name[name_len] = 0;
        out->ino = de.inode;
        out->type = fs->dirent_has_type ? dirent_type(de.file_type) : DT_UNKNOWN;
        return 1;
    }
    return 0;
}


/* ---- changing entries ------------------------------------------------------------------ */

/* The bytes an entry with a name of len bytes needs: header and name, to 4 bytes. */
static uint32_t need(uint32_t len)
{
    return (sizeof(struct ext2_dirent) + len + 3) & ~3u;
}

static uint32_t name_len(const struct ext2_fs *fs, const struct ext2_dirent *de)
{
    return fs->dirent_has_type ? de->name_len : de->name_len | de->file_type << 8;
}

static uint8_t file_type(uint16_t mode)
{
    return S_ISDIR(mode) ? EXT2_FT_DIR : S_ISLNK(mode) ? EXT2_FT_SYMLINK : EXT2_FT_REG;
}

static void fill_entry(const struct ext2_fs *fs, struct ext2_dirent *de, uint32_t ino,
                       uint16_t mode, const char *name, uint32_t len)
{
    de->inode = ino;
    de->name_len = len;
    de->file_type = fs->dirent_has_type ? file_type(mode) : 0;
    memcpy(de + 1, name, len);
}

/* One directory block in memory, and the entry found in it. */
struct dblock {
    uint8_t *data;
    uint32_t block;                /* on the disk */
    uint32_t off, prev;            /* the entry, and the one before it (off if first) */
};

/* Read directory block fb into d->data, checking every entry of it. */
static int read_block(struct ext2_fs *fs, struct inode *dir, uint32_t fb, struct dblock *d)
{
    int err = ext2_bmap(fs, dir, fb, &d->block);
    if (err == 0 && d->block == 0)
        err = ext2_complain(fs, -EIO, "directory %u: hole at block %u", dir->ino, fb);
    if (err == 0)
        err = ext2_bread(fs, d->block, d->data);
    for (uint32_t off = 0; err == 0 && off < fs->block_size;) {
        struct ext2_dirent *de = (struct ext2_dirent *)(d->data + off);
        err = check_dirent(fs, dir, fb * fs->block_size + off, de, name_len(fs, de));
        off += de->rec_len;
    }
    return err;
}

/* The entry for name (len bytes) in dir, its block in *d (d->data allocated by the
 * caller): 0, -ENOENT or -errno. */
static int find(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t len,
                struct dblock *d)
{
    if (!S_ISDIR(dir->mode))
        return -ENOTDIR;
    for (uint32_t fb = 0; fb < dir->size / fs->block_size; fb++) {
        int err = read_block(fs, dir, fb, d);
        if (err)
            return err;
        uint32_t prev = 0;
        for (uint32_t off = 0; off < fs->block_size;) {
            struct ext2_dirent *de = (struct ext2_dirent *)(d->data + off);
            if (de->inode && name_len(fs, de) == len && memcmp(de + 1, name, len) == 0) {
                d->off = off;
                d->prev = prev;
                return 0;
            }
            prev = off;
            off += de->rec_len;
        }
    }
    return -ENOENT;
}

int ext2_lookup(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t len,
                uint32_t *ino)
{
    struct dblock d = {.data = kmalloc(fs->block_size)};
    int err = d.data ? find(fs, dir, name, len, &d) : -ENOMEM;
    if (err == 0)
        *ino = ((struct ext2_dirent *)(d.data + d.off))->inode;
    kfree(d.data);
    return err;
}

/* Pagoda keeps no hash index: a directory it changes loses the flag that says it has
 * one. The index's blocks look like empty entries to a reader, so nothing is lost
 * (this is how kernels without the index have always treated it). */
static int drop_index(struct ext2_fs *fs, struct inode *dir)
{
    struct ext2_inode_info *info = dir->fs_private;
    if (!(info->flags & EXT2_INDEX_FL))
        return 0;
    info->flags &= ~EXT2_INDEX_FL;
    return ext2_iupdate(fs, dir);
}

/* Put the entry into block d if some entry there has room to spare: 1 if it did. */
static int add_in_block(struct ext2_fs *fs, struct dblock *d, const char *name, uint32_t len,
                        uint32_t ino, uint16_t mode, int *err)
{
    for (uint32_t off = 0; off < fs->block_size;) {
        struct ext2_dirent *de = (struct ext2_dirent *)(d->data + off);
        uint32_t used = de->inode ? need(name_len(fs, de)) : 0;
        uint32_t rec_len = de->rec_len;
        if (rec_len - used >= need(len)) {
            struct ext2_dirent *fresh = (struct ext2_dirent *)(d->data + off + used);
            if (used)
                de->rec_len = used;
            fresh->rec_len = rec_len - used;
            fill_entry(fs, fresh, ino, mode, name, len);
            *err = bcache_write(fs->dev, fs->block_size, d->block, off, rec_len, de);
            return 1;
        }
        off += rec_len;
    }
    return 0;
}

/* A new last block, holding just this entry: written before the directory's pointer
 * to it and before its new size. */
static int add_block(struct ext2_fs *fs, struct inode *dir, struct dblock *d, const char *name,
                     uint32_t len, uint32_t ino, uint16_t mode)
{
    struct ext2_dirent *de = (struct ext2_dirent *)d->data;
    memset(d->data, 0, fs->block_size);
    de->rec_len = fs->block_size;
    fill_entry(fs, de, ino, mode, name, len);
    int err = ext2_bmap_alloc(fs, dir, dir->size / fs->block_size, d->data, &d->block);
    if (err == 0) {
        dir->size += fs->block_size;
        dir->mtime = dir->ctime = ext2_now(fs);
        err = ext2_iupdate(fs, dir);
    }
    return err;
}

int ext2_dir_add(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t ino,
                 uint16_t mode)
{
    uint32_t len = strlen(name);
    struct dblock d = {.data = kmalloc(fs->block_size)};
    if (!d.data)
        return -ENOMEM;
    int err = find(fs, dir, name, len, &d);
    if (err == 0)
        err = -EEXIST;
    else if (err == -ENOENT)
        err = drop_index(fs, dir);
    int done = 0;
    for (uint32_t fb = 0; err == 0 && !done && fb < dir->size / fs->block_size; fb++)
        if ((err = read_block(fs, dir, fb, &d)) == 0)
            done = add_in_block(fs, &d, name, len, ino, mode, &err);
    if (err == 0 && !done)
        err = add_block(fs, dir, &d, name, len, ino, mode);
    if (err == 0 && done) {
        dir->mtime = dir->ctime = ext2_now(fs);
        err = ext2_iupdate(fs, dir);
    }
    kfree(d.data);
    return err;
}

/* The entry for name changed by `change` and written back. */
static int edit(struct ext2_fs *fs, struct inode *dir, const char *name,
                void (*change)(struct ext2_fs *, struct dblock *, uint32_t, uint16_t),
                uint32_t ino, uint16_t mode)
{
    struct dblock d = {.data = kmalloc(fs->block_size)};
    int err = d.data ? find(fs, dir, name, strlen(name), &d) : -ENOMEM;
    if (err == 0)
        err = drop_index(fs, dir);
    if (err == 0) {
        change(fs, &d, ino, mode);
        err = bcache_write(fs->dev, fs->block_size, d.block, d.prev, d.off - d.prev +
                           sizeof(struct ext2_dirent), d.data + d.prev);
    }
    if (err == 0) {
        dir->mtime = dir->ctime = ext2_now(fs);
        err = ext2_iupdate(fs, dir);
    }
    kfree(d.data);
    return err;
}

static void unlink_entry(struct ext2_fs *fs, struct dblock *d, uint32_t ino, uint16_t mode)
{
    (void)fs, (void)ino, (void)mode;
    struct ext2_dirent *de = (struct ext2_dirent *)(d->data + d->off);
    struct ext2_dirent *prev = (struct ext2_dirent *)(d->data + d->prev);
    if (d->off == d->prev)
        de->inode = 0;                    /* first in its block: stays, empty */
    else
        prev->rec_len += de->rec_len;
}

static void point_entry(struct ext2_fs *fs, struct dblock *d, uint32_t ino, uint16_t mode)
{
    struct ext2_dirent *de = (struct ext2_dirent *)(d->data + d->off);
    de->inode = ino;
    if (fs->dirent_has_type)
        de->file_type = file_type(mode);
}

int ext2_dir_remove(struct ext2_fs *fs, struct inode *dir, const char *name)
{
    return edit(fs, dir, name, unlink_entry, 0, 0);
}

int ext2_dir_set(struct ext2_fs *fs, struct inode *dir, const char *name, uint32_t ino,
                 uint16_t mode)
{
    return edit(fs, dir, name, point_entry, ino, mode);
}

int ext2_dir_empty(struct ext2_fs *fs, struct inode *dir)
{
    struct vfs_dirent *de = kmalloc(sizeof(*de));
    uint32_t pos = 0;
    int r = 0, empty = 1;
    if (!de)
        return -ENOMEM;
    while (empty && (r = ext2_readdir(fs, dir, &pos, de)) > 0)
        empty = strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0;
    kfree(de);
    return r < 0 ? r : empty;
}

void ext2_dir_init_block(struct ext2_fs *fs, void *block, uint32_t ino, uint32_t parent)
{
    struct ext2_dirent *dot = block;
    memset(block, 0, fs->block_size);
    dot->rec_len = need(1);
    fill_entry(fs, dot, ino, S_IFDIR, ".", 1);
    struct ext2_dirent *dotdot = (struct ext2_dirent *)((uint8_t *)block + dot->rec_len);
    dotdot->rec_len = fs->block_size - dot->rec_len;
    fill_entry(fs, dotdot, parent, S_IFDIR, "..", 2);
}
