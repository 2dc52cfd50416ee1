/* user/test_mlock.c: locked memory and local replacement. mlock brings pages in and pins
 * them; a process with an RSS limit (setrlimit RLIMIT_RSS) keeps at most that many
 * unlocked pages resident, evicting its own; locks end with munlock, munmap, exit, and
 * are not inherited by fork. Data must survive all of it. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define LOCKED 4                 /* pages locked */
#define LIMIT 8                  /* RLIMIT_RSS, in pages, for the local-replacement checks */
#define TOUCHED 40               /* unlocked pages cycled through under that limit */

static struct pagoda_vmstat mine(void)
{
    struct pagoda_vmstat st;
    memset(&st, 0, sizeof(st));
    pagoda_vmstat(&st, getpid());
    return st;
}

/* One word per page, different for every page and round. */
static void stamp(char *mem, size_t n, uint32_t round)
{
    for (size_t i = 0; i < n; i++)
        *(volatile uint32_t *)(mem + i * PAGE_SIZE) = (uint32_t)i * 2654435761u + round;
}

static size_t stamps_wrong(const char *mem, size_t n, uint32_t round)
{
    size_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad += *(volatile const uint32_t *)(mem + i * PAGE_SIZE) != (uint32_t)i * 2654435761u + round;
    return bad;
}

static size_t pages_resident(const char *mem, size_t n)
{
    size_t r = 0;
    for (size_t i = 0; i < n; i++)
        r += pagoda_frame_of(mem + i * PAGE_SIZE) >= 0;
    return r;
}

static void check_lock_brings_pages_in(char *locked)
{
    uint32_t before = mine().locked_pages;
    int err = mlock(locked, LOCKED * PAGE_SIZE) ? -errno : 0;
    struct pagoda_vmstat st = mine();
    ktap_check(err == 0 && pages_resident(locked, LOCKED) == LOCKED &&
               st.locked_pages == before + LOCKED, "mlock_brings_pages_in",
               "mlock %d, %zu of %d resident, locked pages %u -> %u", err,
               pages_resident(locked, LOCKED), LOCKED, before, st.locked_pages);
}

/* Cycle through TOUCHED pages with only LIMIT frames for them: the process evicts its
 * own pages (swap-outs, though memory is plentiful), never more than LIMIT stay, the
 * locked pages keep their frames, and every page keeps its data. */
static void check_local_replacement(char *locked, char *pages)
{
    long frames_before[LOCKED];
    for (int i = 0; i < LOCKED; i++)
        frames_before[i] = pagoda_frame_of(locked + i * PAGE_SIZE);
    struct rlimit rl = { LIMIT * PAGE_SIZE, LIMIT * PAGE_SIZE }, back;
    int err = setrlimit(RLIMIT_RSS, &rl) ? -errno : 0;
    getrlimit(RLIMIT_RSS, &back);
    ktap_check(err == 0 && back.rlim_cur == LIMIT * PAGE_SIZE && mine().rss_limit_pages == LIMIT,
               "rss_limit_set", "setrlimit %d, getrlimit %lu, kernel %u pages", err,
               (unsigned long)back.rlim_cur, mine().rss_limit_pages);

    uint64_t outs = mine().swap_outs;
    size_t bad = 0, most = 0;
    for (uint32_t round = 1; round <= 3; round++) {
        stamp(pages, TOUCHED, round);
        bad += stamps_wrong(pages, TOUCHED, round);
        struct pagoda_vmstat st = mine();
        if (st.resident_pages - st.locked_pages > most)
            most = st.resident_pages - st.locked_pages;
    }
    int moved = 0;
    for (int i = 0; i < LOCKED; i++)
        moved += pagoda_frame_of(locked + i * PAGE_SIZE) != frames_before[i];
    ktap_check(most <= LIMIT && mine().swap_outs > outs, "own_pages_evicted_at_limit",
               "at most %zu unlocked pages resident (limit %d), %llu swap-outs", most, LIMIT,
               (unsigned long long)(mine().swap_outs - outs));
    ktap_check(moved == 0 && bad == 0, "locked_pages_stay_data_survives",
               "%d locked pages moved, %zu pages wrong", moved, bad);
}

/* Global replacement under memory pressure (a child without an RSS limit using twice
 * the user frames) must not take a locked page either. */
