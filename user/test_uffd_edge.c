/* user/test_uffd_edge.c: userfaultfd's features at their edges, each as Linux handles it:
 * UFFD_FEATURE_SIGBUS (the signal, its si_code and si_addr, then a page copied in);
 * write protection (the write is reported as WP|WRITE and completes once the pager lifts
 * the protection); a fault taken inside a system call (write(2) from a missing page),
 * with UFFD_USER_MODE_ONLY (EFAULT, no pager asked) and without (the pager serves it).
 * test_uffd_fail covers the calls a kernel refuses, test_uffd_gone a pager or region that
 * goes away. Runs on Linux too, as root on an x86-64 host with IA32 emulation:
 *     build/rootfs/bin/test_uffd_edge */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user/lib/escape.h"
#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagerproc.h"
#include "user/lib/proc.h"
#include "user/lib/uffd.h"

#define MISSING UFFDIO_REGISTER_MODE_MISSING
#define HALF (PAGE_SIZE / 2)            /* what write(2) takes: both kernels' pipes hold it */

static long page_wrong(uintptr_t addr)
{
    return uffd_pattern_mismatch((void *)addr, addr);
}

static void test_sigbus(void)
{
    uintptr_t r = (uintptr_t)map_pages(1);
    int fd = uffd_open(O_CLOEXEC, UFFD_FEATURE_SIGBUS);
    uffd_register(fd, r, PAGE_SIZE, MISSING);
    escape_catch(SIGBUS, escape_handler);
    int signalled = sigsetjmp(escape_env, 1);
    if (!signalled)
        read_byte(r + 123);
    signal(SIGBUS, SIG_DFL);
    ktap_check(signalled && escape_info.si_signo == SIGBUS, "SIGBUS on a missing page",
               "signalled %d signal %d", signalled, escape_info.si_signo);
    ktap_check(escape_info.si_code == BUS_ADRERR, "SIGBUS si_code BUS_ADRERR", "si_code %d",
               escape_info.si_code);
    ktap_check((uintptr_t)escape_info.si_addr == r + 123, "SIGBUS si_addr the byte read",
               "si_addr %p, read %#lx", escape_info.si_addr, (unsigned long)(r + 123));
    int64_t copy;
    int err = uffd_serve_pattern(fd, r, &copy);
    ktap_check(err == 0, "copy after SIGBUS", "errno %d", -err);
    long bad = page_wrong(r);
    ktap_check(bad < 0, "the page reads right after the copy", "byte %ld wrong", bad);
    close(fd);
    munmap((void *)r, PAGE_SIZE);
}

/* The pager's first step in both tests below: read the fault and tell the client its
 * flags. 0, or -1 if no fault came. */
static int report_fault(int fd, struct pager *pg, struct uffd_msg *m)
{
    if (uffd_read_msg(fd, m) < 0)
        return -1;
    write_full(pg->from[1], &m->arg.pagefault.flags, sizeof(m->arg.pagefault.flags));
    return 0;
}

/* Reports the fault's flags and lifts the protection, which must wake the client; then
 * stays, holding the region, until the client says its write is done, so that the write
 * cannot have been let through by the pager's death. (A kernel that did not wake the
 * client would leave both waiting: the boot test's time limit fails it.) */
static void wp_pager(int fd, struct pager *pg)
{
    struct uffd_msg m;
    char done;
    if (report_fault(fd, pg, &m) < 0)
        return;
    uffd_writeprotect(fd, PAGE_DOWN(m.arg.pagefault.address), PAGE_SIZE, 0);
    read_full(pg->to[0], &done, 1);
}

/* The client copies a page in and protects it itself (it still holds a descriptor),
 * then closes its copy and writes to the page. */
