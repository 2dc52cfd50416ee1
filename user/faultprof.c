/* user/faultprof.c: the page faults that tools/faultprof.py single-steps in gdb, one
 * kind per probe_* function, so the profile names what it measured: a demand-zero
 * fault that finds a pre-zeroed frame, one that must zero its frame, and a
 * copy-on-write fault. Each probe is one store; gdb counts every instruction from the
 * probe's call to its return, the kernel's fault handling in between.
 * On Linux the program runs too (gdb on it sees only the user side). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
#include "user/lib/mem.h"

#define PAGES 1024

__attribute__((noinline)) void probe_zero_prezeroed(volatile char *p) { *p = 1; }
__attribute__((noinline)) void probe_zero_cold(volatile char *p) { *p = 1; }
__attribute__((noinline)) void probe_cow(volatile char *p) { *p = 1; }

int main(void)
{
    char *p = map_pages(PAGES);
    p[0] = 1;                           /* its page table exists before the probes */
    usleep(20000);                      /* two ticks idle: the idle loop zeroes frames */
    p[2 * PAGE_SIZE] = 1;               /* a fault before each probe, as in a run of them */
    probe_zero_prezeroed(p + PAGE_SIZE);
    for (int i = 3; i < PAGES - 1; i++) /* use up the pre-zeroed frames, with no idling */
        p[i * PAGE_SIZE] = 1;
    probe_zero_cold(p + (PAGES - 1) * PAGE_SIZE);
    int gate[2];
    if (pipe(gate) < 0)
        return 1;
    pid_t child = fork();
    if (child == 0) {                   /* shares every page until the parent has written */
        char c;
        close(gate[1]);
        read(gate[0], &c, 1);
        _exit(0);
    }
    p[PAGE_SIZE] = 2;
    probe_cow(p);
    close(gate[1]);
    waitpid(child, NULL, 0);
    printf("faultprof: done\n");
    return 0;
}
