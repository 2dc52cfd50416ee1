/* user/test_ptshare.c: fork that shares page tables (vm.cow=2, mm/ptshare.c) at its edges:
 * writes under a shared table in parent and child, munmap and mprotect of part of a range,
 * the parent or the child exiting first (a grandchild checks the data), eviction while a
 * table is shared, a fork of a fork, and mlock in the child. Every check holds for any fork
 * that keeps address spaces apart, so the program runs on Linux too (the vmstat counters,
 * Pagoda-only, are skipped there).
 * Usage: test_ptshare MODE [PAGES [pressure]]. MODE is the kernel's vm.cow: with 2 the
 * counters must show tables shared and copied, with 0 or 1 none. PAGES is the region's
 * size (default 1536: three page tables' worth of addresses); "pressure" makes a child
 * touch as many pages again, so that pages under shared tables are evicted, and checks
 * that some were. */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

enum { ORIG, PARENT, CHILD, GRANDCHILD };

static char *base;                  /* the region under test */
static uint32_t npages = 1536;
static int tables_mode;             /* vm.cow=2: fork shares page tables */

/* Page i's mark as `who` left it: its first and last words (a whole page's worth of
 * checking costs time on a machine that swaps, and a page moves whole anyway). */
static uint32_t mark(uint32_t page, uint32_t who)
{
    return (0x9E3779B9u * (page + 1)) ^ (who << 28);
}

static void put(uint32_t page, uint32_t who)
{
    uint32_t *w = (uint32_t *)(base + page * PAGE_SIZE);
    w[0] = w[PAGE_SIZE / 4 - 1] = mark(page, who);
}

static int holds(uint32_t page, uint32_t who)
{
    const uint32_t *w = (const uint32_t *)(base + page * PAGE_SIZE);
    return w[0] == mark(page, who) && w[PAGE_SIZE / 4 - 1] == mark(page, who);
}

/* Every page in [first, end) holds who's mark. */
static int all_hold(uint32_t first, uint32_t end, uint32_t who)
{
    for (uint32_t i = first; i < end; i++)
        if (!holds(i, who))
            return 0;
    return 1;
}

static int setup(void)
{
    base = mmap(NULL, npages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                -1, 0);
    if (base == MAP_FAILED)
        return 0;
    for (uint32_t i = 0; i < npages; i++)
        put(i, ORIG);
    return 1;
}

static void teardown(void)
{
    munmap(base, npages * PAGE_SIZE);
}

/* In a child: leave with status 1 unless cond holds. */
static void expect(int cond)
{
    if (!cond)
        _exit(1);
}

static void wait_for(int fd)
{
    char c;
    expect(read(fd, &c, 1) == 1);
}

static void tell(int fd)
{
    expect(write(fd, "x", 1) == 1);
}

/* A global counter (Pagoda only; 0 elsewhere). */
static uint64_t counter(size_t offset, int pid)
{
    struct pagoda_vmstat st;
    if (pagoda_vmstat(&st, pid) < 0)
        return 0;
    return *(const uint64_t *)((const char *)&st + offset);
}
#define COUNTER(field, pid) counter(__builtin_offsetof(struct pagoda_vmstat, field), pid)

/* On Pagoda: the process copied page tables (unshared) exactly when the mode shares them. */
static int copied_as_the_mode_says(void)
{
    return !on_pagoda() || (COUNTER(tables_copied, getpid()) > 0) == tables_mode;
}

static int check_child(const char *name, void (*fn)(void *))
{
    char why[64];
    int status = run_in_child(fn, NULL);
    return ktap_check(status == 0, name, "child %s", describe_status(status, why, sizeof(why)));
}

/* Child and parent each write a page under the shared table, then look at both. */
static int pipe_a[2], pipe_b[2];

static void isolation_child(void *arg)
{
    (void)arg;
    put(0, CHILD);
    tell(pipe_a[1]);
    wait_for(pipe_b[0]);                /* the parent has written page 1 */
    expect(holds(0, CHILD) && all_hold(1, npages, ORIG) && copied_as_the_mode_says());
}

/* A fresh region; the child runs fn, which tells the parent (pipe_a) when the parent is
 * to write `page`, and is told (pipe_b) when it has. 1 if all went well on both sides. */
