/* user/test_ws.c: the working-set estimate (Denning; Silberschatz, OSC 9.6.2), run as init
 * with vm.ws=1 and frames to spare. The program touches 96 pages over and over, then only
 * 16 of them; after each phase it reads its own working-set size from the kernel. The
 * estimate must count the pages referenced within the window Δ, so it follows the
 * second phase down while all 96 pages stay resident: a working set is not the resident
 * set. Each phase lasts 400 ms of the guest's clock, the clock the sampler's ticks
 * count (every 100 ms), so at least three samples fall in it however fast the host
 * runs the emulator; the process runs throughout, so the older pages fall out of its
 * window of its own execution (5 M instructions).
 * On Linux the test is skipped: the working-set size is Pagoda's. */
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"

#define PAGE 4096
#define BIG 96
#define SMALL 16
#define SLACK 16          /* the program's own text, data, stack and libc pages */

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Touch the first `pages` pages of mem round after round for `ms` milliseconds. */
static void touch_for(volatile char *mem, int pages, uint64_t ms)
{
    uint64_t end = now_ms() + ms;
    for (unsigned r = 1; now_ms() < end; r++)
        for (int i = 0; i < pages; i++)
            mem[(size_t)i * PAGE] = (char)r;
}

static struct pagoda_vmstat self(void)
{
    struct pagoda_vmstat st;
    pagoda_vmstat(&st, getpid());
    return st;
}

int main(void)
{
    ktap_plan(4);
    if (!pagoda_only("the working-set size"))
        return ktap_finish();
    char *mem = map_pages(BIG);
    touch_for(mem, BIG, 400);
    struct pagoda_vmstat big = self();
    touch_for(mem, SMALL, 400);
    struct pagoda_vmstat small = self();
    ktap_diag("working set %u pages touching %d, %u touching %d (resident %u)", big.ws_pages,
              BIG, small.ws_pages, SMALL, small.resident_pages);
    ktap_check(big.ws_pages >= BIG && big.ws_pages <= BIG + SLACK, "counts_the_pages_in_use",
               "%u pages, touching %d", big.ws_pages, BIG);
    ktap_check(small.ws_pages >= SMALL && small.ws_pages <= SMALL + SLACK,
               "forgets_pages_older_than_the_window", "%u pages, touching %d", small.ws_pages,
               SMALL);
    ktap_check(small.resident_pages >= BIG, "the_old_pages_stay_resident", "%u resident",
               small.resident_pages);
    ktap_check(small.suspended == 0, "one_process_is_never_suspended", "suspended %u",
               small.suspended);
    return ktap_finish();
}
