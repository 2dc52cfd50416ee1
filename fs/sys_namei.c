/* fs/sys_namei.c: the system calls that change names and sizes and put files on the
 * disk: unlink, link, symlink, rename, mkdir, rmdir, truncate and ftruncate (and its
 * 64-bit form), fsync, fdatasync, sync. Paths are made absolute with the working
 * directory (user_path), then fs/vfs_write.c does the work. */
#include "kernel/syscall.h"
#include "kernel/errno.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "mm/uaccess.h"

#define SIZE_LIMIT 0xFFFFFFFFull           /* ext2 sizes here are 32 bits */

/* One path argument: call op on it. */
static long with_path(uint32_t upath, int (*op)(const char *))
{
    char path[PATH_MAX];
    int n = user_path(path, upath);
    return n < 0 ? n : op(path);
}

/* Two path arguments (the second may be taken as written: symlink's target). */
static long with_paths(uint32_t ua, uint32_t ub, int a_raw, int (*op)(const char *, const char *))
{
    char a[PATH_MAX], b[PATH_MAX];
    int n = a_raw ? copyinstr(a, ua, sizeof(a)) : user_path(a, ua);
    if (n < 0)
        return n;
    if (a_raw && n == 0)
        return -ENOENT;
    n = user_path(b, ub);
    return n < 0 ? n : op(a, b);
}

SYSCALL(unlink) { return with_path(ARG1(tf), vfs_unlink); }
SYSCALL(rmdir) { return with_path(ARG1(tf), vfs_rmdir); }
SYSCALL(link) { return with_paths(ARG1(tf), ARG2(tf), 0, vfs_link); }
SYSCALL(rename) { return with_paths(ARG1(tf), ARG2(tf), 0, vfs_rename); }
SYSCALL(symlink) { return with_paths(ARG1(tf), ARG2(tf), 1, vfs_symlink); }

SYSCALL(mkdir)
{
    char path[PATH_MAX];
    int n = user_path(path, ARG1(tf));
    return n < 0 ? n : vfs_mkdir(path, ARG2(tf) & 07777);
}

static long set_size(struct inode *ip, uint64_t size)
{
    if (size > SIZE_LIMIT)
        return -EFBIG;
    return vfs_truncate(ip, (uint32_t)size);
}

SYSCALL(truncate)
{
    struct inode *ip;
    if ((int32_t)ARG2(tf) < 0)
        return -EINVAL;                 /* Linux checks the length first */
    int err = user_inode(ARG1(tf), 1, &ip);
    if (err)
        return err;
    long r = vfs_read_only(ip) ? -EROFS : set_size(ip, ARG2(tf));
    vfs_iput(ip);
    return r;
}

/* ftruncate needs a regular file open for writing (Linux: EINVAL otherwise). */
static long ftruncate_fd(int fd, int64_t size)
{
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    if (f->type != FILE_INODE || !f->writable || size < 0)
        return -EINVAL;
    return set_size(f->ip, (uint64_t)size);
}

SYSCALL(ftruncate) { return ftruncate_fd(ARG1(tf), (int32_t)ARG2(tf)); }

/* ftruncate64(fd, low, high): the length in two registers, low word first. */
SYSCALL(ftruncate64)
{
    return ftruncate_fd(ARG1(tf), (int64_t)((uint64_t)ARG3(tf) << 32 | ARG2(tf)));
}

/* fsync and fdatasync: only files of the file system can be synced (EINVAL for the
 * console and pipes, as Linux says for files that do not support it). */
SYSCALL(fsync)
{
    struct file *f = fd_get(ARG1(tf));
    if (!f)
        return -EBADF;
    return f->type == FILE_INODE ? vfs_fsync(f->ip) : -EINVAL;
}

SYSCALL(sync)
{
    (void)tf;
    vfs_sync();                            /* sync(2) cannot fail */
    return 0;
}

/* pagoda_drop_caches(): closed files' clean pages given back, as Linux's `echo 1 >
 * /proc/sys/vm/drop_caches` does (after a sync, every cached page of a closed file is
 * clean), so that a benchmark starts from the same memory whatever ran before it.
 * Returns how many pages went. */
SYSCALL(pagoda_drop_caches)
{
    (void)tf;
    return (int)vfs_drop_unused();
}
