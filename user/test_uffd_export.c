/* user/test_uffd_export.c: what Pagoda shows a user-space pager beyond Linux's
 * userfaultfd (user/pagoda_abi.h, docs/pagers.md): the present, accessed and dirty bits of
 * its pages (pagoda_uffd_bits) and eviction (pagoda_uffd_evict), and a write protection
 * that survives the page's trip through the kernel's swap. The process is its own pager
 * here (it answers with UFFDIO_COPY before it touches a page), except for the last test,
 * where a forked pager must be told of the write to a protected page that was swapped
 * out. Pagoda only: Linux has neither call. Run on a small machine with no quota:
 * memory pressure is made by touching more pages than RAM has free. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

#define PG 4096
#define PAGES 8

static int uffd;
static char *region;
static char src[PG], out[PG];

static int give(int page, char fill, int wp)
{
    memset(src, fill, PG);
    struct uffdio_copy c = {.dst = (uintptr_t)(region + page * PG), .src = (uintptr_t)src,
                            .len = PG, .mode = wp ? UFFDIO_COPY_MODE_WP : 0};
    return ioctl(uffd, UFFDIO_COPY, &c);
}

static int bits_of(int page)
{
    uint8_t b = 0xff;
    int n = pagoda_uffd_bits(uffd, region + page * PG, 1, &b, 0);
    return n == 1 ? b : n;
}

static int all(const char *p, char c)
{
    for (int i = 0; i < PG; i++)
        if (p[i] != c)
            return 0;
    return 1;
}

static void check_bits(void)
{
    give(0, 'a', 0);
    give(1, 'b', 0);
    ktap_check(bits_of(0) == PAGODA_PAGE_PRESENT && bits_of(2) == 0, "bits: given, missing",
               "page 0 %x, page 2 %x", bits_of(0), bits_of(2));
    volatile char c = region[0];
    region[PG] = 'B';
    (void)c;
    ktap_check(bits_of(0) == (PAGODA_PAGE_PRESENT | PAGODA_PAGE_ACCESSED) &&
                   bits_of(1) == (PAGODA_PAGE_PRESENT | PAGODA_PAGE_ACCESSED | PAGODA_PAGE_DIRTY),
               "bits: read sets accessed, write sets dirty", "%x %x", bits_of(0), bits_of(1));
    uint8_t b[2];
    pagoda_uffd_bits(uffd, region, 2, b, 1);
    ktap_check(bits_of(0) == PAGODA_PAGE_PRESENT && (bits_of(1) & PAGODA_PAGE_DIRTY) &&
                   !(bits_of(1) & PAGODA_PAGE_ACCESSED),
               "bits: clear takes accessed only", "%x %x", bits_of(0), bits_of(1));
}

static void check_evict(void)
{
    memset(out, 0, PG);
    int clean = pagoda_uffd_evict(uffd, region, out);
    ktap_check(clean == 0 && bits_of(0) == 0 && all(out, 0), "evict clean: 0, page missing",
               "returned %d, bits %x", clean, bits_of(0));
    int dirty = pagoda_uffd_evict(uffd, region + PG, out);
    ktap_check(dirty == 1 && out[0] == 'B' && out[1] == 'b' && bits_of(1) == 0,
               "evict dirty: 1 and its contents", "returned %d, '%c%c'", dirty, out[0], out[1]);
    ktap_check(pagoda_uffd_evict(uffd, region + 2 * PG, out) == 0, "evict missing: 0", "not 0");
    ktap_check(give(0, 'c', 0) == 0 && region[0] == 'c', "evicted page given again",
               "errno %d", errno);
}

static void check_errors(void)
{
    int fds[2];
    pipe(fds);
    uint8_t b;
    char *outside = mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int e1 = pagoda_uffd_bits(fds[0], region, 1, &b, 0);
    int e2 = pagoda_uffd_evict(uffd, region + 1, out);
    int e3 = pagoda_uffd_bits(uffd, region, 0, &b, 0);
    int e4 = pagoda_uffd_bits(uffd, region, PAGES + 1, &b, 0);
    int e5 = pagoda_uffd_evict(uffd, outside, out);
    int e6 = pagoda_uffd_bits(uffd, region, 1, (uint8_t *)8, 0);
    region[0] = 'd';
    int e7 = pagoda_uffd_evict(uffd, region, (void *)8);
    ktap_check(e1 == -EBADF && e2 == -EINVAL && e3 == -EINVAL && e4 == -ENOENT &&
                   e5 == -ENOENT && e6 == -EFAULT && e7 == -EFAULT && region[0] == 'd',
               "errors: EBADF EINVAL EINVAL ENOENT ENOENT EFAULT EFAULT, page kept",
               "%d %d %d %d %d %d %d", e1, e2, e3, e4, e5, e6, e7);
    close(fds[0]);
    close(fds[1]);
    munmap(outside, PG);
}

/* Touch more pages than the machine has free, so the kernel swaps. */
static void press(void)
{
    struct pagoda_vmstat st;
    pagoda_vmstat(&st, 0);
    size_t n = (size_t)st.frames_free + 1024;
    char *p = mmap(0, n * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (size_t i = 0; i < n; i++)
        p[i * PG] = (char)i;
    munmap(p, n * PG);
}

/* A forked pager waits for the write-protect fault, says so through a pipe and lifts the
 * protection (which wakes the writer). */
static void wp_pager(int said)
{
    struct uffd_msg m;
    if (read(uffd, &m, sizeof(m)) != sizeof(m) || !(m.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP))
        _exit(2);
    write(said, "w", 1);
    struct uffdio_writeprotect w = {.range = {m.arg.pagefault.address & ~(PG - 1), PG}};
    _exit(ioctl(uffd, UFFDIO_WRITEPROTECT, &w) == 0 ? 0 : 3);
}

static void check_wp_swapped(void)
{
    give(3, 'w', 1);
    give(4, 'x', 1);
    press();
    int b3 = bits_of(3), b4 = bits_of(4);
    ktap_check(b3 == PAGODA_PAGE_DIRTY && b4 == PAGODA_PAGE_DIRTY,
               "protected pages swapped out (dirty, not present)", "%x %x", b3, b4);
    int got = pagoda_uffd_evict(uffd, region + 4 * PG, out);
    ktap_check(got == 1 && all(out, 'x'), "evict from swap: its contents", "returned %d", got);
    int said[2];
    pipe2(said, O_NONBLOCK);
    pid_t pid = fork();
    if (pid == 0)
        wp_pager(said[1]);
    close(said[1]);
    int intact = region[3 * PG] == 'w';     /* a read: no fault for the pager */
    region[3 * PG] = 'W';                    /* the write must wait for the pager */
    char c = 0;
    int told = read(said[0], &c, 1) == 1;   /* written before the pager answered */
    if (!told)
        kill(pid, SIGKILL);                  /* it still waits for a fault that never came */
    int st;
    waitpid(pid, &st, 0);
    ktap_check(intact && told && region[3 * PG] == 'W' && WIFEXITED(st) && !WEXITSTATUS(st) &&
                   c == 'w',
               "protection kept through swap: the pager saw the write",
               "intact %d told %d status %x", intact, told, st);
    close(said[0]);
}

int main(void)
{
    if (!pagoda_only("test_uffd_export"))
        return 0;
    ktap_plan(11);
    uffd = syscall(374, O_CLOEXEC);
    struct uffdio_api api = {.api = UFFD_API, .features = UFFD_FEATURE_PAGEFAULT_FLAG_WP};
    region = mmap(0, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {(uintptr_t)region, PAGES * PG},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING | UFFDIO_REGISTER_MODE_WP};
    if (ioctl(uffd, UFFDIO_API, &api) || ioctl(uffd, UFFDIO_REGISTER, &reg)) {
        ktap_diag("set-up failed: errno %d", errno);
        return 1;
    }
    check_bits();
    check_evict();
    check_errors();
    check_wp_swapped();
    close(uffd);
    return ktap_finish();
}
