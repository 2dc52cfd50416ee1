/* user/test_uffd_fail.c: the userfaultfd calls a kernel must refuse, each with the errno
 * Linux gives (ioctl_userfaultfd(2)): any call before the UFFDIO_API handshake, a bad or
 * second handshake; bad registrations and one that another context holds (EBUSY); bad
 * UFFDIO_COPYs and what their `copy` field says; UFFDIO_ZEROPAGE; a descriptor that is not
 * a userfaultfd, is closed, or belongs to another process (a process that never had the
 * descriptor cannot fill the region); read(2)'s limits. test_uffd_edge and test_uffd_gone
 * cover the faults themselves. Runs on Linux too, as root on an x86-64 host with IA32
 * emulation (where it found the errnos it expects):
 *     build/rootfs/bin/test_uffd_fail */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/proc.h"
#include "user/lib/uffd.h"

#define MISSING UFFDIO_REGISTER_MODE_MISSING
#define TOP_PAGE 0xfffff000u            /* above user space, on Pagoda and on Linux i386 */
#define UNTOUCHED 99                    /* a `copy` field the kernel has not written */
/* The contexts here have no pager: a page wrongly left missing must be a SIGBUS that
 * fails the test, not a wait that never ends. */
#define NO_WAIT UFFD_FEATURE_SIGBUS

static char src[2 * PAGE_SIZE];         /* uffd_pattern of test_copy's first two pages */

static int expect(int got, int want, const char *name)
{
    return ktap_check(got == want, name, "got %d (%s), Linux gives %d (%s)", got,
                      strerror(-got), want, strerror(-want));
}

static uintptr_t fresh(int npages)
{
    return (uintptr_t)map_pages(npages);
}

/* The handshake comes first, once; a refused one is answered with zeros, and leaves the
 * context waiting for a good one. */
static void test_handshake(uintptr_t r)
{
    int fd = uffd_new(O_CLOEXEC);
    ktap_check(fd >= 0, "userfaultfd", "errno %d", -fd);
    expect(uffd_register(fd, r, PAGE_SIZE, MISSING), -EINVAL, "register before api");
    int64_t copy = 0;
    expect(uffd_copy(fd, r, (uintptr_t)src, PAGE_SIZE, &copy), -EINVAL, "copy before api");
    struct uffd_msg m;
    expect(uffd_read_msg(fd, &m), -EINVAL, "read before api");
    struct uffdio_api a;
    expect(uffd_api(fd, 0x55, UFFD_FEATURE_SIGBUS, &a), -EINVAL, "api number 0x55");
    ktap_check(a.api == 0 && a.features == 0 && a.ioctls == 0, "refused api answer zeroed",
               "api %llx features %llx ioctls %llx", (unsigned long long)a.api,
               (unsigned long long)a.features, (unsigned long long)a.ioctls);
    expect(uffd_api(fd, UFFD_API, 1ull << 62, &a), -EINVAL, "api unknown feature bit");
    expect(uffd_api(fd, UFFD_API, 0, &a), 0, "api after refusals");
    ktap_check(a.ioctls & (1ull << _UFFDIO_REGISTER), "api answer lists register",
               "ioctls %llx", (unsigned long long)a.ioctls);
    expect(uffd_api(fd, UFFD_API, 0, &a), -EINVAL, "second api");
    expect(uffd_register(fd, r, PAGE_SIZE, MISSING), 0, "register after a second api");
    close(fd);
}

