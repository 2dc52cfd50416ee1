/* mm/sys_uffd.c: userfaultfd(2) (Linux i386 374), which makes the descriptor an external
 * pager reads its faults from (mm/uffd.c) and answers through (mm/uffd_ioctl.c). */
#include "mm/uffd.h"
#include "mm/mm.h"
#include "fs/file.h"
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/errno.h"

SYSCALL(userfaultfd)
{
    uint32_t flags = ARG1(tf);
    if (flags & ~(uint32_t)(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY))
        return -EINVAL;
    struct proc *p = myproc();
    struct file *f = file_alloc(FILE_UFFD, 1, 0);
    struct uffd *ctx = f ? uffd_create(p->mm, (flags & UFFD_USER_MODE_ONLY) != 0) : NULL;
    if (!ctx) {
        if (f)
            file_close(f);
        return -ENOMEM;
    }
    f->uffd = ctx;
    f->nonblock = (flags & O_NONBLOCK) != 0;
    int fd = fd_install(p, f, 0);
    if (fd < 0)
        file_close(f);
    else
        p->cloexec[fd] = (flags & O_CLOEXEC) != 0;
    return fd;
}
