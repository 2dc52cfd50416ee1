/* user/pagoda_abi.h: Pagoda's own system calls (numbers above 1000) for user programs:
 * VM statistics, the frame behind a virtual address, and policy control. */
#ifndef USER_PAGODA_H
#define USER_PAGODA_H

#include <stdint.h>

#define SYS_pagoda_vmstat   1001   /* (struct pagoda_vmstat *buf, int pid): 0 or -errno; pid 0 = global */
#define SYS_pagoda_frame_of 1002   /* (uint32_t vaddr): physical frame address, or -EFAULT if not resident */
#define SYS_pagoda_policy   1003   /* (const char *name or NULL, char *cur, int len): set/get the policy */
#define SYS_pagoda_heapstat 1004   /* (struct pagoda_kstat *buf): kernel resource counts (leak checks) */
#define SYS_pagoda_policy_info 1005 /* (int i, struct pagoda_policy_info *buf): the i-th policy, or -ENOENT */
/* What a user-space pager cannot see, exported on purpose (docs/pagers.md): the region must
 * be registered with the userfaultfd uffd; pages of the address space that descriptor serves. */
#define SYS_pagoda_uffd_bits  1006 /* (int uffd, uint32_t start, uint32_t npages, uint8_t *bits,
                                    *  int clear): PAGODA_PAGE_* of each page into bits[i];
                                    *  clear 1 also clears the accessed bits; npages or -errno */
#define SYS_pagoda_uffd_evict 1007 /* (int uffd, uint32_t page, void *buf): the page is missing
                                    *  afterwards (its next touch is the pager's fault): 1 if it
                                    *  was dirty, its 4096 bytes in buf; 0 if it was clean or
                                    *  already missing (the pager's copy is current); -errno */
#define SYS_pagoda_drop_caches 1008 /* (void): closed files' clean cached pages given back
                                    *  (Linux: echo 1 > /proc/sys/vm/drop_caches); how many */
/* Their errors (1006, 1007): EBADF (uffd is no userfaultfd), EINVAL (unaligned, or npages 0 or more than
 * 1024), ENOENT (not inside one region registered with uffd), ESRCH (the address space is
 * gone), EFAULT (bits or buf). */

/* Page bits reported by pagoda_uffd_bits. Dirty: written since the pager gave the page (or
 * out on the kernel's swap, which the pager cannot tell from written). */
#define PAGODA_PAGE_PRESENT  1
#define PAGODA_PAGE_ACCESSED 2
#define PAGODA_PAGE_DIRTY    4

/* Policy names fit in this many bytes with their NUL (vm.policy=NAME, vmctl policy NAME). */
#define PAGODA_POLICY_NAME_MAX 16

struct pagoda_vmstat {
    uint64_t minor_faults, major_faults;
    uint64_t zero_fills, file_fills;
    uint64_t cow_copies, cow_reuses;
    uint64_t swap_outs, swap_ins, clean_drops, writebacks_avoided;
    uint64_t clock_sweeps, oom_kills;
    uint64_t prepaged, prepage_hits, prepage_unused;
    uint64_t fault_cycles;        /* TSC cycles spent servicing faults (mean: / faults) */
    uint64_t suspensions, resumes;
    uint64_t swap_clusters;       /* disk commands that wrote a cluster of evicted pages */
    uint64_t direct_reclaims;     /* evictions done by an allocating process, not the daemon */
    uint64_t prezeroed;           /* free frames the idle loop zeroed ahead (vm.prezero) */
    uint64_t prezero_hits, prezero_misses;  /* zeroed frames taken ready, or zeroed then */
    uint64_t cache_hits;          /* faults that mapped a page already in the page cache */
    uint64_t file_writebacks;     /* dirty file pages evicted: written back to their file */
    uint64_t pages_cleaned;       /* dirty file pages written back in place (msync, sync, ...) */
    uint64_t uffd_faults;         /* faults handed to a user-space pager (userfaultfd) */
    uint64_t uffd_fills;          /* pages a user-space pager gave (UFFDIO_COPY, ZEROPAGE) */
    uint64_t tables_shared;       /* page tables a fork shared (vm.cow=2) */
    uint64_t tables_copied;       /* ... and copied again at a change under them */
    uint64_t periodic_cleaned;    /* of pages_cleaned, those the periodic write-back did */
    uint32_t resident_pages;
    uint32_t frames_free, frames_total;
    uint32_t swap_slots_free, swap_slots_total;
    char policy[PAGODA_POLICY_NAME_MAX];
    uint32_t user_frames_limit;   /* vm.frames: how many frames user pages may use */
    uint32_t user_frames_used;
    uint64_t idle_cycles;         /* TSC ticks the CPU spent idle (waiting for the disk) */
    uint32_t ws_pages;            /* working set: pages referenced within the window Δ */
    int32_t nice;
    uint32_t suspended;           /* swapped out by working-set control (vm.ws=1) */
    uint32_t fault_rate;          /* faults per second over the last sample */
    uint64_t run_cycles;          /* TSC cycles the process has run */
    uint32_t locked_pages;        /* of resident_pages, those in locked regions (mlock) */
    uint32_t rss_limit_pages;     /* a process's RLIMIT_RSS in pages (0: none; global: 0) */
    uint32_t alloc_frames;        /* frames allocated to the process (vm.alloc, vm.pff) */
    uint64_t major_fault_work;    /* a process's major faults: TSC cycles of CPU work (the
                                   * disk transfer and reclaim done meanwhile included,
                                   * the idle wait for the disk not) */
    uint64_t major_fault_work_max;    /* ... the most one of them took */
    uint32_t cached_pages;        /* global: frames in the page cache (files, shared memory) */
    uint32_t shared_pages;        /* global: frames mapped by more than one PTE */
};

/* One of the policies the kernel knows, in mm/policy/registry.c's order (the default first). */
struct pagoda_policy_info {
    char name[PAGODA_POLICY_NAME_MAX];
    char description[96];        /* one line, with its textbook source */
    uint32_t active;             /* 1 for the policy in use now */
};

struct pagoda_kstat {
    uint32_t frames_free;
    uint32_t swap_slots_free;
    uint32_t heap_objects;
    uint32_t heap_bytes;
    uint32_t procs_used;
};

#endif
