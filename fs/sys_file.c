/* fs/sys_file.c: system calls on file descriptors: read/write (and the vector forms),
 * open/close, lseek, dup, pipe, fcntl, ioctl, and the working directory. */
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "fs/file.h"
#include "fs/vfs.h"
#include "drivers/tty.h"
#include "mm/uaccess.h"
#include "mm/mm.h"

#define O_ACCMODE 3
#define O_WRONLY 1
#define O_RDWR 2
#define O_CREAT 0100
#define O_EXCL 0200
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_DIRECTORY 0200000
#define O_NOFOLLOW 0400000
#define AT_FDCWD (-100)

SYSCALL(read)
{
    struct file *f = fd_get(ARG1(tf));
    return f ? file_read(f, ARG2(tf), ARG3(tf)) : -EBADF;
}

SYSCALL(write)
{
    struct file *f = fd_get(ARG1(tf));
    return f ? file_write(f, ARG2(tf), ARG3(tf)) : -EBADF;
}

/* pread64 and pwrite64 (180, 181): the 64-bit offset comes in two registers. Files
 * here end below 4 GiB: a read beyond that reads nothing, a write there is EFBIG. */
static long positioned_io(struct trapframe *tf, int write)
{
    struct file *f = fd_get(ARG1(tf));
    int64_t off = (int64_t)((uint64_t)ARG5(tf) << 32 | ARG4(tf));
    if (!f)
        return -EBADF;
    if (off < 0)
        return -EINVAL;
    if (off > UINT32_MAX)
        return write ? -EFBIG : 0;
    return file_pio(f, ARG2(tf), ARG3(tf), (uint32_t)off, write);
}

SYSCALL(pread64) { return positioned_io(tf, 0); }
SYSCALL(pwrite64) { return positioned_io(tf, 1); }

struct iovec32 {
    uint32_t base, len;
};

/* readv/writev: one read or write per element, stopping at the first short one. */
static long vector_io(struct trapframe *tf, int (*io)(struct file *, uint32_t, uint32_t))
{
    struct file *f = fd_get(ARG1(tf));
    uint32_t iov = ARG2(tf), count = ARG3(tf);
    if (!f)
        return -EBADF;
    if (count > 1024)
        return -EINVAL;
    long total = 0;
    for (uint32_t i = 0; i < count; i++) {
        struct iovec32 v;
        if (copyin(&v, iov + i * sizeof(v), sizeof(v)) < 0)
            return -EFAULT;
        if (v.len == 0)
            continue;
        int n = io(f, v.base, v.len);
        if (n < 0)
            return total ? total : n;
        total += n;
        if ((uint32_t)n < v.len)
            break;
    }
    return total;
}

SYSCALL(readv) { return vector_io(tf, file_read); }
SYSCALL(writev) { return vector_io(tf, file_write); }

/* O_NOFOLLOW: a symbolic link named last is ELOOP, not followed (glibc's shm_open
 * asks it). A missing name is left to the open itself. */
static int link_named_last(const char *path)
{
    struct inode *ip;
    if (vfs_lookup_link(path, &ip) != 0)
        return 0;
    int is_link = S_ISLNK(ip->mode);
    vfs_iput(ip);
    return is_link;
}

/* The inode path names, created if O_CREAT asks, checked against the flags. */
static int open_inode(const char *path, uint32_t flags, uint16_t mode, struct inode **out)
{
    struct inode *ip;
    int writing = (flags & O_ACCMODE) != 0;
    if ((flags & O_NOFOLLOW) && link_named_last(path))
        return -ELOOP;
    int err = flags & O_CREAT ? vfs_create(path, mode, (flags & O_EXCL) != 0, &ip)
                              : vfs_lookup(path, &ip);
    if (err)
        return err;
    if ((flags & O_DIRECTORY) && !S_ISDIR(ip->mode))
        err = -ENOTDIR;
    else if (writing && S_ISDIR(ip->mode))
        err = -EISDIR;
    else if (writing && vfs_read_only(ip))
        err = -EROFS;
    else if ((flags & O_TRUNC) && writing && S_ISREG(ip->mode))
        err = vfs_truncate(ip, 0);
    if (err) {
        vfs_iput(ip);
        return err;
    }
    *out = ip;
    return 0;
}

