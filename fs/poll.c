/* fs/poll.c: poll(2) and select(2) with their variants (Linux i386: poll 168, ppoll 309
 * and 414, _newselect 142, pselect6 308 and 413): wait until one of several descriptors
 * is ready, a timeout passes or a signal comes. This is how a server waits for several
 * clients at once, and how a user-space pager waits on its userfaultfd and a control pipe
 * together (docs/pagers.md).
 *
 * Readiness is asked of each file (file_poll, fs/file.c); nothing is registered. A waiter
 * sleeps on one channel that every source of readiness wakes (poll_wake: a pipe's reader
 * or writer, the console's input, a fault queued for a pager) and scans again: simpler
 * than Linux's per-file wait queues, and with a few dozen processes the extra scans cost
 * little. A waiter with a timeout sleeps on the tick counter instead, which the timer
 * wakes every tick and poll_wake wakes too. epoll is not built: see docs/pagers.md. */
#include "fs/file.h"
#include "kernel/syscall.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/signal.h"
#include "kernel/trap.h"
#include "kernel/errno.h"
#include "drivers/pit.h"
#include "kernel/string.h"
#include "mm/uaccess.h"

struct pollfd {
    int32_t fd;
    int16_t events, revents;
};

static char poll_chan;                   /* waiters without a timeout sleep here */
static int timed_waiters;                /* waiters with a timeout, asleep on the ticks */

void poll_wake(void)
{
    wakeup(&poll_chan);
    if (timed_waiters)
        wakeup((void *)&ticks);
}

/* One scan: each entry's revents (errors and hang-ups are always reported, whatever was
 * asked; a negative fd is skipped; a closed one is POLLNVAL). The number ready. */
static int poll_scan(struct pollfd *fds, uint32_t n)
{
    int ready = 0;
    for (uint32_t i = 0; i < n; i++) {
        struct file *f = fds[i].fd < 0 ? NULL : fd_get(fds[i].fd);
        int ev = fds[i].events | POLLERR | POLLHUP;
        fds[i].revents = fds[i].fd < 0 ? 0 : !f ? POLLNVAL : (int16_t)(file_poll(f) & ev);
        ready += fds[i].revents != 0;
    }
    return ready;
}

#define FOREVER UINT32_MAX               /* no timeout */

/* Wait: the number ready, 0 when `timeout` ticks pass first, or -ERESTARTNOHAND for a
 * signal (EINTR after a handler, as Linux's select and ppoll give). The scan and the
 * sleep happen with interrupts off, so no wake-up falls between them. */
static int poll_wait(struct pollfd *fds, uint32_t n, uint32_t timeout)
{
    struct proc *p = myproc();
    uint32_t deadline = ticks + timeout;
    int ready;
    push_cli();
    while (!(ready = poll_scan(fds, n))) {
        if (timeout != FOREVER && (int32_t)(ticks - deadline) >= 0)
            break;
        if (signal_pending(p)) {
            ready = -ERESTARTNOHAND;
            break;
        }
        if (timeout == FOREVER) {
            sleep(&poll_chan);
        } else {
            timed_waiters++;
            sleep((void *)&ticks);
            timed_waiters--;
        }
    }
    pop_cli();
    return ready;
}

/* Timeouts: milliseconds (poll) or a timespec (ppoll, pselect6) to ticks, rounded up as
 * Linux rounds a sleep up; and the time left back again, for the calls that report it. */
#define NS_PER_TICK (1000000000u / HZ)

static uint32_t ticks_of_ns(uint64_t ns)
{
    uint64_t t = (ns + NS_PER_TICK - 1) / NS_PER_TICK;
    return t >= FOREVER ? FOREVER - 1 : (uint32_t)t;
}

struct ts32 { int32_t sec, nsec; };
struct ts64 { int64_t sec, nsec; };

/* A user timespec (NULL: FOREVER) as ticks: 0, or -EFAULT / -EINVAL. time64: the layout
 * of the *_time64 calls. */
