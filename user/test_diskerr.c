/* user/test_diskerr.c: disk errors (injected by QEMU's blkdebug driver, tests/boot/
 * diskerr_suite.py) reach only the process whose data they hit, as SIGBUS or EIO.
 *
 * Usage: test_diskerr swap | file. "swap": a hog whose pages go to swap slots that fail
 * (writes or reads) dies of SIGBUS, and a program within RAM then runs. "file": reading
 * /tests/big.bin where its sector fails gives EIO, a mapping of it gets SIGBUS there, and
 * the rest of the file reads. On Linux, boot a VM with the same blkdebug drive to compare. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"

#define HOG_PAGES 2048        /* 8 MiB: far more than vm.frames=256 lets stay resident */
#define SMALL_PAGES 64
#define BAD_OFFSET (64 * 1024)  /* the suite fails the sector of big.bin at this offset */

/* Writes a word to every page of n, then checks them all: pages go out to swap and back. */
static void hog(void *arg)
{
    size_t n = (size_t)(uintptr_t)arg;
    uint32_t *p = map_pages(n);
    for (size_t i = 0; i < n; i++)
        p[i * PAGE_SIZE / 4] = (uint32_t)i * 2654435761u;
    for (size_t i = 0; i < n; i++)
        if (p[i * PAGE_SIZE / 4] != (uint32_t)i * 2654435761u)
            _exit(1);
}

/* The test itself stays resident: its pages must not go to the failing slots. It locks
 * its program (text, data, bss), its heap (stdio's buffers) and the stack it uses;
 * mlockall would lock the whole stack region too, more than the kernel lets one process
 * pin (RLIMIT_MEMLOCK). */
extern char __executable_start[];

static void lock_myself(void)
{
    char here, *heap_end = sbrk(0);
    uintptr_t stack = PAGE_DOWN((uintptr_t)&here) - 64 * 1024;
    if (mlock(__executable_start, (size_t)(heap_end - __executable_start)) != 0 ||
        mlock((void *)stack, 64 * 1024 + PAGE_SIZE) != 0)
        ktap_diag("mlock failed: the test's own pages may meet the errors too");
}

static void check_swap(void)
{
    ktap_plan(2);
    warm_stack(64);
    lock_myself();
    check_killed_by("hog_on_failing_swap_gets_sigbus", hog, (void *)(uintptr_t)HOG_PAGES, SIGBUS);
    check_exits_with("program_within_ram_runs", hog, (void *)(uintptr_t)SMALL_PAGES, 0);
}

static void touch_bad_page(void *unused)
{
    (void)unused;
    char path[64];
    int fd = open(root_path(path, sizeof(path), "/tests/big.bin"), O_RDONLY);
    volatile char *m = mmap(NULL, 2 * BAD_OFFSET, PROT_READ, MAP_PRIVATE, fd, 0);
    if (fd < 0 || m == MAP_FAILED)
        _exit(2);
    (void)m[BAD_OFFSET];
    _exit(0);
}

static void check_file(void)
{
    char path[64], buf[512];
    ktap_plan(3);
    int fd = open(root_path(path, sizeof(path), "/tests/big.bin"), O_RDONLY);
    errno = 0;
    ssize_t n = lseek(fd, BAD_OFFSET, SEEK_SET) == BAD_OFFSET ? read(fd, buf, sizeof(buf)) : -2;
    ktap_check(n == -1 && errno == EIO, "read_of_failing_sector_is_eio",
               "read gave %zd, errno %d (%s)", n, errno, strerror(errno));
    n = lseek(fd, 0, SEEK_SET) == 0 ? read(fd, buf, sizeof(buf)) : -2;
    ktap_check(n == (ssize_t)sizeof(buf), "read_elsewhere_works", "read at 0 gave %zd (%s)",
               n, strerror(errno));
    close(fd);
    check_killed_by("mapped_failing_page_gets_sigbus", touch_bad_page, NULL, SIGBUS);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "swap") == 0)
        check_swap();
    else if (argc == 2 && strcmp(argv[1], "file") == 0)
        check_file();
    else {
        ktap_plan(1);
        ktap_check(0, "usage", "usage: test_diskerr swap|file");
    }
    return ktap_finish();
}
