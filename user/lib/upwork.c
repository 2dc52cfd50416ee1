/* user/lib/upwork.c: the client's workload for the lesson pagers (see upwork.h). Every
 * byte the pager gives is checked: a page must hold what the client last wrote there,
 * whether it stayed, went to the pager's store and came back, or was inherited by fork. */
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"
#include "user/lib/upwork.h"

#define WORDS (UPAGER_PAGE / 4)
#define RUN 16                  /* words in a run of equal words */
#define BENCH_PAGES 256

uint32_t upwork_word(uint32_t p, uint32_t r, uint32_t i)
{
    return (p * 2654435761u ^ r) + (i / RUN) * 0x9e3779b9u;
}

void upwork_fill(uint32_t *page, uint32_t p, uint32_t r)
{
    for (uint32_t i = 0; i < WORDS; i++)
        page[i] = upwork_word(p, r, i);
}

/* What word i of page p holds after round r (round 0: what the pager starts with). */
static uint32_t expected(const struct upwork *w, uint32_t p, uint32_t r, uint32_t i)
{
    return r == 0 && !w->from_file ? 0 : upwork_word(p, r, i);
}

static int page_ok(const struct upwork *w, const uint32_t *page, uint32_t p, uint32_t r)
{
    for (uint32_t i = 0; i < WORDS; i++)
        if (page[i] != expected(w, p, r, i))
            return 0;
    return 1;
}

static void usage(const char *prog)
{
    fprintf(stderr, "usage: %s [BUDGET [PAGES [ROUNDS]]] | bench\n"
                    "  (pages of 4 KiB; defaults 64, 3 x BUDGET, 4)\n", prog);
    exit(2);
}

static uint32_t number(const char *prog, const char *s)
{
    char *end;
    unsigned long n = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n == 0 || n > 65536)
        usage(prog);
    return (uint32_t)n;
}

int upwork_args(int argc, char **argv, struct upwork *w)
{
    if (argc == 2 && strcmp(argv[1], "bench") == 0) {
        w->budget = w->npages = BENCH_PAGES;
        return 1;
    }
    if (argc > 4)
        usage(argv[0]);
    w->budget = argc > 1 ? number(argv[0], argv[1]) : 64;
    w->npages = argc > 2 ? number(argv[0], argv[2]) : 3 * w->budget;
    w->rounds = argc > 3 ? number(argv[0], argv[3]) : 4;
    return 0;
}

/* One run in progress: the pager's client, and what the checks found so far. */
struct run {
    const struct upwork *w;
    struct upager_client c;
    uint32_t hot, every;        /* the hot set: pages [0, hot), touched every `every` pages */
    uint32_t bad, max_resident;
    uint8_t *vec;               /* mincore's answer */
};

/* KTAP checks named after the run ("clock: pager started"), reasons formatted. */
static const char *named(const struct run *x, const char *what)
{
    static char name[96];
    snprintf(name, sizeof(name), "%s: %s", x->w->name, what);
    return name;
}

static int check(const struct run *x, int ok, const char *what, const char *fmt, ...)
    KTAP_PRINTF(4, 5);
static int check(const struct run *x, int ok, const char *what, const char *fmt, ...)
{
    char why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    return ktap_check(ok, named(x, what), "%s", why);
}

static uint32_t *page_at(const struct run *x, uint32_t p)
{
    return (uint32_t *)(x->c.region + p * UPAGER_PAGE);
}

static uint32_t resident(struct run *x)
{
    uint32_t n = 0;
    if (mincore(x->c.region, x->c.npages * UPAGER_PAGE, x->vec) < 0)
        return ~0u;
    for (uint32_t p = 0; p < x->c.npages; p++)
        n += x->vec[p] & 1;
    return n;
}

/* The hot set is read again between pieces of the scan: its pages were written this
 * round already, and a policy that sees them used keeps them. */
