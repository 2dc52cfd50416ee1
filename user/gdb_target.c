/* user/gdb_target.c: a program to follow in gdb (tests/gdb/, docs/debugging.md). It takes
 * four page faults at one known address, TARGET, each of a known kind, in this order:
 *
 *   1. a zero fill:        the first write to TARGET, a fresh anonymous page;
 *   2. a copy-on-write copy: after fork, the child writes to the page it shares;
 *   3. a copy-on-write reuse: the parent writes after the child exited;
 *   4. a swap-in:          the parent reads TARGET after other pages pushed it out.
 *
 * Run it with few frames (vm.frames=64) so that step 4 comes soon. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define TARGET_ADDR 0x50000000u
#define REGION_PAGES 1024u          /* TARGET's page, then room to push it out */
#define PAGE 4096u

static volatile uint32_t *page_at(unsigned i)
{
    return (volatile uint32_t *)(uintptr_t)(TARGET_ADDR + i * PAGE);
}

/* Writes to the region's other pages until TARGET's page is no longer resident (the
 * kernel evicted it to make room); returns how many pages that took. */
static unsigned push_target_out(void)
{
    unsigned i;
    for (i = 1; i < REGION_PAGES && pagoda_frame_of((const void *)page_at(0)) >= 0; i++)
        *page_at(i) = i;
    return i - 1;
}

int main(void)
{
    void *region = mmap((void *)(uintptr_t)TARGET_ADDR, REGION_PAGES * PAGE,
                        PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (region == MAP_FAILED) {
        perror("gdb_target: mmap");
        return 1;
    }
    printf("gdb_target: pid %d, TARGET %#x\n", getpid(), TARGET_ADDR);
    fflush(stdout);                                 /* before fork: print it once */

    *page_at(0) = 1;                                /* 1. zero fill */
    pid_t child = fork();
    if (child == 0) {
        *page_at(0) = 2;                            /* 2. copy-on-write: copy */
        _exit(*page_at(0) == 2 ? 0 : 1);
    }
    int status = wait_status(child);
    *page_at(0) = 3;                                /* 3. copy-on-write: reuse */

    unsigned pushed = push_target_out();
    uint32_t value = *page_at(0);                   /* 4. swap-in */
    int ok = status == 0 && value == 3 && pushed < REGION_PAGES - 1;
    printf("gdb_target: child status %#x; %u pages pushed TARGET out; read back %u: %s\n",
           status, pushed, value, ok ? "ok" : "FAILED");
    munmap(region, REGION_PAGES * PAGE);
    return ok ? 0 : 1;
}
