/* user/pager_clock.c: lesson 3 of the external pagers (docs/pagers.md): page replacement
 * as a user-space policy. The pager keeps its client within a budget of frames and
 * chooses which page to take back with the clock algorithm (second chance, Tanenbaum,
 * Modern Operating Systems 3.4.5), over the accessed bits the kernel exports to it.
 *
 * Tanenbaum 3.6.6 ("Separation of Policy and Mechanism") puts the replacement choice in
 * the user-space pager and leaves the kernel the mechanism: the MMU sets a page's
 * accessed bit, the kernel reports and clears it (pagoda_uffd_bits), and takes the page
 * back when told (pagoda_uffd_evict). Linux gives a pager neither; Pagoda exports both.
 * The hand sweeps the region's pages: a page used since the hand last passed has its bit
 * cleared and is spared (its second chance); the first page found unused goes. The
 * library's default, FIFO (3.4.3), evicts the page given longest ago however much it is
 * used. Both run the same workload, whose hot set is read again between pieces of a scan
 * over three times the budget: FIFO throws the hot pages out and faults them back in,
 * clock keeps them, so on Pagoda clock must take no more faults than FIFO. The count is
 * exact, not timed: the pager runs only while its client waits for it. Evicted dirty
 * pages are kept in the pager's memory (the library's default store).
 *
 * On Pagoda: make run INIT=/bin/pager_clock (the tests user-pager-clock with vm.check=1,
 * and small16-user-pager-clock: a region larger than the machine, which swaps as well).
 * On Linux (x86-64 with IA32 emulation, as root or vm.unprivileged_userfaultfd=1):
 *     build/rootfs/bin/pager_clock [BUDGET [PAGES [ROUNDS]]]     or     ... bench */
#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"
#include "user/lib/upwork.h"

struct hand {
    uint32_t at;                /* the next page the hand looks at */
};

/* Two turns of the hand always find a victim: the first clears every bit it finds set. */
static uint32_t clock_victim(struct upager *pg, void *self)
{
    /* LAB pager: BEGIN */
    struct hand *h = self;
    uint32_t n = upager_pages(pg), last = h->at;
    for (uint32_t step = 0; step < 2 * n; step++) {
        uint32_t p = h->at;
        h->at = (p + 1) % n;
        if (!upager_is_given(pg, p))
            continue;
        int bits = upager_bits(pg, p, 1);
        if (bits < 0 || !(bits & PAGODA_PAGE_ACCESSED))
            return p;
        last = p;
    }
    return last;
    /* LAB pager: STUB
    (void)self;
    ktap_diag("lab pager: write clock_victim() in user/pager_clock.c (docs/labs/pager.md)");
    return upager_pages(pg);
    LAB pager: END */
}

static const struct upager_ops fifo_ops = {0};   /* every choice the library's default */
static const struct upager_ops clock_ops = {.victim = clock_victim};

int main(int argc, char **argv)
{
    struct hand h = {0};
    struct upwork fifo = {.name = "fifo", .ops = &fifo_ops};
    struct upwork clock = {.name = "clock", .ops = &clock_ops, .self = &h};
    int bench = upwork_args(argc, argv, &fifo);
    upwork_args(argc, argv, &clock);
    if (bench)
        return upwork_bench(&clock);
    ktap_plan(2 * UPWORK_CHECKS + 1);
    struct upager_stats f, c;
    upwork_run(&fifo, &f);
    upwork_run(&clock, &c);
    ktap_diag("faults: fifo %u, clock %u", f.faults, c.faults);
    if (f.budgeted && c.budgeted)
        ktap_check(c.faults <= f.faults, "clock faults no more than fifo",
                   "clock %u, fifo %u", c.faults, f.faults);
    else
        ktap_skip("clock faults no more than fifo", "exports unavailable: no replacement");
    return ktap_finish();
}
