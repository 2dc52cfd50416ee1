/* fs/file.c: the open-file objects behind file descriptors, and each process's
 * descriptor table. Reads and writes are dispatched by the kind of file. */
#include "fs/file.h"
#include "drivers/tty.h"
#include "fs/vfs.h"
#include "kernel/proc.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "mm/kheap.h"
#include "mm/mm.h"
#include "mm/uaccess.h"
#include "mm/mmu.h"
#include "kernel/string.h"

struct file *file_alloc(enum file_type type, int readable, int writable)
{
    struct file *f = kzalloc(sizeof(*f));
    if (f)
        *f = (struct file){.type = type, .refs = 1, .readable = readable, .writable = writable};
    return f;
}

struct file *file_dup(struct file *f)
{
    f->refs++;
    return f;
}

void file_close(struct file *f)
{
    if (--f->refs > 0)
        return;
    if (f->type == FILE_INODE)
        vfs_iput(f->ip);
    else if (f->type == FILE_PIPE)
        pipe_close(f->pipe, f->writable);
    else if (f->type == FILE_UFFD)
        uffd_release(f->uffd);
    kfree(f);
}

/* One page-sized piece of a read or write of a regular file, between the kernel
 * buffer and user memory: the bytes moved, or -errno. A write copies in before it
 * enters the file system, a read copies out after it left (fs/vfs.c's lock is never
 * held across a fault on user memory). */
static int inode_chunk(struct file *f, uint32_t *off, char *buf, uint32_t ubuf, uint32_t n,
                       int write)
{
    if (!write) {
        int got = vfs_read(f->ip, buf, *off, n);
        return got > 0 && copyout(ubuf, buf, got) < 0 ? -EFAULT : got;
    }
    if (copyin(buf, ubuf, n) < 0)
        return -EFAULT;
    if (f->append)
        *off = f->ip->size;             /* (pwrite too, as on Linux) */
    return vfs_write(f->ip, buf, *off, n);
}

/* A regular file, at *off (the file's position, or pread's and pwrite's own), which
 * advances: through a one-page bounce buffer, because copyout may fault and the file
 * system's buffers must not be handed to user space. A short piece ends it: the end of
 * the file, or a full disk. */
static int inode_io(struct file *f, uint32_t *off, uint32_t ubuf, uint32_t n, int write)
{
    char *buf = kmalloc(PGSIZE);
    if (!buf)
        return -ENOMEM;
    uint32_t done = 0;
    int err = 0;
    while (done < n) {
        uint32_t chunk = n - done < PGSIZE ? n - done : PGSIZE;
        int moved = inode_chunk(f, off, buf, ubuf + done, chunk, write);
        if (moved <= 0) {
            err = moved;
            break;
        }
        *off += moved;
        done += moved;
        if ((uint32_t)moved < chunk)
            break;
    }
    kfree(buf);
    return done > 0 ? (int)done : err;
}

/* The console: bytes go out in page-sized chunks copied in from user memory. */
static int console_write_user(uint32_t ubuf, uint32_t n)
{
    char buf[128];
    for (uint32_t done = 0; done < n;) {
        uint32_t chunk = n - done < sizeof(buf) ? n - done : sizeof(buf);
        if (copyin(buf, ubuf + done, chunk) < 0)
            return done > 0 ? (int)done : -EFAULT;
        console_write(buf, chunk);
        done += chunk;
    }
    return n;
}

int file_read(struct file *f, uint32_t ubuf, uint32_t n)
{
    if (!f->readable)
        return -EBADF;
    switch (f->type) {
    case FILE_CONSOLE:
        return tty_read(ubuf, n);
    case FILE_INODE:
        return S_ISDIR(f->ip->mode) ? -EISDIR : inode_io(f, &f->off, ubuf, n, 0);
    case FILE_PIPE:
        return pipe_read(f->pipe, ubuf, n, f->nonblock);
    case FILE_NULL:
        return 0;                       /* end of file */
    case FILE_UFFD:
        return uffd_read(f->uffd, ubuf, n, f->nonblock);
    }
    return -EINVAL;
}

