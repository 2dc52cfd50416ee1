/* user/test_uffd.c: userfaultfd basics: a forked pager serves its parent's region with
 * UFFDIO_COPY, every byte verifies; the error cases Linux gives. Also runs on Linux:
 * build/rootfs/bin/test_uffd on an x86-64 host with IA32 emulation. */
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

#define PAGES 64
#define PG 4096

static void serve(int uffd, int npages)
{
    static char page[PG];
    for (int served = 0; served < npages;) {
        struct uffd_msg m;
        if (read(uffd, &m, sizeof(m)) != sizeof(m))
            _exit(2);
        uint32_t addr = (uint32_t)m.arg.pagefault.address & ~(PG - 1);
        for (int i = 0; i < PG; i++)
            page[i] = (char)(addr / PG + i);
        struct uffdio_copy c = {.dst = addr, .src = (uintptr_t)page, .len = PG};
        if (ioctl(uffd, UFFDIO_COPY, &c) == 0)
            served++;
        else if (errno != EEXIST)
            _exit(3);
    }
    _exit(0);
}

int main(void)
{
    ktap_plan(6);
    int uffd = syscall(374, O_CLOEXEC);
    ktap_check(uffd >= 0, "userfaultfd", "errno %d", errno);
    struct uffdio_api api = {.api = UFFD_API};
    ktap_check(ioctl(uffd, UFFDIO_API, &api) == 0, "api", "errno %d", errno);
    char *r = mmap(0, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {(uintptr_t)r, PAGES * PG},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING};
    ktap_check(ioctl(uffd, UFFDIO_REGISTER, &reg) == 0, "register", "errno %d", errno);
    struct uffdio_copy bad = {.dst = (uintptr_t)r + 1, .src = (uintptr_t)r, .len = PG};
    ktap_check(ioctl(uffd, UFFDIO_COPY, &bad) < 0 && errno == EINVAL, "copy unaligned EINVAL",
               "errno %d", errno);
    pid_t pager = fork();
    if (pager == 0)
        serve(uffd, PAGES);
    close(uffd);
    int wrong = 0;
    for (int p = 0; p < PAGES; p++)
        for (int i = 0; i < PG; i++)
            wrong += r[p * PG + i] != (char)(((uintptr_t)r + p * PG) / PG + i);
    ktap_check(wrong == 0, "every byte served", "%d wrong", wrong);
    int st;
    waitpid(pager, &st, 0);
    ktap_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "pager exit", "status %x", st);
    return ktap_finish();
}
