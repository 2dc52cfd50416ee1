/* fs/ext2_namei.c: names: creating files, directories and symbolic links, hard
 * links, unlink, rmdir, rename, and freeing an inode whose last name and last user
 * are gone. The rule that orders the writes (Tanenbaum, MOS 4.4.3): a link count may
 * be too high after a crash, never too low, and an inode is initialized before a
 * directory entry names it. So a count goes up before the new entry is written and
 * down after the old entry is removed. What a crash can leave, and e2fsck repairs:
 *   - an inode in use that no entry names (pass 4: "unattached inode", moved to
 *     lost+found), from a crash after the inode was written and before its entry;
 *   - a link count higher than the entries naming it (pass 4: "inode ref count is
 *     N, should be M");
 *   - an inode with no links and no entry still marked in use (pass 1, "deleted
 *     inode has zero dtime", or pass 5 bitmap differences) after a crash in unlink;
 *   - blocks marked used that nothing names (pass 5), and free counts (pass 5).
 * None of these loses data that a completed call had written. */
#include "fs/ext2_int.h"
#include "fs/bcache.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/kheap.h"

#define LINK_MAX 65000                 /* Linux's EXT2_LINK_MAX */

/* An inode being made: its in-memory copy lives on the caller's stack. */
struct fresh {
    struct inode ip;
    struct ext2_inode_info info;
};

static int check_name(struct ext2_fs *fs, const char *name)
{
    uint32_t len = strnlen(name, EXT2_NAME_MAX + 1);
    if (!fs->writable)
        return -EROFS;
    if (len == 0)
        return -ENOENT;
    if (len > EXT2_NAME_MAX)
        return -ENAMETOOLONG;
    for (uint32_t i = 0; i < len; i++)
        if (name[i] == '/')
            return -EINVAL;
    return 0;
}

/* Allocate and initialize an inode of this mode near directory dir. */
static int begin(struct ext2_fs *fs, struct inode *dir, const char *name, uint16_t mode,
                 uint16_t nlink, struct fresh *f)
{
    uint32_t ino;
    int err = check_name(fs, name);
    if (err == 0 && ext2_lookup(fs, dir, name, strlen(name), &ino) == 0)
        err = -EEXIST;
    if (err == 0)
        err = ext2_balloc_inode(fs, dir->ino, S_ISDIR(mode), &ino);
    if (err)
        return err;
    memset(f, 0, sizeof(*f));
    f->ip = (struct inode){.ino = ino, .mode = mode, .nlink = nlink, .uid = 0, .gid = 0,
                           .atime = ext2_now(fs), .fs_private = &f->info};
    f->ip.mtime = f->ip.ctime = f->ip.atime;
    err = ext2_iinit(fs, ino, mode, nlink, f->ip.atime);
    if (err)
        ext2_balloc_free_inode(fs, ino, S_ISDIR(mode));
    return err;
}

/* Give a half-made inode back: its blocks, then its bit. */
static int undo(struct ext2_fs *fs, struct fresh *f)
{
    f->ip.nlink = 0;
    return ext2_evict(fs, &f->ip);
}

/* Name the finished inode in dir: the last step, so that a crash before it leaves an
 * unnamed inode, never a name for an unfinished one. */
static int finish(struct ext2_fs *fs, struct inode *dir, const char *name, struct fresh *f,
                  uint32_t *ino)
{
    int err = ext2_dir_add(fs, dir, name, f->ip.ino, f->ip.mode);
    if (err) {
        undo(fs, f);
        return err;
    }
    *ino = f->ip.ino;
    return 0;
}

int ext2_create(struct ext2_fs *fs, struct inode *dir, const char *name, uint16_t mode,
                uint32_t *ino)
{
    struct fresh f;
    int err = begin(fs, dir, name, S_IFREG | (mode & 07777), 1, &f);
    return err ? err : finish(fs, dir, name, &f, ino);
}

