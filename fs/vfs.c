/* fs/vfs.c: the file-system interface over Pagoda's one file system, the ext2 root:
 * a table of in-memory inodes shared by all who use a file, and path lookup. */
#include "fs/vfs.h"
#include "fs/ext2.h"
#include "fs/ext2_disk.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

#define NINODE 64                  /* in-memory inodes held at once */
#define MAX_SYMLINKS 8             /* symbolic links one lookup may follow */
#define PATH_MAX 4096

static struct ext2_fs root_fs;
static struct inode *root;         /* NULL until vfs_mount */
static struct inode itable[NINODE];   /* refs == 0: a free slot */

/* The in-memory inode for ino, with a new reference: the one already in the table,
 * or a free slot filled from the disk. The slot is claimed (refs 1, ino 0: no
 * directory entry names inode 0, so nobody finds it) before the disk is read, as
 * the read may sleep. Two processes loading the same inode at the same moment get
 * two copies, which is harmless while nothing writes. */
static int iget(uint32_t ino, struct inode **out)
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
    int err = ext2_iget(&root_fs, ino, &fresh);
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

void vfs_iput(struct inode *ip)
{
    push_cli();
    if (--ip->refs == 0)
        ext2_irelease(ip);
    pop_cli();
}

int vfs_mount(struct blkdev *dev)
{
    if (root)
        return -EBUSY;
    struct inode *ip;
    int err = ext2_mount(&root_fs, dev);
    if (err == 0)
        err = iget(EXT2_ROOT_INO, &ip);
    if (err)
        return err;
    if (!S_ISDIR(ip->mode)) {
        printk("vfs: %s: the root inode is not a directory\n", dev->name);
        vfs_iput(ip);
        return -EIO;
    }
    root = ip;
    return 0;
}

int vfs_unmount(void)
{
    int held = 0;
    for (struct inode *ip = itable; ip < itable + NINODE; ip++)
        held += ip->refs;
    if (!root || held != 1)
        return -EBUSY;
    vfs_iput(root);
    root = NULL;
    return 0;
}

/* ---- path lookup -------------------------------------------------------------------- */

/* One lookup's scratch space: a directory entry is too big for the kernel stack. */
struct walk {
    struct vfs_dirent de;
    int links;                     /* symbolic links followed so far */
};

static int walk(struct walk *w, struct inode *start, const char *path, int follow_last,
                struct inode **out);

/* The inode number of the name (len bytes, not NUL-terminated) in directory dir. */
static int dir_find(struct walk *w, struct inode *dir, const char *name, uint32_t len,
                    uint32_t *ino)
{
    uint32_t pos = 0;
    int r;
    while ((r = ext2_readdir(&root_fs, dir, &pos, &w->de)) > 0) {
        if (strlen(w->de.name) == len && memcmp(w->de.name, name, len) == 0) {
            *ino = w->de.ino;
            return 0;
        }
    }
    return r < 0 ? r : -ENOENT;
}

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
    else if (link->size >= PATH_MAX)
        err = -ENAMETOOLONG;
    else if (!(target = kmalloc(link->size + 1)))
        err = -ENOMEM;
    if (err == 0)
        err = ext2_readlink(&root_fs, link, target, link->size + 1);
    if (err >= 0)
        err = walk(w, vfs_idup(target[0] == '/' ? root : dir), target, 1, ip);
    kfree(target);
    vfs_iput(link);
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
            err = dir_find(w, cur, name, p - name, &ino);
        if (err == 0)
            err = iget(ino, &next);
        if (err == 0 && S_ISLNK(next->mode) && (*p == '/' || follow_last))
            err = follow(w, cur, &next);
        if (err)
            break;
        vfs_iput(cur);
        cur = next;
    }
    if (err == 0 && p > path && p[-1] == '/' && !S_ISDIR(cur->mode))
        err = -ENOTDIR;
    if (err) {
        vfs_iput(cur);
        return err;
    }
    *out = cur;
    return 0;
}

/* No process has a working directory yet: a relative path starts at the root too. */
static int lookup(const char *path, int follow_last, struct inode **out)
{
    if (!root || path[0] == 0)
        return -ENOENT;
    if (strnlen(path, PATH_MAX) == PATH_MAX)
        return -ENAMETOOLONG;
    struct walk *w = kmalloc(sizeof(*w));
    if (!w)
        return -ENOMEM;
    w->links = 0;
    int err = walk(w, vfs_idup(root), path, follow_last, out);
    kfree(w);
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
    return ext2_read(&root_fs, ip, buf, off, n);
}

int vfs_read_page(struct inode *ip, uint32_t off, void *page)
{
    if (off % PGSIZE)
        return -EINVAL;
    int n = ext2_read(&root_fs, ip, page, off, PGSIZE);
    if (n < 0)
        return n;
    memset((uint8_t *)page + n, 0, PGSIZE - n);
    return 0;
}

int vfs_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *out)
{
    return ext2_readdir(&root_fs, dir, pos, out);
}

int vfs_readlink(struct inode *ip, char *buf, uint32_t size)
{
    return ext2_readlink(&root_fs, ip, buf, size);
}
