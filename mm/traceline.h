/* mm/traceline.h: writing the VM event trace (vm.trace=1, docs/tracing.md), and the one
 * event the frame table writes itself: a frame changed state. It sits in the lowest
 * layer, like printk, so that the frame allocator and the kernel heap can write their
 * lines without depending on processes or address spaces (mm/trace.c writes the rest). */
#ifndef MM_TRACELINE_H
#define MM_TRACELINE_H

#include <stdint.h>

extern int trace_on;        /* vm.trace=1 and COM2 is there (set by trace_init) */

/* Text on COM2, printk's formats; a line is "TIME PID EVENT ARGS\n". */
void trace_emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The frame at pa changed state (allocated, freed, busy with I/O, pinned). */
void trace_frame(uint32_t pa);
/* Every frame's state at `now`, a line per run of frames in the same state. */
void trace_all_frames(uint64_t now);

#endif
