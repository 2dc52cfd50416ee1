/* fs/tmpfs.c: tmpfs's names: mounting, inodes, and directories as lists in the
 * kernel heap, behind the VFS's operations table (fs/vfs_int.h). Nothing here is on
 * a disk: an inode is a struct tmpfs_inode, kept while a name or a reference holds
 * it, and a file's bytes are its page cache (fs/tmpfs_file.c). Every change runs
 * under the VFS's writers' lock and none of these sleeps, so a reader that does not
 * take the lock (lookup, readdir) sees a list before or after a change, never in the
 * middle of one. */
#include "fs/tmpfs.h"
#include "fs/tmpfs_int.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "drivers/pit.h"
#include "kernel/trap.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

#define LINK_MAX 65000                     /* inode.nlink is 16 bits; ext2's limit */

static uint32_t ninodes;                   /* in every mount, for the leak check */
static uint32_t nmounts;

uint32_t tmpfs_inodes(void)
{
    return ninodes;
}

/* The wall clock: seconds since boot (Pagoda has no real-time clock). */
uint32_t tmpfs_now(void)
{
    return ticks / HZ;
}

static struct inode *inode_new(struct tmpfs *t, uint16_t mode, uint16_t nlink)
{
    struct tmpfs_inode *ti = kzalloc(sizeof(*ti));
    if (!ti)
        return NULL;
    struct inode *ip = &ti->vfs;
    uint32_t now = tmpfs_now();
    *ip = (struct inode){.mnt = &t->mnt, .ino = t->next_ino++, .mode = mode, .nlink = nlink,
                         .atime = now, .mtime = now, .ctime = now};
    pcache_init(&ip->cache, NULL, ip, &t->quota);
    ninodes++;
    return ip;
}

/* The VFS's last reference is gone (interrupts are off): a file with no name left
 * goes (the VFS has dropped its pages). A named one stays, with nobody holding it. */
static void t_release(struct inode *ip)
{
    if (ip->nlink > 0)
        return;
    kfree(tmpfs_i(ip)->target);
    kfree(tmpfs_i(ip));
    ninodes--;
}

/* ---- names ---------------------------------------------------------------------- */

/* A directory rmdir removed may still be open: it has no names, takes none, and its
 * ".." (perhaps freed since) is gone. Linux says ENOENT to all of these. */
static int removed(const struct inode *dir)
{
    return dir->nlink == 0;
}

/* The entry before name's in dir's list (the link to change), or NULL. */
static struct tmpfs_dirent **find(struct inode *dir, const char *name, uint32_t len)
{
    for (struct tmpfs_dirent **d = &tmpfs_i(dir)->entries; *d; d = &(*d)->next)
        if (strlen((*d)->name) == len && memcmp((*d)->name, name, len) == 0)
            return d;
    return NULL;
}

static int t_lookup(struct inode *dir, const char *name, uint32_t len, struct inode **out)
{
    struct tmpfs_dirent **d;
    if (removed(dir))
        return -ENOENT;
    if (len == 1 && name[0] == '.')
        *out = dir;
    else if (len == 2 && name[0] == '.' && name[1] == '.')
        *out = tmpfs_i(dir)->parent;
    else if ((d = find(dir, name, len)))
        *out = (*d)->ip;
    else
        return -ENOENT;
    vfs_idup(*out);
    return 0;
}

static void touch(struct inode *ip)
{
    ip->mtime = ip->ctime = tmpfs_now();
}

static struct tmpfs_dirent *dirent_new(const char *name, struct inode *ip)
{
    uint32_t len = strlen(name);
    struct tmpfs_dirent *d = kmalloc(sizeof(*d) + len + 1);
    if (d) {
        d->next = NULL;
        d->ip = ip;
        memcpy(d->name, name, len + 1);
    }
    return d;
}

/* At the end of the list, so that a readdir going on sees it after what it has seen. */
static void dirent_append(struct inode *dir, struct tmpfs_dirent *d)
{
    struct tmpfs_dirent **tail = &tmpfs_i(dir)->entries;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    touch(dir);
}

static void dirent_remove(struct inode *dir, struct tmpfs_dirent **d)
{
    struct tmpfs_dirent *gone = *d;
    *d = gone->next;
    kfree(gone);
    touch(dir);
}