static void touch_hot(struct run *x, uint32_t r)
{
    for (uint32_t h = 0; h < x->hot; h++)
        x->bad += page_at(x, h)[0] != expected(x->w, h, r, 0);
}

/* Round r: every page must hold round r - 1's words; then it gets round r's. */
static void one_round(struct run *x, uint32_t r)
{
    for (uint32_t p = 0; p < x->c.npages; p++) {
        x->bad += !page_ok(x->w, page_at(x, p), p, r - 1);
        upwork_fill(page_at(x, p), p, r);
        if ((p + 1) % x->every == 0 && p >= x->hot)
            touch_hot(x, r);
    }
    uint32_t n = resident(x);
    if (n > x->max_resident)
        x->max_resident = n;
}

/* What a fork child found in the region it inherited. */
struct inherited {
    uint32_t resident, swapped, missing, bad;
};

/* In the child: a page resident in the parent (mincore) must be the parent's, as must
 * one the pager still counts given but that was not resident (on the kernel's own swap);
 * a page the pager had taken back is missing, and reads zeros in the child, which no
 * pager serves (registrations are not inherited). */
static void check_inherited(const struct run *x, const uint8_t *given, uint32_t r, int fd)
{
    struct inherited in = {0, 0, 0, 0};
    for (uint32_t p = 0; p < x->c.npages; p++) {
        const uint32_t *page = page_at(x, p);
        if (x->vec[p] & 1) {
            in.resident++;
            in.bad += !given[p] || !page_ok(x->w, page, p, r);
        } else if (given[p]) {
            in.swapped++;
            in.bad += !page_ok(x->w, page, p, r);
        } else {
            in.missing++;
            in.bad += first_mismatch(page, UPAGER_PAGE, 0) >= 0;
        }
    }
    _exit(write_full(fd, &in, sizeof(in)) < 0);
}

/* Forks the checking child after round r: its pid (*fd reads its findings), or -1. */
static pid_t fork_checker(struct run *x, uint32_t r, int *fd)
{
    uint8_t *given = malloc(x->c.npages);
    int fds[2];
    if (!given || upager_given(&x->c, given) < 0 || resident(x) == ~0u || pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        close(x->c.cmd);        /* the pager must see its client go, not wait for this one */
        check_inherited(x, given, r, fds[1]);
    }
    close(fds[1]);
    free(given);
    *fd = fds[0];
    return pid;
}

static void report_inherited(const struct run *x, pid_t pid, int fd)
{
    struct inherited in = {0, 0, 0, 1};
    int got = pid > 0 && read_full(fd, &in, sizeof(in)) == 0;
    int status = pid > 0 ? wait_status(pid) : -1;
    if (pid > 0)
        close(fd);
    ktap_diag("%s fork child: %u resident, %u on the kernel's swap, %u missing, %u bad",
              x->w->name, in.resident, in.swapped, in.missing, in.bad);
    check(x, got && status == 0 && in.bad == 0, "fork child: resident pages the parent's, "
               "missing ones zeros", "%u bad pages, child status %#x", in.bad, status);
}

static void report_stats(const struct run *x, const struct upager_stats *st, int stopped)
{
    ktap_diag("%s: %u faults (%u zero-filled), %u evictions (%u dirty), at most %u given, "
              "%u resident", x->w->name, st->faults, st->zero_fills, st->evictions, st->dirty,
              st->max_given, x->max_resident);
    if (x->c.budgeted)
        check(x, x->max_resident <= x->w->budget && st->max_given <= x->w->budget &&
                   st->evictions > 0, "frame budget kept", "budget %u: %u resident, "
                   "%u given, %u evictions", x->w->budget, x->max_resident, st->max_given,
                   st->evictions);
    else
        ktap_skip(named(x, "frame budget kept"), "exports unavailable (not Pagoda)");
    check(x, stopped, "pager stopped", "no answer or a bad exit");
}

/* A client killed without a word: its pager must see the command pipe hang up, and exit.
 * The pager inherits the write end of `gone` from the client, whose parent reads it to
 * the end of file: once both are gone. */
