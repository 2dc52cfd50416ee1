/* user/test_mremap.c: mremap (mm/mremap.c): shrink, grow in place, refuse to grow into a
 * neighbour without MREMAP_MAYMOVE, move (resident pages and, under pressure, pages out
 * on swap: contents kept, nothing copied), move to a fixed address over a mapping, a
 * shared mapping moved while a child writes to it, glibc's realloc of an mmap'd block,
 * and Linux's errors. Also runs on Linux: build/rootfs/bin/test_mremap. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"

#define PG 4096

static char *map(size_t pages)
{
    return mmap(0, pages * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void fill(char *p, size_t pages, int seed)
{
    for (size_t i = 0; i < pages; i++)
        memset(p + i * PG, (int)(seed + i), PG);
}

/* Pages that do not hold their fill: 0 when every byte does. */
static size_t wrong(const char *p, size_t pages, int seed)
{
    size_t bad = 0;
    for (size_t i = 0; i < pages; i++)
        for (size_t b = 0; b < PG; b++)
            if (p[i * PG + b] != (char)(seed + i)) {
                bad++;
                break;
            }
    return bad;
}

static int mapped(void *p, size_t pages)
{
    unsigned char vec[64];
    return mincore(p, pages * PG, vec) == 0 || errno != ENOMEM;
}

static void check_shrink_and_grow(void)
{
    char *p = map(17);                  /* 8 pages, and room above them that is surely ours */
    munmap(p + 8 * PG, 9 * PG);
    fill(p, 8, 1);
    char *q = mremap(p, 8 * PG, 4 * PG, 0);
    ktap_check(q == p && !wrong(p, 4, 1) && !mapped(p + 4 * PG, 4), "shrink: the tail unmapped",
               "%p %p", (void *)p, (void *)q);
    q = mremap(p, 4 * PG, 8 * PG, 0);
    int zeros = q == p && p[4 * PG] == 0 && p[8 * PG - 1] == 0;
    ktap_check(q == p && zeros && !wrong(p, 4, 1), "grow in place: old pages kept, new zero",
               "%p %p", (void *)p, (void *)q);
    char *next = mmap(p + 8 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    q = mremap(p, 8 * PG, 16 * PG, 0);
    ktap_check(next == p + 8 * PG && q == MAP_FAILED && errno == ENOMEM && !wrong(p, 4, 1),
               "no room and no MREMAP_MAYMOVE: ENOMEM", "errno %d", errno);
    q = mremap(p, 8 * PG, 16 * PG, MREMAP_MAYMOVE);
    ktap_check(q != MAP_FAILED && q != p && !wrong(q, 4, 1) && q[15 * PG] == 0 && !mapped(p, 8) &&
                   mapped(next, 1),
               "MREMAP_MAYMOVE: moved, old range gone, neighbour kept", "%p errno %d", (void *)q,
               errno);
    munmap(q, 16 * PG);
    munmap(next, PG);
}

static void check_fixed(void)
{
    char *a = map(4), *b = map(4);
    fill(a, 4, 10);
    fill(b, 4, 20);
    char *q = mremap(a, 4 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, b);
    ktap_check(q == b && !wrong(b, 4, 10) && !mapped(a, 4), "MREMAP_FIXED replaces a mapping",
               "%p %p", (void *)q, (void *)b);
    char *part = mremap(b + PG, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a);
    ktap_check(part == a && !wrong(a, 1, 11) && !mapped(b + PG, 1) && !wrong(b, 1, 10) &&
                   !wrong(b + 2 * PG, 2, 12),
               "one page moved out of the middle of a region", "%p", (void *)part);
    munmap(a, PG);
    munmap(b, 4 * PG);
}

/* A region larger than the machine's frames (under vm.frames or on a small machine):
 * many of its pages are out on swap when it moves, and come back from the new place. */
static void check_big_move(size_t pages)
{
    char *p = map(pages);
    fill(p, pages, 3);
    char *q = mremap(p, pages * PG, 2 * pages * PG, MREMAP_MAYMOVE);
    ktap_check(q != MAP_FAILED && !wrong(q, pages, 3), "a big region moved intact",
               "%p, %zu pages wrong", (void *)q, q == MAP_FAILED ? 0 : wrong(q, pages, 3));
    munmap(q, 2 * pages * PG);
}

static void check_shared(void)
{
    int fds[2];
    pipe(fds);
    char *s = mmap(0, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 'a';
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        read(fds[0], &c, 1);            /* after the parent moved its mapping */
        s[1] = 'b';
        _exit(0);
    }
    char *t = mremap(s, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, map(2));
    write(fds[1], "m", 1);
    waitpid(pid, NULL, 0);
    ktap_check(t != MAP_FAILED && t[0] == 'a' && t[1] == 'b', "a moved shared mapping is shared",
               "%p '%c%c'", (void *)t, t == MAP_FAILED ? '?' : t[0], t == MAP_FAILED ? '?' : t[1]);
    munmap(t, 2 * PG);
    close(fds[0]);
    close(fds[1]);
}

static void check_realloc(void)
{
    size_t n = 1 << 20;                  /* above glibc's mmap threshold */
    unsigned char *p = malloc(n);
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(i * 7);
    p = realloc(p, 4 * n);
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += p[i] != (unsigned char)(i * 7);
    ktap_check(bad == 0, "realloc of an mmap'd block", "%zu bytes wrong", bad);
    free(p);
}

static void check_errors(void)
{
    char *p = map(2);
    errno = 0;
    void *r1 = mremap(p + 1, PG, 2 * PG, MREMAP_MAYMOVE);
    int e1 = errno;
    void *r2 = mremap(p, PG, 0, MREMAP_MAYMOVE);
    int e2 = errno;
    void *r3 = mremap(p, PG, PG, MREMAP_FIXED, p + 8 * PG);
    int e3 = errno;
    void *r4 = mremap(p, 4 * PG, 8 * PG, MREMAP_MAYMOVE);
    int e4 = errno;
    void *r5 = mremap(p, PG, PG, 0x80);
    int e5 = errno;
    void *r6 = mremap(p, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, p + PG);
    int e6 = errno;
    ktap_check(r1 == MAP_FAILED && e1 == EINVAL && r2 == MAP_FAILED && e2 == EINVAL &&
                   r3 == MAP_FAILED && e3 == EINVAL && r4 == MAP_FAILED && e4 == EFAULT &&
                   r5 == MAP_FAILED && e5 == EINVAL && r6 == MAP_FAILED && e6 == EINVAL,
               "errors: EINVAL EINVAL EINVAL EFAULT EINVAL EINVAL",
               "%d %d %d %d %d %d", e1, e2, e3, e4, e5, e6);
    munmap(p, 2 * PG);
}

int main(int argc, char **argv)
{
    size_t big = argc > 1 ? (size_t)atoi(argv[1]) : 256;
    ktap_plan(10);
    check_shrink_and_grow();
    check_fixed();
    check_big_move(big);
    check_shared();
    check_realloc();
    check_errors();
    return ktap_finish();
}
