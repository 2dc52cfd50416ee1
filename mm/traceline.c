/* mm/traceline.c: the trace's lines on COM2 and the "frames" event. The kernel is never
 * preempted and interrupt handlers do not trace, so lines never interleave. */
#include "mm/traceline.h"
#include "mm/frame.h"
#include "drivers/serial.h"
#include "kernel/printk.h"
#include "kernel/x86.h"

int trace_on;               /* read inline by trace_fault (mm/trace.h) */

static const char *const state_name[] = {
    [FRAME_RESERVED] = "reserved", [FRAME_FREE] = "free",     [FRAME_KERNEL] = "kernel",
    [FRAME_PGTABLE] = "pgtable",   [FRAME_USER] = "user",     [FRAME_BUSY] = "busy",
    [FRAME_PINNED] = "pinned",
};

static void com2_putc(char c, void *arg)
{
    (void)arg;
    serial_putc(COM2, c);
}

void trace_emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kvformat(com2_putc, NULL, fmt, ap);
    va_end(ap);
}

/* "cached": a user page whose swap slot still holds it unchanged (the swap cache). */
static const char *frame_state_name(const struct frame *f)
{
    if (f->state == FRAME_USER && f->swap_slot)
        return "cached";
    return state_name[f->state];
}

void trace_frame(uint32_t pa)
{
    if (trace_on)
        trace_emit("%llu 0 frames %u 1 %s\n", rdtsc(), pa_to_pfn(pa), frame_state_name(frame_of(pa)));
}

void trace_all_frames(uint64_t now)
{
    uint32_t first = 0;
    for (uint32_t i = 1; i <= nframes; i++) {
        if (i < nframes && frame_state_name(&frames[i]) == frame_state_name(&frames[first]))
            continue;
        trace_emit("%llu 0 frames %u %u %s\n", now, first, i - first,
                   frame_state_name(&frames[first]));
        first = i;
    }
}
