/* user/lib/pagerproc.c: a test's external pager as a forked process (see pagerproc.h). */
#include <signal.h>
#include <unistd.h>

#include "user/lib/pagerproc.h"
#include "user/lib/proc.h"

static void close_end(int *end)
{
    if (*end >= 0)
        close(*end);
    *end = -1;
}

int pager_fork(struct pager *pg, int fd, void (*fn)(int fd, struct pager *pg))
{
    if (pipe(pg->to) < 0)
        return -1;
    if (pipe(pg->from) < 0) {
        close(pg->to[0]);
        close(pg->to[1]);
        return -1;
    }
    pg->pid = fork();
    if (pg->pid == 0) {
        close_end(&pg->to[1]);          /* so that the pager sees the client's end of file */
        close_end(&pg->from[0]);
        fn(fd, pg);
        _exit(0);
    }
    close(fd);
    close_end(&pg->to[0]);
    close_end(&pg->from[1]);
    return pg->pid < 0 ? -1 : 0;
}

int pager_wait(struct pager *pg)
{
    int status = wait_status(pg->pid);
    close_end(&pg->to[1]);
    close_end(&pg->from[0]);
    return status;
}

int pager_collect(struct pager *pg, void *report, size_t len)
{
    kill(pg->pid, SIGKILL);
    int got = read_full(pg->from[0], report, len);
    pager_wait(pg);
    return got;
}
