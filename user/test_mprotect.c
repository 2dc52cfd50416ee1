/* user/test_mprotect.c: mprotect's new rights hold at once for every page of the range,
 * whatever the page's state (never touched, resident, shared copy-on-write with a child,
 * out on swap, back from swap and still in the swap cache): for the program's own loads
 * and stores (a child that touches a page it may not dies of SIGSEGV, also one whose TLB
 * held the old rights) and for system calls reading or writing the page (EFAULT).
 * Boot with a small vm.frames so pages go to swap. Runs on Linux too (the swap states are
 * then only approximate: it skips the residency checks). */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define PRESSURE_PAGES 384      /* more than vm.frames=128: touching them evicts the rest */
#define FILL 0x5a

enum state { UNTOUCHED, RESIDENT, COW_SHARED, SWAPPED, SWAP_CACHED, NSTATES };
static const char *state_names[] = { "untouched", "resident", "cow_shared", "swapped",
                                     "swap_cached" };
/* Every transition between none, read and read-write, both ways. */
static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ,
                             PROT_NONE, PROT_READ | PROT_WRITE };
#define NPROTS (sizeof(prots) / sizeof(prots[0]))
static const char *prot_names[] = { "none", "r", "rw", "r", "none", "rw" };

static unsigned char *pressure;
static int pipefd[2], sharefd[2];

/* Touch more pages than fit, so the pages not touched lately go to swap. */
static void push_out(void)
{
    for (size_t i = 0; i < PRESSURE_PAGES; i++)
        pressure[i * PAGE_SIZE] = (unsigned char)i;
}

/* What the child does with the page: the target's address and whether to write, and
 * whether to first warm its TLB with full rights and then take them away itself. */
struct access {
    unsigned char *page;
    int write, warm, prot;
    unsigned char value;
};

static void touch(void *arg)
{
    struct access *a = arg;
    if (a->warm) {
        mprotect(a->page, PAGE_SIZE, PROT_READ | PROT_WRITE);
        write_byte((uintptr_t)a->page, read_byte((uintptr_t)a->page));   /* TLB: writable */
        if (mprotect(a->page, PAGE_SIZE, a->prot) != 0)
            _exit(3);
    }
    if (a->write)
        write_byte((uintptr_t)a->page + 100, a->value);
    else
        read_byte((uintptr_t)a->page + 100);
}

