/* user/thrash.c: the thrashing workload. `thrash N PAGES ROUNDS` runs N processes that
 * each sweep PAGES pages of their own ROUNDS times. When N x PAGES exceeds the frames,
 * they steal each other's pages and every sweep faults (thrashing); working-set control
 * (vm.ws=1) runs fewer at a time. Each finished round prints a line for plotting:
 * "thrash: round PID R CYCLES" (CYCLES: time-stamp counter, elapsed since the start).
 *
 * `thrash -r N PAGES ROUNDS` makes the run repeatable (docs/thrashing.md): it runs from a
 * copy of itself in tmpfs, so that its code pages, when evicted, come back from swap and
 * not from the disk, gives back the closed program's cached pages (pagoda_drop_caches),
 * and it starts on a whole second of the monotonic clock. Booted with
 * swap=ram under QEMU -icount, nothing then depends on the host: the same run takes the
 * same number of cycles every time. (On Linux too the program runs as it does here.) */
#include <fcntl.h>
#include <stdint.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include "user/lib/pagoda.h"
#include "user/lib/mem.h"

#define PAGE 4096
#define COPY "/tmp/thrash"

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

/* Copy the program at `from` to COPY, executable. */
static int copy_program(const char *from)
{
    int in = open(from, O_RDONLY), out = open(COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[PAGE];
    ssize_t got = in < 0 || out < 0 ? -1 : 0;
    while (got >= 0 && (got = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)got) != got)
            got = -1;
    return close(in) | close(out) | (int)got;
}

/* -r: become the copy in tmpfs (unlinked at once: the running program keeps it), then
 * wait for a whole second, so the run starts in the same place between timer ticks
 * and sampling periods whatever the boot's disk reads took. */
static void make_repeatable(char **argv)
{
    if (strcmp(argv[0], COPY) != 0) {
        if (copy_program(argv[0]) < 0) {
            perror("thrash: copy to " COPY);
            exit(2);
        }
        argv[0] = COPY;
        execv(COPY, argv);
        perror("thrash: exec " COPY);
        exit(2);
    }
    unlink(COPY);
    /* The pages of the program on the disk stay cached, closed (fs/vfs.c), with the
     * history of the disk reads' timing in their reference bits: give them back. */
    pagoda_drop_caches();
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    struct timespec rest = {0, 1000000000L - now.tv_nsec};
    nanosleep(&rest, NULL);
}

int main(int argc, char **argv)
{
    int repeatable = argc == 5 && strcmp(argv[1], "-r") == 0;
    if (argc != 4 && !repeatable) {
        fprintf(stderr, "usage: thrash [-r] NPROCS PAGES ROUNDS\n");
        return 2;
    }
    if (repeatable)
        make_repeatable(argv);
    char **arg = argv + repeatable;
    int n = atoi(arg[1]), pages = atoi(arg[2]), rounds = atoi(arg[3]);
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