/* UFFDIO_REGISTER: an aligned, mapped range, a known mode, and nobody else's. */
static void test_register(uintptr_t r)
{
    int fd = uffd_open(O_CLOEXEC, NO_WAIT);
    expect(uffd_register(fd, r + 1, PAGE_SIZE, MISSING), -EINVAL, "register unaligned start");
    expect(uffd_register(fd, r, PAGE_SIZE + 1, MISSING), -EINVAL, "register unaligned length");
    expect(uffd_register(fd, r, 0, MISSING), -EINVAL, "register empty range");
    uintptr_t hole = fresh(1);
    munmap((void *)hole, PAGE_SIZE);
    expect(uffd_register(fd, hole, PAGE_SIZE, MISSING), -EINVAL, "register nothing mapped");
    expect(uffd_register(fd, r, PAGE_SIZE, 0), -EINVAL, "register mode 0");
    expect(uffd_register(fd, r, PAGE_SIZE, MISSING | 1u << 6), -EINVAL,
           "register unknown mode bit");
    expect(uffd_register(fd, r, 2 * PAGE_SIZE, MISSING), 0, "register");
    expect(uffd_register(fd, r, 2 * PAGE_SIZE, MISSING), 0, "register again, same context");
    int fd2 = uffd_open(O_CLOEXEC, NO_WAIT);
    expect(uffd_register(fd2, r, 2 * PAGE_SIZE, MISSING), -EBUSY,
           "register same range, second context");
    expect(uffd_register(fd2, r + PAGE_SIZE, 2 * PAGE_SIZE, MISSING), -EBUSY,
           "register overlapping range, second context");
    expect(uffd_register(fd2, r + 2 * PAGE_SIZE, PAGE_SIZE, MISSING), 0,
           "register the next page, second context");
    close(fd2);
    close(fd);
}

/* One UFFDIO_COPY, its result and what its `copy` field says afterwards (the field holds
 * UNTOUCHED before the call): two checks. */
static void copy_expect(int fd, uintptr_t dst, uintptr_t from, uint64_t len, int want,
                        int64_t want_copy, const char *name)
{
    int64_t copy = UNTOUCHED;
    expect(uffd_copy(fd, dst, from, len, &copy), want, name);
    ktap_check(copy == want_copy, name, "copy field %lld, Linux gives %lld", (long long)copy,
               (long long)want_copy);
}

/* UFFDIO_COPY into r's registered first three pages (the fourth is not registered):
 * refusals, a copy done in part, and what the `copy` field says each time. */
static void test_copy(uintptr_t r)
{
    int fd = uffd_open(O_CLOEXEC, NO_WAIT);
    uffd_register(fd, r, 3 * PAGE_SIZE, MISSING);
    uintptr_t s = (uintptr_t)src, pg = PAGE_SIZE;
    copy_expect(fd, r + 1, s, pg, -EINVAL, UNTOUCHED, "copy unaligned dst");
    copy_expect(fd, r, s, pg + 1, -EINVAL, UNTOUCHED, "copy unaligned length");
    copy_expect(fd, r, s, 0, -EINVAL, UNTOUCHED, "copy length 0");
    copy_expect(fd, r, TOP_PAGE, pg, -EINVAL, UNTOUCHED, "copy from above user space");
    copy_expect(fd, r + 3 * pg, s, pg, -ENOENT, -ENOENT, "copy outside the registered region");
    copy_expect(fd, r + 2 * pg, s, 2 * pg, -ENOENT, -ENOENT, "copy across the region's end");
    uintptr_t none = fresh(1);
    mprotect((void *)none, pg, PROT_NONE);
    copy_expect(fd, r, none, pg, -EFAULT, -EFAULT, "copy from unreadable src");
    munmap((void *)none, pg);
    copy_expect(fd, r, 0, pg, -EFAULT, -EFAULT, "copy from src 0");
    copy_expect(fd, r + pg, s + pg, pg, 0, pg, "copy");
    copy_expect(fd, r, s, 2 * pg, -EAGAIN, pg, "copy done in part");
    copy_expect(fd, r, s, pg, -EEXIST, -EEXIST, "copy onto a present page");
    long bad0 = uffd_pattern_mismatch((void *)r, r);
    long bad1 = uffd_pattern_mismatch((void *)(r + pg), r + pg);
    ktap_check(bad0 < 0 && bad1 < 0, "copied pages read right",
               "first wrong byte: page 0 %ld, page 1 %ld", bad0, bad1);
    close(fd);
}

