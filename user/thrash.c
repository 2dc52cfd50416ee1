/* user/thrash.c: the thrashing workload. `thrash N PAGES ROUNDS` runs N processes that
 * each sweep PAGES pages of their own ROUNDS times. When N x PAGES exceeds the frames,
 * they steal each other's pages and every sweep faults (thrashing); working-set control
 * (vm.ws=1) runs fewer at a time. Each finished round prints a line for plotting:
 * "thrash: round PID R CYCLES" (CYCLES: time-stamp counter, elapsed since the start). */
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"

#define PAGE 4096

/* One worker: sweep its pages `rounds` times, reporting each finished round. */
static void worker(int pages, int rounds, uint64_t start)
{
    char *mem = map_pages(pages);
    for (int r = 1; r <= rounds; r++) {
        for (int i = 0; i < pages; i++)
            mem[(size_t)i * PAGE] += 1;
        printf("thrash: round %d %d %llu\n", getpid(), r, (unsigned long long)(read_tsc() - start));
        /* The others' turn: a sweep of resident pages is far shorter than a time slice,
         * so without this a worker whose pages fit could run all its rounds alone and
         * the workers would take turns instead of competing for the frames. */
        sched_yield();
    }
    for (int i = 0; i < pages; i++)
        if (mem[(size_t)i * PAGE] != (char)rounds)
            _exit(2);                   /* a page lost its contents */
    _exit(0);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: thrash NPROCS PAGES ROUNDS\n");
        return 2;
    }
    int n = atoi(argv[1]), pages = atoi(argv[2]), rounds = atoi(argv[3]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct pagoda_vmstat before, after;
    pagoda_vmstat(&before, 0);
    uint64_t start = read_tsc();
    for (int k = 0; k < n; k++) {
        if (fork() == 0) {
            setpriority(PRIO_PROCESS, 0, k);   /* later workers have lower priority */
            worker(pages, rounds, start);
        }
    }
    int failed = 0, status;
    while (wait(&status) > 0)
        failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    uint64_t elapsed = read_tsc() - start;
    pagoda_vmstat(&after, 0);
    printf("thrash: %d processes x %d pages x %d rounds: %llu M cycles, %llu major faults, "
           "%llu swap-ins, %llu suspensions%s\n", n, pages, rounds,
           (unsigned long long)(elapsed / 1000000),
           (unsigned long long)(after.major_faults - before.major_faults),
           (unsigned long long)(after.swap_ins - before.swap_ins),
           (unsigned long long)(after.suspensions - before.suspensions),
           failed ? ", A WORKER FAILED" : "");
    return failed;
}
