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
    uint64_t prepaged;           /* pages brought in ahead of a fault (vm.prepage) */
    uint64_t prepage_hits;       /* ... then used: a fault saved */
    uint64_t prepage_unused;     /* ... and dropped again untouched */
    uint64_t fault_cycles;       /* TSC cycles spent in the fault handler (service time) */
    uint64_t suspensions, resumes;   /* working-set control (vm.ws) */
    uint64_t swap_clusters;      /* disk commands that wrote a cluster of pages (pageout) */
    uint64_t direct_reclaims;    /* evictions an allocating process did itself */
    uint64_t prezeroed;          /* free frames the idle loop zeroed ahead (vm.prezero) */
    uint64_t prezero_hits;       /* zeroed frames wanted and found zeroed ... */
    uint64_t prezero_misses;     /* ... or zeroed on the spot */
    uint64_t cache_hits;         /* faults that mapped a page already in the page cache */
    uint64_t file_writebacks;    /* dirty file pages evicted: written back to their file */
    uint64_t pages_cleaned;      /* dirty file pages written back in place (msync, sync, ...) */
    uint64_t uffd_faults;        /* faults handed to a user-space pager (userfaultfd) */
    uint64_t uffd_fills;         /* pages a user-space pager gave (UFFDIO_COPY, ZEROPAGE) */
    uint64_t tables_shared;      /* page tables a fork shared (vm.cow=2, mm/ptshare.c) */
    uint64_t tables_copied;      /* ... and copied again at a change under them (unshare) */
    uint64_t periodic_cleaned;   /* of pages_cleaned, those the daemon's periodic write-back did */
};

extern struct vm_counters vmstat_global;
extern struct vm_counters *vmstat_own;   /* the running process's (vmstat_switch) */

/* Count an event for the whole system and for the current process: two adds, no call
 * and no test (the fault path counts several events, and a count should cost nothing
 * beside the work it counts). */
#define VM_ADD(field, n) (vmstat_global.field += (n), vmstat_own->field += (n))
#define VM_COUNT(field) VM_ADD(field, 1)

/* The scheduler names the running process's counters (NULL: none runs), through
 * mm_switch_to (mm/mm.h). */
void vmstat_switch(struct vm_counters *own);

/* One console line "vmstat: minor_faults N major_faults N ...", as init exits. */
void vmstat_print(const struct vm_counters *c);

#endif
