/* user/bench_swap.c: swap benchmarks for `make bench`, run as init with few frames
 * (vm.frames=256) or on a small machine without a quota. Under QEMU -icount the
 * time-stamp counter counts instructions, so "time" is instructions at 1 ns each,
 * without the idle time spent waiting for the emulated disk (the transfer itself, done
 * by the CPU with insw/outsw under PIO, is counted; under DMA the controller moves it):
 * throughput is MiB per second of CPU work, and the disk's wait is printed apart.
 * The region is twice the frames user pages may have. The major fault's mean and worst
 * come from the kernel, which times each fault (mm/fault.c, count_major_work). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/wait.h>
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"

#define PAGE 4096u

struct sample {
    uint64_t tsc;
    struct pagoda_vmstat st;
};

static void take(struct sample *s)
{
    if (pagoda_vmstat(&s->st, 0) < 0) {
        printf("bench_swap: needs Pagoda\n");
        exit(1);
    }
    s->tsc = pagoda_work_clock();
}

/* Page visiting order: sequential, or a fixed pseudo-random permutation. */
static void make_order(uint32_t *order, uint32_t n, int random)
{
    for (uint32_t i = 0; i < n; i++)
        order[i] = i;
    uint32_t x = 2463534242u;
    for (uint32_t i = n - 1; random && i > 0; i--) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        uint32_t j = x % (i + 1), t = order[i];
        order[i] = order[j], order[j] = t;
    }
}

static double mib_per_s(uint64_t pages, uint64_t instructions)
{
    return instructions ? pages * (PAGE / 1048576.0) / (instructions / 1e9) : 0;
}

/* First touches push earlier pages out (swap-outs only); reads then bring them back
 * (swap-ins, and clean evictions that need no write). */
static void bench(const char *pattern, char *mem, uint32_t *order, uint32_t n)
{
    struct sample a, b, c;
    take(&a);
    for (uint32_t i = 0; i < n; i++)
        mem[order[i] * PAGE] = (char)i;
    take(&b);
    volatile char sink = 0;
    for (uint32_t i = 0; i < n; i++)
        sink += mem[order[i] * PAGE];
    take(&c);
    (void)sink;
    uint64_t outs = b.st.swap_outs - a.st.swap_outs, ins = c.st.swap_ins - b.st.swap_ins;
    struct pagoda_vmstat mine;
    pagoda_vmstat(&mine, getpid());
    printf("bench swap_out_%s %.1f MiB/s (%llu pages)\n", pattern, mib_per_s(outs, b.tsc - a.tsc),
           (unsigned long long)outs);
    printf("bench swap_in_%s %.1f MiB/s (%llu pages)\n", pattern, mib_per_s(ins, c.tsc - b.tsc),
           (unsigned long long)ins);
    printf("bench major_fault_%s_mean %llu instructions\n", pattern,
           (unsigned long long)(mine.major_faults ? mine.major_fault_work / mine.major_faults : 0));
    printf("bench major_fault_%s_worst %llu instructions\n", pattern,
           (unsigned long long)mine.major_fault_work_max);
    /* The disk's time, apart: the CPU idled (every process asleep on the disk) while
     * the reads ran, in virtual nanoseconds per swap-in. Under -icount with ata.defer=1
     * a command ends at the first tick a millisecond after it began (drivers/ata.c): a
     * modelled service time that repeats. Without ata.defer it is the host's time. */
    printf("bench major_fault_%s_disk_wait %llu ns idle a swap-in (ata.defer=1: modelled)\n", pattern,
           (unsigned long long)(ins ? (c.st.idle_cycles - b.st.idle_cycles) / ins : 0));
}

/* Each pattern in a process of its own, so the kernel's per-process fault times count
 * that pattern alone. */
static void run(const char *pattern, uint32_t n, int random)
{
    pid_t pid = fork();
    if (pid == 0) {
        uint32_t *order = malloc(n * sizeof(*order));
        if (!order)
            _exit(1);
        make_order(order, n, random);
        bench(pattern, map_pages(n), order, n);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
}

int main(void)
{
    struct pagoda_vmstat st;
    if (pagoda_vmstat(&st, 0) < 0)
        return 1;
    uint32_t n = 2 * st.user_frames_limit;
    printf("bench frames %u user frames, %u pages touched\n", st.user_frames_limit, n);
    run("sequential", n, 0);
    run("random", n, 1);
    pagoda_vmstat(&st, 0);
    printf("bench clusters %llu disk commands for %llu swap-outs\n",
           (unsigned long long)st.swap_clusters, (unsigned long long)st.swap_outs);
    return 0;
}
