/* user/test_shmpress.c: shared memory under real memory pressure. A MAP_SHARED anonymous
 * region three times the machine's RAM is written by WORKERS processes (each its share of
 * the pages), then every page is read back by another process and by the parent, byte for
 * byte. The region cannot be resident: its pages go to swap and come back, through the
 * page cache's index, with several processes mapping each one.
 *
 * What must hold besides the bytes: a page is written to swap once per change, not once
 * per process that maps it (the reverse map unmaps it from all of them at one eviction,
 * and a page read back unchanged keeps its slot: evicted again it is not written). So the
 * swap-outs number about one per page, and the re-evictions of pages read back show as
 * write-backs avoided. Boot it with little RAM and no vm.frames quota (tests/boot/
 * user_suite.py). On Linux the program runs too (the counters are Pagoda's: skipped):
 * gcc -static -m32 -I. user/test_shmpress.c user/lib/ktap.c user/lib/pagoda.c */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

#define WORKERS 3
#define PAGE 4096u
#define WORDS (PAGE / 4)

static uint32_t word(uint32_t page, uint32_t i)
{
    return (page * WORDS + i) ^ 0x5a5a0000u;
}

static void write_page(uint32_t *p, uint32_t page)
{
    for (uint32_t i = 0; i < WORDS; i++)
        p[i] = word(page, i);
}

static int page_ok(const uint32_t *p, uint32_t page)
{
    for (uint32_t i = 0; i < WORDS; i++)
        if (p[i] != word(page, i))
            return 0;
    return 1;
}

/* The pages of one worker's share: page % WORKERS == w. Returns the first wrong page of
 * them (verify) or -1. */
static long pass(uint32_t *region, uint32_t npages, int w, int verify)
{
    for (uint32_t page = w; page < npages; page += WORKERS) {
        uint32_t *p = region + page * WORDS;
        if (!verify)
            write_page(p, page);
        else if (!page_ok(p, page))
            return page;
    }
    return -1;
}

/* Worker w writes its share, waits for all to have written, then checks the next
 * worker's share: every page is checked by a process that did not write it. */
static int worker(uint32_t *region, uint32_t npages, int w, int ready_fd, int go_fd)
{
    char c = 'w';
    pass(region, npages, w, 0);
    write(ready_fd, &c, 1);
    read(go_fd, &c, 1);
    return pass(region, npages, (w + 1) % WORKERS, 1) < 0 ? 0 : 1;
}

int main(void)
{
    struct sysinfo si;
    sysinfo(&si);
    uint32_t npages = (uint32_t)((uint64_t)si.totalram * si.mem_unit * 3 / PAGE);
    ktap_plan(5);
    ktap_diag("RAM %lu pages, shared region %u pages", (unsigned long)si.totalram, npages);
    uint32_t *region = mmap(NULL, (size_t)npages * PAGE, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (region == MAP_FAILED) {
        ktap_check(0, "map", "mmap: %s", strerror(errno));
        return ktap_finish();
    }
    struct pagoda_vmstat before, after;
    pagoda_vmstat(&before, 0);
    int ready[2], go[2];
    pipe(ready);
    pipe(go);
    pid_t pids[WORKERS];
    for (int w = 0; w < WORKERS; w++)
        if ((pids[w] = fork()) == 0)
            _exit(worker(region, npages, w, ready[1], go[0]));
    char c;
    for (int w = 0; w < WORKERS; w++)
        read(ready[0], &c, 1);
    for (int w = 0; w < WORKERS; w++)
        write(go[1], "g", 1);
    int bad = 0;
    for (int w = 0; w < WORKERS; w++) {
        int status;
        waitpid(pids[w], &status, 0);
        bad += !WIFEXITED(status) || WEXITSTATUS(status) != 0;
    }
    ktap_check(bad == 0, "workers_read_each_others_pages", "%d workers saw wrong bytes", bad);
    long wrong = -1;
    for (int w = 0; w < WORKERS && wrong < 0; w++)
        wrong = pass(region, npages, w, 1);
    ktap_check(wrong < 0, "parent_reads_every_page", "page %ld is wrong", wrong);
    pagoda_vmstat(&after, 0);
    munmap(region, (size_t)npages * PAGE);
    if (!pagoda_only("swapped_through_the_cache")) {
        ktap_skip("one_write_per_change", "Pagoda's counters");
        ktap_skip("clean_pages_not_rewritten", "Pagoda's counters");
        return ktap_finish();
    }
    uint64_t outs = after.swap_outs - before.swap_outs, ins = after.swap_ins - before.swap_ins;
    uint64_t avoided = after.writebacks_avoided - before.writebacks_avoided;
    ktap_diag("swap_outs %llu swap_ins %llu writebacks_avoided %llu",
              (unsigned long long)outs, (unsigned long long)ins, (unsigned long long)avoided);
    /* Two thirds of the region at least cannot stay in RAM; it went out and came back. */
    ktap_check(outs >= npages / 2 && ins >= npages / 2, "swapped_through_the_cache",
               "%llu out, %llu in, for %u pages", (unsigned long long)outs,
               (unsigned long long)ins, npages);
    /* Once per change: a page written again after it went out (its writer was still at it)
     * is a second change, so allow a few; one write per mapper would be WORKERS + 1 times. */
    ktap_check(outs <= npages + npages / 8, "one_write_per_change", "%llu writes for %u pages",
               (unsigned long long)outs, npages);
    ktap_check(avoided > 0, "clean_pages_not_rewritten", "no write-back avoided");
    return ktap_finish();
}