static int handshake(void (*fn)(void *), uint32_t page)
{
    int ok = setup() && pipe(pipe_a) == 0 && pipe(pipe_b) == 0;
    pid_t pid = ok ? fork() : -1;
    if (pid == 0) {
        fn(NULL);
        _exit(0);
    }
    if (pid < 0)
        return 0;
    char c;
    ok = read(pipe_a[0], &c, 1) == 1;
    put(page, PARENT);
    ok = write(pipe_b[1], "x", 1) == 1 && ok;
    ok = wait_status(pid) == 0 && ok;
    close(pipe_a[0]), close(pipe_a[1]), close(pipe_b[0]), close(pipe_b[1]);
    return ok;
}

static void test_isolation(void)
{
    int ok = handshake(isolation_child, 1);
    ktap_check(ok && holds(0, ORIG) && holds(1, PARENT) && all_hold(2, npages, ORIG),
               "write_in_parent_and_child", "a write crossed over (or the child failed)");
    teardown();
}

/* munmap of part of the range in the child, then in the parent with the child alive. */
static void unmap_child(void *arg)
{
    (void)arg;
    expect(munmap(base + npages / 4 * PAGE_SIZE, npages / 4 * PAGE_SIZE) == 0);
    expect(all_hold(0, npages / 4, ORIG) && all_hold(npages / 2, npages, ORIG));
    put(0, CHILD);
    expect(holds(0, CHILD));
}

static void unmapped_by_parent_child(void *arg)
{
    (void)arg;
    wait_for(pipe_a[0]);
    expect(all_hold(0, npages, ORIG));
}

static void test_munmap(void)
{
    int ok = setup() && check_child("munmap_part_in_child", unmap_child);
    ok = ok && all_hold(0, npages, ORIG);
    ok = ok && pipe(pipe_a) == 0;
    pid_t pid = ok ? fork() : -1;
    if (pid == 0) {
        unmapped_by_parent_child(NULL);
        _exit(0);
    }
    if (pid > 0) {
        ok = munmap(base + npages / 2 * PAGE_SIZE, npages / 4 * PAGE_SIZE) == 0;
        ok = write(pipe_a[1], "x", 1) == 1 && ok;
        ok = wait_status(pid) == 0 && ok;
        ok = ok && all_hold(0, npages / 2, ORIG) && all_hold(npages * 3 / 4, npages, ORIG);
        close(pipe_a[0]), close(pipe_a[1]);
    }
    ktap_check(ok, "munmap_part_in_parent", "the parent's or the child's pages changed");
    teardown();
}

/* mprotect of part of the range in the child: it may no longer write there, the parent may. */
static void protect_child(void *arg)
{
    (void)arg;
    expect(mprotect(base, npages / 2 * PAGE_SIZE, PROT_READ) == 0);
    tell(pipe_a[1]);
    wait_for(pipe_b[0]);                /* the parent has written page 0 */
    expect(all_hold(0, npages, ORIG));
    int status = run_in_child(write_byte_at, base);
    expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    put(npages / 2, CHILD);
    expect(holds(npages / 2, CHILD));
}

static void test_mprotect(void)
{
    int ok = handshake(protect_child, 0);
    ktap_check(ok && holds(0, PARENT) && all_hold(1, npages, ORIG), "mprotect_part_in_child",
               "a write crossed over, or the child could write its read-only page");
    teardown();
}

/* The middle process makes the region (so it owns the tables), forks the grandchild and
 * exits at once (parent_first) or after the grandchild has checked (child_first: then the
 * grandchild exits first and the middle one checks). The grandchild reports on `report`. */
static int report[2];

static void grandchild(int parent_gone, int first)
{
    char c;
    if (first)
        expect(read(parent_gone, &c, 1) == 0);  /* end of file: the middle process exited */
    int ok = all_hold(0, npages, ORIG);
    put(npages - 1, GRANDCHILD);
    ok = ok && holds(npages - 1, GRANDCHILD);
    expect(write(report[1], ok ? "y" : "n", 1) == 1);
}

static void middle(void *arg)
{
    int parent_first = arg != NULL, gone[2];
    expect(setup() && pipe(gone) == 0);
    pid_t pid = fork();
    expect(pid >= 0);
    if (pid == 0) {
        close(gone[1]);
        grandchild(gone[0], parent_first);
        _exit(0);
    }
    if (parent_first)
        _exit(0);                       /* the owner of the shared tables leaves first */
    expect(wait_status(pid) == 0);
    put(0, PARENT);
    expect(holds(0, PARENT) && all_hold(1, npages, ORIG));
}

