/* fs/vfs_write.c: the calls that change the file system: they split a path into its
 * directory and last name, check what Linux checks, and hand the change to ext2
 * (fs/ext2_write.c, fs/ext2_namei.c), all under the file-system lock. */
#include "fs/vfs_int.h"
#include "fs/ext2_disk.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

#define RENAME_DEPTH_MAX 4096             /* ".." steps before a loop counts as damage */

/* Every change starts here: the writers' lock, and the file system marked as being
 * changed (ext2_begin_change). A read-only one fails later, with -EROFS, after the
 * path's errors (as Linux: a missing directory is still -ENOENT). */
static void begin(void)
{
    vfs_lock();
    if (vfs_root)
        ext2_begin_change(&vfs_root_fs);
}

/* The directory of path (a new reference in *dir) and its last name, copied into
 * name (EXT2_NAME_MAX + 1 bytes). Trailing slashes are dropped; "/" has no name. */
static int parent(const char *path, struct inode **dir, char *name)
{
    uint32_t len = strnlen(path, VFS_PATH_MAX);
    if (len == 0)
        return -ENOENT;
    if (len == VFS_PATH_MAX)
        return -ENAMETOOLONG;
    while (len > 1 && path[len - 1] == '/')
        len--;
    uint32_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    if (len - start == 0)
        return -EBUSY;                    /* the root itself */
    if (len - start > EXT2_NAME_MAX)
        return -ENAMETOOLONG;
    memcpy(name, path + start, len - start);
    name[len - start] = 0;
    char *dpath = kmalloc(VFS_PATH_MAX);
    if (!dpath)
        return -ENOMEM;
    memcpy(dpath, path, start);
    dpath[start] = 0;
    int err = vfs_lookup_locked(start ? dpath : "/", 1, dir);
    kfree(dpath);
    if (err == 0 && !S_ISDIR((*dir)->mode)) {
        vfs_iput_locked(*dir);
        err = -ENOTDIR;
    }
    return err;
}

/* The inode name names in dir, not following a symbolic link. */
static int child(struct inode *dir, const char *name, struct inode **out)
{
    uint32_t ino;
    int err = ext2_lookup(&vfs_root_fs, dir, name, strlen(name), &ino);
    return err ? err : vfs_iget(ino, out);
}

