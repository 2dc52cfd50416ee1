/* mm/trace.h: the VM event trace (vm.trace=1). Page faults, evictions and the process
 * events that change an address space go out on COM2, one text line each (docs/tracing.md). */
#ifndef MM_TRACE_H
#define MM_TRACE_H

#include <stdint.h>
#include "mm/traceline.h"      /* trace_on, trace_frame: the lowest layer's part */

struct frame;
struct mm;
struct proc;

/* What happened to a page. Each is printed as the name of the vmstat counter it
 * goes with, in the singular ("zero_fill" for zero_fills). */
enum trace_kind {
    TRACE_ZERO_FILL, TRACE_FILE_FILL, TRACE_SWAP_IN, TRACE_COW_COPY, TRACE_COW_REUSE,
    TRACE_CACHE_HIT,             /* mapped a page already in the page cache */
    TRACE_UFFD_FILL,             /* a user-space pager gave the page (UFFDIO_COPY, ZEROPAGE) */
    TRACE_SEGV,
    TRACE_SWAP_OUT, TRACE_WRITEBACK_AVOIDED, TRACE_CLEAN_DROP,
    TRACE_FILE_WRITEBACK,        /* evicted dirty, written back to its file */
};

void trace_init(void);      /* reads vm.trace; with vm.trace=1, COM2 carries the trace */

/* A fault at va in mm ended as kind, with the page in frame pa (0: none). Inline, so
 * that with tracing off a fault pays one test, not a call with five arguments. */
void trace_fault_line(struct mm *mm, enum trace_kind kind, uint32_t va, uint32_t pa,
                      uint32_t write);
static inline void trace_fault(struct mm *mm, enum trace_kind kind, uint32_t va, uint32_t pa,
                               uint32_t write)
{
    if (trace_on)
        trace_fault_line(mm, kind, va, pa, write);
}
/* The frame is about to be evicted as kind: one line per mapping, with its owner. */
void trace_eviction(struct frame *f, enum trace_kind kind);
/* mm's regions changed (mmap, munmap, brk, mprotect, the stack grew): all of them. */
void trace_regions(struct mm *mm);
/* Pages of [start, end) of mm were unmapped (munmap, brk shrinking, MAP_FIXED). */
void trace_unmap(struct mm *mm, uint32_t start, uint32_t end);

/* Process events. Fork and exec are followed by the regions and a "map" line for every page the new
 * address space already holds, so a reader of the trace knows every resident page. */
void trace_fork(struct proc *child);
void trace_exec(struct proc *p);
void trace_exit(struct proc *p);

#endif
