/* user/lib/pagoda.c: wrappers for Pagoda's system calls above 1000 (see pagoda.h).
 * glibc's syscall() turns -errno into -1 and errno; these turn it back into -errno. */
#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

static long result(long r)
{
    return r == -1 ? -errno : r;
}

int pagoda_vmstat(struct pagoda_vmstat *st, int pid)
{
    return result(syscall(SYS_pagoda_vmstat, st, pid));
}

/* Frames live below the 768 MiB direct map, so a frame address never looks like -errno. */
long pagoda_frame_of(const void *addr)
{
    return result(syscall(SYS_pagoda_frame_of, (uint32_t)(uintptr_t)addr));
}

int pagoda_policy(const char *name, char *cur, int len)
{
    return result(syscall(SYS_pagoda_policy, name, cur, len));
}

int pagoda_policy_info(int i, struct pagoda_policy_info *info)
{
    return result(syscall(SYS_pagoda_policy_info, i, info));
}

int pagoda_heapstat(struct pagoda_kstat *ks)
{
    return result(syscall(SYS_pagoda_heapstat, ks));
}

int pagoda_uffd_bits(int uffd, const void *start, uint32_t npages, uint8_t *bits, int clear)
{
    return result(syscall(SYS_pagoda_uffd_bits, uffd, start, npages, bits, clear));
}

int pagoda_uffd_evict(int uffd, const void *page, void *buf)
{
    return result(syscall(SYS_pagoda_uffd_evict, uffd, page, buf));
}

int pagoda_drop_caches(void)
{
    return result(syscall(SYS_pagoda_drop_caches));
}

int on_pagoda(void)
{
    static int answer = -1;
    if (answer < 0) {
        struct pagoda_vmstat st;
        answer = pagoda_vmstat(&st, 0) != -ENOSYS;
    }
    return answer;
}

int pagoda_only(const char *name)
{
    if (on_pagoda())
        return 1;
    ktap_skip(name, "not on Pagoda");
    return 0;
}

/* Instructions executed, under QEMU -icount shift=0 (the TSC counts them), minus the
 * time the CPU sat idle waiting for the disk: the work a benchmark measures. */
uint64_t read_tsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

uint64_t pagoda_work_clock(void)
{
    uint64_t tsc = read_tsc();
    struct pagoda_vmstat st;
    return pagoda_vmstat(&st, 0) == 0 ? tsc - st.idle_cycles : tsc;
}
