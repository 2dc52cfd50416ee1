/* user/test_alloc.c: frame allocation among processes, run as init with few frames:
 * `test_alloc equal|proportional|priority|pff` (booted with the matching vm.alloc= or
 * vm.pff=1, and vm.scope=local). Two children touch their pages over and over; the
 * parent reads their allocations (and residency) from the kernel while they run. */
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"

#define PAGE 4096

/* Touch `pages` pages for ever (until killed); with pages < 0, touch -pages once, then idle. */
static void child(int pages, int nice)
{
    setpriority(PRIO_PROCESS, 0, nice);
    int n = pages < 0 ? -pages : pages;
    char *mem = map_pages(n);
    for (unsigned r = 1;; r++) {
        for (int i = 0; i < n; i++)
            mem[(size_t)i * PAGE] = (char)r;
        if (pages < 0)
            pause();
    }
}

static pid_t spawn(int pages, int nice)
{
    pid_t pid = fork();
    if (pid == 0)
        child(pages, nice);
    return pid;
}

static void wait_half_second(void)
{
    struct timespec ts = {0, 500000000};
    nanosleep(&ts, NULL);
}

/* Does the allocation look as the scheme says? (A is the bigger, or favoured, child.) */
static int follows_scheme(const char *mode, const struct pagoda_vmstat *a,
                          const struct pagoda_vmstat *b)
{
    if (strcmp(mode, "equal") == 0)
        return a->alloc_frames == b->alloc_frames;
    if (strcmp(mode, "pff") == 0)       /* A faults: it grows past its share; B idles: shrinks */
        return a->alloc_frames > 256 / 3 && b->alloc_frames <= 24;
    return a->alloc_frames > 2 * b->alloc_frames;     /* 4x the size, or nice 0 vs 15 */
}

/* Local replacement keeps a process within its allocation (a few pages of slack: the
 * allocation moves between samples). */
static int within_allocation(const struct pagoda_vmstat *s)
{
    return s->resident_pages <= s->alloc_frames + 8;
}

static void stop(pid_t a, pid_t b)
{
    kill(a, SIGKILL);
    kill(b, SIGKILL);
    waitpid(a, NULL, 0);
    waitpid(b, NULL, 0);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    ktap_plan(2);
    if (!pagoda_only("allocation") || !pagoda_only("local_limit"))
        return ktap_finish();
    int pff = strcmp(mode, "pff") == 0, prio = strcmp(mode, "priority") == 0;
    /* Sizes and priorities that each scheme must tell apart. */
    pid_t a = spawn(pff ? 300 : prio ? 150 : 240, 0);
    pid_t b = spawn(pff ? -20 : prio ? 150 : 60, prio ? 15 : 0);
    /* Allocations follow the processes' behaviour, and local replacement then brings
     * each within its allocation: wait until both hold. Progress is counted in the
     * children's faults, not in seconds: how many faults fit in a second depends on how
     * fast the host finishes the emulated disk's requests, so the bound is generous
     * (the test runner's timeout catches a kernel that never gets there). */
    struct pagoda_vmstat sa, sb;
    for (int i = 0; i < 2000; i++) {
        wait_half_second();
        pagoda_vmstat(&sa, a);
        pagoda_vmstat(&sb, b);
        if (i >= 4 && follows_scheme(mode, &sa, &sb) && within_allocation(&sa))
            break;
    }
    ktap_diag("%s: A alloc %u resident %u (nice %d); B alloc %u resident %u (nice %d)", mode,
              sa.alloc_frames, sa.resident_pages, sa.nice, sb.alloc_frames, sb.resident_pages,
              sb.nice);
    ktap_check(follows_scheme(mode, &sa, &sb), "allocation_follows_the_scheme", "A %u B %u", sa.alloc_frames, sb.alloc_frames);
    ktap_check(within_allocation(&sa), "resident_within_allocation",
               "A resident %u, allocated %u", sa.resident_pages, sa.alloc_frames);
    stop(a, b);
    return ktap_finish();
}
