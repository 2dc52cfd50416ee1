/* user/bench_vm.c: the VM benchmarks behind `make bench`. Run under QEMU with
 * -icount shift=0, the time-stamp counter counts guest instructions, so each figure
 * (instructions per fault, per fork+exit+wait, per exec) repeats exactly. Idle time
 * (the CPU waiting for the disk) is left out: see pagoda_work_clock. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"

#define PAGE 4096
#define REPEATS 3

static void touch_pages(char *p, size_t npages)
{
    for (size_t i = 0; i < npages; i++)
        p[i * PAGE] = (char)i;
}

/* The demand-zero faults of n fresh pages, in instructions per page; *hits: how many
 * zeroed frames they found ready (pre-zeroed by the idle loop, vm.prezero). */
static uint64_t demand_zero(size_t n, uint64_t *hits)
{
    struct pagoda_vmstat before, after;
    char *p = map_pages(n);
    pagoda_vmstat(&before, 0);
    uint64_t t0 = pagoda_work_clock();
    touch_pages(p, n);
    uint64_t t1 = pagoda_work_clock();
    pagoda_vmstat(&after, 0);
    munmap(p, n * PAGE);
    *hits = after.prezero_hits - before.prezero_hits;
    return (t1 - t0) / n;
}

/* Demand-zero: the first write to each page of a fresh anonymous mapping, twice. Cold:
 * the pre-zeroed frames used up first (no idle time in between to zero more), so each
 * fault zeroes its frame. Warm: after a sleep, in which the idle loop zeroes free
 * frames, fewer pages than it keeps ready (tools/bench.py boots vm.prezero=1024, so that
 * the clock's own cost is spread over many faults). */
static void bench_demand_zero(void)
{
    uint64_t hits;
    demand_zero(2048, &hits);           /* empties the pool: nothing idles meanwhile */
    uint64_t cold = demand_zero(1024, &hits);
    printf("bench demand_zero_fault %llu instructions/page\n", (unsigned long long)cold);
    printf("bench demand_zero_fault_hits %llu frames\n", (unsigned long long)hits);
    usleep(50000);                      /* five ticks idle: the pool fills */
    uint64_t warm = demand_zero(1000, &hits);
    printf("bench demand_zero_prezeroed %llu instructions/page\n", (unsigned long long)warm);
    printf("bench demand_zero_prezeroed_hits %llu frames\n", (unsigned long long)hits);
}

/* munmap of resident pages: each frame's last mapping goes, and the frame with it. */
static void bench_munmap(void)
{
    size_t n = 4096;
    char *p = map_pages(n);
    touch_pages(p, n);
    uint64_t t0 = pagoda_work_clock();
    munmap(p, n * PAGE);
    uint64_t t1 = pagoda_work_clock();
    printf("bench munmap %llu instructions/page\n", (unsigned long long)((t1 - t0) / n));
}

/* exit of a process with n resident pages of its own, less the same exit without them:
 * what exit spends per page. */
static uint64_t fork_touch_exit(size_t n)
{
    uint64_t t0 = pagoda_work_clock();
    pid_t pid = fork();
    if (pid == 0) {
        if (n)
            touch_pages(map_pages(n), n);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    return pagoda_work_clock() - t0;
}

static void bench_exit(void)
{
    size_t n = 4096;
    /* The touching itself (demand-zero faults) is measured above: take it away. */
    char *probe = map_pages(n);
    uint64_t f0 = pagoda_work_clock();
    touch_pages(probe, n);
    uint64_t faults = pagoda_work_clock() - f0;
    munmap(probe, n * PAGE);
    uint64_t with = fork_touch_exit(n), without = fork_touch_exit(0);
    uint64_t per_page = with > without + faults ? (with - without - faults) / n : 0;
    printf("bench exit %llu instructions/page\n", (unsigned long long)per_page);
}

/* Copy-on-write: the parent writes each page while a child still shares it. */
static void bench_cow(void)
{
    size_t n = 1024;
    char *p = map_pages(n);
    touch_pages(p, n);
    int gate[2];
    if (pipe(gate) < 0)
        exit(1);
    pid_t child = fork();
    if (child == 0) {
        char c;
        close(gate[1]);
        read(gate[0], &c, 1);           /* keep sharing until the parent is done */
        _exit(0);
    }
    uint64_t t0 = pagoda_work_clock();
    touch_pages(p, n);
    uint64_t t1 = pagoda_work_clock();
    close(gate[1]);
    waitpid(child, NULL, 0);
    printf("bench cow_fault %llu instructions/page\n", (unsigned long long)((t1 - t0) / n));
    munmap(p, n * PAGE);
}

/* fork + exit + wait with `mib` MiB touched: the best of a few runs. */
static void bench_fork(size_t mib)
{
    size_t n = mib * 256;
    char *p = map_pages(n);
    touch_pages(p, n);
    uint64_t best = UINT64_MAX;
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = pagoda_work_clock();
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        waitpid(child, NULL, 0);
        uint64_t t = pagoda_work_clock() - t0;
        if (t < best)
            best = t;
    }
    printf("bench fork_exit_wait_%zuMiB %llu instructions\n", mib, (unsigned long long)best);
    munmap(p, n * PAGE);
}