int ext2_symlink(struct ext2_fs *fs, struct inode *dir, const char *name, const char *target,
                 uint32_t *ino)
{
    uint32_t len = strnlen(target, fs->block_size);
    if (len == 0)
        return -ENOENT;
    if (len >= fs->block_size)
        return -ENAMETOOLONG;
    struct fresh f;
    int err = begin(fs, dir, name, S_IFLNK | 0777, 1, &f);
    if (err)
        return err;
    if (len < EXT2_FAST_SYMLINK_MAX) {    /* fast: in the pointers, with room for a NUL */
        memcpy(f.info.block, target, len);
    } else {                              /* slow: a block of its own, written first */
        uint8_t *block = kmalloc(fs->block_size);
        uint32_t b;
        err = block ? 0 : -ENOMEM;
        if (block) {
            memset(block, 0, fs->block_size);
            memcpy(block, target, len);
            err = ext2_bmap_alloc(fs, &f.ip, 0, block, &b);
        }
        kfree(block);
    }
    f.ip.size = len;
    if (err == 0)
        err = ext2_iupdate(fs, &f.ip);
    if (err) {
        undo(fs, &f);
        return err;
    }
    return finish(fs, dir, name, &f, ino);
}

/* Change ip's link count by delta and write the inode. */
static int relink(struct ext2_fs *fs, struct inode *ip, int delta)
{
    ip->nlink += delta;
    ip->ctime = ext2_now(fs);
    return ext2_iupdate(fs, ip);
}

int ext2_mkdir(struct ext2_fs *fs, struct inode *dir, const char *name, uint16_t mode,
               uint32_t *ino)
{
    if (dir->nlink >= LINK_MAX)
        return -EMLINK;
    struct fresh f;
    int err = begin(fs, dir, name, S_IFDIR | (mode & 07777), 2, &f);
    if (err)
        return err;
    uint8_t *block = kmalloc(fs->block_size);
    uint32_t b;
    err = block ? 0 : -ENOMEM;
    if (block) {                          /* "." and "..", on the disk before the inode */
        ext2_dir_init_block(fs, block, f.ip.ino, dir->ino);
        err = ext2_bmap_alloc(fs, &f.ip, 0, block, &b);
    }
    kfree(block);
    f.ip.size = fs->block_size;
    if (err == 0)
        err = ext2_iupdate(fs, &f.ip);
    if (err == 0)
        err = relink(fs, dir, 1);         /* the new ".." names dir */
    if (err) {
        undo(fs, &f);
        return err;
    }
    err = finish(fs, dir, name, &f, ino);
    if (err)
        relink(fs, dir, -1);
    return err;
}

int ext2_link(struct ext2_fs *fs, struct inode *dir, const char *name, struct inode *ip)
{
    uint32_t ino;
    int err = check_name(fs, name);
    if (err == 0 && ext2_lookup(fs, dir, name, strlen(name), &ino) == 0)
        err = -EEXIST;                    /* Linux looks the new name up first */
    if (err)
        return err;
    if (S_ISDIR(ip->mode))
        return -EPERM;
    if (ip->nlink >= LINK_MAX)
        return -EMLINK;
    if ((err = relink(fs, ip, 1)) != 0)
        return err;
    if ((err = ext2_dir_add(fs, dir, name, ip->ino, ip->mode)) != 0)
        relink(fs, ip, -1);
    return err;
}

int ext2_unlink(struct ext2_fs *fs, struct inode *dir, const char *name, struct inode *ip)
{
    if (!fs->writable)
        return -EROFS;
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    int err = ext2_dir_remove(fs, dir, name);
    return err ? err : relink(fs, ip, -1);
}

/* A directory loses its name: it has no links left (its own "." aside), and its
 * ".." no longer counts for its parent. */
static int drop_dir(struct ext2_fs *fs, struct inode *parent, struct inode *ip)
{
    ip->nlink = 0;
    ip->ctime = ext2_now(fs);
    int err = ext2_iupdate(fs, ip);
    return err ? err : relink(fs, parent, -1);
}

