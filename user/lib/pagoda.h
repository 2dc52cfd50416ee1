/* user/lib/pagoda.h: C wrappers for Pagoda's own system calls (user/pagoda_abi.h).
 * Each returns 0 (or a value) on success and -errno on failure: -ENOSYS on Linux. */
#ifndef USER_LIB_PAGODA_H
#define USER_LIB_PAGODA_H

#include <stdint.h>
#include "user/pagoda_abi.h"

/* pid 0: the global counters; otherwise that process's own counters. */
int pagoda_vmstat(struct pagoda_vmstat *st, int pid);

/* The physical address of the frame behind addr, or -EFAULT if it is not resident. */
long pagoda_frame_of(const void *addr);

/* Sets the replacement policy to name (NULL: leave it) and copies the current one to cur:
 * -EINVAL for an unknown name, -ERANGE if cur's len bytes are too few. */
int pagoda_policy(const char *name, char *cur, int len);

/* The i-th policy the kernel knows (0 is the default), or -ENOENT past the last. */
int pagoda_policy_info(int i, struct pagoda_policy_info *info);

/* Kernel resource counts, as the boot tests use them for leak checks. */
int pagoda_heapstat(struct pagoda_kstat *ks);

/* A user-space pager's view of the pages of its region (user/pagoda_abi.h): each page's
 * PAGODA_PAGE_* bits into bits[], the accessed bits cleared if clear; npages or -errno. */
int pagoda_uffd_bits(int uffd, const void *start, uint32_t npages, uint8_t *bits, int clear);

/* Evict one page of a pager's region: 1 if it was dirty (its contents now in buf's 4096
 * bytes), 0 if it was clean or already missing; -errno. */
int pagoda_uffd_evict(int uffd, const void *page, void *buf);

/* Closed files' clean cached pages given back: how many; -ENOSYS on Linux. */
int pagoda_drop_caches(void);

/* The time-stamp counter minus the CPU's idle time (under QEMU -icount shift=0:
 * instructions executed by programs and kernel, not waiting for the disk). */
uint64_t pagoda_work_clock(void);

/* The time-stamp counter itself (under QEMU -icount: instructions and idle time). */
uint64_t read_tsc(void);

/* 1 when running on Pagoda (its calls exist), 0 on another kernel such as Linux. */
int on_pagoda(void);

/* For a Pagoda-only test: returns 1 on Pagoda; elsewhere reports name as skipped, returns 0. */
int pagoda_only(const char *name);

#endif