static void check_global_pressure(char *locked)
{
    long frames_before[LOCKED];
    for (int i = 0; i < LOCKED; i++)
        frames_before[i] = pagoda_frame_of(locked + i * PAGE_SIZE);
    struct pagoda_vmstat before, after;
    pagoda_vmstat(&before, 0);
    size_t n = 2 * before.user_frames_limit;
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
        setrlimit(RLIMIT_RSS, &unlimited);
        char *mem = map_pages(n);       /* exits 1 if it cannot */
        stamp(mem, n, 9);
        _exit(stamps_wrong(mem, n, 9) == 0 ? 0 : 1);
    }
    int status = wait_status(pid);
    pagoda_vmstat(&after, 0);
    int moved = 0;
    for (int i = 0; i < LOCKED; i++)
        moved += pagoda_frame_of(locked + i * PAGE_SIZE) != frames_before[i];
    ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0 && moved == 0 &&
               after.swap_outs - before.swap_outs >= n / 2, "locked_pages_survive_pressure",
               "hog of %zu pages: status %#x, %llu swap-outs; %d locked pages moved", n, status,
               (unsigned long long)(after.swap_outs - before.swap_outs), moved);
}

/* The child has no locks of its own; its writes copy the parent's locked pages, which
 * stay pinned in the parent. */
static void check_fork_does_not_inherit(char *locked)
{
    int fds[2];
    uint32_t child_locked = 99;
    if (pipe(fds) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        uint32_t n = mine().locked_pages;
        stamp(locked, LOCKED, 77);
        write_full(fds[1], &n, sizeof(n));
        _exit(stamps_wrong(locked, LOCKED, 77) ? 1 : 0);
    }
    int got = read_full(fds[0], &child_locked, sizeof(child_locked));
    int status = wait_status(pid);
    close(fds[0]);
    close(fds[1]);
    ktap_check(got == 0 && child_locked == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
               mine().locked_pages == LOCKED && stamps_wrong(locked, LOCKED, 3) == 0,
               "fork_does_not_inherit_locks", "child had %u locked, status %#x; parent %u locked",
               child_locked, status, mine().locked_pages);
}

static void check_unlock(char *locked)
{
    stamp(locked, LOCKED, 5);
    int err = munlock(locked + PAGE_SIZE, PAGE_SIZE) ? -errno : 0;    /* one in the middle */
    uint32_t after_one = mine().locked_pages;
    int err_all = munlockall() ? -errno : 0;
    ktap_check(err == 0 && after_one == LOCKED - 1 && err_all == 0 && mine().locked_pages == 0 &&
               stamps_wrong(locked, LOCKED, 5) == 0, "munlock_unpins",
               "munlock %d -> %u locked, munlockall %d -> %u locked", err, after_one, err_all,
               mine().locked_pages);
    mlock(locked, LOCKED * PAGE_SIZE);
    err = munmap(locked, LOCKED * PAGE_SIZE) ? -errno : 0;
    ktap_check(err == 0 && mine().locked_pages == 0, "munmap_unpins", "munmap %d, %u locked",
               err, mine().locked_pages);
}

static void check_refusals(void)
{
    char *hole = map_pages(1);
    munmap(hole, PAGE_SIZE);
    int unmapped = mlock(hole, PAGE_SIZE) ? errno : 0;
    int future = mlockall(MCL_CURRENT | MCL_FUTURE) ? errno : 0;
    struct rlimit zero = { 0, 0 };
    int no_frames = setrlimit(RLIMIT_RSS, &zero) ? errno : 0;
    ktap_check(unmapped == ENOMEM && future == EINVAL && no_frames == EINVAL, "bad_requests_refused",
               "mlock of a hole: %d, MCL_FUTURE: %d, RLIMIT_RSS 0: %d", unmapped, future, no_frames);
}

int main(void)
{
    ktap_plan(9);
    if (!on_pagoda()) {
        static const char *const names[] = {"mlock_brings_pages_in", "rss_limit_set",
            "own_pages_evicted_at_limit", "locked_pages_stay_data_survives",
            "locked_pages_survive_pressure", "fork_does_not_inherit_locks", "munlock_unpins",
            "munmap_unpins", "bad_requests_refused"};
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            ktap_skip(names[i], "not on Pagoda");
        return ktap_finish();
    }
    char *locked = map_pages(LOCKED), *pages = map_pages(TOUCHED);
    check_lock_brings_pages_in(locked);
    stamp(locked, LOCKED, 3);
    check_local_replacement(locked, pages);
    check_global_pressure(locked);
    check_fork_does_not_inherit(locked);
    check_unlock(locked);
    check_refusals();
    return ktap_finish();
}
