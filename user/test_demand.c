/* user/test_demand.c: demand paging from the executable: a 7 MiB program (4 MiB of .data,
 * 2 MiB of .rodata, 4 MiB of .bss) that touches a few pages and checks their contents. */
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/mem.h"
#include "user/lib/pagoda.h"

#define DATA_PAGES 1024
#define RODATA_PAGES 512
#define BSS_PAGES 1024
#define TOUCHED 4              /* pages touched in each array */
/* The whole process stays under this many resident pages. glibc's start-up alone touches
 * some 50 scattered text pages (Linux, fault-around off, counts about 80 for all of this
 * program); loading the arrays eagerly would mean more than 1,500. */
#define RESIDENT_LIMIT 128
#define WARM_KIB 16

/* Every page of the big arrays starts with its own index, so a page read from the wrong
 * place in the file shows up; a zero-filled page (no magic) too. */
#define MAGIC 0x9a60da00u
struct tagged_page {
    uint32_t index, magic;
    char rest[PAGE_SIZE - 8];
};
#define TAG(n) { (n), MAGIC ^ (n), { 0 } }
#define TAG2(n) TAG(n), TAG((n) + 1)
#define TAG4(n) TAG2(n), TAG2((n) + 2)
#define TAG8(n) TAG4(n), TAG4((n) + 4)
#define TAG16(n) TAG8(n), TAG8((n) + 8)
#define TAG32(n) TAG16(n), TAG16((n) + 16)
#define TAG64(n) TAG32(n), TAG32((n) + 32)
#define TAG128(n) TAG64(n), TAG64((n) + 64)
#define TAG256(n) TAG128(n), TAG128((n) + 128)
#define TAG512(n) TAG256(n), TAG256((n) + 256)
#define TAG1024(n) TAG512(n), TAG512((n) + 512)

static struct tagged_page data_pages[DATA_PAGES] __attribute__((aligned(PAGE_SIZE))) = { TAG1024(0) };
static const struct tagged_page rodata_pages[RODATA_PAGES] __attribute__((aligned(PAGE_SIZE))) = {
    TAG512(0)
};
static char bss_pages[BSS_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

/* Counter snapshots: static, and written before the first snapshot (see test_cow.c). */
static struct pagoda_vmstat before, after;

/* What touching found: the first page of each array with wrong contents, or -1. */
struct touch_result {
    int bad_data, bad_rodata, bad_bss;
};

/* The pages touched: spread over each array, never the first or last. */
static int touched_page(int i, int npages)
{
    return (i + 1) * npages / (TOUCHED + 1) + 3;
}

static int tag_ok(const struct tagged_page *page, int index)
{
    return page->index == (uint32_t)index && page->magic == (MAGIC ^ index);
}

/* Reads TOUCHED pages of each array. A warm-up run reads page 0 of each instead, so the
 * same code runs and faults in everything but the pages a measured run touches. */
static void touch_pages(int warm_up, struct touch_result *r)
{
    r->bad_data = r->bad_rodata = r->bad_bss = -1;
    for (int i = 0; i < TOUCHED; i++) {
        int d = warm_up ? 0 : touched_page(i, DATA_PAGES);
        int c = warm_up ? 0 : touched_page(i, RODATA_PAGES);
        int b = warm_up ? 0 : touched_page(i, BSS_PAGES);
        if (!tag_ok(&data_pages[d], d) && r->bad_data < 0)
            r->bad_data = d;
        if (!tag_ok(&rodata_pages[c], c) && r->bad_rodata < 0)
            r->bad_rodata = c;
        if (first_mismatch(bss_pages[b], PAGE_SIZE, 0) >= 0 && r->bad_bss < 0)
            r->bad_bss = b;
    }
}

static void report_contents(const struct touch_result *r)
{
    ktap_check(r->bad_data < 0, "data_pages_from_file", "page %d of .data has tag %#x",
               r->bad_data, r->bad_data < 0 ? 0 : data_pages[r->bad_data].index);
    ktap_check(r->bad_rodata < 0, "rodata_pages_from_file", "page %d of .rodata has tag %#x",
               r->bad_rodata, r->bad_rodata < 0 ? 0 : rodata_pages[r->bad_rodata].index);
    ktap_check(r->bad_bss < 0, "bss_pages_zero", "page %d of .bss is not zero", r->bad_bss);
    int p = touched_page(0, DATA_PAGES);
    data_pages[p].rest[100] = 'w';
    ktap_check(data_pages[p].rest[100] == 'w' && tag_ok(&data_pages[p], p), "data_page_writable",
               "wrote a .data page, read back '%c', tag %#x", data_pages[p].rest[100],
               data_pages[p].index);
}

/* Touches the pages between two snapshots of this process's counters, after a warm-up
 * that faults in the code, the stack, the snapshots and the system call's path. */
static void touch_measured(struct touch_result *r)
{
    warm_stack(WARM_KIB);
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    touch_pages(1, r);
    pagoda_vmstat(&before, getpid());
    pagoda_vmstat(&before, getpid());
    touch_pages(0, r);
    pagoda_vmstat(&after, getpid());
}

static void report_fills(void)
{
    uint64_t file = after.file_fills - before.file_fills, zero = after.zero_fills - before.zero_fills;
    ktap_check(file == 2 * TOUCHED, "file_fills_one_per_page",
               "touching %d .data and %d .rodata pages cost %llu file fills", TOUCHED, TOUCHED,
               (unsigned long long)file);
    ktap_check(zero == TOUCHED, "zero_fills_one_per_page",
               "touching %d .bss pages cost %llu zero fills", TOUCHED, (unsigned long long)zero);
    ktap_check(after.resident_pages >= 3 * TOUCHED && after.resident_pages < RESIDENT_LIMIT,
               "resident_pages_small", "%u pages resident of a %u-page program, expected %d to %d",
               after.resident_pages, (unsigned)(DATA_PAGES + RODATA_PAGES + BSS_PAGES),
               3 * TOUCHED, RESIDENT_LIMIT - 1);
}

int main(void)
{
    struct touch_result r;
    ktap_plan(7);
    if (on_pagoda()) {
        touch_measured(&r);
        report_contents(&r);
        report_fills();
    } else {
        touch_pages(0, &r);
        report_contents(&r);
        pagoda_only("file_fills_one_per_page");
        pagoda_only("zero_fills_one_per_page");
        pagoda_only("resident_pages_small");
    }
    return ktap_finish();
}
