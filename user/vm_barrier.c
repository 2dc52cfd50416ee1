/* user/vm_barrier.c: the write barrier of a toy concurrent garbage collector. Primitive
 * (Appel and Li, ASPLOS 1991): PROTN + TRAP + UNPROT: when marking starts, the collector
 * makes the whole heap read-only; the mutator keeps running, and its first store to each
 * page faults: the SIGSEGV handler records the page as dirty and unprotects it. At the
 * end the collector rescans only the dirty pages. On Linux: build/rootfs/bin/vm_barrier
 * (same output). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

#define PAGE 4096u
#define PAGES 16
#define OBJECTS_PER_PAGE 64              /* 64-byte objects */

static char *heap;
static int dirty[PAGES];
static unsigned faults;

static void barrier(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    uintptr_t off = (uintptr_t)si->si_addr - (uintptr_t)heap;
    if (off >= PAGES * PAGE) {
        signal(SIGSEGV, SIG_DFL);       /* a real bug, not the barrier: die of it */
        return;
    }
    dirty[off / PAGE] = 1;
    mprotect(heap + off / PAGE * PAGE, PAGE, PROT_READ | PROT_WRITE);
    faults++;
}

/* The mutator: stores a pointer into object obj (a field of 4 bytes at offset 8). */
static void store(int obj, int target)
{
    *(uint32_t *)(heap + obj * 64 + 8) = (uint32_t)target;
}

int main(void)
{
    heap = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa = {.sa_sigaction = barrier, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    for (int obj = 0; obj < PAGES * OBJECTS_PER_PAGE; obj++)
        store(obj, obj + 1);            /* before marking: no barrier, no faults */
    mprotect(heap, PAGES * PAGE, PROT_READ);    /* marking begins */
    static const int writes[] = {2 * 64 + 5, 5 * 64, 5 * 64 + 63, 11 * 64 + 1, 2 * 64 + 7};
    for (unsigned i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
        store(writes[i], 0);
    printf("vm_barrier: %u stores during marking, %u faults handled\n",
           (unsigned)(sizeof(writes) / sizeof(writes[0])), faults);
    printf("vm_barrier: the collector rescans pages:");
    int rescanned = 0;
    for (int p = 0; p < PAGES; p++)
        if (dirty[p])
            printf(" %d", p), rescanned++;
    printf(" (%d of %d)\n", rescanned, PAGES);
    return faults == 3 && rescanned == 3 ? 0 : 1;
}
