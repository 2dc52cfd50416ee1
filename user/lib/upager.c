/* user/lib/upager.c: the shared mechanism of the lesson pagers (see upager.h): the
 * userfaultfd set up, the pager process's loop, its frame budget with FIFO as the default
 * choice of victim and the pager's memory as the default store, and the commands the
 * client sends it (Tanenbaum, MOS 3.6.6: the kernel traps and maps, the user-space pager
 * decides what a page holds and which page goes). */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"
#include "user/lib/upager.h"

enum { CMD_FLUSH = 1, CMD_GIVEN, CMD_STOP };

struct upager {
    int uffd, cmd, reply;
    uintptr_t base;             /* the client's region, in the client's address space */
    uint32_t npages, budget, ngiven;
    int budgeted;
    const struct upager_ops *ops;
    void *self;
    uint8_t *given;             /* given[i]: page i is in the client's memory */
    uint32_t *fifo, head;       /* FIFO (no victim callback): pages in the order given */
    uint8_t **kept;             /* the default store: dirty evicted pages, as they were */
    struct upager_stats st;
    char buf[UPAGER_PAGE];
};

/* A pager that cannot go on exits: its descriptor closes, the kernel takes the region
 * back, and the client's next faults read zeros, which its checks report. */
static void die(const char *what)
{
    ktap_diag("pager: %s: %s", what, strerror(errno));
    _exit(2);
}

/* LAB pager: BEGIN */
/* LAB pager: STUB
static void unwritten(const char *fn) __attribute__((noreturn));
static void unwritten(const char *fn)
{
    ktap_diag("lab pager: write %s() in user/lib/upager.c (docs/labs/pager.md)", fn);
    _exit(2);
}

LAB pager: END */
uint32_t upager_pages(const struct upager *pg)
{
    return pg->npages;
}

int upager_is_given(const struct upager *pg, uint32_t page)
{
    return pg->given[page];
}

int upager_bits(struct upager *pg, uint32_t page, int clear)
{
    uint8_t bits;
    int r = pagoda_uffd_bits(pg->uffd, (void *)(pg->base + page * UPAGER_PAGE), 1, &bits, clear);
    return r < 0 ? r : bits;
}

/* The default store: the pager's own memory, one copy of each dirty evicted page. */
static int fetch(struct upager *pg, uint32_t page)
{
    if (pg->ops->fetch)
        return pg->ops->fetch(pg->self, page, pg->buf);
    if (pg->kept[page])
        memcpy(pg->buf, pg->kept[page], UPAGER_PAGE);
    return pg->kept[page] != NULL;
}

static void usage(struct upager *pg)
{
    if (pg->ops->usage) {
        pg->ops->usage(pg->self, &pg->st.kept_pages, &pg->st.kept_bytes);
        return;
    }
    pg->st.kept_pages = 0;
    for (uint32_t i = 0; pg->kept && i < pg->npages; i++)
        pg->st.kept_pages += pg->kept[i] != NULL;
    pg->st.kept_bytes = pg->st.kept_pages * UPAGER_PAGE;
}
/* LAB pager: BEGIN */

/* The store's half of an eviction: the dirty page just taken back, kept for the next
 * fetch. */
static void store(struct upager *pg, uint32_t page)
{
    pg->st.dirty++;
    if (pg->ops->store) {
        pg->ops->store(pg->self, page, pg->buf);
        return;
    }
    if (!pg->kept[page] && !(pg->kept[page] = malloc(UPAGER_PAGE)))
        die("malloc");
    memcpy(pg->kept[page], pg->buf, UPAGER_PAGE);
}
/* LAB pager: STUB
LAB pager: END */

/* The page becomes missing in the client; if it was written since it was given, its
 * contents come back in buf and go to the store (a clean page: the store has it). */
static void evict(struct upager *pg, uint32_t page)
{
    /* LAB pager: BEGIN */
    int r = pagoda_uffd_evict(pg->uffd, (void *)(pg->base + page * UPAGER_PAGE), pg->buf);
    if (r < 0) {
        errno = -r;
        die("pagoda_uffd_evict");
    }
    if (r == 1)
        store(pg, page);
    pg->given[page] = 0;
    pg->ngiven--;
    pg->st.evictions++;
    /* LAB pager: STUB
    (void)pg, (void)page;
    unwritten("evict");
    LAB pager: END */
}