int ext2_rmdir(struct ext2_fs *fs, struct inode *dir, const char *name, struct inode *ip)
{
    if (!fs->writable)
        return -EROFS;
    if (!S_ISDIR(ip->mode))
        return -ENOTDIR;
    int err = ext2_dir_empty(fs, ip);
    if (err <= 0)
        return err ? err : -ENOTEMPTY;
    err = ext2_dir_remove(fs, dir, name);
    return err ? err : drop_dir(fs, dir, ip);
}

int ext2_rename(struct ext2_fs *fs, struct inode *odir, const char *oname, struct inode *ip,
                struct inode *ndir, const char *nname, struct inode *victim)
{
    int err = check_name(fs, nname);
    if (err)
        return err;
    int moved_dir = S_ISDIR(ip->mode) && odir != ndir;
    if (victim && S_ISDIR(victim->mode) && (err = ext2_dir_empty(fs, victim)) <= 0)
        return err ? err : -ENOTEMPTY;
    if (moved_dir && !victim && ndir->nlink >= LINK_MAX)
        return -EMLINK;
    /* Up first: ip's count, and, for a directory moving, its new parent's. */
    if ((err = relink(fs, ip, 1)) != 0)
        return err;
    if (moved_dir && (err = relink(fs, ndir, 1)) != 0)
        return err;
    err = victim ? ext2_dir_set(fs, ndir, nname, ip->ino, ip->mode)
                 : ext2_dir_add(fs, ndir, nname, ip->ino, ip->mode);
    if (err) {
        if (moved_dir)
            relink(fs, ndir, -1);
        relink(fs, ip, -1);
        return err;
    }
    /* The new name is on the disk: from here on only removals and counts down. */
    if ((err = ext2_dir_remove(fs, odir, oname)) != 0 || (err = relink(fs, ip, -1)) != 0)
        return err;
    if (victim)
        err = S_ISDIR(victim->mode) ? drop_dir(fs, ndir, victim) : relink(fs, victim, -1);
    if (err == 0 && moved_dir && (err = ext2_dir_set(fs, ip, "..", ndir->ino, S_IFDIR)) == 0)
        err = relink(fs, odir, -1);
    return err;
}

/* An extended-attribute block may be shared: the last inode to let go frees it. */
static int release_xattr(struct ext2_fs *fs, struct inode *ip)
{
    struct ext2_inode_info *info = ip->fs_private;
    struct ext2_xattr_header h;
    uint32_t b = info->file_acl;
    if (b == 0)
        return 0;
    if (b <= fs->first_data_block || b >= fs->blocks_count)
        return ext2_complain(fs, -EIO, "inode %u: attribute block %u outside", ip->ino, b);
    int err = bcache_read(fs->dev, fs->block_size, b, 0, sizeof(h), &h);
    if (err)
        return err;
    info->file_acl = 0;
    ip->blocks512 -= fs->block_size / SECTOR_SIZE;
    if ((err = ext2_iupdate(fs, ip)) != 0)
        return err;
    if (h.magic == EXT2_XATTR_MAGIC && h.refcount > 1) {
        h.refcount--;
        return bcache_write(fs->dev, fs->block_size, b, 0, sizeof(h), &h);
    }
    return ext2_balloc_free_block(fs, b);
}

/* Nobody names it and nobody holds it: its blocks first, then the inode (its
 * deletion time set, as e2fsck expects of a free inode), then its bit. */
int ext2_evict(struct ext2_fs *fs, struct inode *ip)
{
    struct ext2_inode_info *info = ip->fs_private;
    if (ip->nlink > 0 || !fs->writable)
        return 0;
    int err;
    if (S_ISLNK(ip->mode) && ext2_is_fast_symlink(fs, ip)) {
        memset(info->block, 0, sizeof(info->block));
        err = 0;
    } else {
        err = ext2_bmap_truncate(fs, ip, 0);
    }
    if (err == 0)
        err = release_xattr(fs, ip);
    if (err)
        return err;
    ip->size = 0;
    info->dtime = ext2_now(fs);
    if ((err = ext2_iupdate(fs, ip)) != 0)
        return err;
    return ext2_balloc_free_inode(fs, ip->ino, S_ISDIR(ip->mode));
}