/* Runs the four user accesses in children; returns how many ended unlike prot says. */
static int user_access_mismatches(unsigned char *page, int prot, unsigned char value)
{
    int bad = 0;
    for (int warm = 0; warm < 2; warm++) {
        for (int write = 0; write < 2; write++) {
            struct access a = { page, write, warm, prot, value };
            int allowed = write ? (prot & PROT_WRITE) : (prot & PROT_READ);
            int status = run_in_child(touch, &a);
            int ok = allowed ? (WIFEXITED(status) && WEXITSTATUS(status) == 0)
                             : (WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
            if (!ok) {
                char how[80];
                ktap_diag("%s%s: child %s", warm ? "after warming the TLB, " : "",
                          write ? "write" : "read", describe_status(status, how, sizeof(how)));
                bad++;
            }
        }
    }
    return bad;
}

/* System calls that read the page (write to a pipe) and write it (read from a pipe):
 * EFAULT where a user access would fault. Returns the mismatches. */
static int syscall_mismatches(unsigned char *page, int prot, unsigned char value)
{
    int bad = 0;
    unsigned char buf[16];
    errno = 0;
    ssize_t n = write(pipefd[1], page, sizeof(buf));
    int want_ok = prot & PROT_READ;
    if (want_ok ? n != (ssize_t)sizeof(buf) : (n != -1 || errno != EFAULT)) {
        ktap_diag("write(pipe, page) gave %zd errno %d", n, errno);
        bad++;
    }
    if (n > 0 && read_full(pipefd[0], buf, n) != 0)
        bad++;
    memset(buf, value, sizeof(buf));
    if (write_full(pipefd[1], buf, sizeof(buf)) != 0)
        bad++;
    errno = 0;
    n = read(pipefd[0], page, sizeof(buf));
    want_ok = prot & PROT_WRITE;
    if (want_ok ? n != (ssize_t)sizeof(buf) : (n != -1 || errno != EFAULT)) {
        ktap_diag("read(pipe, page) gave %zd errno %d", n, errno);
        bad++;
    }
    if (n <= 0 && read_full(pipefd[0], buf, sizeof(buf)) != 0)
        bad++;                          /* drain what the refused read left */
    return bad;
}

/* The page in the middle of a fresh three-page mapping, put into state s. */
static unsigned char *prepare(enum state s, pid_t *sharer)
{
    unsigned char *map = mmap(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return NULL;
    unsigned char *page = map + PAGE_SIZE;
    if (s != UNTOUCHED)
        memset(map, FILL, 3 * PAGE_SIZE);
    if (s == COW_SHARED) {
        *sharer = fork();               /* holds the frames until told to go */
        if (*sharer == 0) {
            char c;
            read(sharefd[0], &c, 1);
            _exit(0);
        }
    }
    if (s == SWAPPED || s == SWAP_CACHED)
        push_out();
    if (s == SWAP_CACHED)
        (void)read_byte((uintptr_t)page);   /* back in, clean: its slot still matches */
    return page;
}

static void write_neighbours(void *arg)
{
    unsigned char *page = arg;
    write_byte((uintptr_t)page - 1, 1);
    write_byte((uintptr_t)page + PAGE_SIZE, 1);
}

static void check_state(enum state s)
{
    pid_t sharer = -1;
    unsigned char *page = prepare(s, &sharer);
    unsigned char value = s == UNTOUCHED ? 0 : FILL;
    for (size_t i = 0; i < NPROTS; i++) {
        char name[64];
        snprintf(name, sizeof(name), "%s_to_%s_%zu", state_names[s], prot_names[i], i);
        if (!page) {
            ktap_check(0, name, "mmap failed");
            continue;
        }
        if (s == SWAPPED && i > 0)
            push_out();                 /* the checks brought it back in: out again */
        long frame = on_pagoda() ? pagoda_frame_of(page) : 0;
        int bad = 0;
        if (mprotect(page, PAGE_SIZE, prots[i]) != 0) {
            ktap_diag("mprotect: errno %d", errno);
            bad++;
        }
        bad += syscall_mismatches(page, prots[i], value);
        bad += user_access_mismatches(page, prots[i], value);
        if ((prots[i] & PROT_READ) && first_mismatch(page, PAGE_SIZE, value) != -1) {
            ktap_diag("contents changed at %ld", first_mismatch(page, PAGE_SIZE, value));
            bad++;
        }
        if (on_pagoda() && i == 0 && (s == SWAPPED || s == UNTOUCHED) != (frame == -EFAULT)) {
            ktap_diag("state %s not reached: frame_of gave %ld", state_names[s], frame);
            bad++;
        }
        ktap_check(bad == 0, name, "%d mismatches", bad);
    }
    /* The neighbours kept their rights (mprotect split the region around the page). */
    char name[64];
    snprintf(name, sizeof(name), "%s_neighbours_writable", state_names[s]);
    if (page) {
        check_exits_with(name, write_neighbours, page, 0);
        munmap(page - PAGE_SIZE, 3 * PAGE_SIZE);
    } else {
        ktap_check(0, name, "mmap failed");
    }
    if (sharer > 0) {
        write(sharefd[1], "x", 1);
        wait_status(sharer);
    }
}

int main(void)
{
    ktap_plan(NSTATES * (NPROTS + 1));
    pressure = map_pages(PRESSURE_PAGES);
    if (pipe(pipefd) != 0 || pipe(sharefd) != 0)
        ktap_diag("pipe failed");
    for (int s = 0; s < NSTATES; s++)
        check_state(s);
    return ktap_finish();
}