/* The policy's choice; one that is no given page is the policy's bug, said as such. */
static uint32_t victim(struct upager *pg)
{
    uint32_t v;
    if (pg->ops->victim) {
        v = pg->ops->victim(pg, pg->self);
    } else {
        v = pg->fifo[pg->head];
        pg->head = (pg->head + 1) % pg->npages;
    }
    if (v >= pg->npages || !pg->given[v]) {
        errno = EINVAL;
        die("the policy chose a page it had not given");
    }
    return v;
}

/* The pages given form a queue when FIFO chooses: the newest at head + ngiven. */
static void give(struct upager *pg, uint32_t page)
{
    if (!pg->ops->victim)
        pg->fifo[(pg->head + pg->ngiven) % pg->npages] = page;
    pg->given[page] = 1;
    if (++pg->ngiven > pg->st.max_given)
        pg->st.max_given = pg->ngiven;
}

/* Answer a fault on page: its contents (have) or zeros. EEXIST: the page is there
 * already, which is what the answer wanted. */
static void answer(struct upager *pg, uint32_t page, int have)
{
    /* LAB pager: BEGIN */
    uintptr_t dst = pg->base + page * UPAGER_PAGE;
    int r;
    if (have) {
        struct uffdio_copy c = {.dst = dst, .src = (uintptr_t)pg->buf, .len = UPAGER_PAGE};
        r = ioctl(pg->uffd, UFFDIO_COPY, &c);
    } else {
        struct uffdio_zeropage z = {.range = {.start = dst, .len = UPAGER_PAGE}};
        r = ioctl(pg->uffd, UFFDIO_ZEROPAGE, &z);
    }
    if (r < 0 && errno != EEXIST)
        die(have ? "UFFDIO_COPY" : "UFFDIO_ZEROPAGE");
    /* LAB pager: STUB
    (void)pg, (void)page, (void)have;
    unwritten("answer");
    LAB pager: END */
}

/* One fault: make room within the budget first, then fetch and give. */
static void serve_fault(struct upager *pg, uint32_t page)
{
    if (!pg->given[page]) {
        while (pg->budgeted && pg->ngiven >= pg->budget)
            evict(pg, victim(pg));
        give(pg, page);
    }
    int have = fetch(pg, page);
    pg->st.faults++;
    pg->st.zero_fills += !have;
    answer(pg, page, have);
}

static void flush(struct upager *pg)
{
    for (uint32_t i = 0; pg->budgeted && i < pg->npages; i++)
        if (pg->given[i])
            evict(pg, i);
    pg->head = 0;
}

/* A command from the client, answered on the reply pipe. 1 for the last one, or when
 * the client has gone (the pipe hung up). */
static int command(struct upager *pg)
{
    char cmd;
    if (read_full(pg->cmd, &cmd, 1) < 0)
        return 1;
    if (cmd != CMD_GIVEN)
        flush(pg);
    usage(pg);
    if (cmd == CMD_GIVEN ? write_full(pg->reply, pg->given, pg->npages) < 0
                         : write_full(pg->reply, &pg->st, sizeof(pg->st)) < 0)
        die("answering the client");
    return cmd == CMD_STOP;
}

/* The next fault to serve: 1 and its page, which its message names; 0 if there was none
 * after all (EAGAIN: a fault can be answered before it is read, by the kernel itself if
 * the client was killed). */
static int next_fault(struct upager *pg, uint32_t *page)
{
    /* LAB pager: BEGIN */
    struct uffd_msg m;
    ssize_t n = read(pg->uffd, &m, sizeof(m));
    if (n < 0 && errno == EAGAIN)
        return 0;
    if (n != sizeof(m))
        die("read");
    *page = ((uintptr_t)m.arg.pagefault.address - pg->base) / UPAGER_PAGE;
    if (m.event != UFFD_EVENT_PAGEFAULT || *page >= pg->npages) {
        errno = EINVAL;
        die("a message for no page of the region");
    }
    return 1;
    /* LAB pager: STUB
    (void)pg, (void)page;
    unwritten("next_fault");
    LAB pager: END */
}

/* The pager process: it waits for a fault or a command, until the client says stop or
 * is gone. The client waits for one or the other, never both, so they come one at a time. */