/* fork + exec of a small static binary + exit + wait. */
static void bench_exec(void)
{
    uint64_t best = UINT64_MAX;
    for (int r = 0; r < REPEATS; r++) {
        uint64_t t0 = pagoda_work_clock();
        pid_t child = fork();
        if (child == 0) {
            execl("/bin/true", "true", (char *)NULL);
            _exit(127);
        }
        int status;
        waitpid(child, &status, 0);
        uint64_t t = pagoda_work_clock() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("bench_vm: /bin/true failed (status %x)\n", status);
            exit(1);
        }
        if (t < best)
            best = t;
    }
    printf("bench fork_exec_exit_wait %llu instructions\n", (unsigned long long)best);
}

/* Files through the page cache: write(2) of a 4 MiB file (instructions per KiB, the disk
 * wait left out), then the file mapped shared: the first write to each page (a fault
 * that maps the cached page and gives it its blocks, mkwrite), its write-back by msync
 * (per page: beside bench_swap's swap-out, the other way a dirty page is cleaned), and a
 * second mapping's read faults, served from the cache. */
#define FILE_PAGES 1024

/* The file figures count the process's own run time (its instructions, in user mode and
 * in the kernel on its behalf), not the work clock: while it waits for the disk, the
 * pageout daemon may write back pages of the same file, and how much falls into the
 * wait depends on how fast the host's disk answers. */
static uint64_t own_clock(void)
{
    struct pagoda_vmstat st;
    pagoda_vmstat(&st, getpid());
    return st.run_cycles;
}

/* msync of a dirty mapping: how many pages it wrote back itself (the daemon's periodic
 * write-back may have taken some first: they are not msync's work). */
static uint64_t msync_cleaned(void *m, size_t len)
{
    struct pagoda_vmstat a, b;
    pagoda_vmstat(&a, 0);
    msync(m, len, MS_SYNC);
    pagoda_vmstat(&b, 0);
    return (b.pages_cleaned - b.periodic_cleaned) - (a.pages_cleaned - a.periodic_cleaned);
}

static void bench_file(void)
{
    static char chunk[64 * 1024];
    memset(chunk, 'w', sizeof(chunk));
    int fd = open("/bench-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    uint64_t t0 = own_clock();
    for (size_t done = 0; done < FILE_PAGES * PAGE; done += sizeof(chunk))
        write(fd, chunk, sizeof(chunk));
    uint64_t t1 = own_clock();
    printf("bench file_write %llu instructions/KiB\n",
           (unsigned long long)((t1 - t0) / (FILE_PAGES * PAGE / 1024)));
    char *m = mmap(NULL, FILE_PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    t0 = own_clock();
    touch_pages(m, FILE_PAGES);
    t1 = own_clock();
    uint64_t cleaned = msync_cleaned(m, FILE_PAGES * PAGE);
    uint64_t t2 = own_clock();
    printf("bench shared_file_write_fault %llu instructions/page\n",
           (unsigned long long)((t1 - t0) / FILE_PAGES));
    printf("bench file_writeback %llu instructions/page\n",
           (unsigned long long)(cleaned ? (t2 - t1) / cleaned : 0));
    volatile char *r = mmap(NULL, FILE_PAGES * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    t0 = own_clock();
    for (size_t i = 0; i < FILE_PAGES; i++)
        (void)r[i * PAGE];
    t1 = own_clock();
    printf("bench cache_hit_fault %llu instructions/page\n",
           (unsigned long long)((t1 - t0) / FILE_PAGES));
    munmap((void *)r, FILE_PAGES * PAGE);
    munmap(m, FILE_PAGES * PAGE);
    close(fd);
    unlink("/bench-file");
}

int main(void)
{
    bench_demand_zero();
    bench_munmap();
    bench_exit();
    bench_cow();
    const size_t sizes[] = {1, 4, 16, 64};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        bench_fork(sizes[i]);
    bench_exec();
    bench_file();
    return 0;
}
