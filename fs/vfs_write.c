/* fs/vfs_write.c: the calls that change a file system: they split a path into its
 * directory and last name, check what Linux checks (types, mount points, the same
 * file system for rename and link), and hand the change to the directory's file
 * system (ext2 through fs/vfs_ext2.c, tmpfs), all under the file-system lock. */
#include "fs/vfs_int.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/kheap.h"

#define RENAME_DEPTH_MAX 4096             /* ".." steps before a loop counts as damage */

/* The directory of path (a new reference in *dir) and its last name, copied into
 * name (VFS_NAME_MAX + 1 bytes). Trailing slashes are dropped; "/" has no name. */
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
    if (len - start > VFS_NAME_MAX)
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

/* The inode name names in dir, not following a symbolic link nor crossing a mount
 * (a mount point is busy). A read-only file system fails a change with -EROFS after
 * the path's errors, as Linux: a missing directory is still -ENOENT. */
static int child(struct inode *dir, const char *name, struct inode **out)
{
    return dir->mnt->ops->lookup(dir, name, strlen(name), out);
}

static int busy(const struct inode *ip)
{
    return ip == ip->mnt->root || ip->mounted;
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
    char *name = kmalloc(VFS_NAME_MAX + 1);
    struct inode *dir;
    if (!name)
        return -ENOMEM;
    vfs_lock();
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
    char *name = kmalloc(VFS_NAME_MAX + 1);
    struct inode *dir, *ip;
    if (!name)
        return -ENOMEM;
    vfs_lock();
    int err = parent(path, &dir, name);
    if (err == 0) {
        err = child(dir, name, &ip);
        if (err == 0)
            vfs_iput_locked(ip);
        if (err == 0 && excl)
            err = -EEXIST;
        else if (err == 0)                /* there already: opened as it is */
            err = vfs_lookup_locked(path, 1, out);
        else if (err == -ENOENT)
            err = dir->mnt->ops->create(dir, name, mode, out);
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
    vfs_lock();
    int r = ip->mnt->ops->write(ip, buf, off, n);
    vfs_unlock();
    return r;
}

int vfs_truncate(struct inode *ip, uint32_t size)
{
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    if (!S_ISREG(ip->mode))
        return -EINVAL;
    vfs_lock();
    int r = ip->mnt->ops->truncate(ip, size);
    vfs_unlock();
    return r;
}

static int mkdir_op(struct path_op *o, struct inode *dir, const char *name)
{
    return dir->mnt->ops->mkdir(dir, name, o->mode);
}

int vfs_mkdir(const char *path, uint16_t mode)
{
    struct path_op o = {.path = path, .mode = mode, .op = mkdir_op};
    return run(&o);
}

static int symlink_op(struct path_op *o, struct inode *dir, const char *name)
{
    return dir->mnt->ops->symlink(dir, name, o->arg);
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
    if (busy(ip))
        err = -EBUSY;
    else if (is_rmdir)
        err = dir->mnt->ops->rmdir(dir, name, ip);
    else
        err = dir->mnt->ops->unlink(dir, name, ip);
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
    struct inode *there;
    if (child(dir, name, &there) == 0) {   /* Linux: the new name first, then the mount */
        vfs_iput_locked(there);
        err = -EEXIST;
    } else if (ip->mnt != dir->mnt) {
        err = -EXDEV;
    } else {
        err = dir->mnt->ops->link(dir, name, ip);
    }
    vfs_iput_locked(ip);
    return err;
}

int vfs_link(const char *oldpath, const char *newpath)
{
    struct path_op o = {.path = newpath, .arg = oldpath, .op = link_op};
    return run(&o);
}

/* Is directory d ip itself or below it? Climb the ".." entries to the file system's
 * root (both are in one file system). */
static int under(struct inode *d, struct inode *ip)
{
    struct inode *cur = vfs_idup(d);
    int r = -EIO;                         /* ".." goes round in a circle: damage */
    for (int steps = 0; steps < RENAME_DEPTH_MAX; steps++) {
        struct inode *up;
        if (cur == ip || cur == cur->mnt->root) {
            r = cur == ip;
            break;
        }
        if ((r = child(cur, "..", &up)) != 0)
            break;
        vfs_iput_locked(cur);
        cur = up;
        r = -EIO;
    }
    vfs_iput_locked(cur);
    return r;
}

/* With both directories and names found: the checks rename(2) makes, then the move. */
static int rename_in(struct inode *odir, const char *oname, struct inode *ndir,
                     const char *nname)
{
    struct inode *ip, *victim = NULL;
    if (odir->mnt != ndir->mnt)
        return -EXDEV;
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
    else if (err == 0 && (busy(ip) || (victim && busy(victim))))
        err = -EBUSY;
    else if (err == 0 && S_ISDIR(ip->mode) && victim && !S_ISDIR(victim->mode))
        err = -ENOTDIR;
    else if (err == 0 && !S_ISDIR(ip->mode) && victim && S_ISDIR(victim->mode))
        err = -EISDIR;
    else if (err == 0 && S_ISDIR(ip->mode) && (err = under(ndir, ip)) == 1)
        err = -EINVAL;
    if (err == 0)
        err = odir->mnt->ops->rename(odir, oname, ip, ndir, nname, victim);
    if (victim)
        vfs_iput_locked(victim);
    vfs_iput_locked(ip);
    return err == 1 ? 0 : err;
}

int vfs_rename(const char *oldpath, const char *newpath)
{
    char *oname = kmalloc(VFS_NAME_MAX + 1), *nname = kmalloc(VFS_NAME_MAX + 1);
    struct inode *odir, *ndir;
    int err = oname && nname ? 0 : -ENOMEM;
    vfs_lock();
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

/* Only the disk has something to flush; tmpfs has no medium. */
static int sync_fs(struct inode *ip)
{
    vfs_lock();
    int err = ip && ip->mnt->ops->sync ? ip->mnt->ops->sync(ip->mnt) : 0;
    vfs_unlock();
    return err;
}

int vfs_sync(void)
{
    pcache_sync_all();                    /* every dirty file page, first */
    return sync_fs(vfs_root);
}

int vfs_fsync(struct inode *ip)
{
    int err = pcache_sync(&ip->cache);    /* its dirty pages, then the drive's cache */
    int ferr = sync_fs(ip);
    return err ? err : ferr;
}
