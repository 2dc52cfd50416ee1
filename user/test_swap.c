/* user/test_swap.c: swapping under memory pressure, run as init with few frames
 * (vm.frames=N). Every page carries a pattern unique to its index and round; not one
 * byte may differ after it went to swap and came back. Usage: test_swap MODE, with
 * MODE hog, fork, cowevict, multi, elide, oom, switch, pipe or exec (each a boot test of its
 * own). The boot tests run them with a vm.frames= quota and on small machines
 * (16 to 32 MiB) without one. On Linux: build/rootfs/bin/test_swap hog runs as is
 * (the Pagoda-only checks are skipped; sizes default to 256 pages). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sched.h>
#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"
#include "user/lib/mem.h"

#define PAGE 4096u
#define WORDS (PAGE / 4)

/* The word j of page i in round r: every page and every round differs. */
static uint32_t pattern(uint32_t i, uint32_t j, uint32_t round)
{
    return (i << 12) ^ j ^ (round * 0x9E3779B9u);
}

static void fill(uint32_t *mem, size_t npages, uint32_t round)
{
    for (size_t i = 0; i < npages; i++)
        for (uint32_t j = 0; j < WORDS; j++)
            mem[i * WORDS + j] = pattern(i, j, round);
}

/* The number of pages that differ from round's pattern (the first is reported). */
static size_t verify(const uint32_t *mem, size_t npages, uint32_t round)
{
    size_t bad = 0;
    for (size_t i = 0; i < npages; i++) {
        for (uint32_t j = 0; j < WORDS; j++) {
            if (mem[i * WORDS + j] != pattern(i, j, round)) {
                if (bad == 0)
                    ktap_diag("page %zu word %u: %08x, expected %08x", i, j,
                              mem[i * WORDS + j], pattern(i, j, round));
                bad++;
                break;
            }
        }
    }
    return bad;
}

/* How many pages the user may have resident: vm.frames, read back from the kernel. */
static size_t user_frames(void)
{
    struct pagoda_vmstat st;
    if (pagoda_vmstat(&st, 0) < 0)
        return 256;                     /* on Linux: any size will do */
    return st.user_frames_limit;
}

/* Write, then several rounds of verify-and-rewrite, then a last verify. */
static size_t hog(uint32_t *mem, size_t npages, uint32_t first_round, int rounds)
{
    size_t bad = 0;
    fill(mem, npages, first_round);
    for (int r = 1; r <= rounds; r++) {
        bad += verify(mem, npages, first_round + r - 1);
        fill(mem, npages, first_round + r);
    }
    return bad + verify(mem, npages, first_round + rounds);
}

static int mode_hog(size_t frames)
{
    size_t n = 3 * frames;
    uint32_t *mem = map_pages(n);
    ktap_plan(2);
    ktap_check(hog(mem, n, 0, 3) == 0, "hog_3x_frames_verifies", "pages differ");
    struct pagoda_vmstat st;
    int on = pagoda_vmstat(&st, getpid()) == 0;
    ktap_check(!on || (st.swap_outs > 0 && st.swap_ins > 0), "hog_swapped",
               "swap_outs %llu swap_ins %llu", (unsigned long long)st.swap_outs,
               (unsigned long long)st.swap_ins);
    return ktap_finish();
}

/* Children first see the parent's pages, then write their own: each must see only
 * its own writes, parent and children alike. */
static int mode_fork(size_t frames)
{
    size_t n = 2 * frames;
    uint32_t *mem = map_pages(n);
    ktap_plan(3);
    fill(mem, n, 1);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            size_t bad = verify(mem, n, 1);
            bad += hog(mem, n, 10 + k * 10, 2);
            _exit(bad ? 1 : 0);
        }
    }
    size_t bad = hog(mem, n, 100, 2);
    int ok_kids = 1;
    for (int k = 0; k < 2; k++) {
        int st = wait_status(kids[k]);
        ok_kids &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    ktap_check(ok_kids, "children_see_parent_then_own_pages", "a child found a bad page");
    ktap_check(bad == 0, "parent_sees_only_its_writes", "%zu pages differ", bad);
    ktap_check(verify(mem, n, 102) == 0, "parent_pages_after_children_exit", "pages differ");
    return ktap_finish();
}

/* A page written before fork, then copied away by the parent's next write, lives on in
 * the child alone: it is still dirty (its only copy is in memory), though the child never
 * wrote it. The parent then pushes the child's pages out, and the child must read back
 * what the parent wrote before the fork (Silberschatz, OSC 9.3 and 9.4.1). */
