/* user/lib/upager.h: the mechanism the three lesson pagers share (user/pager_file.c,
 * user/pager_zswap.c, user/pager_clock.c), so that each of them is only its policy
 * (Tanenbaum, Modern Operating Systems 3.6.6, "Separation of Policy and Mechanism").
 *
 * The client (the process whose memory is served) calls upager_start: it makes a
 * userfaultfd, registers a fresh region with it and forks the pager process, which keeps
 * the descriptor; the client closes its own copy. The pager reads one fault at a time and
 * answers it with the page's contents (UFFDIO_COPY) or zeros (UFFDIO_ZEROPAGE). It owns a
 * budget of frames: before giving one page more than the budget, it evicts one it gave
 * (pagoda_uffd_evict, a Pagoda export) and keeps the dirty contents. Where the exports do
 * not exist (Linux) the budget cannot be kept, and the pager serves without evicting.
 *
 * The pager waits with poll(2) on two things at once: the descriptor (a fault to serve)
 * and a pipe from the client (a command: take every page back, say which pages are given,
 * stop). Its answers go back on a second pipe. The client holds the command pipe's only
 * write end, so when the client is gone, stopped or killed, the pipe hangs up and the
 * pager's loop ends: a pager never outlives its client. */
#ifndef USER_LIB_UPAGER_H
#define USER_LIB_UPAGER_H

#include <stdint.h>
#include <sys/types.h>

#define UPAGER_PAGE 4096u

struct upager;                  /* the pager process's state: its region, frames, policy */

/* What one pager decides. self is the pager's own state (forked with the pager). */
struct upager_ops {
    /* A page's contents into buf: 1; or 0 for a page of zeros. NULL: the pages the
     * library kept in the pager's memory (store NULL too), zeros for the others. */
    int (*fetch)(void *self, uint32_t page, void *buf);
    /* The 4096 bytes of a dirty page just evicted: the next fetch must give them back. */
    void (*store)(void *self, uint32_t page, const void *buf);
    /* The given page to evict to make room (NULL: FIFO, the one given longest ago). */
    uint32_t (*victim)(struct upager *pg, void *self);
    /* How many pages the store holds, in how many bytes (NULL: the library's count). */
    void (*usage)(void *self, uint32_t *pages, uint32_t *bytes);
};

/* What the pager did, sent to the client with each answer to a command. */
struct upager_stats {
    uint32_t faults;            /* faults served */
    uint32_t zero_fills;        /* of them, answered with UFFDIO_ZEROPAGE */
    uint32_t evictions;         /* pages taken back with pagoda_uffd_evict */
    uint32_t dirty;             /* of them, dirty: handed to store */
    uint32_t max_given;         /* the most pages given at once */
    uint32_t kept_pages, kept_bytes;   /* the store, as usage says */
    uint32_t budgeted;          /* 1: the exports existed, the budget was kept */
};

/* The client's handle on its pager. */
struct upager_client {
    char *region;               /* npages pages served by the pager */
    uint32_t npages, budget;
    int budgeted;               /* 1: the exports exist, the pager keeps the budget */
    pid_t pid;                  /* the pager process */
    int cmd, reply;             /* pipes: commands to the pager, answers back */
};

/* Starts a pager for a fresh region of npages pages with budget frames: 0, or -1 after
 * saying why on stderr. */
int upager_start(struct upager_client *c, uint32_t npages, uint32_t budget,
                 const struct upager_ops *ops, void *self);

/* The pager takes back every page it gave (the dirty ones to its store; on Linux
 * nothing): 0 and its statistics, or -1 if it is gone. */
int upager_flush(struct upager_client *c, struct upager_stats *st);

/* given[i] = 1 for each page the pager gave and has not taken back: 0, or -1. */
int upager_given(struct upager_client *c, uint8_t *given);

/* Flush, then the pager exits; the region is unmapped. 0 and the final statistics if
 * the pager answered and exited with status 0, else -1. A process forked by the client
 * must close c->cmd, or the pager would wait for it too when the client is gone. */
int upager_stop(struct upager_client *c, struct upager_stats *st);

/* For a victim policy, in the pager process: the region's size in pages, whether a page
 * is given now, and its PAGODA_PAGE_* bits (the accessed bit cleared if clear), or -errno. */
uint32_t upager_pages(const struct upager *pg);
int upager_is_given(const struct upager *pg, uint32_t page);
int upager_bits(struct upager *pg, uint32_t page, int clear);

#endif