static int exists(struct inode *dir, const char *name)
{
    return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
           find(dir, name, strlen(name)) != NULL;
}

/* A new inode named name in dir: 0, -ENOENT, -EEXIST or -ENOMEM (and nothing made). */
static int make(struct inode *dir, const char *name, uint16_t mode, struct inode **out)
{
    struct tmpfs *t = dir->mnt->fs;
    if (removed(dir))
        return -ENOENT;
    if (exists(dir, name))
        return -EEXIST;
    struct inode *ip = inode_new(t, mode, S_ISDIR(mode) ? 2 : 1);
    struct tmpfs_dirent *d = ip ? dirent_new(name, ip) : NULL;
    if (!d) {
        if (ip) {
            ip->nlink = 0;
            t_release(ip);
        }
        return -ENOMEM;
    }
    dirent_append(dir, d);
    *out = ip;
    return 0;
}

static int t_create(struct inode *dir, const char *name, uint16_t mode, struct inode **out)
{
    int err = make(dir, name, S_IFREG | (mode & 07777), out);
    if (err == 0)
        vfs_idup(*out);
    return err;
}

static int t_mkdir(struct inode *dir, const char *name, uint16_t mode)
{
    struct inode *ip;
    if (dir->nlink >= LINK_MAX && !exists(dir, name))
        return -EMLINK;
    int err = make(dir, name, S_IFDIR | (mode & 07777), &ip);
    if (err == 0) {
        tmpfs_i(ip)->parent = dir;
        dir->nlink++;                      /* the new directory's ".." */
    }
    return err;
}

static int t_symlink(struct inode *dir, const char *name, const char *target)
{
    uint32_t len = strnlen(target, PGSIZE);
    if (len == PGSIZE)
        return -ENAMETOOLONG;
    char *copy = kmalloc(len + 1);
    if (!copy)
        return -ENOMEM;
    memcpy(copy, target, len + 1);
    struct inode *ip;
    int err = make(dir, name, S_IFLNK | 0777, &ip);
    if (err) {
        kfree(copy);
        return err;
    }
    tmpfs_i(ip)->target = copy;
    ip->size = len;
    return 0;
}

static int t_readlink(struct inode *ip, char *buf, uint32_t size)
{
    if (!S_ISLNK(ip->mode))
        return -EINVAL;
    if (ip->size >= size)
        return -ENAMETOOLONG;             /* as ext2's */
    memcpy(buf, tmpfs_i(ip)->target, ip->size + 1);
    return ip->size;
}

static int t_link(struct inode *dir, const char *name, struct inode *ip)
{
    if (removed(dir))
        return -ENOENT;
    if (exists(dir, name))
        return -EEXIST;
    if (S_ISDIR(ip->mode))
        return -EPERM;
    if (ip->nlink >= LINK_MAX)
        return -EMLINK;
    struct tmpfs_dirent *d = dirent_new(name, ip);
    if (!d)
        return -ENOMEM;
    dirent_append(dir, d);
    ip->nlink++;
    ip->ctime = tmpfs_now();
    return 0;
}

/* The inode goes when the VFS lets its reference go (t_release), or at its last close. */
static void unname(struct inode *dir, struct tmpfs_dirent **d, struct inode *ip)
{
    dirent_remove(dir, d);
    if (S_ISDIR(ip->mode)) {
        ip->nlink = 0;
        tmpfs_i(ip)->parent = NULL;
        dir->nlink--;                      /* its ".." */
    } else {
        ip->nlink--;
    }
    ip->ctime = tmpfs_now();
}

static int t_unlink(struct inode *dir, const char *name, struct inode *ip)
{
    struct tmpfs_dirent **d = find(dir, name, strlen(name));
    if (!d)
        return -ENOENT;
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    unname(dir, d, ip);
    return 0;
}

static int t_rmdir(struct inode *dir, const char *name, struct inode *ip)
{
    struct tmpfs_dirent **d = find(dir, name, strlen(name));
    if (!d)
        return -ENOENT;
    if (!S_ISDIR(ip->mode))
        return -ENOTDIR;
    if (tmpfs_i(ip)->entries)
        return -ENOTEMPTY;
    unname(dir, d, ip);
    return 0;
}