static int mode_cowevict(size_t frames)
{
    size_t n = frames / 4, pressure = 2 * frames;
    uint32_t *mem = map_pages(n), *big = map_pages(pressure);
    int go[2];
    ktap_plan(2);
    fill(mem, n, 1);
    if (pipe(go) != 0) {
        ktap_diag("pipe: %s", strerror(errno));
        return ktap_finish();
    }
    pid_t kid = fork();
    if (kid == 0) {
        char c;
        close(go[1]);
        if (read_full(go[0], &c, 1) != 0)
            _exit(2);
        _exit(verify(mem, n, 1) ? 1 : 0);
    }
    close(go[0]);
    fill(mem, n, 2);                    /* the parent copies every page away */
    fill(big, pressure, 3);             /* and the child's pages go out */
    size_t bad = verify(mem, n, 2);
    write_full(go[1], "g", 1);
    int st = wait_status(kid);
    ktap_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child_keeps_pages_written_before_fork",
               "child status %x", st);
    ktap_check(bad == 0, "parent_keeps_its_copies", "%zu pages differ", bad);
    return ktap_finish();
}

/* Several hogs at once, while another child keeps forking and exiting. */
static int mode_multi(size_t frames)
{
    enum { HOGS = 3 };
    ktap_plan(2);
    pid_t kids[HOGS + 1];
    for (int k = 0; k < HOGS; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            size_t n = frames;
            uint32_t *mem = map_pages(n);
            _exit(hog(mem, n, k * 1000, 3) ? 1 : 0);
        }
    }
    kids[HOGS] = fork();
    if (kids[HOGS] == 0) {
        uint32_t *mem = map_pages(16);
        fill(mem, 16, 7);
        for (int i = 0; i < 20; i++) {
            pid_t c = fork();
            if (c == 0)
                _exit(verify(mem, 16, 7) ? 1 : 0);
            int st = wait_status(c);
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                _exit(1);
        }
        _exit(0);
    }
    int ok = 1;
    for (int k = 0; k < HOGS; k++) {
        int st = wait_status(kids[k]);
        ok &= WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    ktap_check(ok, "concurrent_hogs_verify", "a hog found a bad page");
    int st = wait_status(kids[HOGS]);
    ktap_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "forking_beside_hogs", "status %x", st);
    return ktap_finish();
}

/* Pages written once and then only read go to swap once: later evictions find their
 * swap copy still good and skip the write (the dirty bit says they are clean). */
static int mode_elide(size_t frames)
{
    size_t n = 3 * frames;
    uint32_t *mem = map_pages(n);
    ktap_plan(3);
    fill(mem, n, 5);
    struct pagoda_vmstat before, after;
    if (pagoda_vmstat(&before, 0) < 0) {
        ktap_skip("read_rounds_verify", "not on Pagoda");
        ktap_skip("no_second_writeback", "not on Pagoda");
        ktap_skip("writebacks_avoided", "not on Pagoda");
        return ktap_finish();
    }
    /* The first read round pushes out the pages still resident (and dirty) from the
     * fill: each is written once. The rounds after it must write nothing again. */
    size_t bad = verify(mem, n, 5);
    pagoda_vmstat(&before, 0);
    bad += verify(mem, n, 5) + verify(mem, n, 5);
    pagoda_vmstat(&after, 0);
    uint64_t outs = after.swap_outs - before.swap_outs;
    uint64_t avoided = after.writebacks_avoided - before.writebacks_avoided;
    ktap_diag("two read-only rounds: %llu swap-outs, %llu write-backs avoided, %llu swap-ins",
              (unsigned long long)outs, (unsigned long long)avoided,
              (unsigned long long)(after.swap_ins - before.swap_ins));
    ktap_check(bad == 0, "read_rounds_verify", "%zu pages differ", bad);
    ktap_check(outs < n / 8, "no_second_writeback", "%llu swap-outs for %zu clean pages",
               (unsigned long long)outs, n);
    ktap_check(avoided >= n, "writebacks_avoided", "only %llu", (unsigned long long)avoided);
    return ktap_finish();
}

/* Memory and swap run out: the biggest process is killed, the rest go on intact. */
static int mode_oom(size_t frames)
{
    size_t mine = frames / 4;
    uint32_t *mem = map_pages(mine);
    ktap_plan(3);
    fill(mem, mine, 3);
    pid_t glutton = fork();
    if (glutton == 0) {
        size_t n = 64 * frames;         /* far more than memory and swap together */
        uint32_t *big = map_pages(n);
        fill(big, n, 9);
        _exit(0);                       /* not reached: the OOM killer takes us first */
    }
    int st = wait_status(glutton);
    char buf[64];
    ktap_check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "largest_process_killed", "%s",
               describe_status(st, buf, sizeof(buf)));
    ktap_check(verify(mem, mine, 3) == 0, "survivor_data_verifies", "pages differ");
    struct pagoda_vmstat g;
    int on = pagoda_vmstat(&g, 0) == 0;
    ktap_check(!on || g.oom_kills == 1, "one_oom_kill_counted", "oom_kills %llu",
               (unsigned long long)g.oom_kills);
    return ktap_finish();
}

/* The policy changes between rounds while pages are resident and on swap: each new
 * policy starts from the resident pages the kernel tells it of, and nothing is lost. */