static int is_dot(const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* One path's call: its directory and name looked up, `op` run on them. */
struct path_op {
    const char *path;
    const char *arg;                      /* symlink's target */
    uint16_t mode;
    int (*op)(struct path_op *o, struct inode *dir, const char *name);
};

static int run(struct path_op *o)
{
    char *name = kmalloc(EXT2_NAME_MAX + 1);
    struct inode *dir;
    if (!name)
        return -ENOMEM;
    begin();
    int err = parent(o->path, &dir, name);
    if (err == 0) {
        err = o->op(o, dir, name);
        vfs_iput_locked(dir);
    }
    vfs_unlock();
    kfree(name);
    return err;
}

int vfs_create(const char *path, uint16_t mode, int excl, struct inode **out)
{
    char *name = kmalloc(EXT2_NAME_MAX + 1);
    struct inode *dir;
    uint32_t ino;
    if (!name)
        return -ENOMEM;
    begin();
    int err = parent(path, &dir, name);
    if (err == 0) {
        err = ext2_lookup(&vfs_root_fs, dir, name, strlen(name), &ino);
        if (err == 0 && excl)
            err = -EEXIST;
        else if (err == 0)                /* there already: opened as it is */
            err = vfs_lookup_locked(path, 1, out);
        else if (err == -ENOENT && (err = ext2_create(&vfs_root_fs, dir, name, mode, &ino)) == 0)
            err = vfs_iget(ino, out);
        vfs_iput_locked(dir);
    }
    if (err == 0 && S_ISDIR((*out)->mode)) {
        vfs_iput_locked(*out);
        err = -EISDIR;
    }
    vfs_unlock();
    kfree(name);
    return err;
}

int vfs_write(struct inode *ip, const void *buf, uint32_t off, uint32_t n)
{
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    if (!S_ISREG(ip->mode))
        return -EINVAL;
    begin();
    int r = ext2_write(&vfs_root_fs, ip, buf, off, n);
    if (r > 0)
        pcache_update(&ip->cache, buf, off, r);   /* the file writes through; its cached pages follow */
    vfs_unlock();
    return r;
}

/* The cached pages past the new end go first: one being written back holds its frame
 * Busy until the write is done, so no write-back lands in a block truncate freed. */
int vfs_truncate(struct inode *ip, uint32_t size)
{
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    if (!S_ISREG(ip->mode))
        return -EINVAL;
    begin();
    pcache_truncate(&ip->cache, size);
    int r = ext2_truncate(&vfs_root_fs, ip, size);
    vfs_unlock();
    return r;
}

/* The bytes of page index that lie in the file (none past its end). */
static uint32_t page_bytes(struct inode *ip, uint32_t index, uint32_t *off)
{
    *off = index * PGSIZE;
    return ip->size > *off ? (ip->size - *off < PGSIZE ? ip->size - *off : PGSIZE) : 0;
}

int vfs_page_mkwrite(struct pcache *pc, uint32_t index)
{
    struct inode *ip = pc->owner;
    uint32_t off, n = page_bytes(ip, index, &off);
    begin();
    int err = ext2_alloc_range(&vfs_root_fs, ip, off, n);
    vfs_unlock();
    return err;
}

int vfs_page_write(struct pcache *pc, uint32_t index, const void *page)
{
    struct inode *ip = pc->owner;
    uint32_t off, n = page_bytes(ip, index, &off);
    return ext2_write_in_place(&vfs_root_fs, ip, page, off, n);
}

static int mkdir_op(struct path_op *o, struct inode *dir, const char *name)
{
    uint32_t ino;
    return ext2_mkdir(&vfs_root_fs, dir, name, o->mode, &ino);
}

int vfs_mkdir(const char *path, uint16_t mode)
{
    struct path_op o = {.path = path, .mode = mode, .op = mkdir_op};
    return run(&o);
}

static int symlink_op(struct path_op *o, struct inode *dir, const char *name)
{
    uint32_t ino;
    return ext2_symlink(&vfs_root_fs, dir, name, o->arg, &ino);
}

int vfs_symlink(const char *target, const char *path)
{
    struct path_op o = {.path = path, .arg = target, .op = symlink_op};
    return run(&o);
}

/* unlink and rmdir: the named inode is held while its name goes, and let go after,
 * which frees it if that was its last name and nobody has it open. */
static int remove_op(struct path_op *o, struct inode *dir, const char *name)
{
    int is_rmdir = o->mode;
    struct inode *ip;
    if (is_dot(name))                     /* Linux: rmdir "." EINVAL, ".." ENOTEMPTY */
        return !is_rmdir ? -EISDIR : strcmp(name, ".") == 0 ? -EINVAL : -ENOTEMPTY;
    int err = child(dir, name, &ip);
    if (err)
        return err;
    if (ip == vfs_root)
        err = -EBUSY;
    else if (is_rmdir)
        err = ext2_rmdir(&vfs_root_fs, dir, name, ip);
    else
        err = ext2_unlink(&vfs_root_fs, dir, name, ip);
    vfs_iput_locked(ip);
    return err;
}

int vfs_unlink(const char *path)
{
    struct path_op o = {.path = path, .mode = 0, .op = remove_op};
    return run(&o);
}

int vfs_rmdir(const char *path)
{
    struct path_op o = {.path = path, .mode = 1, .op = remove_op};
    return run(&o);
}

static int link_op(struct path_op *o, struct inode *dir, const char *name)
{
    struct inode *ip;
    int err = vfs_lookup_locked(o->arg, 0, &ip);     /* link(2) does not follow */
    if (err)
        return err;
    err = ext2_link(&vfs_root_fs, dir, name, ip);
    vfs_iput_locked(ip);
    return err;
}

int vfs_link(const char *oldpath, const char *newpath)
{
    struct path_op o = {.path = newpath, .arg = oldpath, .op = link_op};
    return run(&o);
}

/* Is directory d ip itself or below it? Climb the ".." entries to the root. */
static int under(struct inode *d, struct inode *ip)
{
    uint32_t ino = d->ino;
    for (int steps = 0; steps < RENAME_DEPTH_MAX; steps++) {
        if (ino == ip->ino)
            return 1;
        if (ino == EXT2_ROOT_INO)
            return 0;
        struct inode *cur;
        int err = vfs_iget(ino, &cur);
        if (err == 0) {
            err = ext2_lookup(&vfs_root_fs, cur, "..", 2, &ino);
            vfs_iput_locked(cur);
        }
        if (err)
            return err;
    }
    return -EIO;                          /* ".." goes round in a circle: damage */
}

/* With both directories and names found: the checks rename(2) makes, then the move. */
static int rename_in(struct inode *odir, const char *oname, struct inode *ndir,
                     const char *nname)
{
    struct inode *ip, *victim = NULL;
    if (is_dot(oname) || is_dot(nname))
        return -EINVAL;
    int err = child(odir, oname, &ip);
    if (err)
        return err;
    err = child(ndir, nname, &victim);
    if (err == -ENOENT)
        err = 0, victim = NULL;
    if (err == 0 && victim == ip)
        err = 1;                          /* two names of one file: nothing to do */
    else if (err == 0 && S_ISDIR(ip->mode) && victim && !S_ISDIR(victim->mode))
        err = -ENOTDIR;
    else if (err == 0 && !S_ISDIR(ip->mode) && victim && S_ISDIR(victim->mode))
        err = -EISDIR;
    else if (err == 0 && S_ISDIR(ip->mode) && (err = under(ndir, ip)) == 1)
        err = -EINVAL;
    if (err == 0)
        err = ext2_rename(&vfs_root_fs, odir, oname, ip, ndir, nname, victim);
    if (victim)
        vfs_iput_locked(victim);
    vfs_iput_locked(ip);
    return err == 1 ? 0 : err;
}

int vfs_rename(const char *oldpath, const char *newpath)
{
    char *oname = kmalloc(EXT2_NAME_MAX + 1), *nname = kmalloc(EXT2_NAME_MAX + 1);
    struct inode *odir, *ndir;
    int err = oname && nname ? 0 : -ENOMEM;
    begin();
    if (err == 0 && (err = parent(oldpath, &odir, oname)) == 0) {
        if ((err = parent(newpath, &ndir, nname)) == 0) {
            err = rename_in(odir, oname, ndir, nname);
            vfs_iput_locked(ndir);
        }
        vfs_iput_locked(odir);
    }
    vfs_unlock();
    kfree(oname);
    kfree(nname);
    return err;
}

int vfs_sync(void)
{
    pcache_sync_all();                    /* the pages shared mappings dirtied, first */
    vfs_lock();
    int err = vfs_root ? blk_flush(vfs_root_fs.dev) : 0;
    vfs_unlock();
    return err;
}

int vfs_fsync(struct inode *ip)
{
    int err = pcache_sync(&ip->cache);    /* write(2)'s bytes are on the disk already */
    vfs_lock();
    int ferr = vfs_root ? blk_flush(vfs_root_fs.dev) : 0;
    vfs_unlock();
    return err ? err : ferr;
}

int vfs_read_only(void)
{
    return !vfs_root || !vfs_root_fs.writable;
}
