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
static int busy;                   /* a process is changing the file system */

/* A sleeping lock for the calls that change the file system: the disk sleeps in the
 * middle of one, and another must not find a directory or a bitmap half changed.
 * Reads do not take it (the pager reads executables at every fault, and a reader that
 * waited behind a writer would stall every process that faults): a read that meets a
 * change half done may see old bytes, never a pointer outside the file system (every
 * pointer is checked). Nothing that holds the lock touches user memory, so it never
 * page-faults into the file system again (fs/file.c copies through a kernel buffer). */
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

/* Wait while another process loads ip from the disk: 0, or -EIO if that failed. */
static int wait_loaded(struct inode *ip)
{
    while (ip->loading)
        sleep(ip);
    if (ip->fs_private)
        return 0;
    ip->refs--;                        /* the loader's error: it said why */
    return -EIO;
}

/* The in-memory inode for ino, with a new reference: the one already in the table,
 * or a free slot filled from the disk. The slot is claimed, named and marked
 * `loading` before the disk is read, as the read may sleep: a second process that
 * wants the same inode meanwhile waits for it, so each file has exactly one in-memory
 * inode, which every change keeps right. */
/* A file's pages come into the page cache through the pager's entry point. */
static int read_cached_page(struct pcache *pc, uint32_t index, void *page)
{
    return vfs_read_page(pc->owner, index * PGSIZE, page);
}

static const struct pcache_ops file_pages = {
    .readpage = read_cached_page, .mkwrite = vfs_page_mkwrite, .writepage = vfs_page_write,
};

int vfs_iget(uint32_t ino, struct inode **out)
{
    struct inode *slot = NULL;
    push_cli();
    for (struct inode *ip = itable; ip < itable + NINODE; ip++) {
        if (ip->refs > 0 && ip->ino == ino) {
            ip->refs++;
            int err = wait_loaded(ip);
            pop_cli();
            if (err == 0)
                *out = ip;
            return err;
        }
        if (ip->refs == 0 && !slot)
            slot = ip;
    }
    if (slot) {
        slot->refs = 1;
        slot->ino = ino;
        slot->loading = 1;
        slot->fs_private = NULL;
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
        slot->refs--;                 /* waiters, if any, drop theirs in wait_loaded */
        slot->ino = slot->refs ? ino : 0;
    } else {
        fresh.refs = slot->refs;
        *slot = fresh;
        pcache_init(&slot->cache, &file_pages, slot, NULL);
        *out = slot;
    }
    slot->loading = 0;
    wakeup(slot);
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
    /* The last reference takes the file's cached pages with it (nothing maps them: a
     * mapping holds a reference). Dropping them may sleep on a page being read, and a
     * process may take the inode up again meanwhile, so look again after. */
    for (;;) {
        if (ip->refs == 1)
            pcache_release(&ip->cache);
        push_cli();
        if (ip->refs > 1 || !ip->cache.dir)
            break;
        pop_cli();
    }
    if (--ip->refs == 0)
        ext2_irelease(ip);
    pop_cli();
}

/* Only a put that may free the file on the disk needs the lock. */
void vfs_iput(struct inode *ip)
{
    push_cli();
    int last_name_gone = ip->refs == 1 && ip->nlink == 0;
    pop_cli();
    if (last_name_gone)
        vfs_lock();
    vfs_iput_locked(ip);
    if (last_name_gone)
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
    int locked;                    /* made by a writer, which holds the lock */
};

/* A reader's put may be the last of a file a writer unlinked meanwhile: vfs_iput
 * then takes the lock to free it. A writer already has the lock. */
static void walk_put(struct walk *w, struct inode *ip)
{
    if (w->locked)
        vfs_iput_locked(ip);
    else
        vfs_iput(ip);
}

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
    walk_put(w, link);
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
        walk_put(w, cur);
        cur = next;
    }
    if (err == 0 && p > path && p[-1] == '/' && !S_ISDIR(cur->mode))
        err = -ENOTDIR;
    if (err) {
        walk_put(w, cur);
        return err;
    }
    *out = cur;
    return 0;
}

/* Paths reach the kernel absolute (user_path adds the working directory); a relative
 * one starts at the root. */
static int lookup(const char *path, int follow_last, int locked, struct inode **out)
{
    if (!vfs_root || path[0] == 0)
        return -ENOENT;
    if (strnlen(path, VFS_PATH_MAX) == VFS_PATH_MAX)
        return -ENAMETOOLONG;
    struct walk w = {.links = 0, .locked = locked};
    return walk(&w, vfs_idup(vfs_root), path, follow_last, out);
}

int vfs_lookup_locked(const char *path, int follow_last, struct inode **out)
{
    return lookup(path, follow_last, 1, out);
}

int vfs_lookup(const char *path, struct inode **out)
{
    return lookup(path, 1, 0, out);
}

int vfs_lookup_link(const char *path, struct inode **out)
{
    return lookup(path, 0, 0, out);
}

/* ---- reading ------------------------------------------------------------------------ */

/* A regular file is read through its cached pages (mm/pagecache.h), which a shared
 * mapping may have changed since the disk last saw them; the page cache reads the disk
 * through vfs_read_page. */
int vfs_read(struct inode *ip, void *buf, uint32_t off, uint32_t n)
{
    if (!S_ISREG(ip->mode))
        return ext2_read(&vfs_root_fs, ip, buf, off, n);
    if (off >= ip->size)
        return 0;
    return pcache_read(&ip->cache, buf, off, n < ip->size - off ? n : ip->size - off);
}

int vfs_read_page(struct inode *ip, uint32_t off, void *page)
{
    if (off % PGSIZE)
        return -EINVAL;
    int n = ext2_read(&vfs_root_fs, ip, page, off, PGSIZE);
    if (n < 0)
        return n;
    memset((uint8_t *)page + n, 0, PGSIZE - n);
    return 0;
}

int vfs_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *out)
{
    return ext2_readdir(&vfs_root_fs, dir, pos, out);
}

int vfs_readlink(struct inode *ip, char *buf, uint32_t size)
{
    return ext2_readlink(&vfs_root_fs, ip, buf, size);
}