static void serve(struct upager *pg)
{
    pg->given = calloc(pg->npages, 1);
    pg->fifo = pg->ops->victim ? NULL : calloc(pg->npages, sizeof(*pg->fifo));
    pg->kept = pg->ops->fetch ? NULL : calloc(pg->npages, sizeof(*pg->kept));
    if (!pg->given || (!pg->ops->victim && !pg->fifo) || (!pg->ops->fetch && !pg->kept))
        die("calloc");
    for (;;) {
        struct pollfd fds[2] = {{.fd = pg->uffd, .events = POLLIN},
                                {.fd = pg->cmd, .events = POLLIN}};
        if (poll(fds, 2, -1) < 0)
            die("poll");
        uint32_t page;
        if (fds[0].revents & POLLIN) {
            if (next_fault(pg, &page))
                serve_fault(pg, page);
        } else if (fds[1].revents && command(pg))
            _exit(0);
        else if (fds[0].revents)
            die("the descriptor");
    }
}

/* The descriptor, its handshake, and the region registered with it: the descriptor, or -1. */
static int make_uffd(struct upager_client *c)
{
    int uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);   /* Linux polls no other */
    struct uffdio_api api = {.api = UFFD_API};
    if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api) < 0)
        return -1;
    c->region = map_pages(c->npages);
    struct uffdio_register reg = {
        .range = {.start = (uintptr_t)c->region, .len = c->npages * UPAGER_PAGE},
        .mode = UFFDIO_REGISTER_MODE_MISSING};
    if (ioctl(uffd, UFFDIO_REGISTER, &reg) < 0) {
        close(uffd);
        return -1;
    }
    return uffd;
}

/* Whether the kernel exports page bits and eviction: said once per program. */
static int exports_exist(int uffd, const void *region)
{
    static int said;
    uint8_t bits;
    if (pagoda_uffd_bits(uffd, region, 1, &bits, 0) == 1)
        return 1;
    if (!said++)
        ktap_diag("exports unavailable (not Pagoda): no frame budget");
    return 0;
}

int upager_start(struct upager_client *c, uint32_t npages, uint32_t budget,
                 const struct upager_ops *ops, void *self)
{
    *c = (struct upager_client){.npages = npages, .budget = budget};
    signal(SIGPIPE, SIG_IGN);   /* a pager gone is an error to report, not a death */
    int uffd = make_uffd(c), cmd[2], reply[2];
    if (uffd < 0 || pipe(cmd) < 0 || pipe(reply) < 0) {
        fprintf(stderr, "upager: userfaultfd set-up: %s\n", strerror(errno));
        return -1;
    }
    c->budgeted = exports_exist(uffd, c->region);
    c->pid = fork();
    if (c->pid == 0) {
        close(cmd[1]);
        close(reply[0]);
        static struct upager pg;
        pg = (struct upager){.uffd = uffd, .cmd = cmd[0], .reply = reply[1],
                             .base = (uintptr_t)c->region, .npages = npages, .budget = budget,
                             .budgeted = c->budgeted, .ops = ops, .self = self,
                             .st = {.budgeted = (uint32_t)c->budgeted}};
        serve(&pg);
    }
    close(uffd);                /* the pager's copy is the only one: its exit ends it all */
    close(cmd[0]);
    close(reply[1]);
    c->cmd = cmd[1];
    c->reply = reply[0];
    return c->pid < 0 ? -1 : 0;
}

/* A command, and the pager's answer: 0, or -1 if the pager is gone. */
static int ask(struct upager_client *c, char cmd, void *answer, size_t len)
{
    return write_full(c->cmd, &cmd, 1) < 0 ? -1 : read_full(c->reply, answer, len);
}

int upager_flush(struct upager_client *c, struct upager_stats *st)
{
    return ask(c, CMD_FLUSH, st, sizeof(*st));
}

int upager_given(struct upager_client *c, uint8_t *given)
{
    return ask(c, CMD_GIVEN, given, c->npages);
}

int upager_stop(struct upager_client *c, struct upager_stats *st)
{
    int answered = ask(c, CMD_STOP, st, sizeof(*st));
    int status = wait_status(c->pid);
    close(c->cmd);
    close(c->reply);
    munmap(c->region, c->npages * UPAGER_PAGE);
    return answered == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}
