/* user/bench_swap.c: swap benchmarks for `make bench`, run as init with few frames
 * (vm.frames=256). Under QEMU -icount the time-stamp counter counts instructions, so
 * "time" is instructions at 1 ns each, without the idle time spent waiting for the
 * emulated disk: throughput is MiB per second of CPU work. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
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
    uint64_t majors = c.st.major_faults - b.st.major_faults;
    printf("bench swap_out_%s %.1f MiB/s (%llu pages)\n", pattern, mib_per_s(outs, b.tsc - a.tsc),
           (unsigned long long)outs);
    printf("bench swap_in_%s %.1f MiB/s (%llu pages)\n", pattern, mib_per_s(ins, c.tsc - b.tsc),
           (unsigned long long)ins);
    printf("bench major_fault_%s %llu instructions\n", pattern,
           (unsigned long long)(majors ? (c.tsc - b.tsc) / majors : 0));
}

int main(void)
{
    struct pagoda_vmstat st;
    if (pagoda_vmstat(&st, 0) < 0)
        return 1;
    uint32_t n = 4 * st.user_frames_limit;
    uint32_t *order = malloc(n * sizeof(*order));
    for (int random = 0; random <= 1; random++) {
        char *mem = map_pages(n);
        if (!order)
            return 1;
        make_order(order, n, random);
        bench(random ? "random" : "sequential", mem, order, n);
        munmap(mem, (size_t)n * PAGE);
    }
    return 0;
}
