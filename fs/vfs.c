/* fs/vfs.c: the file-system interface over Pagoda's one file system, the ext2 root:
 * a table of in-memory inodes shared by all who use a file, path lookup, and the
 * lock that lets one process at a time into the file system. Changes are in
 * fs/vfs_write.c. */
#include "fs/vfs_int.h"
#include "fs/ext2_disk.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

#define NINODE 64                  /* in-memory inodes held at once */
#define MAX_SYMLINKS 8             /* symbolic links one lookup may follow */

struct ext2_fs vfs_root_fs;
struct inode *vfs_root;            /* NULL until vfs_mount */
static struct inode itable[NINODE];   /* refs == 0: a free slot */
static int busy;                   /* a process is inside the file system */

/* A sleeping lock: the disk sleeps in the middle of a file-system call, and another
 * process must not find a directory or a bitmap half changed. Every vfs_ call that
 * reads or changes the file system holds it; nothing that holds it touches user
 * memory, so it never page-faults into the file system again (fs/file.c copies
 * through a kernel buffer first). */
void vfs_lock(void)
{
    push_cli();
    while (busy)
        sleep(&busy);
    busy = 1;
    pop_cli();
}

void vfs_unlock(void)
{
    push_cli();
    busy = 0;
    wakeup(&busy);
    pop_cli();
}

/* The in-memory inode for ino, with a new reference: the one already in the table,
 * or a free slot filled from the disk. Under the lock, so nobody else loads the same
 * inode meanwhile: each file has one in-memory inode, which the writers keep right. */
int vfs_iget(uint32_t ino, struct inode **out)
{
    struct inode *slot = NULL;
    push_cli();
    for (struct inode *ip = itable; ip < itable + NINODE; ip++) {
        if (ip->refs > 0 && ip->ino == ino) {
            ip->refs++;
            pop_cli();
            *out = ip;
            return 0;
        }
        if (ip->refs == 0 && !slot)
            slot = ip;
    }
    if (slot) {
        slot->refs = 1;
        slot->ino = 0;
    }
    pop_cli();
    if (!slot) {
        printk("vfs: all %d in-memory inodes are in use\n", NINODE);
        return -ENFILE;
    }
    struct inode fresh;
    int err = ext2_iget(&vfs_root_fs, ino, &fresh);
    push_cli();
    if (err) {
        slot->refs = 0;
    } else {
        fresh.refs = 1;
        *slot = fresh;
        *out = slot;
    }
    pop_cli();
    return err;
}

struct inode *vfs_idup(struct inode *ip)
{
    push_cli();
    ip->refs++;
    pop_cli();
    return ip;
}

/* The last reference to a file nobody names any more frees it on the disk (Unix's
 * rule: an open file outlives its last name). */
void vfs_iput_locked(struct inode *ip)
{
    if (ip->refs == 1 && ip->nlink == 0)
        ext2_evict(&vfs_root_fs, ip);
    push_cli();
    if (--ip->refs == 0)
        ext2_irelease(ip);
    pop_cli();
}

void vfs_iput(struct inode *ip)
{
    vfs_lock();
    vfs_iput_locked(ip);
    vfs_unlock();
}

static int mount(struct blkdev *dev)
{
    if (vfs_root)
        return -EBUSY;
    struct inode *ip;
    int err = ext2_mount(&vfs_root_fs, dev);
    if (err == 0)
        err = vfs_iget(EXT2_ROOT_INO, &ip);
    if (err)
        return err;
    if (!S_ISDIR(ip->mode)) {
        printk("vfs: %s: the root inode is not a directory\n", dev->name);
        vfs_iput_locked(ip);
        return -EIO;
    }
    vfs_root = ip;
    return 0;
}

int vfs_mount(struct blkdev *dev)
{
    vfs_lock();
    int err = mount(dev);
    vfs_unlock();
    return err;
}

static int unmount(void)
{
    int held = 0;
    for (struct inode *ip = itable; ip < itable + NINODE; ip++)
        held += ip->refs;
    if (!vfs_root || held != 1)
        return -EBUSY;
    vfs_iput_locked(vfs_root);
    vfs_root = NULL;
    return ext2_unmount(&vfs_root_fs);
}

int vfs_unmount(void)
{
    vfs_lock();
    int err = unmount();
    vfs_unlock();
    return err;
}

/* ---- path lookup -------------------------------------------------------------------- */