/* The new name is made first, so that running out of memory changes nothing. */
static int t_rename(struct inode *odir, const char *oname, struct inode *ip,
                    struct inode *ndir, const char *nname, struct inode *victim)
{
    int moved_dir = S_ISDIR(ip->mode) && odir != ndir;
    if (removed(ndir))
        return -ENOENT;
    if (victim && S_ISDIR(victim->mode) && tmpfs_i(victim)->entries)
        return -ENOTEMPTY;
    if (moved_dir && !victim && ndir->nlink >= LINK_MAX)
        return -EMLINK;
    struct tmpfs_dirent *d = dirent_new(nname, ip);
    if (!d)
        return -ENOMEM;
    if (victim)
        unname(ndir, find(ndir, nname, strlen(nname)), victim);
    dirent_remove(odir, find(odir, oname, strlen(oname)));
    dirent_append(ndir, d);
    if (moved_dir) {
        odir->nlink--;
        ndir->nlink++;
        tmpfs_i(ip)->parent = ndir;
    }
    ip->ctime = tmpfs_now();
    return 0;
}

/* ---- listing ---------------------------------------------------------------------- */

static uint8_t dt_of(uint16_t mode)
{
    return S_ISDIR(mode) ? DT_DIR : S_ISLNK(mode) ? DT_LNK : DT_REG;
}

/* Position 0 is ".", 1 "..", 2 + i the i-th name of the list. */
static int t_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *out)
{
    if (removed(dir))
        return -ENOENT;
    struct inode *ip = *pos == 0 ? dir : tmpfs_i(dir)->parent;
    const char *name = *pos == 0 ? "." : "..";
    if (*pos >= 2) {
        struct tmpfs_dirent *d = tmpfs_i(dir)->entries;
        for (uint32_t i = 2; d && i < *pos; i++)
            d = d->next;
        if (!d)
            return 0;
        ip = d->ip;
        name = d->name;
    }
    out->ino = ip->ino;
    out->type = dt_of(ip->mode);
    strlcpy(out->name, name, sizeof(out->name));
    (*pos)++;
    return 1;
}

/* Linux's numbers for a tmpfs with no inode limit: the quota in pages, no inode count. */
#define TMPFS_MAGIC 0x01021994

static int t_statfs(struct vfs_mount *m, struct vfs_statfs *out)
{
    const struct pcache_quota *q = &((struct tmpfs *)m->fs)->quota;
    out->type = TMPFS_MAGIC;
    out->bsize = PGSIZE;
    out->blocks = q->max;
    out->bfree = out->bavail = q->max > q->used ? q->max - q->used : 0;
    out->namelen = VFS_NAME_MAX;
    return 0;
}

static const struct vfs_ops tmpfs_ops = {
    .lookup = t_lookup, .readdir = t_readdir, .readlink = t_readlink,
    .create = t_create, .mkdir = t_mkdir, .symlink = t_symlink, .link = t_link,
    .unlink = t_unlink, .rmdir = t_rmdir, .rename = t_rename,
    .write = tmpfs_write, .truncate = tmpfs_truncate, .release = t_release,
    .statfs = t_statfs,
};

/* Each mount is its own anonymous device, as Linux numbers them (major 0). Its root
 * is held by the mount for good (tmpfs has no unmount). */
int tmpfs_mount(const char *path)
{
    struct tmpfs *t = kzalloc(sizeof(*t));
    if (!t)
        return -ENOMEM;
    t->mnt = (struct vfs_mount){.ops = &tmpfs_ops, .fs = t, .dev = ++nmounts};
    t->quota.max = tmpfs_quota_pages();
    t->next_ino = 1;
    struct inode *root = inode_new(t, S_IFDIR | 01777, 2);
    int err = root ? 0 : -ENOMEM;
    if (root) {
        tmpfs_i(root)->parent = root;
        t->mnt.root = vfs_idup(root);
        err = vfs_mount_at(path, &t->mnt);
    }
    if (err && root) {
        root->nlink = 0;
        vfs_iput(root);
    }
    if (err)
        kfree(t);
    return err;
}
