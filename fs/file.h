/* fs/file.h: open files. A file descriptor points to a struct file (shared after
 * fork and dup), which is the console, a file of the root file system, a pipe end or
 * /dev/null. */
#ifndef FS_FILE_H
#define FS_FILE_H

#include <stdint.h>

struct inode;
struct pipe;
struct uffd;
struct proc;

enum file_type { FILE_CONSOLE, FILE_INODE, FILE_PIPE, FILE_NULL, FILE_UFFD };

#define O_NONBLOCK 04000
#define O_CLOEXEC 02000000

/* poll(2)'s events: what a file is ready for (file_poll). */
#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLWRNORM 0x100
#define POLL_READABLE (POLLIN | POLLRDNORM)
#define POLL_WRITABLE (POLLOUT | POLLWRNORM)


struct file {
    enum file_type type;
    int refs;
    int readable, writable;
    int append;                  /* O_APPEND: every write goes to the end */
    uint32_t off;                /* FILE_INODE: the read and write position */
    struct inode *ip;            /* FILE_INODE */
    struct pipe *pipe;           /* FILE_PIPE */
    struct uffd *uffd;           /* FILE_UFFD: a userfaultfd context (mm/uffd.c) */
    int nonblock;                /* O_NONBLOCK: a read or write that would wait is -EAGAIN */
};

struct file *file_alloc(enum file_type type, int readable, int writable);
struct file *file_dup(struct file *f);
void file_close(struct file *f);
int file_read(struct file *f, uint32_t ubuf, uint32_t n);    /* into user memory */
int file_write(struct file *f, uint32_t ubuf, uint32_t n);   /* from user memory */
int file_poll(struct file *f);          /* POLL* it is ready for now; never sleeps */
int file_pio(struct file *f, uint32_t ubuf, uint32_t n, uint32_t off, int write); /* pread */
/* fs/poll.c: something may have become ready; pollers look again. */
void poll_wake(void);

int fd_install(struct proc *p, struct file *f, int lowest);  /* new fd, -EMFILE or -EINVAL */
struct file *fd_get(int fd);                                 /* the caller's, or NULL */
int file_open_console(struct proc *p);                       /* fds 0, 1 and 2 */
void file_close_on_exec(struct proc *p);

/* Copy a path from user memory, making a relative one absolute with the working
 * directory: its length, or -EFAULT / -ENAMETOOLONG. */
#define PATH_MAX 256
int user_path(char *out, uint32_t upath);
/* The inode a user path names (follow: through a symbolic link named last), with a
 * reference: 0, or user_path's or vfs_lookup's error. */
int user_inode(uint32_t upath, int follow, struct inode **out);

/* fs/pipe.c */
int pipe_create(struct file **rd, struct file **wr);
int pipe_read(struct pipe *pp, uint32_t ubuf, uint32_t n, int nonblock);
int pipe_write(struct pipe *pp, uint32_t ubuf, uint32_t n, int nonblock);
void pipe_close(struct pipe *pp, int writable);
int pipe_poll(struct pipe *pp, int writable);

/* fs/dev.c: /dev/null and /dev/tty by name; NULL with *err -ENOENT if path is neither */
struct file *dev_open(const char *path, uint32_t flags, int *err);

#endif
