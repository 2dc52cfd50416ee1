/* user/test_fdrange.c: every system call that takes a file descriptor refuses one outside
 * the table (negative, the table size, huge) with EBADF, and F_DUPFD refuses a minimum
 * outside it with EINVAL, as Linux does; nothing is written anywhere. Raw syscall() keeps
 * glibc out of the way. Runs on Linux too (the table size is RLIMIT_NOFILE there). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"

#define AT_EMPTY_PATH_FLAG 0x1000

static long table_size(void)
{
    struct rlimit r;
    return getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY ? (long)r.rlim_cur
                                                                           : 1024;
}

/* A raw call's result: -1 with errno want. */
static int expect_errno(long result, int want, const char *name, const char *what, long fd)
{
    int err = errno;
    errno = 0;
    return ktap_check(result == -1 && err == want, name, "%s with fd %ld: returned %ld, errno %d"
                      " (%s), expected %s", what, fd, result, err, strerror(err), strerror(want));
}

/* Every fd-taking call with fd; all must say EBADF. Returns how many did not. */
static int bad_fd_calls(long fd)
{
    char buf[64];
    uint64_t st[16];
    uint32_t iov[2] = { (uint32_t)(uintptr_t)buf, sizeof(buf) };
    int64_t pos;
    struct { const char *what; long result; } calls[] = {
        { "read",        syscall(SYS_read, fd, buf, sizeof(buf)) },
        { "write",       syscall(SYS_write, fd, buf, 1) },
        { "readv",       syscall(SYS_readv, fd, iov, 1) },
        { "writev",      syscall(SYS_writev, fd, iov, 1) },
        { "lseek",       syscall(SYS_lseek, fd, 0, SEEK_SET) },
        { "_llseek",     syscall(SYS__llseek, fd, 0, 0, &pos, SEEK_SET) },
        { "fstat64",     syscall(SYS_fstat64, fd, st) },
        { "fstatat64",   syscall(SYS_fstatat64, fd, "", st, AT_EMPTY_PATH_FLAG) },
        { "getdents64",  syscall(SYS_getdents64, fd, buf, sizeof(buf)) },
        { "ioctl",       syscall(SYS_ioctl, fd, 0x5401 /* TCGETS */, buf) },
        { "dup",         syscall(SYS_dup, fd) },
        { "dup2_old",    syscall(SYS_dup2, fd, 5) },
        { "dup2_new",    syscall(SYS_dup2, 0, fd) },
        { "dup3_old",    syscall(SYS_dup3, fd, 5, 0) },
        { "dup3_new",    syscall(SYS_dup3, 0, fd, 0) },
        { "F_GETFD",     syscall(SYS_fcntl64, fd, F_GETFD) },
        { "F_SETFD",     syscall(SYS_fcntl64, fd, F_SETFD, FD_CLOEXEC) },
        { "F_GETFL",     syscall(SYS_fcntl64, fd, F_GETFL) },
        { "F_DUPFD",     syscall(SYS_fcntl64, fd, F_DUPFD, 0) },
        { "F_DUPFD_CLOEXEC", syscall(SYS_fcntl64, fd, F_DUPFD_CLOEXEC, 0) },
        { "mmap2",       syscall(SYS_mmap2, 0, 4096, 1 /* PROT_READ */, 2 /* MAP_PRIVATE */, fd, 0) },
        { "close",       syscall(SYS_close, fd) },
    };
    int bad = 0;
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        if (calls[i].result != -1) {
            ktap_diag("%s(fd %ld) returned %ld", calls[i].what, fd, calls[i].result);
            bad++;
        }
    }
    return bad;
}

/* The errno of each call is checked one at a time (errno is only the last one's). */
static void check_bad_fd(const char *name, long fd)
{
    char buf[8];
    int bad = bad_fd_calls(fd);
    ktap_check(bad == 0, name, "%d calls accepted fd %ld", bad, fd);
    errno = 0;
    expect_errno(syscall(SYS_read, fd, buf, 1), EBADF, "read_ebadf", "read", fd);
}

int main(void)
{
    long n = table_size();
    long fds[] = { -1, -2, -100, INT_MIN, n, n + 1, 1000000, INT_MAX };
    const char *names[] = { "fd_minus_1", "fd_minus_2", "fd_minus_100", "fd_int_min",
                            "fd_table_size", "fd_table_size_plus_1", "fd_million",
                            "fd_int_max" };
    int nf = sizeof(fds) / sizeof(fds[0]);
    long mins[] = { -1, -4096, INT_MIN, n, n + 1, INT_MAX };
    int nm = sizeof(mins) / sizeof(mins[0]);
    ktap_plan(3 * nf + 2 * nm + 4);
    for (int i = 0; i < nf; i++) {
        check_bad_fd(names[i], fds[i]);
        errno = 0;
        expect_errno(syscall(SYS_fcntl64, fds[i], F_DUPFD, 0), EBADF, "F_DUPFD_ebadf",
                     "fcntl(F_DUPFD)", fds[i]);
    }
    /* A good fd with a minimum outside the table: EINVAL, and no descriptor made. */
    for (int i = 0; i < nm; i++) {
        errno = 0;
        expect_errno(syscall(SYS_fcntl64, 1, F_DUPFD, mins[i]), EINVAL, "F_DUPFD_min_einval",
                     "fcntl(1, F_DUPFD, min)", mins[i]);
        errno = 0;
        expect_errno(syscall(SYS_fcntl64, 1, F_DUPFD_CLOEXEC, mins[i]), EINVAL,
                     "F_DUPFD_CLOEXEC_min_einval", "fcntl(1, F_DUPFD_CLOEXEC, min)", mins[i]);
    }
    /* The last slot as a minimum works, and a full table past it is EMFILE. */
    long last = syscall(SYS_fcntl64, 1, F_DUPFD, n - 1);
    ktap_check(last == n - 1, "F_DUPFD_last_slot", "fcntl(1, F_DUPFD, %ld) gave %ld", n - 1, last);
    errno = 0;
    expect_errno(syscall(SYS_fcntl64, 1, F_DUPFD, n - 1), EMFILE, "F_DUPFD_full_emfile",
                 "fcntl(1, F_DUPFD, last) again", n - 1);
    close(n - 1);
    errno = 0;
    expect_errno(syscall(SYS_dup3, 1, 5, 0x40 /* not O_CLOEXEC */), EINVAL, "dup3_bad_flags",
                 "dup3(1, 5, 0x40)", 1);
    /* The descriptors 0-2 are intact after all that. */
    long w = syscall(SYS_write, 1, "# fds intact\n", 13);
    ktap_check(w == 13 && fcntl(0, F_GETFD) == 0, "std_fds_intact", "write gave %ld", w);
    return ktap_finish();
}