static long do_open(uint32_t upath, uint32_t flags, uint32_t mode)
{
    char path[PATH_MAX];
    int n = user_path(path, upath);
    if (n < 0)
        return n;
    int err;
    struct file *f = dev_open(path, flags, &err);
    if (!f && err != -ENOENT)
        return err;
    if (!f) {
        struct inode *ip;
        if ((err = open_inode(path, flags, mode & 07777, &ip)) != 0)
            return err;
        uint32_t acc = flags & O_ACCMODE;
        f = file_alloc(FILE_INODE, acc != O_WRONLY, acc == O_WRONLY || acc == O_RDWR);
        if (!f) {
            vfs_iput(ip);
            return -ENOMEM;
        }
        f->ip = ip;
        f->append = (flags & O_APPEND) != 0;
    }
    int fd = fd_install(myproc(), f, 0);
    if (fd < 0)
        file_close(f);
    else if (flags & O_CLOEXEC)
        myproc()->cloexec[fd] = 1;
    return fd;
}

SYSCALL(open)
{
    return do_open(ARG1(tf), ARG2(tf), ARG3(tf));
}

/* openat: only relative to the working directory (AT_FDCWD). */
SYSCALL(openat)
{
    if ((int)ARG1(tf) != AT_FDCWD)
        return -EINVAL;
    return do_open(ARG2(tf), ARG3(tf), ARG4(tf));
}

SYSCALL(close)
{
    int fd = ARG1(tf);
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    myproc()->files[fd] = NULL;
    file_close(f);
    return 0;
}

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

static int64_t do_seek(int fd, int64_t off, int whence)
{
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    if (f->type != FILE_INODE)
        return -ESPIPE;
    int64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->off : f->ip->size;
    if (whence > SEEK_END)
        return -EINVAL;
    if (base + off < 0 || base + off > 0xFFFFFFFFll)
        return -EINVAL;
    f->off = (uint32_t)(base + off);
    return f->off;
}

SYSCALL(lseek)
{
    int64_t r = do_seek(ARG1(tf), (int32_t)ARG2(tf), ARG3(tf));
    return r > 0x7FFFFFFF ? -EOVERFLOW : (long)r;
}

/* _llseek(fd, offset_high, offset_low, &result, whence) */
SYSCALL(llseek)
{
    int64_t off = (int64_t)(((uint64_t)ARG2(tf) << 32) | ARG3(tf));   /* no signed shift */
    int64_t r = do_seek(ARG1(tf), off, ARG5(tf));
    if (r < 0)
        return r;
    return copyout(ARG4(tf), &r, sizeof(r));
}

SYSCALL(dup)
{
    struct file *f = fd_get(ARG1(tf));
    if (!f)
        return -EBADF;
    int fd = fd_install(myproc(), file_dup(f), 0);
    if (fd < 0)
        file_close(f);
    return fd;
}

static long do_dup2(int old, int new, int cloexec)
{
    struct proc *p = myproc();
    struct file *f = fd_get(old);
    if (!f || new < 0 || new >= NOFILE)
        return -EBADF;
    if (old == new)
        return new;
    if (p->files[new])
        file_close(p->files[new]);
    p->files[new] = file_dup(f);
    p->cloexec[new] = cloexec;
    return new;
}

SYSCALL(dup2) { return do_dup2(ARG1(tf), ARG2(tf), 0); }

SYSCALL(dup3)
{
    if ((ARG3(tf) & ~O_CLOEXEC) || ARG1(tf) == ARG2(tf))
        return -EINVAL;
    return do_dup2(ARG1(tf), ARG2(tf), (ARG3(tf) & O_CLOEXEC) != 0);
}

