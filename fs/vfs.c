/* fs/vfs.c: the file-system interface over the mounted file systems: a table of
 * in-memory inodes shared by all who use a file (for ext2, whose inodes live on the
 * disk), path lookup across mount points, reads through the page cache, and the lock
 * that lets one process at a time change a file system. Each call is handed to the
 * inode's file system through its operations table (fs/vfs_int.h). Changes are in
 * fs/vfs_write.c. */
#include "fs/vfs_int.h"
#include "drivers/blkdev.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

#define NINODE 64                  /* in-memory inodes held at once */
#define MAX_SYMLINKS 8             /* symbolic links one lookup may follow */

static struct vfs_mount root_mnt;
struct inode *vfs_root;            /* NULL until vfs_mount */
/* refs == 0: a free slot, or a kept inode (kept: its file's clean pages stay cached) */
static struct inode itable[NINODE];
static uint32_t reclaim_hand;      /* where the search for a kept slot to take back starts */
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

/* An inode of a file on a disk whose last reference went, kept with its clean cached
 * pages (Linux's inode and page caches; Silberschatz, OSC 12.6.2, the unified buffer
 * cache): the next exec of the program, or the next read of the file, finds them in
 * memory instead of reading the disk again. Under memory pressure the replacement
 * policy drops those pages like any other clean page; the slot itself is taken back
 * when the table is full (reclaim). Only the table's inodes (ext2's) are kept: tmpfs
 * keeps its files' pages while they have a name, in inodes of its own. */
static int kept(const struct inode *ip)
{
    return ip->refs == 0 && ip->fs_private != NULL;
}

/* The file system's memory of a kept inode, and its pages, given back: a free slot.
 * Renamed first (ino 0 is no file), so no lookup finds it while its pages go, which
 * may wait for one the pageout daemon is evicting; a lookup of its file meanwhile
 * reads the disk into another slot, which is safe: the pages were all clean. */
static void forget(struct inode *ip)
{
    ip->refs = 1;                       /* claimed: nobody else takes it meanwhile */
    ip->ino = 0;
    pop_cli();
    pcache_release(&ip->cache);
    ip->mnt->ops->release(ip);
    push_cli();
    ip->refs = 0;
}

/* A kept inode whose slot goes to another file, round the table from where the last
 * one was taken (the oldest kept is likely there: roughly FIFO); NULL if none. */
static struct inode *reclaim_victim(void)
{
    for (uint32_t n = 0; n < NINODE; n++) {
        struct inode *ip = &itable[reclaim_hand];
        reclaim_hand = (reclaim_hand + 1) % NINODE;
        if (kept(ip))
            return ip;
    }
    return NULL;
}

/* The in-memory inode for (m, ino), with a new reference: the one already in the
 * table (in use or kept), or a free slot filled from the disk. The slot is claimed,
 * named and marked `loading` before the disk is read, as the read may sleep: a second
 * process that wants the same inode meanwhile waits for it, so each file has exactly
 * one in-memory inode, which every change keeps right. With no free slot a kept one is
 * taken back first, and the search starts over (that may sleep too). */
int vfs_iget(struct vfs_mount *m, uint32_t ino, struct inode **out)
{
    struct inode *slot;
    push_cli();
    for (;;) {
        slot = NULL;
        for (struct inode *ip = itable; ip < itable + NINODE; ip++) {
            if ((ip->refs > 0 || kept(ip)) && ip->ino == ino && ip->mnt == m) {
                ip->refs++;
                int err = wait_loaded(ip);
                pop_cli();
                if (err == 0)
                    *out = ip;
                return err;
            }
            if (ip->refs == 0 && !kept(ip) && !slot)
                slot = ip;
        }
        struct inode *victim = slot ? NULL : reclaim_victim();
        if (!victim)
            break;
        forget(victim);
    }
    if (slot)
        *slot = (struct inode){.mnt = m, .ino = ino, .refs = 1, .loading = 1};
    pop_cli();
    if (!slot) {
        printk("vfs: all %d in-memory inodes are in use\n", NINODE);
        return -ENFILE;
    }
    int err = m->ops->iget(m, ino, slot);  /* sets fs_private last, on success */
    push_cli();
    if (err) {
        slot->refs--;                 /* waiters, if any, drop theirs in wait_loaded */
        slot->ino = slot->refs ? ino : 0;
    } else {
        *out = slot;
    }
    slot->loading = 0;
    wakeup(slot);
    pop_cli();
    return err;
}

