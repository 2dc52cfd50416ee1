/* user/lib/pagerproc.h: a test's external pager as a forked process (docs/pagers.md):
 * it holds the userfaultfd, the client has closed its own copy (so the pager is the last
 * holder, and its death hands the region back to the kernel), and a pipe runs each way
 * for the hand-shakes (Tanenbaum, MOS 3.6.6: the pager is an ordinary process). No wait
 * is a sleep or a timeout: every one ends on a pipe. */
#ifndef USER_LIB_PAGERPROC_H
#define USER_LIB_PAGERPROC_H

#include <stddef.h>
#include <sys/types.h>

struct pager {
    pid_t pid;
    int to[2];                          /* client -> pager: to[1] the client's end */
    int from[2];                        /* pager -> client: from[0] the client's end */
};

/* Forks pg's process, which runs fn(fd, pg) and _exits(0); the client closes fd and the
 * pipe ends it does not use. Returns 0, or -1 if pipe or fork failed. */
int pager_fork(struct pager *pg, int fd, void (*fn)(int fd, struct pager *pg));

/* For a pager that reports before it answers the fault the client just took: kills the
 * pager (idle for ever if the fault never reached it), then reads len bytes of report.
 * Returns 0 if the report came, -1 if the pipe ended first. Then as pager_wait. */
int pager_collect(struct pager *pg, void *report, size_t len);

/* Waits for the pager and closes the client's pipe ends: the pager's wait status. */
int pager_wait(struct pager *pg);

#endif