static void test_write_protect(void)
{
    uintptr_t r = (uintptr_t)map_pages(1);
    int fd = uffd_open(O_CLOEXEC, UFFD_FEATURE_PAGEFAULT_FLAG_WP);
    int err = uffd_register(fd, r, PAGE_SIZE, MISSING | UFFDIO_REGISTER_MODE_WP);
    ktap_check(err == 0, "register missing and write-protect", "errno %d", -err);
    struct pager pg;
    pager_fork(&pg, dup(fd), wp_pager);
    int64_t copy;
    err = uffd_serve_pattern(fd, r, &copy);
    err = err ? err : uffd_writeprotect(fd, r, PAGE_SIZE, UFFDIO_WRITEPROTECT_MODE_WP);
    ktap_check(err == 0, "copy and write-protect a page", "errno %d", -err);
    close(fd);
    long bad = page_wrong(r);
    ktap_check(bad < 0, "a write-protected page reads without a fault", "byte %ld", bad);
    char mark = (char)~read_byte(r + 9);    /* unlike the byte served there */
    write_byte(r + 9, mark);
    int other = uffd_open(O_CLOEXEC, UFFD_FEATURE_SIGBUS);
    err = uffd_register(other, r, PAGE_SIZE, MISSING);
    close(other);
    ktap_check(err == -EBUSY, "the write completes while the pager still holds the region",
               "another context registers it: %d", err);
    write_full(pg.to[1], "d", 1);
    uint64_t flags = 0;
    int reported = pager_collect(&pg, &flags, sizeof(flags)) == 0;
    ktap_check(reported && flags == (UFFD_PAGEFAULT_FLAG_WP | UFFD_PAGEFAULT_FLAG_WRITE),
               "the write is reported WP|WRITE", "reported %d flags %#llx", reported,
               (unsigned long long)flags);
    ktap_check(page_wrong(r) == 9 && read_byte(r + 9) == mark,
               "the write completes once the pager lifts the protection",
               "first other byte %ld, byte 9 is %d, not %d", page_wrong(r), read_byte(r + 9),
               mark);
    munmap((void *)r, PAGE_SIZE);
}

/* write(2) of HALF bytes from the page at r into the pipe d, which reads the page inside
 * the kernel (copyin), then what the pipe got into back: HALF or -errno. */
static ssize_t write_from_region(uintptr_t r, char *back)
{
    int d[2];
    pipe(d);
    ssize_t n = write(d[1], (void *)r, HALF);
    n = n < 0 ? -errno : read_full(d[0], back, n) == 0 ? n : -EIO;
    close(d[0]);
    close(d[1]);
    return n;
}

static void test_kernel_access_user_only(void)
{
    uintptr_t r = (uintptr_t)map_pages(1);
    int fd = uffd_new(O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    struct uffdio_api a;
    uffd_api(fd, UFFD_API, 0, &a);
    uffd_register(fd, r, PAGE_SIZE, MISSING);
    char back[HALF];
    ssize_t n = write_from_region(r, back);
    ktap_check(n == -EFAULT, "user-mode only: write(2) from a missing page EFAULT",
               "write returned %zd", n);
    struct uffd_msg m;
    int err = uffd_read_msg(fd, &m);
    ktap_check(err == -EAGAIN, "user-mode only: the pager is not asked", "read %d", err);
    close(fd);
    munmap((void *)r, PAGE_SIZE);
}

/* Reports the fault's flags before it serves the page. */
static void kernel_pager(int fd, struct pager *pg)
{
    struct uffd_msg m;
    int64_t copy;
    if (report_fault(fd, pg, &m) < 0)
        return;
    uffd_serve_pattern(fd, m.arg.pagefault.address, &copy);
}

static void test_kernel_access(void)
{
    uintptr_t r = (uintptr_t)map_pages(1);
    int fd = uffd_open(O_CLOEXEC, 0);
    uffd_register(fd, r, PAGE_SIZE, MISSING);
    struct pager pg;
    pager_fork(&pg, fd, kernel_pager);
    static char back[PAGE_SIZE], want[PAGE_SIZE];
    ssize_t n = write_from_region(r, back);
    uint64_t flags = 1;
    int reported = pager_collect(&pg, &flags, sizeof(flags)) == 0;
    ktap_check(n == HALF, "write(2) from a missing page completes", "write returned %zd", n);
    ktap_check(reported && flags == 0, "the kernel's read is reported to the pager as a read",
               "reported %d flags %#llx", reported, (unsigned long long)flags);
    uffd_pattern(want, r);
    ktap_check(n == HALF && memcmp(back, want, HALF) == 0, "the pipe carries the served page",
               "it does not");
    munmap((void *)r, PAGE_SIZE);
}

int main(void)
{
    ktap_plan(16);
    test_sigbus();
    test_write_protect();
    test_kernel_access_user_only();
    test_kernel_access();
    return ktap_finish();
}
