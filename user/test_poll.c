/* user/test_poll.c: poll, ppoll, select and pselect (fs/poll.c) on pipes and a
 * userfaultfd, and O_NONBLOCK pipes: readiness, hang-ups and errors, timeouts, signals
 * and masks, and the pager loop that waits on a userfaultfd and a control pipe at once.
 * Timeouts are checked from below only (a loaded machine may take longer, never less).
 * Also runs on Linux: build/rootfs/bin/test_poll on an x86-64 host with IA32 emulation
 * (as root, for userfaultfd). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "user/lib/ktap.h"

#define PG 4096

static long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static int revents(int fd, short events, int timeout)
{
    struct pollfd p = {fd, events, 0};
    int n = poll(&p, 1, timeout);
    return n < 0 ? -errno : p.revents;
}

static void check_pipe_readiness(void)
{
    int fds[2];
    pipe(fds);
    int empty = revents(fds[0], POLLIN, 0), room = revents(fds[1], POLLOUT, 0);
    write(fds[1], "x", 1);
    int data = revents(fds[0], POLLIN, 0);
    ktap_check(empty == 0 && room == POLLOUT && data == POLLIN, "pipe: empty, room, data",
               "%x %x %x", empty, room, data);
    close(fds[1]);
    int hup = revents(fds[0], POLLIN, 0);
    char c;
    read(fds[0], &c, 1);
    int eof = revents(fds[0], POLLIN, 0);
    ktap_check(hup == (POLLIN | POLLHUP) && eof == POLLHUP, "pipe: no writer is POLLHUP",
               "%x %x", hup, eof);
    pipe(fds);
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    int err = revents(fds[1], POLLOUT, 0);
    ktap_check(err == (POLLOUT | POLLERR), "pipe: no reader is POLLERR", "%x", err);
    close(fds[1]);
    struct pollfd p[2] = {{-1, POLLIN, 0x7f}, {fds[1], POLLIN, 0}};
    int n = poll(p, 2, 0);
    ktap_check(n == 1 && p[0].revents == 0 && p[1].revents == POLLNVAL,
               "negative fd skipped, closed fd POLLNVAL", "%d %x %x", n, p[0].revents,
               p[1].revents);
}

static void check_nonblock(void)
{
    int fds[2];
    pipe2(fds, O_NONBLOCK);
    char c, buf[512];
    memset(buf, 'b', sizeof(buf));
    int r = read(fds[0], &c, 1), rerr = errno;
    long total = 0, w;
    while ((w = write(fds[1], buf, sizeof(buf))) > 0)
        total += w;
    int werr = errno, full = revents(fds[1], POLLOUT, 0);
    ktap_check(r < 0 && rerr == EAGAIN && w < 0 && werr == EAGAIN && total > 0 && full == 0,
               "O_NONBLOCK: EAGAIN on empty and on full, full pipe not POLLOUT",
               "read %d/%d, write %ld/%d after %ld, revents %x", r, rerr, w, werr, total, full);
    int fl = fcntl(fds[0], F_GETFL);
    fcntl(fds[0], F_SETFL, fl & ~O_NONBLOCK);
    int cleared = fcntl(fds[0], F_GETFL);
    ktap_check((fl & O_NONBLOCK) && !(cleared & O_NONBLOCK) && read(fds[0], &c, 1) == 1,
               "F_GETFL and F_SETFL O_NONBLOCK", "%x %x", fl, cleared);
    close(fds[0]);
    close(fds[1]);
}

static void check_timeout_and_wakeup(void)
{
    long t0 = now_ms();
    int n = poll(NULL, 0, 50);
    long waited = now_ms() - t0;
    ktap_check(n == 0 && waited >= 50, "poll timeout", "%d after %ld ms", n, waited);
    int fds[2];
    pipe(fds);
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec d = {0, 30 * 1000000};
        nanosleep(&d, NULL);
        write(fds[1], "w", 1);
        _exit(0);
    }
    t0 = now_ms();
    int got = revents(fds[0], POLLIN, -1);
    waited = now_ms() - t0;
    waitpid(pid, NULL, 0);
    ktap_check(got == POLLIN && waited >= 20, "poll woken by a writer",
               "%x after %ld ms", got, waited);
    close(fds[0]);
    close(fds[1]);
}

static volatile int hits;
static void on_signal(int sig) { (void)sig; hits++; }

static void check_signals(void)
{
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGALRM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int r = poll(NULL, 0, -1), e = errno;
    ktap_check(r < 0 && e == EINTR && hits == 1, "poll interrupted by a signal: EINTR",
               "%d errno %d hits %d", r, e, hits);
    sigset_t usr1, old, mask;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    raise(SIGUSR1);                      /* pending, blocked */
    struct timespec zero = {0, 0};
    int blocked = ppoll(NULL, 0, &zero, &usr1);
    sigemptyset(&mask);
    r = ppoll(NULL, 0, NULL, &mask), e = errno;
    sigprocmask(SIG_SETMASK, NULL, &mask);
    ktap_check(blocked == 0 && hits == 2 && r < 0 && e == EINTR && sigismember(&mask, SIGUSR1),
               "ppoll's mask: blocked stays pending, unblocked runs, old mask back",
               "%d hits %d, %d errno %d", blocked, hits, r, e);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

