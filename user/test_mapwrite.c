/* user/test_mapwrite.c: ext2 files as the backing store of shared writable mappings. A
 * store through a MAP_SHARED mapping is seen by read(2) at once and reaches the file on
 * msync, on munmap, in the periodic write-back and, under pressure, when the page is
 * evicted (then to the file, not to swap). "pressure N" runs the last case alone, on a
 * file of N pages (more than RAM) written in random order by two processes, and leaves
 * DONE behind when the file verified. What did not fit in RAM reached the file by
 * eviction or by a write-back (the periodic one, or a writer's exit), whichever came
 * first: that depends on the host's speed and on how the two writers interleave.
 * The boot test (tests/boot/user_suite.py) checks the disk image afterwards: e2fsck
 * clean, and KEPT holding exactly what was written through the mapping.
 * Runs on Linux too (the counters are Pagoda's: those checks skip):
 * gcc -static -m32 -I. user/test_mapwrite.c user/lib/ktap.c user/lib/mem.c user/lib/pagoda.c */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"

#define KEPT "/mapwrite-kept"      /* left on the disk for the boot test to check */
#define SCRATCH "/mapwrite-scratch"
#define BIG "/mapwrite-big"
#define DONE "/mapwrite-done"

static uint64_t counter(int which)
{
    struct pagoda_vmstat st;
    if (pagoda_vmstat(&st, 0) < 0)
        return 0;
    return which ? st.file_writebacks : st.pages_cleaned;
}

/* A new file of n bytes, all a hole, mapped shared and writable (its fd in *fd). */
static char *new_mapping(const char *path, size_t n, int *fd)
{
    *fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (*fd < 0 || ftruncate(*fd, n) < 0)
        return MAP_FAILED;
    return mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_SHARED, *fd, 0);
}