static int timeout_in(uint32_t uts, int time64, uint32_t *out)
{
    struct ts64 t;
    struct ts32 t32;
    *out = FOREVER;
    if (!uts)
        return 0;
    if (time64 ? copyin(&t, uts, sizeof(t)) : copyin(&t32, uts, sizeof(t32)))
        return -EFAULT;
    if (!time64)
        t = (struct ts64){t32.sec, t32.nsec};
    if (t.sec < 0 || t.nsec < 0 || t.nsec >= 1000000000)
        return -EINVAL;
    *out = ticks_of_ns((uint64_t)t.sec * 1000000000u + (uint64_t)t.nsec);
    return 0;
}

/* Write the time left (start + timeout - now) back to the user's timespec. */
static void timeout_out(uint32_t uts, int time64, uint32_t start, uint32_t timeout)
{
    if (!uts || timeout == FOREVER)
        return;
    int32_t left = (int32_t)(start + timeout - ticks);
    uint64_t ns = left > 0 ? (uint64_t)left * NS_PER_TICK : 0;
    struct ts64 t = {(int64_t)(ns / 1000000000u), (int64_t)(ns % 1000000000u)};
    struct ts32 t32 = {(int32_t)t.sec, (int32_t)t.nsec};
    if (time64)
        copyout(uts, &t, sizeof(t));
    else
        copyout(uts, &t32, sizeof(t32));
}

/* ppoll's and pselect6's signal mask: in force while waiting. If a signal ends the wait
 * its handler runs under it and the old mask returns after (kernel/signal.c, as for
 * sigsuspend); otherwise the old mask returns now. */
static int mask_set(uint32_t umask, uint32_t size)
{
    struct sigstate *s = &myproc()->sig;
    uint64_t mask;
    if (!umask)
        return 0;
    if (size != sizeof(mask))
        return -EINVAL;
    if (copyin(&mask, umask, sizeof(mask)) < 0)
        return -EFAULT;
    s->saved_mask = s->blocked;
    s->has_saved_mask = 1;
    s->blocked = mask & ~UNBLOCKABLE;
    return 0;
}

static void mask_done(int ret)
{
    struct sigstate *s = &myproc()->sig;
    if (ret != -ERESTARTNOHAND && s->has_saved_mask) {
        s->blocked = s->saved_mask;
        s->has_saved_mask = 0;
    }
}

/* The pollfd array in and out, around a wait. */
static long do_poll(uint32_t ufds, uint32_t n, uint32_t timeout, uint32_t umask, uint32_t msize)
{
    struct pollfd fds[NOFILE];
    if (n > NOFILE)
        return -EINVAL;                 /* Linux: more than RLIMIT_NOFILE entries */
    if (copyin(fds, ufds, n * sizeof(fds[0])) < 0)
        return -EFAULT;
    int err = mask_set(umask, msize);
    if (err)
        return err;
    int ret = poll_wait(fds, n, timeout);
    mask_done(ret);
    if (ret >= 0 && copyout(ufds, fds, n * sizeof(fds[0])) < 0)
        return -EFAULT;
    return ret;
}

SYSCALL(poll)
{
    int32_t ms = (int32_t)ARG3(tf);
    return do_poll(ARG1(tf), ARG2(tf), ms < 0 ? FOREVER : ticks_of_ns((uint64_t)ms * 1000000u),
                   0, 0);
}

static long ppoll(struct trapframe *tf, int time64)
{
    uint32_t timeout, start = ticks;
    int err = timeout_in(ARG3(tf), time64, &timeout);
    if (err)
        return err;
    long ret = do_poll(ARG1(tf), ARG2(tf), timeout, ARG4(tf), ARG5(tf));
    timeout_out(ARG3(tf), time64, start, timeout);
    return ret;
}

SYSCALL(ppoll) { return ppoll(tf, 0); }
SYSCALL(ppoll_time64) { return ppoll(tf, 1); }

/* select: three bit sets of descriptors below nfds, made into pollfd entries and back.
 * Readable is POLLIN or a hang-up or error; writable POLLOUT or an error; "exceptional"
 * is POLLPRI, which no file here has. */
#define SEL_IN (POLLIN | POLLRDNORM | POLLHUP | POLLERR)
#define SEL_OUT (POLLOUT | POLLWRNORM | POLLERR)

