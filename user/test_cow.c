/* user/test_cow.c: copy-on-write fork: after fork, parent and child each see only their own
 * writes, in every kind of memory; on Pagoda also the shared frame and the fault counters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"
#include "user/lib/proc.h"

#define NPAGES 8
#define WARM_KIB 16   /* deeper than any call made while fault counters are compared */

static char data_pages[NPAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = { 1 };
static char bss_pages[NPAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static char probe_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE))) = { 1 };

/* Page i holds one byte value throughout; who is 0 before fork, 1 for the child, 2 for the parent. */
static unsigned char mark(int page, int who)
{
    return 0x10 * (who + 1) + page;
}

static void write_pages(char *base, int first, int who)
{
    for (int i = first; i < NPAGES; i += 2)
        memset(base + i * PAGE_SIZE, mark(i, who), PAGE_SIZE);
}

/* Pages of the writer's parity must carry its mark, the others the mark from before fork.
 * Returns the first page that is wrong, or -1. */
static int wrong_page(const char *base, int writer_first, int who)
{
    for (int i = 0; i < NPAGES; i++) {
        int mine = (i % 2) == writer_first;
        if (first_mismatch(base + i * PAGE_SIZE, PAGE_SIZE, mark(i, mine ? who : 0)) >= 0)
            return i;
    }
    return -1;
}

/* After fork the child writes the even pages and the parent the odd ones; only then does
 * either look, so each sees the other's writes if the pages are really shared. */
static void check_isolation(const char *name, char *base)
{
    int to_parent[2], to_child[2];
    char token = 't';
    for (int i = 0; i < NPAGES; i++)
        memset(base + i * PAGE_SIZE, mark(i, 0), PAGE_SIZE);
    if (pipe(to_parent) != 0 || pipe(to_child) != 0) {
        ktap_check(0, name, "pipe failed");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        write_pages(base, 0, 1);
        write_full(to_parent[1], &token, 1);
        read_full(to_child[0], &token, 1);
        _exit(wrong_page(base, 0, 1) + 1);
    }
    read_full(to_parent[0], &token, 1);
    write_pages(base, 1, 2);
    write_full(to_child[1], &token, 1);
    int parent_wrong = wrong_page(base, 1, 2);
    int status = wait_status(pid);
    for (int i = 0; i < 2; i++) {
        close(to_parent[i]);
        close(to_child[i]);
    }
    int child_wrong = WIFEXITED(status) ? WEXITSTATUS(status) - 1 : -2;
    ktap_check(pid > 0 && parent_wrong < 0 && child_wrong == -1, name,
               "parent's page %d wrong; child's page %d wrong (-2: child died, status %#x)",
               parent_wrong, child_wrong, status);
}

