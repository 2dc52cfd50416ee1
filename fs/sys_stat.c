/* fs/sys_stat.c: describing files: the stat family (stat64, lstat64, fstat64,
 * fstatat64, and statx, which glibc tries first), getdents64, and statfs64 and
 * fstatfs64 (a file system's size and free space: glibc's statvfs). Each stat fills a
 * struct kstat, then encodes it in the layout the caller asked for. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "mm/uaccess.h"
#include "mm/mmu.h"
#include "mm/kheap.h"

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_EMPTY_PATH 0x1000

struct kstat {
    uint32_t dev, ino, mode, nlink, uid, gid, size, blocks, rdev;
    uint32_t atime, mtime, ctime;
};

/* struct stat64 of Linux i386 (96 bytes). */
struct stat64 {
    uint64_t dev;
    uint32_t pad0, ino32, mode, nlink, uid, gid;
    uint64_t rdev;
    uint32_t pad3;
    int64_t size;
    uint32_t blksize;
    uint64_t blocks;
    uint32_t atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
    uint64_t ino;
} __attribute__((packed));

struct statx_ts { int64_t sec; uint32_t nsec; int32_t pad; };
struct statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask;
    struct statx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
#define STATX_BASIC_STATS 0x7FF

static void stat_inode(const struct inode *ip, struct kstat *st)
{
    *st = (struct kstat){vfs_dev(ip), ip->ino, ip->mode, ip->nlink, ip->uid, ip->gid, ip->size,
                         ip->blocks512, 0, ip->atime, ip->mtime, ip->ctime};
}

static int stat_file(struct file *f, struct kstat *st)
{
    if (f->type == FILE_INODE) {
        stat_inode(f->ip, st);
        return 0;
    }
    /* The console (tty 4,64) and /dev/null (1,3) are character devices (so stdio
     * line-buffers the console), a pipe a FIFO. */
    int chr = f->type == FILE_CONSOLE || f->type == FILE_NULL;
    *st = (struct kstat){.mode = chr ? S_IFCHR | 0620 : S_IFIFO | 0600, .nlink = 1,
                         .rdev = f->type == FILE_CONSOLE ? (4 << 8) | 64
                                 : f->type == FILE_NULL ? (1 << 8) | 3 : 0};
    return 0;
}

static int stat_path(uint32_t upath, int follow, struct kstat *st)
{
    struct inode *ip;
    int err = user_inode(upath, follow, &ip);
    if (err)
        return err;
    stat_inode(ip, st);
    vfs_iput(ip);
    return 0;
}

static int put_stat64(uint32_t ubuf, const struct kstat *st)
{
    struct stat64 s = {
        .dev = st->dev, .ino32 = st->ino, .mode = st->mode, .nlink = st->nlink, .uid = st->uid,
        .gid = st->gid, .rdev = st->rdev, .size = st->size, .blksize = PGSIZE,
        .blocks = st->blocks, .atime = st->atime, .mtime = st->mtime, .ctime = st->ctime,
        .ino = st->ino,
    };
    return copyout(ubuf, &s, sizeof(s));
}

SYSCALL(stat64)
{
    struct kstat st;
    int err = stat_path(ARG1(tf), 1, &st);
    return err ? err : put_stat64(ARG2(tf), &st);
}

SYSCALL(lstat64)
{
    struct kstat st;
    int err = stat_path(ARG1(tf), 0, &st);
    return err ? err : put_stat64(ARG2(tf), &st);
}

SYSCALL(fstat64)
{
    struct file *f = fd_get(ARG1(tf));
    struct kstat st;
    if (!f)
        return -EBADF;
    stat_file(f, &st);
    return put_stat64(ARG2(tf), &st);
}

/* The *at forms: dirfd is AT_FDCWD, or a descriptor with AT_EMPTY_PATH and "". */
static int stat_at(int dirfd, uint32_t upath, int flags, struct kstat *st)
{
    char first = 0;
    if ((flags & AT_EMPTY_PATH) && copyin(&first, upath, 1) == 0 && first == '\0') {
        struct file *f = fd_get(dirfd);
        return f ? stat_file(f, st) : -EBADF;
    }
    if (dirfd != AT_FDCWD)
        return -EINVAL;
    return stat_path(upath, !(flags & AT_SYMLINK_NOFOLLOW), st);
}

SYSCALL(fstatat64)
{
    struct kstat st;
    int err = stat_at(ARG1(tf), ARG2(tf), ARG4(tf), &st);
    return err ? err : put_stat64(ARG3(tf), &st);
}

