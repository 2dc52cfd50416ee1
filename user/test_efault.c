/* user/test_efault.c: bad pointers given to system calls fail with EFAULT, as on Linux, and
 * the caller lives on. Raw syscall() is used so that glibc checks nothing itself. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"

#define KERNEL_PATH 0xC0001000u
#define KERNEL_DATA 0xC0000000u

/* A page that was mapped and is not any more: nothing can be there. */
static uintptr_t unmapped_page(void)
{
    void *p = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED || munmap(p, PAGE_SIZE) != 0)
        return 0x10;   /* page 0 is never mapped either */
    return (uintptr_t)p;
}

/* Reports a raw system call's result: it must be -1 with errno EFAULT. */
static void expect_efault(const char *name, long result)
{
    int err = errno;
    ktap_check(result == -1 && err == EFAULT, name, "returned %ld, errno %d (%s), expected EFAULT",
               result, err, strerror(err));
}

int main(void)
{
    int fds[2];
    uintptr_t gone = unmapped_page();
    ktap_plan(9);
    if (pipe(fds) != 0 || write(fds[1], "data", 4) != 4)
        ktap_diag("pipe setup failed");
    errno = 0;
    expect_efault("write_from_unmapped", syscall(SYS_write, fds[1], gone, 16));
    errno = 0;
    expect_efault("read_into_unmapped", syscall(SYS_read, fds[0], gone, 4));
    errno = 0;
    expect_efault("read_into_text", syscall(SYS_read, fds[0], (uintptr_t)main, 4));
    errno = 0;
    expect_efault("write_from_kernel", syscall(SYS_write, fds[1], KERNEL_DATA, 16));
    errno = 0;
    expect_efault("read_into_kernel", syscall(SYS_read, fds[0], KERNEL_DATA, 4));
    errno = 0;
    expect_efault("open_kernel_path", syscall(SYS_open, KERNEL_PATH, 0));
    errno = 0;
    expect_efault("open_unmapped_path", syscall(SYS_open, gone, 0));
    errno = 0;
    expect_efault("fstat64_into_null", syscall(SYS_fstat64, fds[0], NULL));
    char buf[8] = "";
    ssize_t n = read(fds[0], buf, sizeof(buf));
    ktap_check(n == 4 && memcmp(buf, "data", 4) == 0, "pipe_data_intact",
               "after the failed reads the pipe gave %zd bytes \"%.*s\"", n, (int)(n > 0 ? n : 0), buf);
    return ktap_finish();
}