static long do_pipe(uint32_t ufds, uint32_t flags)
{
    struct proc *p = myproc();
    struct file *rd, *wr;
    if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK))
        return -EINVAL;
    int err = pipe_create(&rd, &wr);
    if (err)
        return err;
    rd->nonblock = wr->nonblock = (flags & O_NONBLOCK) != 0;
    int fds[2] = {fd_install(p, rd, 0), -1};
    if (fds[0] >= 0)
        fds[1] = fd_install(p, wr, 0);
    if (fds[1] < 0 || copyout(ufds, fds, sizeof(fds)) < 0) {
        if (fds[0] >= 0)
            p->files[fds[0]] = NULL;
        if (fds[1] >= 0)
            p->files[fds[1]] = NULL;
        file_close(rd);
        file_close(wr);
        return fds[1] < 0 ? -EMFILE : -EFAULT;
    }
    p->cloexec[fds[0]] = p->cloexec[fds[1]] = (flags & O_CLOEXEC) != 0;
    return 0;
}

SYSCALL(pipe) { return do_pipe(ARG1(tf), 0); }
SYSCALL(pipe2) { return do_pipe(ARG1(tf), ARG2(tf)); }

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_DUPFD_CLOEXEC 1030

SYSCALL(fcntl64)
{
    struct proc *p = myproc();
    int fd = ARG1(tf);
    struct file *f = fd_get(fd);
    if (!f)
        return -EBADF;
    switch (ARG2(tf)) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        if (ARG3(tf) >= NOFILE)
            return -EINVAL;             /* Linux: the lowest fd, unsigned, below RLIMIT_NOFILE */
        int nfd = fd_install(p, file_dup(f), ARG3(tf));
        if (nfd < 0)
            file_close(f);
        else
            p->cloexec[nfd] = ARG2(tf) == F_DUPFD_CLOEXEC;
        return nfd;
    }
    case F_GETFD:
        return p->cloexec[fd];
    case F_SETFD:
        p->cloexec[fd] = ARG3(tf) & 1;
        return 0;
    case F_GETFL:
        return (f->readable && f->writable ? O_RDWR : f->writable ? O_WRONLY : 0) |
               (f->append ? O_APPEND : 0) | (f->nonblock ? O_NONBLOCK : 0);
    case F_SETFL:                       /* Linux: only these two of the status flags */
        f->append = (ARG3(tf) & O_APPEND) != 0;
        f->nonblock = (ARG3(tf) & O_NONBLOCK) != 0;
        return 0;
    }
    return -EINVAL;
}

/* ioctl: only the console has any (termios and the foreground group: drivers/tty.c). */
SYSCALL(ioctl)
{
    struct file *f = fd_get(ARG1(tf));
    if (!f)
        return -EBADF;
    if (f->type == FILE_UFFD)
        return uffd_ioctl(f->uffd, ARG2(tf), ARG3(tf));
    if (f->type != FILE_CONSOLE)
        return -ENOTTY;
    return tty_ioctl(ARG2(tf), ARG3(tf));
}

SYSCALL(access)
{
    struct inode *ip;
    int err = user_inode(ARG1(tf), 1, &ip);
    if (err)
        return err;
    if ((ARG2(tf) & 2) && vfs_read_only(ip))
        err = -EROFS;                   /* W_OK on a read-only file system */
    vfs_iput(ip);
    return err;
}

SYSCALL(getcwd)
{
    const char *cwd = myproc()->cwd;
    uint32_t len = strlen(cwd) + 1;
    if (ARG2(tf) < len)
        return -ERANGE;
    return copyout(ARG1(tf), cwd, len) < 0 ? -EFAULT : (long)len;
}

SYSCALL(chdir)
{
    char path[PATH_MAX];
    int n = user_path(path, ARG1(tf));
    if (n < 0)
        return n;
    struct inode *ip;
    int err = vfs_lookup(path, &ip);
    if (err)
        return err;
    err = S_ISDIR(ip->mode) ? 0 : -ENOTDIR;
    vfs_iput(ip);
    if (!err)
        strlcpy(myproc()->cwd, path, sizeof(myproc()->cwd));
    return err;
}

SYSCALL(readlink)
{
    char target[PATH_MAX];
    struct inode *ip;
    int err = user_inode(ARG1(tf), 0, &ip);
    if (err)
        return err;
    int len = S_ISLNK(ip->mode) ? vfs_readlink(ip, target, sizeof(target)) : -EINVAL;
    vfs_iput(ip);
    if (len < 0)
        return len;
    if ((uint32_t)len > ARG3(tf))
        len = ARG3(tf);
    return copyout(ARG2(tf), target, len) < 0 ? -EFAULT : len;
}