static int mode_switch(size_t frames)
{
    size_t n = 2 * frames;
    uint32_t *mem = map_pages(n);
    ktap_plan(2);
    fill(mem, n, 0);
    struct pagoda_policy_info info;
    size_t bad = 0;
    int i;
    for (i = 0; pagoda_policy_info(i, &info) == 0; i++) {
        int err = pagoda_policy(info.name, NULL, 0);
        if (err)
            ktap_diag("choosing %s: %s", info.name, strerror(-err));
        bad += err != 0;
        bad += verify(mem, n, i);
        fill(mem, n, i + 1);
    }
    ktap_check(!on_pagoda() || i >= 2, "policies_listed", "%d policies", i);
    ktap_check(bad + verify(mem, n, i) == 0, "switching_under_load_verifies", "%zu bad", bad);
    return ktap_finish();
}

/* A child that keeps memory full: it fills twice the frames and rewrites them until
 * killed, so the machine swaps the whole time. It returns once the child has pushed a
 * whole memory's worth of pages out to swap (on Linux, at once). */
static pid_t start_pressure(size_t frames)
{
    struct pagoda_vmstat st;
    pid_t pid = fork();
    if (pid == 0) {
        size_t n = 2 * frames;
        uint32_t *mem = map_pages(n);
        for (uint32_t r = 0;; r++)
            fill(mem, n, r);
    }
    while (pagoda_vmstat(&st, 0) == 0 && st.swap_outs < frames)   /* the daemon counts too */
        sched_yield();
    return pid;
}

static void stop_pressure(pid_t pid)
{
    kill(pid, SIGKILL);
    wait_status(pid);
}

/* A pipeline moves data while memory is full: a writer sends pages of the pattern
 * through a pipe, the reader checks every word. Pipe buffers come from the same pool
 * as user pages, so the kernel must reclaim for them too. */
static int mode_pipe(size_t frames)
{
    enum { PAGES = 2048 };
    ktap_plan(2);
    pid_t hog_pid = start_pressure(frames);
    int fd[2];
    if (pipe(fd) != 0) {
        ktap_diag("pipe: %s", strerror(errno));
        stop_pressure(hog_pid);
        return ktap_finish();
    }
    pid_t writer = fork();
    if (writer == 0) {
        close(fd[0]);
        static uint32_t page[WORDS];
        for (uint32_t i = 0; i < PAGES; i++) {
            for (uint32_t j = 0; j < WORDS; j++)
                page[j] = pattern(i, j, 77);
            if (write_full(fd[1], page, PAGE) < 0)
                _exit(1);
        }
        _exit(0);
    }
    close(fd[1]);
    static uint32_t page[WORDS];
    size_t bad = 0, got = 0;
    while (read_full(fd[0], page, PAGE) == 0) {
        for (uint32_t j = 0; j < WORDS; j++)
            bad += page[j] != pattern(got, j, 77);
        got++;
    }
    close(fd[0]);
    int st = wait_status(writer);
    stop_pressure(hog_pid);
    ktap_check(got == PAGES && WIFEXITED(st) && WEXITSTATUS(st) == 0, "pipeline_moved_everything",
               "%zu of %d pages, writer status %x", got, PAGES, st);
    ktap_check(bad == 0, "pipeline_data_verifies", "%zu words differ", bad);
    return ktap_finish();
}

/* exec under pressure: programs start (their text paged in from the file) while the
 * machine swaps. */
static int mode_exec(size_t frames)
{
    enum { RUNS = 20 };
    ktap_plan(1);
    pid_t hog_pid = start_pressure(frames);
    char path[64];
    int ok = 0;
    for (int i = 0; i < RUNS; i++) {
        pid_t c = fork();
        if (c == 0) {
            execl(bin_path(path, sizeof(path), "echo"), "echo", "exec under pressure", (char *)NULL);
            _exit(127);
        }
        int st = wait_status(c);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    stop_pressure(hog_pid);
    ktap_check(ok == RUNS, "exec_under_pressure", "%d of %d runs exited 0", ok, RUNS);
    return ktap_finish();
}

int main(int argc, char **argv)
{
    static const struct { const char *name; int (*run)(size_t); } modes[] = {
        {"hog", mode_hog}, {"fork", mode_fork}, {"cowevict", mode_cowevict},
        {"multi", mode_multi},
        {"elide", mode_elide}, {"oom", mode_oom}, {"switch", mode_switch},
        {"pipe", mode_pipe}, {"exec", mode_exec},
    };
    setvbuf(stdout, NULL, _IONBF, 0);
    for (size_t i = 0; argc == 2 && i < sizeof(modes) / sizeof(modes[0]); i++)
        if (strcmp(argv[1], modes[i].name) == 0)
            return modes[i].run(user_frames());
    fprintf(stderr, "usage: test_swap hog|fork|cowevict|multi|elide|oom|switch|pipe|exec\n");
    return 2;
}