static void check_select(void)
{
    int fds[2];
    pipe(fds);
    write(fds[1], "s", 1);
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(fds[0], &rd);
    FD_SET(fds[1], &rd);
    FD_SET(fds[1], &wr);
    struct timeval tv = {1, 0};
    int n = select(fds[1] + 1, &rd, &wr, NULL, &tv);
    ktap_check(n == 2 && FD_ISSET(fds[0], &rd) && !FD_ISSET(fds[1], &rd) && FD_ISSET(fds[1], &wr),
               "select: readable and writable sets", "%d", n);
    char c;
    read(fds[0], &c, 1);
    FD_ZERO(&rd);
    FD_SET(fds[0], &rd);
    struct timespec ts = {0, 30 * 1000000};
    long t0 = now_ms();
    n = pselect(fds[0] + 1, &rd, NULL, NULL, &ts, NULL);
    long waited = now_ms() - t0;
    ktap_check(n == 0 && !FD_ISSET(fds[0], &rd) && waited >= 30, "pselect timeout clears the set",
               "%d after %ld ms", n, waited);
    close(fds[1]);
    FD_ZERO(&rd);
    FD_SET(fds[1], &rd);
    n = select(fds[1] + 1, &rd, NULL, NULL, NULL);
    ktap_check(n < 0 && errno == EBADF, "select on a closed fd: EBADF", "%d errno %d", n, errno);
    close(fds[0]);
}

/* The pager's loop of docs/pagers.md: wait on the userfaultfd and a control pipe; serve
 * faults until the client closes the pipe. Exits with the number of pages served. */
static void poll_pager(int uffd, int ctl)
{
    static char page[PG];
    int served = 0;
    for (;;) {
        struct pollfd p[2] = {{uffd, POLLIN, 0}, {ctl, POLLIN, 0}};
        if (poll(p, 2, -1) < 0)
            _exit(100);
        if (p[0].revents & POLLIN) {
            struct uffd_msg m;
            if (read(uffd, &m, sizeof(m)) != sizeof(m))
                _exit(101);
            memset(page, 'p', PG);
            struct uffdio_copy c = {.dst = m.arg.pagefault.address & ~(PG - 1),
                                    .src = (uintptr_t)page, .len = PG};
            if (ioctl(uffd, UFFDIO_COPY, &c) == 0)
                served++;
        } else if (p[1].revents & POLLHUP) {
            _exit(served);
        }
    }
}

static void check_uffd(void)
{
    enum { PAGES = 16 };
    int uffd = syscall(374, O_CLOEXEC | O_NONBLOCK);
    int before = revents(uffd, POLLIN, 0);
    struct uffdio_api api = {.api = UFFD_API};
    ioctl(uffd, UFFDIO_API, &api);
    int idle = revents(uffd, POLLIN, 0);
    ktap_check(before == POLLERR && idle == 0, "uffd: POLLERR before the handshake, idle after",
               "%x %x", before, idle);
    char *r = mmap(0, PAGES * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct uffdio_register reg = {.range = {(uintptr_t)r, PAGES * PG},
                                  .mode = UFFDIO_REGISTER_MODE_MISSING};
    ioctl(uffd, UFFDIO_REGISTER, &reg);
    int ctl[2];
    pipe(ctl);
    pid_t pid = fork();
    if (pid == 0) {
        close(ctl[1]);
        poll_pager(uffd, ctl[0]);
    }
    close(ctl[0]);
    close(uffd);
    int wrong = 0;
    for (int i = 0; i < PAGES * PG; i++)
        wrong += r[i] != 'p';
    close(ctl[1]);
    int st;
    waitpid(pid, &st, 0);
    ktap_check(wrong == 0 && WIFEXITED(st) && WEXITSTATUS(st) == PAGES,
               "a pager polling its userfaultfd and a pipe serves every page",
               "%d wrong, status %x", wrong, st);
    munmap(r, PAGES * PG);
}

int main(void)
{
    ktap_plan(15);
    check_pipe_readiness();
    check_nonblock();
    check_timeout_and_wakeup();
    check_signals();
    check_select();
    check_uffd();
    return ktap_finish();
}
