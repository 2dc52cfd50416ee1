/* user/test_prepage.c: prepaging (vm.prepage=N, run as init with N=4). Reading a
 * file-backed array page by page must take about one fault per N+1 pages, the pages
 * brought in ahead must count as used; a strided read must leave some unused. */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include "user/lib/ktap.h"
#include "user/lib/pagoda.h"

#define PAGE 4096
#define NPAGES 256

/* Read-only data with contents, so they live in the executable's file (.rodata). */
static const char sequential[NPAGES * PAGE] __attribute__((aligned(PAGE))) = {1};
static const char strided[NPAGES * PAGE] __attribute__((aligned(PAGE))) = {2};

static void read_pages(const char *a, int step)
{
    volatile char sink = 0;
    for (int i = 0; i < NPAGES; i += step)
        sink += a[i * PAGE];
    (void)sink;
}

/* Read a, then unmap it, so the kernel settles every prepaged page: used or unused. */
static void run(const char *a, int step, struct pagoda_vmstat *before,
                struct pagoda_vmstat *after)
{
    pagoda_vmstat(before, 0);
    read_pages(a, step);
    munmap((void *)a, NPAGES * PAGE);
    pagoda_vmstat(after, 0);
}

int main(void)
{
    ktap_plan(4);
    if (!pagoda_only("prepaging"))
        return ktap_finish();
    struct pagoda_vmstat b, a;
    run(sequential, 1, &b, &a);
    uint64_t fills = a.file_fills - b.file_fills, pre = a.prepaged - b.prepaged;
    ktap_diag("sequential: %llu file faults, %llu pages prepaged, %llu used",
              (unsigned long long)fills, (unsigned long long)pre,
              (unsigned long long)(a.prepage_hits - b.prepage_hits));
    ktap_check(fills <= NPAGES / 4 && fills + pre >= NPAGES, "sequential_faults_saved",
               "%llu faults for %d pages", (unsigned long long)fills, NPAGES);
    ktap_check(a.prepage_hits - b.prepage_hits >= pre - 4, "prepaged_pages_used",
               "%llu of %llu", (unsigned long long)(a.prepage_hits - b.prepage_hits),
               (unsigned long long)pre);
    run(strided, 8, &b, &a);
    uint64_t unused = a.prepage_unused - b.prepage_unused;
    ktap_diag("strided by 8: %llu file faults, %llu prepaged pages unused",
              (unsigned long long)(a.file_fills - b.file_fills), (unsigned long long)unused);
    /* The sequential read's last fault may have prepaged strided's first page. */
    ktap_check(a.file_fills - b.file_fills >= NPAGES / 8 - 1, "strided_faults_each_touch", "%llu",
               (unsigned long long)(a.file_fills - b.file_fills));
    ktap_check(unused >= NPAGES / 8, "strided_prepages_unused", "%llu", (unsigned long long)unused);
    return ktap_finish();
}