static void check_isolation_everywhere(void)
{
    char stack_pages[NPAGES * PAGE_SIZE];
    char *heap = malloc(NPAGES * PAGE_SIZE);
    char *anon = mmap(NULL, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check_isolation("cow_data", data_pages);
    check_isolation("cow_bss", bss_pages);
    check_isolation("cow_stack", stack_pages);
    if (heap)
        check_isolation("cow_heap", heap);
    else
        ktap_check(0, "cow_heap", "malloc failed");
    if (anon != MAP_FAILED)
        check_isolation("cow_mmap", anon);
    else
        ktap_check(0, "cow_mmap", "mmap failed");
    free(heap);
    munmap(anon, NPAGES * PAGE_SIZE);
}

/* ---- Pagoda only: frames and counters ------------------------------------------------ */

/* Counter snapshots live in static memory, written once before the first snapshot of a
 * measurement: a first write to a page shared with a child is itself a copy-on-write fault. */
static struct pagoda_vmstat before, after;

static void clear_snapshots(void)
{
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
}

/* The child: reports its frame of probe_page, waits until the parent has read its counters,
 * writes the page, reports the frame again, and stays until the parent has read them again.
 * In between it writes nothing but probe_page and the stack it warmed beforehand. */
static void probe_child(int to_parent, int from_parent)
{
    long frame;
    char token;
    warm_stack(WARM_KIB);
    frame = pagoda_frame_of(probe_page);
    write_full(to_parent, &frame, sizeof(frame));
    read_full(from_parent, &token, 1);
    probe_page[0]++;
    frame = pagoda_frame_of(probe_page);
    write_full(to_parent, &frame, sizeof(frame));
    read_full(from_parent, &token, 1);
    _exit(0);
}

static void report_copy(long parent_frame, long child_before, long child_after)
{
    long parent_now = pagoda_frame_of(probe_page);
    ktap_check(parent_frame > 0 && child_before == parent_frame, "cow_frame_shared_after_fork",
               "parent's frame %#lx, child's %#lx", parent_frame, child_before);
    ktap_check(child_after > 0 && child_after != parent_frame && parent_now == parent_frame,
               "cow_write_gives_writer_a_copy",
               "child's frame after writing %#lx; parent's %#lx, then %#lx",
               child_after, parent_frame, parent_now);
    uint64_t copies = after.cow_copies - before.cow_copies;
    ktap_check(copies == 1, "cow_one_page_copied", "child's cow_copies went up by %llu for one page",
               (unsigned long long)copies);
}

/* The parent reads the child's counters (by pid) around the child's one write. */
static void check_shared_frame(void)
{
    int to_parent[2], to_child[2];
    long child_before = -1, child_after = -1;
    char token = 'g';
    probe_page[0] = 1;
    clear_snapshots();
    long parent_frame = pagoda_frame_of(probe_page);
    if (pipe(to_parent) != 0 || pipe(to_child) != 0) {
        report_copy(parent_frame, child_before, child_after);   /* all three fail */
        return;
    }
    pid_t pid = fork();
    if (pid == 0)
        probe_child(to_parent[1], to_child[0]);
    read_full(to_parent[0], &child_before, sizeof(long));
    pagoda_vmstat(&before, pid);
    write_full(to_child[1], &token, 1);
    read_full(to_parent[0], &child_after, sizeof(long));
    pagoda_vmstat(&after, pid);
    write_full(to_child[1], &token, 1);
    wait_status(pid);
    for (int i = 0; i < 2; i++) {
        close(to_parent[i]);
        close(to_child[i]);
    }
    report_copy(parent_frame, child_before, child_after);
}

/* Once the child is gone (having written the page or not), the parent is the page's only
 * user again: its write must reuse the frame, not copy it. */
static void check_sole_owner_reuses(const char *name, int child_writes)
{
    probe_page[0] = 1;
    pid_t pid = fork();
    if (pid == 0) {
        if (child_writes)
            probe_page[0] = 2;
        _exit(0);
    }
    wait_status(pid);
    long frame = pagoda_frame_of(probe_page);
    warm_stack(WARM_KIB);
    clear_snapshots();
    pagoda_vmstat(&before, getpid());
    probe_page[0] = 3;
    pagoda_vmstat(&after, getpid());
    long frame_now = pagoda_frame_of(probe_page);
    uint64_t reuses = after.cow_reuses - before.cow_reuses;
    uint64_t copies = after.cow_copies - before.cow_copies;
    ktap_check(reuses == 1 && copies == 0 && frame_now == frame, name,
               "one write: cow_reuses +%llu, cow_copies +%llu, frame %#lx then %#lx",
               (unsigned long long)reuses, (unsigned long long)copies, frame, frame_now);
}

int main(void)
{
    ktap_plan(10);
    check_isolation_everywhere();
    if (on_pagoda()) {
        check_shared_frame();
    } else {
        pagoda_only("cow_frame_shared_after_fork");
        pagoda_only("cow_write_gives_writer_a_copy");
        pagoda_only("cow_one_page_copied");
    }
    if (pagoda_only("cow_reuse_after_child_copied"))
        check_sole_owner_reuses("cow_reuse_after_child_copied", 1);
    if (pagoda_only("cow_reuse_after_child_exited"))
        check_sole_owner_reuses("cow_reuse_after_child_exited", 0);
    return ktap_finish();
}
