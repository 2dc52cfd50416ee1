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

void pipe_close(struct pipe *pp, int writable)
{
    if (writable)
        pp->writers--;
    else
        pp->readers--;
    wakeup(pp);
    if (pp->readers == 0 && pp->writers == 0)
        kfree(pp);
}

int pipe_write(struct pipe *pp, uint32_t ubuf, uint32_t n)
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
                   !signal_pending(myproc()))
                sleep(pp);
            pop_cli();
            if (pp->readers == 0) {
                signal_send(myproc(), SIGPIPE, NULL);   /* nobody will ever read it */
                return done + i ? (int)(done + i) : -EPIPE;
            }
            if (pp->nwritten - pp->nread == PIPE_SIZE)  /* a signal interrupted the wait */
                return done + i ? (int)(done + i) : -ERESTARTSYS;
            while (i < chunk && pp->nwritten - pp->nread < PIPE_SIZE)
                pp->data[pp->nwritten++ % PIPE_SIZE] = buf[i++];
            wakeup(pp);
        }
        done += chunk;
    }
    return done;
}

int pipe_read(struct pipe *pp, uint32_t ubuf, uint32_t n)
{
    char buf[CHUNK];
    for (;;) {
        push_cli();
        while (pp->nread == pp->nwritten && pp->writers > 0 && !signal_pending(myproc()))
            sleep(pp);
        pop_cli();
        if (pp->nread == pp->nwritten && pp->writers > 0)
            return -ERESTARTSYS;        /* a signal came first: EINTR or restart */
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
        wakeup(pp);
        return got;
    }
}