static int bit(const uint32_t *set, int fd) { return (set[fd / 32] >> (fd % 32)) & 1; }

static long do_select(int nfds, const uint32_t usets[3], uint32_t timeout)
{
    uint32_t sets[3][NOFILE / 32] = {{0}};
    struct pollfd fds[NOFILE];
    uint32_t n = 0;
    if (nfds < 0)
        return -EINVAL;
    if (nfds > NOFILE)
        nfds = NOFILE;                  /* Linux: no fd above the table can be open */
    uint32_t bytes = (uint32_t)(nfds + 31) / 32 * 4;
    for (int s = 0; s < 3; s++)
        if (usets[s] && copyin(sets[s], usets[s], bytes) < 0)
            return -EFAULT;
    for (int fd = 0; fd < nfds; fd++) {
        int ev = (bit(sets[0], fd) ? SEL_IN : 0) | (bit(sets[1], fd) ? SEL_OUT : 0) |
                 (bit(sets[2], fd) ? POLLPRI : 0);
        if (!ev)
            continue;
        if (!fd_get(fd))
            return -EBADF;
        fds[n++] = (struct pollfd){fd, (int16_t)ev, 0};
    }
    int ret = poll_wait(fds, n, timeout);
    if (ret < 0)
        return ret;
    memset(sets, 0, sizeof(sets));
    ret = 0;
    for (uint32_t i = 0; i < n; i++) {
        int fd = fds[i].fd, got[3] = {fds[i].revents & fds[i].events & SEL_IN,
                                      fds[i].revents & fds[i].events & SEL_OUT,
                                      fds[i].revents & POLLPRI};
        for (int s = 0; s < 3; s++)
            if (got[s]) {
                sets[s][fd / 32] |= 1u << (fd % 32);
                ret++;
            }
    }
    for (int s = 0; s < 3; s++)
        if (usets[s] && copyout(usets[s], sets[s], bytes) < 0)
            return -EFAULT;
    return ret;
}

/* _newselect(nfds, r, w, e, struct timeval *): the timeout in microseconds, the time
 * left written back (Linux does). */
SYSCALL(select)
{
    struct { int32_t sec, usec; } tv;
    uint32_t utv = ARG5(tf), timeout = FOREVER, start = ticks;
    if (utv && copyin(&tv, utv, sizeof(tv)) < 0)
        return -EFAULT;
    if (utv && (tv.sec < 0 || tv.usec < 0 || tv.usec >= 1000000))
        return -EINVAL;
    if (utv)
        timeout = ticks_of_ns((uint64_t)tv.sec * 1000000000u + (uint64_t)tv.usec * 1000u);
    const uint32_t sets[3] = {ARG2(tf), ARG3(tf), ARG4(tf)};
    long ret = do_select((int)ARG1(tf), sets, timeout);
    if (utv && timeout != FOREVER) {
        int32_t left = (int32_t)(start + timeout - ticks);
        uint64_t us = left > 0 ? (uint64_t)left * (NS_PER_TICK / 1000) : 0;
        tv.sec = (int32_t)(us / 1000000);
        tv.usec = (int32_t)(us % 1000000);
        copyout(utv, &tv, sizeof(tv));
    }
    return ret;
}

/* pselect6(nfds, r, w, e, timespec *, {const sigset_t *mask; size_t size} *). */
static long pselect6(struct trapframe *tf, int time64)
{
    uint32_t timeout, start = ticks, sig[2] = {0, 0};
    int err = timeout_in(ARG5(tf), time64, &timeout);
    if (!err && ARG6(tf) && copyin(sig, ARG6(tf), sizeof(sig)) < 0)
        err = -EFAULT;
    if (!err)
        err = mask_set(sig[0], sig[1]);
    if (err)
        return err;
    const uint32_t sets[3] = {ARG2(tf), ARG3(tf), ARG4(tf)};
    long ret = do_select((int)ARG1(tf), sets, timeout);
    mask_done(ret);
    timeout_out(ARG5(tf), time64, start, timeout);
    return ret;
}

SYSCALL(pselect6) { return pselect6(tf, 0); }
SYSCALL(pselect6_time64) { return pselect6(tf, 1); }
