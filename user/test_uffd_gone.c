/* user/test_uffd_gone.c: userfaultfd when something goes away, each as Linux handles it.
 * A pager killed in the middle of its work (it serves SERVED pages, takes the next fault
 * and dies without answering), once while the client waits and once with
 * UFFD_FEATURE_SIGBUS: the last descriptor is gone, so the region is ordinary memory again
 * (pages served read their data, the others zeros, a new context may register it). A
 * region unmapped while its fault waits (a signal ends the wait; its handler unmaps): the
 * pager's late UFFDIO_COPY is ENOENT, and the client goes on. The boot test's leak check
 * then finds every frame, heap object and swap slot back. test_uffd_fail covers the calls
 * a kernel refuses, test_uffd_edge the features. Runs on Linux too, as root on an x86-64
 * host with IA32 emulation:
 *     build/rootfs/bin/test_uffd_gone */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user/lib/escape.h"
#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagerproc.h"
#include "user/lib/proc.h"
#include "user/lib/uffd.h"

#define MISSING UFFDIO_REGISTER_MODE_MISSING
#define NPAGES 6                        /* the region of the pager-killed tests ... */
#define SERVED 3                        /* ... of which the pager serves this many */

static struct pager pg;                 /* the current pager, for the signal handlers */
static uintptr_t region;                /* the region they act on */
static int sigbus_count;
static int pager_status;                /* the pager's wait status, once reaped */

/* Pages below SERVED read uffd_pattern, the others zeros: the number that do not. */
static int wrong_pages(uintptr_t r)
{
    int wrong = 0;
    for (int p = 0; p < NPAGES; p++) {
        void *a = (void *)(r + p * PAGE_SIZE);
        wrong += p < SERVED ? uffd_pattern_mismatch(a, (uintptr_t)a) >= 0
                            : first_mismatch(a, PAGE_SIZE, 0) >= 0;
    }
    return wrong;
}

/* After the pager died: the pager killed, every page right, and the range free for a
 * new context to register (the registration went with the last descriptor). */
static void check_after_death(const char *how, uintptr_t r, int st)
{
    char name[100], why[80];
    snprintf(name, sizeof(name), "%s: pager killed by SIGKILL", how);
    ktap_check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, name, "pager %s",
               describe_status(st, why, sizeof(why)));
    snprintf(name, sizeof(name), "%s: served pages read their data, the rest zeros", how);
    int wrong = wrong_pages(r);
    ktap_check(wrong == 0, name, "%d of %d pages wrong", wrong, NPAGES);
    int fd = uffd_open(O_CLOEXEC, UFFD_FEATURE_SIGBUS);
    int err = uffd_register(fd, r, NPAGES * PAGE_SIZE, MISSING);
    snprintf(name, sizeof(name), "%s: registration dropped, a new context registers", how);
    ktap_check(err == 0, name, "errno %d", -err);
    close(fd);
    munmap((void *)r, NPAGES * PAGE_SIZE);
}

/* Serves SERVED faults, reads the next one and dies without answering it. */
static void dying_pager(int fd, struct pager *unused)
{
    (void)unused;
    struct uffd_msg m;
    int64_t copy;
    for (int served = 0; uffd_read_msg(fd, &m) == 0; served++) {
        if (served == SERVED)
            raise(SIGKILL);
        uffd_serve_pattern(fd, m.arg.pagefault.address, &copy);
    }
}

static void test_pager_killed(void)
{
    uintptr_t r = (uintptr_t)map_pages(NPAGES);
    int fd = uffd_open(O_CLOEXEC, 0);
    uffd_register(fd, r, NPAGES * PAGE_SIZE, MISSING);
    pager_fork(&pg, fd, dying_pager);
    for (int p = 0; p < NPAGES; p++)
        read_byte(r + p * PAGE_SIZE);   /* page SERVED waits while the pager dies */
    check_after_death("waiting", r, pager_wait(&pg));
}

/* With UFFD_FEATURE_SIGBUS the client asks for its pages itself: its SIGBUS handler
 * sends the address to the pager and waits for the answer; the access then runs again.
 * The end of the pipe means the pager is dying, but its descriptor may not be closed yet
 * (Linux closes a dying process's files in no promised order): the handler reaps the
 * pager first, so the access that runs again finds the region the kernel's. More signals
 * than pages: give up. */
