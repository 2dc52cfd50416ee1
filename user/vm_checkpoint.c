/* user/vm_checkpoint.c: incremental checkpointing. Primitive (Appel and Li, ASPLOS 1991):
 * PROTN + TRAP + UNPROT: after a checkpoint every page of the state is made read-only;
 * the first store to a page faults, and the SIGSEGV handler records it as dirty and
 * unprotects it. The next checkpoint copies only the dirty pages. Restoring the saved
 * pages must give back the state exactly. On Linux: build/rootfs/bin/vm_checkpoint
 * (same output). */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096u
#define PAGES 32

static char *state;
static char saved[PAGES][PAGE];          /* the checkpoint on "stable storage" */
static int dirty[PAGES];
static unsigned faults;

static void record_dirty(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    uintptr_t off = (uintptr_t)si->si_addr - (uintptr_t)state;
    if (off >= PAGES * PAGE) {
        signal(SIGSEGV, SIG_DFL);
        return;
    }
    dirty[off / PAGE] = 1;
    mprotect(state + off / PAGE * PAGE, PAGE, PROT_READ | PROT_WRITE);
    faults++;
}

/* Copy the dirty pages (all of them the first time) and protect the state again. */
static int checkpoint(int full)
{
    int copied = 0;
    printf("vm_checkpoint: checkpoint saves pages:");
    for (int p = 0; p < PAGES; p++) {
        if (!full && !dirty[p])
            continue;
        memcpy(saved[p], state + p * PAGE, PAGE);
        dirty[p] = 0;
        copied++;
        if (!full)
            printf(" %d", p);
    }
    printf(full ? " all %d\n" : " (%d of 32)\n", copied);
    mprotect(state, PAGES * PAGE, PROT_READ);
    return copied;
}

int main(void)
{
    state = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa = {.sa_sigaction = record_dirty, .sa_flags = SA_SIGINFO};
    sigaction(SIGSEGV, &sa, NULL);
    for (unsigned i = 0; i < PAGES * PAGE; i++)
        state[i] = (char)(i * 7);
    checkpoint(1);
    state[3 * PAGE + 10] = 'a';          /* the program runs on, touching a few pages */
    state[4 * PAGE] = 'b';
    state[3 * PAGE + 11] = 'c';
    state[20 * PAGE + 4095] = 'd';
    int copied = checkpoint(0);
    char image[PAGE];
    int same = 1;
    for (int p = 0; p < PAGES; p++) {
        memcpy(image, saved[p], PAGE);
        same &= memcmp(image, state + p * PAGE, PAGE) == 0;
    }
    printf("vm_checkpoint: %u faults handled; the checkpoint matches the state: %s\n", faults,
           same ? "yes" : "no");
    return faults == 3 && copied == 3 && same ? 0 : 1;
}
