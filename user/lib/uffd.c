/* user/lib/uffd.c: userfaultfd helpers for the external-pager tests (see uffd.h).
 * The system call goes through syscall(2): glibc's userfaultfd() wrapper is newer
 * than some of the C libraries these programs are built against. */
#include <errno.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/mem.h"
#include "user/lib/uffd.h"

#define UFFD_SYSCALL 374                /* i386's number, the same on Pagoda */

static int result(long r)
{
    return r < 0 ? -errno : (int)r;
}

int uffd_new(int flags)
{
    return result(syscall(UFFD_SYSCALL, flags));
}

int uffd_api(int fd, uint64_t api, uint64_t features, struct uffdio_api *answer)
{
    *answer = (struct uffdio_api){.api = api, .features = features};
    return result(ioctl(fd, UFFDIO_API, answer));
}

int uffd_open(int flags, uint64_t features)
{
    int fd = uffd_new(flags);
    if (fd < 0)
        return fd;
    struct uffdio_api a;
    int err = uffd_api(fd, UFFD_API, features, &a);
    if (err < 0) {
        close(fd);
        return err;
    }
    return fd;
}

int uffd_register(int fd, uintptr_t start, uint64_t len, uint64_t mode)
{
    struct uffdio_register r = {.range = {start, len}, .mode = mode};
    return result(ioctl(fd, UFFDIO_REGISTER, &r));
}

int uffd_copy(int fd, uintptr_t dst, uintptr_t src, uint64_t len, int64_t *copy)
{
    struct uffdio_copy c = {.dst = dst, .src = src, .len = len, .copy = *copy};
    int r = result(ioctl(fd, UFFDIO_COPY, &c));
    *copy = c.copy;
    return r;
}

int uffd_zeropage(int fd, uintptr_t start, uint64_t len)
{
    struct uffdio_zeropage z = {.range = {start, len}};
    return result(ioctl(fd, UFFDIO_ZEROPAGE, &z));
}

int uffd_writeprotect(int fd, uintptr_t start, uint64_t len, uint64_t mode)
{
    struct uffdio_writeprotect w = {.range = {start, len}, .mode = mode};
    return result(ioctl(fd, UFFDIO_WRITEPROTECT, &w));
}

int uffd_read_msg(int fd, struct uffd_msg *m)
{
    ssize_t n = read(fd, m, sizeof(*m));
    if (n < 0)
        return -errno;
    return n == sizeof(*m) ? 0 : -EIO;
}

void uffd_pattern(char *page, uintptr_t addr)
{
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        page[i] = (char)(addr / PAGE_SIZE * 7 + i + 1);
}

long uffd_pattern_mismatch(const void *p, uintptr_t addr)
{
    static char want[PAGE_SIZE];
    uffd_pattern(want, addr);
    const volatile char *got = p;
    for (unsigned i = 0; i < PAGE_SIZE; i++)
        if (got[i] != want[i])
            return i;
    return -1;
}

int uffd_serve_pattern(int fd, uintptr_t addr, int64_t *copy)
{
    static char page[PAGE_SIZE];
    uffd_pattern(page, PAGE_DOWN(addr));
    *copy = 0;
    return uffd_copy(fd, PAGE_DOWN(addr), (uintptr_t)page, PAGE_SIZE, copy);
}