uint32_t vfs_drop_unused(void)
{
    uint32_t pages = 0;
    push_cli();
    for (struct inode *ip = itable; ip < itable + NINODE; ip++) {
        if (kept(ip)) {
            pages += ip->cache.resident;
            forget(ip);
        }
    }
    pop_cli();
    return pages;
}

struct inode *vfs_idup(struct inode *ip)
{
    push_cli();
    ip->refs++;
    pop_cli();
    return ip;
}

/* Is ip the last reference to a file of the table (a file on a disk) that still has a
 * name? Then it is kept, with its clean pages. */
static int keeps(const struct inode *ip)
{
    return ip->refs == 1 && ip->nlink > 0 && ip >= itable && ip < itable + NINODE;
}

/* Does the last reference to ip take its cached pages? Only a file without a name: a
 * named file on a disk is kept (above), and tmpfs's pages are the file, kept while it
 * has one. */
static int drops_pages(const struct inode *ip)
{
    return ip->refs == 1 && ip->nlink == 0;
}

/* Keeping an inode: its dirty pages are written back now, as they were when the last
 * reference dropped them all, so a file closed is a file on the disk (the crash
 * guarantee of docs/ext2.md is unchanged); the clean ones stay. The write-back may
 * sleep, and meanwhile another process may take the inode up, or unlink the file:
 * look again after. 0: it was unlinked, and the last reference must drop it. */
static int keep(struct inode *ip)
{
    pcache_sync(&ip->cache);
    push_cli();
    int done = 1;
    if (keeps(ip))
        ip->refs = 0;                   /* kept */
    else if (ip->refs > 1)
        ip->refs--;                     /* taken up again meanwhile: theirs now */
    else
        done = 0;
    pop_cli();
    return done;
}

/* Otherwise the last reference takes the file's cached pages (nothing maps them: a
 * mapping holds a reference), dirty ones written back first, so before the file's
 * blocks go. Dropping them may sleep on the disk, and a process may take the inode up
 * again meanwhile, so look again after. Then a file nobody names any more is freed on
 * the disk (Unix's rule: an open file outlives its last name), and the file system
 * gives back the inode's memory. */
void vfs_iput_locked(struct inode *ip)
{
    const struct vfs_ops *ops = ip->mnt->ops;
    if (keeps(ip) && keep(ip))
        return;
    for (;;) {
        int drop = drops_pages(ip);
        if (drop)
            pcache_release(&ip->cache);
        push_cli();
        if (!drop || ip->refs > 1 || !ip->cache.dir)
            break;
        pop_cli();
    }
    pop_cli();
    if (ip->refs == 1 && ip->nlink == 0 && ops->evict)
        ops->evict(ip);
    push_cli();
    if (--ip->refs == 0)
        ops->release(ip);
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
    int err = ext2_vfs_mount(&root_mnt, dev);
    if (err)
        return err;
    if (!S_ISDIR(root_mnt.root->mode)) {
        printk("vfs: %s: the root inode is not a directory\n", dev->name);
        vfs_iput_locked(root_mnt.root);
        return -EIO;
    }
    vfs_root = root_mnt.root;
    return 0;
}

int vfs_mount(struct blkdev *dev)
{
    vfs_lock();
    int err = mount(dev);
    vfs_unlock();
    return err;
}

/* Kept inodes hold no reference, so they do not keep the file system busy; they go with
 * it (the root, kept by its last put here, among them): a later mount of another disk
 * must not find them. */