static void test_exit_order(const char *name, int parent_first)
{
    char got = 0;
    int ok = pipe(report) == 0;
    char why[64];
    int status = ok ? run_in_child(middle, parent_first ? "first" : NULL) : -1;
    close(report[1]);                   /* a grandchild that fails leaves end of file */
    ok = ok && read(report[0], &got, 1) == 1 && got == 'y';
    while (waitpid(-1, NULL, 0) > 0)
        ;                               /* the orphaned grandchild, if it came to us (init) */
    close(report[0]);
    ktap_check(ok && status == 0, name, "grandchild said %c, middle process %s", got ? got : '-',
               describe_status(status, why, sizeof(why)));
}

/* Pressure: the child touches as many pages again, so the shared tables' pages are
 * evicted while shared; both then read every page back. */
static void pressure_child(void *arg)
{
    (void)arg;
    char *more = mmap(NULL, npages * PAGE_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect(more != MAP_FAILED);
    for (uint32_t i = 0; i < npages; i++)
        more[i * PAGE_SIZE] = (char)i;
    expect(all_hold(0, npages, ORIG));
}

static void test_swap(int pressure)
{
    if (!pressure) {
        ktap_skip("swap_child_reads_back", "no pressure asked for");
        ktap_skip("swap_out_under_shared_table", "no pressure asked for");
        return;
    }
    uint64_t outs = COUNTER(swap_outs, 0);
    int ok = setup() && check_child("swap_child_reads_back", pressure_child);
    ok = ok && all_hold(0, npages, ORIG);
    ktap_check(ok && (!on_pagoda() || COUNTER(swap_outs, 0) > outs),
               "swap_out_under_shared_table", "a page came back wrong, or nothing was evicted");
    teardown();
}

/* A fork of a fork: three address spaces on the same tables, each writes its own page. */
static void fork_of_fork_b(void *arg)
{
    (void)arg;
    put(0, GRANDCHILD);
    expect(holds(0, GRANDCHILD) && all_hold(1, npages, ORIG) && copied_as_the_mode_says());
}

static void fork_of_fork_a(void *arg)
{
    (void)arg;
    expect(run_in_child(fork_of_fork_b, NULL) == 0);
    put(1, CHILD);
    expect(holds(0, ORIG) && holds(1, CHILD) && all_hold(2, npages, ORIG));
}

static void test_fork_of_fork(void)
{
    uint64_t shared = COUNTER(tables_shared, 0);
    int ok = setup() && check_child("fork_of_fork_children", fork_of_fork_a);
    put(2, PARENT);
    ok = ok && all_hold(0, 2, ORIG) && holds(2, PARENT) && all_hold(3, npages, ORIG);
    /* Two forks, each of at least the region's tables (npages / 1024 of them, or more). */
    uint64_t now = COUNTER(tables_shared, 0);
    int counted = !on_pagoda() || (tables_mode ? now - shared >= 2 * (npages / 1024) : now == shared);
    ktap_check(ok && counted, "fork_of_fork", "pages crossed over, or %llu tables shared",
               (unsigned long long)(now - shared));
    teardown();
}

/* mlock in the child: its pages are locked (and its own), the parent's unchanged. */
static void mlock_child(void *arg)
{
    (void)arg;
    expect(mlock(base, 8 * PAGE_SIZE) == 0);
    expect(all_hold(0, npages, ORIG));
    put(0, CHILD);
    expect(holds(0, CHILD) && munlock(base, 8 * PAGE_SIZE) == 0 && holds(0, CHILD));
}

static void test_mlock(void)
{
    int ok = setup() && check_child("mlock_child_runs", mlock_child);
    ktap_check(ok && all_hold(0, npages, ORIG), "mlock_in_child", "the parent's pages changed");
    teardown();
}

int main(int argc, char **argv)
{
    tables_mode = argc > 1 && atoi(argv[1]) == 2;
    if (argc > 2)
        npages = (uint32_t)atoi(argv[2]);
    int pressure = argc > 3 && strcmp(argv[3], "pressure") == 0;
    ktap_plan(12);
    test_isolation();
    test_munmap();
    test_mprotect();
    test_exit_order("parent_exits_first", 1);
    test_exit_order("child_exits_first", 0);
    test_swap(pressure);
    test_fork_of_fork();
    test_mlock();
    return ktap_finish();
}
