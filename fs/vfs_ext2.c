/* fs/vfs_ext2.c: ext2 (fs/ext2.h) as a file system of the VFS: its operations table,
 * which finds the struct ext2_fs of the mount and hands each call on, and the page
 * cache of its regular files. write(2) gives the range its blocks (ext2_reserve) and
 * then writes into the cached pages, which become dirty, as a shared mapping's stores
 * do: read, write and mappings see one copy of each page. The cache reads a page it
 * lacks from the file (readpage), gives a page its blocks before a shared mapping
 * writes it (mkwrite), and writes dirty pages back into their blocks (writepage). */
#include "fs/vfs_int.h"
#include "fs/ext2.h"
#include "fs/ext2_disk.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "mm/mmu.h"

static struct ext2_fs root_fs;             /* Pagoda mounts one ext2: the root */

static struct ext2_fs *fs_of(const struct inode *ip)
{
    return ip->mnt->fs;
}

/* Every change marks the file system "being changed" first (ext2_begin_change). A
 * read-only one then fails in the ext2 call itself, with -EROFS. */
static struct ext2_fs *changing(const struct inode *ip)
{
    struct ext2_fs *fs = fs_of(ip);
    ext2_begin_change(fs);
    return fs;
}

static int e_readpage(struct pcache *pc, uint32_t index, void *page)
{
    struct inode *ip = pc->owner;
    int n = ext2_read(fs_of(ip), ip, page, index * PGSIZE, PGSIZE);
    if (n < 0)
        return n;
    memset((uint8_t *)page + n, 0, PGSIZE - n);
    return 0;
}

/* The bytes of page index that lie in the file (none past its end). */
static uint32_t page_bytes(struct inode *ip, uint32_t index, uint32_t *off)
{
    *off = index * PGSIZE;
    return ip->size > *off ? (ip->size - *off < PGSIZE ? ip->size - *off : PGSIZE) : 0;
}

/* Allocating blocks changes the file system: under the writers' lock. */
static int e_mkwrite(struct pcache *pc, uint32_t index)
{
    struct inode *ip = pc->owner;
    uint32_t off, n = page_bytes(ip, index, &off);
    vfs_lock();
    int err = ext2_alloc_range(changing(ip), ip, off, n);
    vfs_unlock();
    return err;
}

/* Into the blocks mkwrite gave: nothing allocated, no lock (the pageout daemon calls it). */
static int e_writepage(struct pcache *pc, uint32_t index, const void *page)
{
    struct inode *ip = pc->owner;
    uint32_t off, n = page_bytes(ip, index, &off);
    return ext2_write_in_place(fs_of(ip), ip, page, off, n);
}

static const struct pcache_ops e_pcache_ops = {
    .readpage = e_readpage, .mkwrite = e_mkwrite, .writepage = e_writepage,
};

/* Every ext2 inode read in gets its page cache; only a regular file's is used. */
static int e_iget(struct vfs_mount *m, uint32_t ino, struct inode *ip)
{
    int err = ext2_iget(m->fs, ino, ip);
    if (err == 0)
        pcache_init(&ip->cache, &e_pcache_ops, ip, NULL);
    return err;
}

static int e_lookup(struct inode *dir, const char *name, uint32_t len, struct inode **out)
{
    uint32_t ino;
    int err = ext2_lookup(fs_of(dir), dir, name, len, &ino);
    return err ? err : vfs_iget(dir->mnt, ino, out);
}

static int e_readdir(struct inode *dir, uint32_t *pos, struct vfs_dirent *out)
{
    return ext2_readdir(fs_of(dir), dir, pos, out);
}

static int e_readlink(struct inode *ip, char *buf, uint32_t size)
{
    return ext2_readlink(fs_of(ip), ip, buf, size);
}

static int e_create(struct inode *dir, const char *name, uint16_t mode, struct inode **out)
{
    uint32_t ino;
    int err = ext2_create(changing(dir), dir, name, mode, &ino);
    return err ? err : vfs_iget(dir->mnt, ino, out);
}

static int e_mkdir(struct inode *dir, const char *name, uint16_t mode)
{
    uint32_t ino;
    return ext2_mkdir(changing(dir), dir, name, mode, &ino);
}