static int unmount(void)
{
    int held = 0;
    for (struct inode *ip = itable; ip < itable + NINODE; ip++)
        held += ip->refs;
    if (!vfs_root || held != 1)
        return -EBUSY;
    vfs_iput_locked(vfs_root);
    vfs_root = NULL;
    vfs_drop_unused();
    return ext2_vfs_unmount(&root_mnt);
}

int vfs_unmount(void)
{
    vfs_lock();
    int err = unmount();
    vfs_unlock();
    return err;
}

/* The covered directory keeps its in-memory inode (the mount holds a reference), so
 * its `mounted` mark stays until the mount goes. */
int vfs_mount_at(const char *path, struct vfs_mount *m)
{
    struct inode *dir;
    vfs_lock();
    int err = vfs_lookup_locked(path, 1, &dir);
    if (err == 0) {
        if (!S_ISDIR(dir->mode))
            err = -ENOTDIR;
        else if (dir->mounted || dir == dir->mnt->root)
            err = -EBUSY;                 /* a mount point, or a root: one mount each */
        if (err)
            vfs_iput_locked(dir);
    }
    if (err == 0) {
        m->covered = dir;
        dir->mounted = m;
    }
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
        err = link->mnt->ops->readlink(link, target, link->size + 1);
    if (err >= 0)
        err = walk(w, vfs_idup(target[0] == '/' ? vfs_root : dir), target, 1, ip);
    kfree(target);
    walk_put(w, link);
    return err;
}

/* A directory another file system is mounted on stands for that file system's root. */
static struct inode *cross_down(struct walk *w, struct inode *ip)
{
    while (ip->mounted) {
        struct inode *root = vfs_idup(ip->mounted->root);
        walk_put(w, ip);
        ip = root;
    }
    return ip;
}

/* ".." from a mounted file system's root leaves it: it is ".." of the directory the
 * mount covers (Linux's follow_dotdot). */
static struct inode *cross_up(struct walk *w, struct inode *ip)
{
    while (ip == ip->mnt->root && ip->mnt->covered) {
        struct inode *covered = vfs_idup(ip->mnt->covered);
        walk_put(w, ip);
        ip = covered;
    }
    return ip;
}

/* Resolve path name by name from directory `start`, whose reference the walk takes
 * over; "." and ".." are entries of every directory, so they need no special case
 * but where they cross a mount. A trailing "/" insists on a directory. */
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
        struct inode *next;
        if (p - name == 2 && name[0] == '.' && name[1] == '.')
            cur = cross_up(w, cur);
        if (!S_ISDIR(cur->mode))
            err = -ENOTDIR;
        else if (p - name > VFS_NAME_MAX)
            err = -ENAMETOOLONG;
        else
            err = cur->mnt->ops->lookup(cur, name, p - name, &next);
        if (err == 0)
            next = cross_down(w, next);
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

/* A regular file's bytes come from its page cache, whatever the file system: ext2's
 * fills a missing page from the disk, tmpfs's pages are the file. */
int vfs_read(struct inode *ip, void *buf, uint32_t off, uint32_t n)
{
    if (S_ISDIR(ip->mode))
        return -EISDIR;
    if (!S_ISREG(ip->mode))
        return -EINVAL;
    if (off >= ip->size)
        return 0;
    if (n > ip->size - off)
        n = ip->size - off;
    return pcache_read(&ip->cache, buf, off, n);
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
    return dir->mnt->ops->readdir(dir, pos, out);
}

int vfs_readlink(struct inode *ip, char *buf, uint32_t size)
{
    return ip->mnt->ops->readlink(ip, buf, size);
}

int vfs_statfs(struct inode *ip, struct vfs_statfs *out)
{
    *out = (struct vfs_statfs){.read_only = vfs_read_only(ip)};
    return ip->mnt->ops->statfs(ip->mnt, out);
}

int vfs_read_only(const struct inode *ip)
{
    return ip->mnt->ops->read_only && ip->mnt->ops->read_only(ip->mnt);
}

uint32_t vfs_dev(const struct inode *ip)
{
    return ip->mnt->dev;
}
