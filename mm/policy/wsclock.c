/* mm/policy/wsclock.c: WSClock — the clock hand replaces a clean page that has not been
 * used for more than TAU time units (outside the working set). Tanenbaum, MOS 3.4.9. */
#include "mm/policy/dial.h"

/* The working-set window, in pol_now() units: clock ticks in the kernel, references in
 * vmsim. A page unused for longer than this has left the working set. */
#define WSCLOCK_TAU 50

/* pol_data.stamp holds the last time the hand saw the page referenced (or its load). */
static void wsclock_loaded(uint32_t frame)
{
    pol_data(frame)->stamp = pol_now();
    dial_loaded(frame);
}

static uint32_t idle_time(uint32_t frame)
{
    return pol_now() - pol_data(frame)->stamp;
}

/* One sweep of the dial. A referenced page is in the working set: clear its bit and
 * note the time. An unreferenced page idle longer than TAU is the victim if clean; a
 * dirty one would have its write-back scheduled (Tanenbaum), and we pass it by. If the
 * sweep finds no old clean page, Tanenbaum waits for a scheduled write to finish; we
 * take the page idle longest instead, the first of them among equals. */
static uint32_t wsclock_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    uint32_t oldest = POL_NONE;
    for (uint32_t i = 0, n = dial.count; i < n; i++) {
        uint32_t f = dial_advance();
        if (!dial_candidate(f, eligible, ctx))
            continue;
        if (pol_test_and_clear_referenced(f))
            pol_data(f)->stamp = pol_now();
        else if (idle_time(f) > WSCLOCK_TAU && !pol_dirty(f))
            return f;
        if (oldest == POL_NONE || idle_time(f) > idle_time(oldest))
            oldest = f;
    }
    if (oldest != POL_NONE)
        dial_stop_after(oldest);
    return oldest;
}

const struct vm_policy wsclock_policy = {
    .name = "wsclock",
    .description = "WSClock: working set by a clock hand, clean pages first (Tanenbaum, MOS 3.4.9)",
    .init = dial_init,
    .loaded = wsclock_loaded,
    .removed = dial_removed,
    .tick = 0,
    .choose_victim = wsclock_choose_victim,
};