static int e_symlink(struct inode *dir, const char *name, const char *target)
{
    uint32_t ino;
    return ext2_symlink(changing(dir), dir, name, target, &ino);
}

static int e_link(struct inode *dir, const char *name, struct inode *ip)
{
    return ext2_link(changing(dir), dir, name, ip);
}

static int e_unlink(struct inode *dir, const char *name, struct inode *ip)
{
    return ext2_unlink(changing(dir), dir, name, ip);
}

static int e_rmdir(struct inode *dir, const char *name, struct inode *ip)
{
    return ext2_rmdir(changing(dir), dir, name, ip);
}

static int e_rename(struct inode *odir, const char *oname, struct inode *ip,
                    struct inode *ndir, const char *nname, struct inode *victim)
{
    return ext2_rename(changing(odir), odir, oname, ip, ndir, nname, victim);
}

/* The file grew from `old` bytes. Its old last page may be cached with blocks only up to
 * the old end, and dirty, or writable through a mapping (mkwrite gave blocks to the bytes
 * inside the file then): the part of it now inside the file gets its blocks, so that
 * writing the page back never meets a hole; and its bytes past the old end, which a
 * mapping may have stored into, become the zeros the file now holds there. (Linux's
 * pagecache_isize_extended write-protects the page instead, for mkwrite to run again.) */
static int grown(struct ext2_fs *fs, struct inode *ip, uint32_t old)
{
    uint32_t end = PGROUNDUP(old) < ip->size ? PGROUNDUP(old) : ip->size;
    if (old % PGSIZE == 0 || end <= old)
        return 0;
    return ext2_alloc_range(fs, ip, old, end - old);
}

static int e_write(struct inode *ip, const void *buf, uint32_t off, uint32_t n)
{
    struct ext2_fs *fs = changing(ip);
    uint32_t old = ip->size;
    if (n && (off >= old || n > old - off))
        pcache_truncate(&ip->cache, old);  /* the old last page's tail: zeros */
    int r = ext2_reserve(fs, ip, off, n);
    int err = r > 0 ? grown(fs, ip, old) : 0;
    if (r > 0 && !err)
        r = pcache_write(&ip->cache, buf, off, (uint32_t)r);
    return err ? err : r;
}

/* The cached pages past the new end go first: one being written back holds its frame
 * Busy until the write is done, so no write-back lands in a block truncate freed. */
static int e_truncate(struct inode *ip, uint32_t size)
{
    struct ext2_fs *fs = changing(ip);
    uint32_t old = ip->size;
    pcache_truncate(&ip->cache, size < old ? size : old);
    int err = ext2_truncate(fs, ip, size);
    return err ? err : grown(fs, ip, old);
}

static void e_evict(struct inode *ip)
{
    ext2_evict(fs_of(ip), ip);             /* an error is reported; e2fsck recovers it */
}

static int e_read_only(struct vfs_mount *m)
{
    return !((struct ext2_fs *)m->fs)->writable;
}

static int e_statfs(struct vfs_mount *m, struct vfs_statfs *out)
{
    return ext2_statfs(m->fs, out);
}

static int e_sync(struct vfs_mount *m)
{
    return blk_flush(((struct ext2_fs *)m->fs)->dev);
}

static const struct vfs_ops ext2_vfs_ops = {
    .iget = e_iget, .lookup = e_lookup, .readdir = e_readdir, .readlink = e_readlink,
    .create = e_create, .mkdir = e_mkdir, .symlink = e_symlink, .link = e_link,
    .unlink = e_unlink, .rmdir = e_rmdir, .rename = e_rename, .write = e_write,
    .truncate = e_truncate, .evict = e_evict, .release = ext2_irelease,
    .read_only = e_read_only, .statfs = e_statfs, .sync = e_sync,
};

/* The root's mount, its root directory read: sda1's device number, as Linux would
 * show it (8, 1). */
int ext2_vfs_mount(struct vfs_mount *m, struct blkdev *dev)
{
    *m = (struct vfs_mount){.ops = &ext2_vfs_ops, .fs = &root_fs, .dev = 0x801};
    int err = ext2_mount(&root_fs, dev);
    return err ? err : vfs_iget(m, EXT2_ROOT_INO, &m->root);
}

int ext2_vfs_unmount(struct vfs_mount *m)
{
    return ext2_unmount(m->fs);
}