int file_write(struct file *f, uint32_t ubuf, uint32_t n)
{
    if (!f->writable)
        return -EBADF;
    switch (f->type) {
    case FILE_CONSOLE:
        return console_write_user(ubuf, n);
    case FILE_INODE:
        return inode_io(f, &f->off, ubuf, n, 1);
    case FILE_PIPE:
        return pipe_write(f->pipe, ubuf, n, f->nonblock);
    case FILE_NULL:
        return n;                       /* accepted and dropped */
    case FILE_UFFD:
        return -EINVAL;                 /* a pager answers with ioctl, not write */
    }
    return -EINVAL;
}

/* pread and pwrite: at off, the file's position unchanged. Only a regular file (or
 * /dev/null) has positions; a pipe, the console and a userfaultfd are ESPIPE. */
int file_pio(struct file *f, uint32_t ubuf, uint32_t n, uint32_t off, int write)
{
    if (write ? !f->writable : !f->readable)
        return -EBADF;
    if (f->type == FILE_NULL)
        return write ? (int)n : 0;
    if (f->type != FILE_INODE)
        return -ESPIPE;
    if (S_ISDIR(f->ip->mode))
        return -EISDIR;
    return inode_io(f, &off, ubuf, n, write);
}

/* Files of the disk, tmpfs and /dev/null never make a reader or writer wait (Linux's
 * DEFAULT_POLLMASK); the others say when they would. */
int file_poll(struct file *f)
{
    switch (f->type) {
    case FILE_CONSOLE:
        return tty_poll() | POLL_WRITABLE;
    case FILE_PIPE:
        return pipe_poll(f->pipe, f->writable);
    case FILE_UFFD:
        return uffd_poll(f->uffd);
    case FILE_INODE:
    case FILE_NULL:
        break;
    }
    return POLL_READABLE | POLL_WRITABLE;
}

int fd_install(struct proc *p, struct file *f, int lowest)
{
    if (lowest < 0 || lowest >= NOFILE)
        return -EINVAL;
    for (int fd = lowest; fd < NOFILE; fd++) {
        if (!p->files[fd]) {
            p->files[fd] = f;
            p->cloexec[fd] = 0;
            return fd;
        }
    }
    return -EMFILE;
}

struct file *fd_get(int fd)
{
    struct proc *p = myproc();
    if (fd < 0 || fd >= NOFILE)
        return NULL;
    return p->files[fd];
}

int file_open_console(struct proc *p)
{
    struct file *f = file_alloc(FILE_CONSOLE, 1, 1);
    if (!f)
        return -ENOMEM;
    fd_install(p, f, 0);
    fd_install(p, file_dup(f), 1);
    fd_install(p, file_dup(f), 2);
    return 0;
}

void file_close_on_exec(struct proc *p)
{
    for (int fd = 0; fd < NOFILE; fd++) {
        if (p->files[fd] && p->cloexec[fd]) {
            file_close(p->files[fd]);
            p->files[fd] = NULL;
        }
    }
}

int user_path(char *out, uint32_t upath)
{
    const char *cwd = myproc()->cwd;
    uint32_t prefix = 0;
    char first;
    if (copyin(&first, upath, 1) < 0)
        return -EFAULT;
    if (first == '\0')
        return -ENOENT;                 /* "" names nothing (not the working directory) */
    if (first != '/') {
        prefix = strlcpy(out, cwd, PATH_MAX);
        if (prefix > 1)
            out[prefix++] = '/';        /* "/bin" + "/" + "ls"; "/" needs no second slash */
    }
    int n = copyinstr(out + prefix, upath, PATH_MAX - prefix);
    return n < 0 ? n : (int)prefix + n;
}

int user_inode(uint32_t upath, int follow, struct inode **out)
{
    char *path = kmalloc(PATH_MAX);
    if (!path)
        return -ENOMEM;
    int err = user_path(path, upath);
    if (err >= 0)
        err = follow ? vfs_lookup(path, out) : vfs_lookup_link(path, out);
    kfree(path);
    return err;
}
