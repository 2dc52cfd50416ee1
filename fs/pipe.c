/* fs/pipe.c: pipes. A ring buffer with a reader end and a writer end; a reader
 * sleeps while it is empty and a writer while it is full. Data passes through a
 * small bounce buffer so the ring never changes while copyin/copyout may sleep. */
#include "fs/file.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "kernel/errno.h"
#include "mm/kheap.h"
#include "mm/uaccess.h"

#define PIPE_SIZE 2048
#define CHUNK 256

struct pipe {
    char data[PIPE_SIZE];
    uint32_t nread, nwritten;    /* total bytes ever read and written (wrap freely) */
    int readers, writers;        /* open ends */
};

int pipe_create(struct file **rd, struct file **wr)
{
    struct pipe *pp = kzalloc(sizeof(*pp));
    *rd = file_alloc(FILE_PIPE, 1, 0);
    *wr = file_alloc(FILE_PIPE, 0, 1);
    if (!pp || !*rd || !*wr) {
        kfree(pp);
        kfree(*rd);
        kfree(*wr);
        return -ENOMEM;
    }
    pp->readers = pp->writers = 1;
    (*rd)->pipe = (*wr)->pipe = pp;
    return 0;
}

/* Readers and writers wait on the pipe; so may pollers (fs/poll.c). */
static void pipe_wake(struct pipe *pp)
{
    wakeup(pp);
    poll_wake();
}

void pipe_close(struct pipe *pp, int writable)
{
    if (writable)
        pp->writers--;
    else
        pp->readers--;
    pipe_wake(pp);
    if (pp->readers == 0 && pp->writers == 0)
        kfree(pp);
}

/* The read end is readable with data or with no writer left (read returns 0: POLLHUP);
 * the write end writable with room, or in error with no reader left (a write would not
 * wait: it fails with EPIPE), as on Linux. */
int pipe_poll(struct pipe *pp, int writable)
{
    uint32_t used = pp->nwritten - pp->nread;
    if (writable)
        return pp->readers == 0 ? POLL_WRITABLE | POLLERR : used < PIPE_SIZE ? POLL_WRITABLE : 0;
    return (used ? POLL_READABLE : 0) | (pp->writers == 0 ? POLLHUP : 0);
}

/* O_NONBLOCK: a write that would wait writes what fits, or is -EAGAIN if nothing does
 * (Linux also keeps writes of up to PIPE_BUF bytes whole; docs/signals.md). */
int pipe_write(struct pipe *pp, uint32_t ubuf, uint32_t n, int nonblock)
{
    char buf[CHUNK];
    uint32_t done = 0;
    while (done < n) {
        uint32_t chunk = n - done < CHUNK ? n - done : CHUNK;
        if (copyin(buf, ubuf + done, chunk) < 0)
            return done ? (int)done : -EFAULT;
        for (uint32_t i = 0; i < chunk;) {
            push_cli();
            while (pp->nwritten - pp->nread == PIPE_SIZE && pp->readers > 0 &&
                   !signal_pending(myproc()) && !nonblock)
                sleep(pp);
            pop_cli();
            if (pp->readers == 0) {
                signal_send(myproc(), SIGPIPE, NULL);   /* nobody will ever read it */
                return done + i ? (int)(done + i) : -EPIPE;
            }
            if (pp->nwritten - pp->nread == PIPE_SIZE)  /* a signal, or O_NONBLOCK */
                return done + i ? (int)(done + i) : nonblock ? -EAGAIN : -ERESTARTSYS;
            while (i < chunk && pp->nwritten - pp->nread < PIPE_SIZE)
                pp->data[pp->nwritten++ % PIPE_SIZE] = buf[i++];
            pipe_wake(pp);
        }
        done += chunk;
    }
    return done;
}

int pipe_read(struct pipe *pp, uint32_t ubuf, uint32_t n, int nonblock)
{
    char buf[CHUNK];
    for (;;) {
        push_cli();
        while (pp->nread == pp->nwritten && pp->writers > 0 && !signal_pending(myproc()) &&
               !nonblock)
            sleep(pp);
        pop_cli();
        if (pp->nread == pp->nwritten && pp->writers > 0)   /* O_NONBLOCK, or a signal */
            return nonblock ? -EAGAIN : -ERESTARTSYS;       /* (EINTR or restart) */
        /* Copy out first and consume after: a bad buffer (EFAULT) loses no data. */
        uint32_t start = pp->nread, got = 0;
        uint32_t avail = pp->nwritten - start;
        uint32_t want = n < CHUNK ? n : CHUNK;  /* a short read is allowed */
        while (got < want && got < avail) {
            buf[got] = pp->data[(start + got) % PIPE_SIZE];
            got++;
        }
        if (got > 0 && copyout(ubuf, buf, got) < 0)
            return -EFAULT;
        if (pp->nread != start)
            continue;                   /* another reader took them while copyout slept */
        pp->nread += got;
        pipe_wake(pp);
        return got;
    }
}