static int file_is(const char *path, size_t n, char first, char second)
{
    static char buf[2 * PAGE_SIZE];
    int fd = open(path, O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
    close(fd);
    return got == (ssize_t)n && first_mismatch(buf, PAGE_SIZE, first) < 0 &&
           first_mismatch(buf + PAGE_SIZE, PAGE_SIZE, second) < 0;
}

/* Written through the mapping, the file has it after munmap and close, read afresh. */
static void kept_after_munmap(void)
{
    int fd;
    char *m = new_mapping(KEPT, 2 * PAGE_SIZE, &fd);
    if (m == MAP_FAILED) {
        ktap_check(0, "map_writable_shared", "%s: %s", KEPT, strerror(errno));
        return;
    }
    ktap_check(1, "map_writable_shared", "mapped");
    memset(m, 'A', PAGE_SIZE);
    memset(m + PAGE_SIZE, 'B', PAGE_SIZE);
    char c;
    lseek(fd, PAGE_SIZE, SEEK_SET);
    ktap_check(read(fd, &c, 1) == 1 && c == 'B', "store_seen_by_read", "read %c", c);
    munmap(m, 2 * PAGE_SIZE);
    close(fd);
    ktap_check(file_is(KEPT, 2 * PAGE_SIZE, 'A', 'B'), "kept_after_munmap", "the file differs");
}

/* msync writes the dirty pages back now; write(2) is seen through the mapping. */
static void msync_and_write(void)
{
    int fd;
    char *m = new_mapping(SCRATCH, PAGE_SIZE, &fd);
    uint64_t before = counter(0);
    memset(m, 'm', PAGE_SIZE);
    ktap_check(msync(m, PAGE_SIZE, MS_SYNC) == 0, "msync_ok", "errno %d", errno);
    if (pagoda_only("msync_wrote_back"))
        ktap_check(counter(0) > before, "msync_wrote_back", "no page cleaned");
    lseek(fd, 10, SEEK_SET);
    write(fd, "WRITE", 5);
    ktap_check(memcmp(m + 10, "WRITE", 5) == 0, "write_seen_through_mapping", "%.5s", m + 10);
    /* Written again after msync (the page was write-protected while it was cleaned). */
    m[100] = 'x';
    munmap(m, PAGE_SIZE);
    close(fd);
    fd = open(SCRATCH, O_RDONLY);
    char buf[128];
    read(fd, buf, sizeof(buf));
    close(fd);
    ktap_check(buf[100] == 'x' && memcmp(buf + 10, "WRITE", 5) == 0 && buf[0] == 'm',
               "rewritten_after_msync_kept", "%c %.5s %c", buf[100], buf + 10, buf[0]);
}

/* Left mapped and dirty, the page is written back by the pageout daemon within its period
 * (5 s of timer ticks); wait up to four periods. */
static void periodic_write_back(void)
{
    int fd;
    char *m = new_mapping(SCRATCH, PAGE_SIZE, &fd);
    if (!pagoda_only("periodic_write_back")) {
        munmap(m, PAGE_SIZE);
        close(fd);
        return;
    }
    uint64_t before = counter(0);
    m[0] = 'p';
    int waited = 0;
    while (counter(0) == before && waited++ < 20)
        sleep(1);
    ktap_check(counter(0) > before, "periodic_write_back", "nothing cleaned in %d s", waited);
    munmap(m, PAGE_SIZE);
    close(fd);
    unlink(SCRATCH);
}

/* A child's stores through its inherited mapping reach the parent's view and the file. */
static void fork_shares(void)
{
    int fd;
    char *m = new_mapping(SCRATCH, PAGE_SIZE, &fd);
    pid_t pid = fork();
    if (pid == 0) {
        strcpy(m, "child");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    ktap_check(strcmp(m, "child") == 0, "child_store_seen", "%.8s", m);
    munmap(m, PAGE_SIZE);
    close(fd);
    unlink(SCRATCH);
}

/* Pressure: a file larger than RAM, each page written by one of two processes in random
 * order. It cannot stay in memory: dirty pages are evicted to the file. Afterwards the
 * file, read afresh from the disk (nothing holds it, so its cached pages are gone),
 * holds every page's words. */
static uint32_t word(uint32_t page, uint32_t i)
{
    return page * 1024 + i + 0x13570000u;
}

static void writer(uint32_t *m, uint32_t npages, int half)
{
    uint32_t x = 12345 + half;
    for (uint32_t k = 0; k < npages; k++) {
        x = x * 1103515245u + 12345u;
        uint32_t page = (x >> 8) % npages;
        if ((page & 1) != (uint32_t)half)
            continue;
        for (uint32_t i = 0; i < 1024; i++)
            m[page * 1024 + i] = word(page, i);
    }
    for (uint32_t page = half; page < npages; page += 2)   /* the pages chance missed */
        if (m[page * 1024] != word(page, 0))
            for (uint32_t i = 0; i < 1024; i++)
                m[page * 1024 + i] = word(page, i);
}

static int pressure(uint32_t npages)
{
    struct sysinfo si;
    sysinfo(&si);
    ktap_plan(4);
    ktap_diag("RAM %lu pages, file %u pages", (unsigned long)si.totalram, npages);
    int fd;
    uint32_t *m = (uint32_t *)new_mapping(BIG, (size_t)npages * PAGE_SIZE, &fd);
    if ((char *)m == MAP_FAILED) {
        ktap_check(0, "big_mapping", "%s: %s", BIG, strerror(errno));
        return ktap_finish();
    }
    struct pagoda_vmstat before, after;
    pagoda_vmstat(&before, 0);
    pid_t pids[2];
    for (int h = 0; h < 2; h++)
        if ((pids[h] = fork()) == 0) {
            writer(m, npages, h);
            _exit(0);
        }
    for (int h = 0; h < 2; h++)
        waitpid(pids[h], NULL, 0);
    munmap(m, (size_t)npages * PAGE_SIZE);
    close(fd);
    pagoda_vmstat(&after, 0);
    fd = open(BIG, O_RDONLY);
    static uint32_t buf[1024];
    long bad = -1;
    for (uint32_t page = 0; page < npages && bad < 0; page++) {
        if (read(fd, buf, PAGE_SIZE) != PAGE_SIZE)
            bad = page;
        for (uint32_t i = 0; i < 1024 && bad < 0; i++)
            if (buf[i] != word(page, i))
                bad = page;
    }
    close(fd);
    unlink(BIG);
    ktap_check(bad < 0, "file_holds_every_page", "page %ld differs", bad);
    if (bad < 0 && (fd = open(DONE, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0) {
        write(fd, "done\n", 5);
        close(fd);
    }
    if (!pagoda_only("evicted_to_the_file")) {
        ktap_skip("not_to_swap", "Pagoda's counters");
        ktap_skip("each_page_written", "Pagoda's counters");
        return ktap_finish();
    }
    uint64_t wb = after.file_writebacks - before.file_writebacks;
    uint64_t cleaned = after.pages_cleaned - before.pages_cleaned;
    uint64_t outs = after.swap_outs - before.swap_outs;
    ktap_diag("file_writebacks %llu pages_cleaned %llu swap_outs %llu", (unsigned long long)wb,
              (unsigned long long)cleaned, (unsigned long long)outs);
    uint64_t beyond = npages > before.frames_total ? npages - before.frames_total : 0;
    ktap_check(wb + cleaned >= beyond, "evicted_to_the_file",
               "%llu write-backs, %llu cleaned, %llu pages beyond RAM", (unsigned long long)wb,
               (unsigned long long)cleaned, (unsigned long long)beyond);
    ktap_check(outs < npages / 10, "not_to_swap", "%llu swap-outs", (unsigned long long)outs);
    ktap_check(wb + cleaned >= npages, "each_page_written", "%llu + %llu for %u pages",
               (unsigned long long)wb, (unsigned long long)cleaned, npages);
    return ktap_finish();
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "pressure") == 0)
        return pressure((uint32_t)atoi(argv[2]));
    ktap_plan(9);
    kept_after_munmap();
    msync_and_write();
    periodic_write_back();
    fork_shares();
    return ktap_finish();
}
