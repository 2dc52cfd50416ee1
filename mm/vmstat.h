/* mm/vmstat.h: the VM event counters, kept globally and per process, and shown by
 * the vmstat program (through SYS_pagoda_vmstat). */
#ifndef MM_VMSTAT_H
#define MM_VMSTAT_H

#include <stdint.h>

struct vm_counters {
    uint64_t minor_faults;       /* resolved without disk I/O (zero fill, COW, ...) */
    uint64_t major_faults;       /* needed the disk (file fill, swap-in) */
    uint64_t zero_fills;
    uint64_t file_fills;
    uint64_t cow_copies;         /* a write to a shared page copied it */
    uint64_t cow_reuses;         /* ... or found it no longer shared and kept it */
    uint64_t swap_outs, swap_ins, clean_drops, writebacks_avoided;
    uint64_t clock_sweeps, oom_kills;
};

extern struct vm_counters vm_global_counters;

/* Count an event for the whole system and for the current process. */
#define VM_COUNT(field) vm_count_event(__builtin_offsetof(struct vm_counters, field))
void vm_count_event(uint32_t offset);

/* One console line "vmstat: minor_faults N major_faults N ...", as init exits. */
void vm_counters_print(const struct vm_counters *c);

#endif