static void ask_pager(int sig, siginfo_t *si, void *uc)
{
    uintptr_t addr = (uintptr_t)si->si_addr;
    char done;
    if (++sigbus_count > NPAGES)
        escape_handler(sig, si, uc);
    if (write_full(pg.to[1], &addr, sizeof(addr)) == 0 && read_full(pg.from[0], &done, 1) < 0)
        pager_status = pager_wait(&pg);
}

static void asked_pager(int fd, struct pager *p)
{
    uintptr_t addr;
    int64_t copy;
    for (int served = 0; read_full(p->to[0], &addr, sizeof(addr)) == 0; served++) {
        if (served == SERVED)
            raise(SIGKILL);
        uffd_serve_pattern(fd, addr, &copy);
        write_full(p->from[1], "d", 1);
    }
}

static void test_pager_killed_sigbus(void)
{
    uintptr_t r = (uintptr_t)map_pages(NPAGES);
    int fd = uffd_open(O_CLOEXEC, UFFD_FEATURE_SIGBUS);
    uffd_register(fd, r, NPAGES * PAGE_SIZE, MISSING);
    pager_fork(&pg, fd, asked_pager);
    signal(SIGPIPE, SIG_IGN);           /* a request to a pager that died early: EPIPE */
    escape_catch(SIGBUS, ask_pager);
    sigbus_count = 0;
    pager_status = -1;
    if (!sigsetjmp(escape_env, 1))
        for (int p = 0; p < NPAGES; p++)
            read_byte(r + p * PAGE_SIZE);
    signal(SIGBUS, SIG_DFL);
    ktap_check(sigbus_count == SERVED + 1, "SIGBUS: one signal a served page, one more",
               "%d signals", sigbus_count);
    check_after_death("SIGBUS", r, pager_status);
}

/* Reads the fault, has the client unmap the region (SIGUSR1), then answers too late. */
static void late_pager(int fd, struct pager *p)
{
    struct uffd_msg m;
    char unmapped;
    int64_t res[2] = {1, 1};            /* the copy's result and its copy field */
    if (uffd_read_msg(fd, &m) == 0) {
        kill(getppid(), SIGUSR1);
        if (read_full(p->to[0], &unmapped, 1) == 0)
            res[0] = uffd_serve_pattern(fd, m.arg.pagefault.address, &res[1]);
    }
    write_full(p->from[1], res, sizeof(res));
}

static void unmap_and_escape(int sig, siginfo_t *si, void *uc)
{
    munmap((void *)region, PAGE_SIZE);
    escape_handler(sig, si, uc);
}

static void test_unmapped_while_waiting(void)
{
    region = (uintptr_t)map_pages(1);
    int fd = uffd_open(O_CLOEXEC, 0);
    uffd_register(fd, region, PAGE_SIZE, MISSING);
    escape_catch(SIGUSR1, unmap_and_escape);
    pager_fork(&pg, fd, late_pager);
    int escaped = sigsetjmp(escape_env, 1);
    if (!escaped)
        read_byte(region);
    signal(SIGUSR1, SIG_DFL);
    ktap_check(escaped && escape_info.si_signo == SIGUSR1,
               "a signal ends the wait, its handler unmaps", "escaped %d signal %d", escaped,
               escape_info.si_signo);
    write_full(pg.to[1], "u", 1);
    int64_t res[2] = {0, 0};
    int reported = read_full(pg.from[0], res, sizeof(res)) == 0;
    ktap_check(reported && res[0] == -ENOENT && res[1] == -ENOENT,
               "the pager's late copy: ENOENT, copy field -ENOENT",
               "reported %d result %lld copy %lld", reported, (long long)res[0], (long long)res[1]);
    char why[80];
    int st = pager_wait(&pg);
    ktap_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "the late pager exits", "%s",
               describe_status(st, why, sizeof(why)));
    uintptr_t r = (uintptr_t)map_pages(1);
    write_byte(r + 1, 5);
    ktap_check(read_byte(r + 1) == 5, "the client goes on with new memory", "read %d",
               read_byte(r + 1));
    munmap((void *)r, PAGE_SIZE);
}

int main(void)
{
    ktap_plan(11);
    test_pager_killed();
    test_pager_killed_sigbus();
    test_unmapped_while_waiting();
    return ktap_finish();
}