/* UFFDIO_ZEROPAGE: a page of zeros the program may then write. */
static void test_zeropage(uintptr_t r)
{
    int fd = uffd_open(O_CLOEXEC, NO_WAIT);
    uffd_register(fd, r, PAGE_SIZE, MISSING);
    expect(uffd_zeropage(fd, r, PAGE_SIZE), 0, "zeropage");
    long bad = first_mismatch((void *)r, PAGE_SIZE, 0);
    ktap_check(bad < 0, "zeropage reads zero", "byte %ld is not", bad);
    write_byte(r + 5, 42);
    ktap_check(read_byte(r + 5) == 42, "zeropage writable", "read %d", read_byte(r + 5));
    expect(uffd_zeropage(fd, r, PAGE_SIZE), -EEXIST, "zeropage onto a present page");
    close(fd);
}

/* A process forked before the descriptor existed (so never had it) opens its own
 * userfaultfd and registers and fills the same address: its own memory, not r.
 * It reports both answers on the pipe. */
static void outsider(uintptr_t r, int go, int answers)
{
    char c;
    int res[2] = {-1, -1};
    if (read_full(go, &c, 1) == 0) {
        int fd = uffd_open(O_CLOEXEC, NO_WAIT);
        int64_t copy = 0;
        res[0] = uffd_copy(fd, r, (uintptr_t)src, PAGE_SIZE, &copy);
        uffd_register(fd, r, PAGE_SIZE, MISSING);
        res[1] = uffd_copy(fd, r, (uintptr_t)src, PAGE_SIZE, &copy);
    }
    write_full(answers, res, sizeof(res));
    _exit(0);
}

static void test_descriptor(uintptr_t r)
{
    int p[2], q[2];
    pipe(p);
    int64_t copy = 0;
    expect(uffd_copy(p[0], r, (uintptr_t)src, PAGE_SIZE, &copy), -ENOTTY, "copy on a pipe");
    int closed = uffd_open(O_CLOEXEC, NO_WAIT);
    close(closed);
    expect(uffd_copy(closed, r, (uintptr_t)src, PAGE_SIZE, &copy), -EBADF,
           "copy on a closed descriptor");
    pipe(q);
    pid_t pid = fork();
    if (pid == 0)
        outsider(r, p[0], q[1]);
    int fd = uffd_open(O_CLOEXEC, NO_WAIT);
    uffd_register(fd, r, PAGE_SIZE, MISSING);
    int res[2] = {0, 0};
    write_full(p[1], "g", 1);
    read_full(q[0], res, sizeof(res));
    expect(res[0], -ENOENT, "another process's own context: copy to the address");
    expect(res[1], 0, "another process registers the address in its own memory");
    expect(uffd_copy(fd, r, (uintptr_t)src, PAGE_SIZE, &copy), 0,
           "the page stayed missing for its own context");
    int st = wait_status(pid);
    ktap_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "outsider exit", "status %x", st);
    close(fd);
    for (int i = 0; i < 2; i++) {
        close(p[i]);
        close(q[i]);
    }
}

/* read(2): a whole message or nothing; no fault pending on a non-blocking descriptor. */
static void test_read(void)
{
    int fd = uffd_open(O_CLOEXEC | O_NONBLOCK, NO_WAIT);
    char small[sizeof(struct uffd_msg) - 1];
    ssize_t n = read(fd, small, sizeof(small));
    expect(n < 0 ? -errno : (int)n, -EINVAL, "read shorter than a message");
    struct uffd_msg m;
    expect(uffd_read_msg(fd, &m), -EAGAIN, "non-blocking read, no fault pending");
    close(fd);
}

static void with_fresh(void (*test)(uintptr_t), int npages)
{
    uintptr_t r = fresh(npages);
    test(r);
    munmap((void *)r, npages * PAGE_SIZE);
}

int main(void)
{
    ktap_plan(57);
    with_fresh(test_handshake, 1);
    with_fresh(test_register, 3);
    uintptr_t r = fresh(4);
    uffd_pattern(src, r);
    uffd_pattern(src + PAGE_SIZE, r + PAGE_SIZE);
    test_copy(r);
    munmap((void *)r, 4 * PAGE_SIZE);
    with_fresh(test_zeropage, 1);
    with_fresh(test_descriptor, 1);
    test_read();
    return ktap_finish();
}