/* One lookup's state. */
struct walk {
    int links;                     /* symbolic links followed so far */
};

static int walk(struct walk *w, struct inode *start, const char *path, int follow_last,
                struct inode **out);

/* Replace *ip, a symbolic link found in directory dir, by what it points at. A
 * relative target starts at dir, an absolute one at the root. */
static int follow(struct walk *w, struct inode *dir, struct inode **ip)
{
    struct inode *link = *ip;
    int err = 0;
    char *target = NULL;
    if (++w->links > MAX_SYMLINKS)
        err = -ELOOP;
    else if (link->size == 0)
        err = -ENOENT;
    else if (link->size >= VFS_PATH_MAX)
        err = -ENAMETOOLONG;
    else if (!(target = kmalloc(link->size + 1)))
        err = -ENOMEM;
    if (err == 0)
        err = ext2_readlink(&vfs_root_fs, link, target, link->size + 1);
    if (err >= 0)
        err = walk(w, vfs_idup(target[0] == '/' ? vfs_root : dir), target, 1, ip);
    kfree(target);
    vfs_iput_locked(link);
    return err;
}

/* Resolve path name by name from directory `start`, whose reference the walk takes
 * over; "." and ".." are entries of every ext2 directory, so they need no special
 * case. A trailing "/" insists on a directory. */
static int walk(struct walk *w, struct inode *start, const char *path, int follow_last,
                struct inode **out)
{
    struct inode *cur = start;
    const char *p = path;
    int err = 0;
    for (;;) {
        while (*p == '/')
            p++;
        if (*p == 0)
            break;
        const char *name = p;
        while (*p && *p != '/')
            p++;
        uint32_t ino;
        struct inode *next;
        if (!S_ISDIR(cur->mode))
            err = -ENOTDIR;
        else if (p - name > EXT2_NAME_MAX)
            err = -ENAMETOOLONG;
        else
            err = ext2_lookup(&vfs_root_fs, cur, name, p - name, &ino);
        if (err == 0)
            err = vfs_iget(ino, &next);
        if (err == 0 && S_ISLNK(next->mode) && (*p == '/' || follow_last))
            err = follow(w, cur, &next);
        if (err)
            break;
        vfs_iput_locked(cur);
        cur = next;
    }
    if (err == 0 && p > path && p[-1] == '/' && !S_ISDIR(cur->mode))
        err = -ENOTDIR;
    if (err) {
        vfs_iput_locked(cur);
        return err;
    }
    *out = cur;
    return 0;
}

/* No process has a working directory yet: a relative path starts at the root too. */
int vfs_lookup_locked(const char *path, int follow_last, struct inode **out)
{
    if (!vfs_root || path[0] == 0)
        return -ENOENT;
    if (strnlen(path, VFS_PATH_MAX) == VFS_PATH_MAX)
        return -ENAMETOOLONG;
    struct walk w = {.links = 0};
    return walk(&w, vfs_idup(vfs_root), path, follow_last, out);
}

static int lookup(const char *path, int follow_last, struct inode **out)
{
    vfs_lock();
    int err = vfs_lookup_locked(path, follow_last, out);
    vfs_unlock();
    return err;
}

int vfs_lookup(const char *path, struct inode **out)
{
    return lookup(path, 1, out);
}

int vfs_lookup_link(const char *path, struct inode **out)
{
    return lookup(path, 0, out);
}

/* ---- reading ------------------------------------------------------------------------ */

int vfs_read(struct inode *ip, void *buf, uint32_t off, uint32_t n)
{
    vfs_lock();
    int r = ext2_read(&vfs_root_fs, ip, buf, off, n);
    vfs_unlock();
    return r;
}

int vfs_read_page(struct inode *ip, uint32_t off, void *page)
{
    if (off % PGSIZE)
        return -EINVAL;
    int n = vfs_read(ip, page, off, PGSIZE);
    if (n < 0)
        return n;
    memset((uint8_t *)page + n, 0, PGSIZE - n);
    return 0;
}

int vfs_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *out)
{
    vfs_lock();
    int r = ext2_readdir(&vfs_root_fs, dir, pos, out);
    vfs_unlock();
    return r;
}

int vfs_readlink(struct inode *ip, char *buf, uint32_t size)
{
    vfs_lock();
    int r = ext2_readlink(&vfs_root_fs, ip, buf, size);
    vfs_unlock();
    return r;
}