/* statx(dirfd, path, flags, mask, buf) */
SYSCALL(statx)
{
    struct kstat st;
    int err = stat_at(ARG1(tf), ARG2(tf), ARG3(tf), &st);
    if (err)
        return err;
    struct statx x = {
        .mask = STATX_BASIC_STATS, .blksize = PGSIZE, .nlink = st.nlink, .uid = st.uid,
        .gid = st.gid, .mode = st.mode, .ino = st.ino, .size = st.size, .blocks = st.blocks,
        .atime = {st.atime, 0, 0}, .ctime = {st.ctime, 0, 0}, .mtime = {st.mtime, 0, 0},
        .rdev_major = st.rdev >> 8, .rdev_minor = st.rdev & 0xFF,
        .dev_major = st.dev >> 8, .dev_minor = st.dev & 0xFF,
    };
    return copyout(ARG5(tf), &x, sizeof(x));
}

struct dirent64_head {            /* struct linux_dirent64 without its name */
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
} __attribute__((packed));

/* getdents64(fd, buf, size): as many whole linux_dirent64 records as fit. The file
 * offset is the directory position, so the next call continues where this one ended. */
SYSCALL(getdents64)
{
    struct file *f = fd_get(ARG1(tf));
    uint32_t ubuf = ARG2(tf), size = ARG3(tf), used = 0;
    if (!f)
        return -EBADF;
    if (f->type != FILE_INODE || !S_ISDIR(f->ip->mode))
        return -ENOTDIR;
    struct vfs_dirent *d = kmalloc(sizeof(*d));
    if (!d)
        return -ENOMEM;
    long result = 0;
    for (;;) {
        uint32_t pos = f->off;
        int r = vfs_readdir(f->ip, &pos, d);
        if (r <= 0) {
            result = r;
            break;
        }
        uint32_t namelen = strlen(d->name) + 1;
        uint32_t reclen = (sizeof(struct dirent64_head) + namelen + 7) & ~7u;
        if (used + reclen > size) {
            result = -EINVAL;
            break;
        }
        struct dirent64_head h = {d->ino, pos, reclen, d->type};
        if (copyout(ubuf + used, &h, sizeof(h)) < 0 ||
            copyout(ubuf + used + sizeof(h), d->name, namelen) < 0) {
            result = -EFAULT;
            break;
        }
        used += reclen;
        f->off = pos;
    }
    kfree(d);
    return used ? (long)used : result;
}

/* struct statfs64 of Linux i386 (84 bytes: packed, as the kernel's ARCH_PACK_STATFS64). */
struct statfs64 {
    uint32_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    uint32_t fsid[2];
    uint32_t namelen, frsize, flags;
    uint32_t spare[4];
} __attribute__((packed));
#define ST_RDONLY 0x0001
#define ST_VALID 0x0020                 /* f_flags is filled in */

static long put_statfs64(struct inode *ip, uint32_t size, uint32_t ubuf)
{
    struct vfs_statfs st;
    if (size != sizeof(struct statfs64))
        return -EINVAL;                 /* glibc passes the size it was built with */
    int err = vfs_statfs(ip, &st);
    if (err)
        return err;
    uint32_t dev = vfs_dev(ip);
    struct statfs64 s = {
        .type = st.type, .bsize = st.bsize, .blocks = st.blocks, .bfree = st.bfree,
        .bavail = st.bavail, .files = st.files, .ffree = st.ffree, .fsid = {dev, 0},
        .namelen = st.namelen, .frsize = st.bsize,
        .flags = ST_VALID | (st.read_only ? ST_RDONLY : 0),
    };
    return copyout(ubuf, &s, sizeof(s));
}

/* statfs64(path, size, buf) */
SYSCALL(statfs64)
{
    struct inode *ip;
    int err = user_inode(ARG1(tf), 1, &ip);
    if (err)
        return err;
    long r = put_statfs64(ip, ARG2(tf), ARG3(tf));
    vfs_iput(ip);
    return r;
}

/* fstatfs64(fd, size, buf): a file of a file system; the console, /dev/null and pipes
 * are on none in Pagoda (-EINVAL). */
SYSCALL(fstatfs64)
{
    struct file *f = fd_get(ARG1(tf));
    if (!f)
        return -EBADF;
    if (f->type != FILE_INODE)
        return -EINVAL;
    return put_statfs64(f->ip, ARG2(tf), ARG3(tf));
}