static void check_orphaned_pager(const struct run *x)
{
    int gone[2];
    pid_t client = pipe(gone) == 0 ? fork() : -1;
    if (client == 0) {
        close(gone[0]);
        struct upager_client c;
        if (upager_start(&c, 1, 1, x->w->ops, x->w->self) == 0)
            read_byte((uintptr_t)c.region);     /* one fault served */
        kill(getpid(), SIGKILL);
    }
    char byte;
    close(gone[1]);
    ssize_t n = client > 0 ? read(gone[0], &byte, 1) : -1;
    int status = wait_status(client);
    while (waitpid(-1, NULL, 0) > 0)
        ;                       /* the orphaned pager, if this process is init */
    close(gone[0]);
    check(x, n == 0 && status != -1 && WIFSIGNALED(status),
          "pager exits when its client is killed", "read %zd, client status %#x", n, status);
}

static int run_rounds(struct run *x, struct upager_stats *st)
{
    const struct upwork *w = x->w;
    uint32_t fork_after = w->rounds > 1 ? w->rounds / 2 : 1;
    int fd = -1;
    pid_t child = -1;
    for (uint32_t r = 1; r <= w->rounds; r++) {
        one_round(x, r);
        if (r == fork_after)
            child = fork_checker(x, r, &fd);   /* the parent goes on meanwhile */
    }
    check(x, x->bad == 0, "every byte, every round", "%u of %u rounds x %u pages wrong",
               x->bad, w->rounds, w->npages);
    report_inherited(x, child, fd);
    int stopped = upager_stop(&x->c, st) == 0;
    report_stats(x, st, stopped);
    check_orphaned_pager(x);
    return x->bad == 0 && stopped;
}

int upwork_run(const struct upwork *w, struct upager_stats *st)
{
    static struct run x;
    x = (struct run){.w = w, .hot = w->budget / 4, .every = w->budget / 8 ? w->budget / 8 : 1,
                     .vec = malloc(w->npages)};
    memset(st, 0, sizeof(*st));
    int started = x.vec && upager_start(&x.c, w->npages, w->budget, w->ops, w->self) == 0;
    ktap_diag("%s: budget %u pages, region %u pages, %u rounds, hot set %u", w->name,
              w->budget, w->npages, w->rounds, x.hot);
    if (!check(&x, started, "pager started", "see above")) {
        for (int i = 1; i < UPWORK_CHECKS; i++)
            check(&x, 0, "not run", "no pager");
        return 0;
    }
    int ok = run_rounds(&x, st);
    free(x.vec);
    return ok;
}

/* Write every page (the pager gives what it starts with), take them all back (the store
 * now holds every page), then time reading them again: each read is one fault served
 * from the store, with room for all. */
int upwork_bench(const struct upwork *w)
{
    struct upager_client c;
    struct upager_stats before, after;
    if (upager_start(&c, w->npages, w->budget, w->ops, w->self) < 0)
        return 1;
    for (uint32_t p = 0; p < w->npages; p++)
        upwork_fill((uint32_t *)(c.region + p * UPAGER_PAGE), p, 1);
    int ok = upager_flush(&c, &before) == 0;
    uint64_t t0 = pagoda_work_clock();
    uint32_t bad = 0;
    for (uint32_t p = 0; p < w->npages; p++)
        bad += *(uint32_t *)(c.region + p * UPAGER_PAGE) != upwork_word(p, 1, 0);
    uint64_t t1 = pagoda_work_clock();
    ok &= upager_stop(&c, &after) == 0 && bad == 0;
    uint32_t faults = after.faults - before.faults;
    if (!c.budgeted || faults == 0)
        printf("# bench: exports unavailable (not Pagoda): no figure\n");
    else
        printf("bench pager_%s_fault %llu instructions\n", w->name,
               (unsigned long long)((t1 - t0) / faults));
    return !ok;
}
