/* user/pager_zswap.c: lesson 2 of the external pagers (docs/pagers.md): a compressing
 * pager, like Linux's zswap or macOS's compressed memory: an evicted page is kept, coded
 * small, in the pager's own memory instead of on a disk.
 *
 * Tanenbaum (Modern Operating Systems, 3.6.6, "Separation of Policy and Mechanism"):
 * the kernel neither knows nor cares what the pager does with the pages it takes back;
 * this one runs them through an LZ77 coder (user/lib/lz.c) and decodes them when they
 * are touched again. A page never seen is answered with UFFDIO_ZEROPAGE, no copy at all.
 * A clean page evicted needs nothing stored: the coded copy it came from is still there.
 * The trade is CPU for memory: each fault costs a decode, each dirty eviction a coding,
 * and the region's pages fit in a fraction of their size if the data repeats (the
 * workload's pages do, in runs of 16 words; random bytes would not shrink at all).
 * The coder's round trips are checked first, on data that does not depend on the host.
 *
 * On Pagoda: make run INIT=/bin/pager_zswap (the test user-pager-zswap, with vm.check=1).
 * On Linux (x86-64 with IA32 emulation, as root or vm.unprivileged_userfaultfd=1):
 *     build/rootfs/bin/pager_zswap [BUDGET [PAGES [ROUNDS]]]     or     ... bench */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "user/lib/ktap.h"
#include "user/lib/lz.h"
#include "user/lib/prng.h"
#include "user/lib/upwork.h"

/* The pager's store: each page's coding, or none for a page never evicted dirty. */
struct zpage {
    uint8_t *code;
    uint32_t len;
};

struct zswap {
    struct zpage *pages;
    uint32_t npages;
};

static void give_up(const char *what, uint32_t page)
{
    ktap_diag("pager_zswap: %s of page %u failed", what, page);
    _exit(3);
}

static int zswap_fetch(void *self, uint32_t page, void *buf)
{
    struct zpage *z = &((struct zswap *)self)->pages[page];
    if (!z->code)
        return 0;
    if (lz_decompress(z->code, z->len, buf, UPAGER_PAGE) != UPAGER_PAGE)
        give_up("decoding", page);
    return 1;
}

static void zswap_store(void *self, uint32_t page, const void *buf)
{
    static uint8_t code[LZ_BOUND(UPAGER_PAGE)];
    struct zpage *z = &((struct zswap *)self)->pages[page];
    size_t len = lz_compress(buf, UPAGER_PAGE, code);
    uint8_t *kept = realloc(z->code, len);
    if (!kept)
        give_up("keeping", page);
    memcpy(kept, code, len);
    *z = (struct zpage){.code = kept, .len = (uint32_t)len};
}

static void zswap_usage(void *self, uint32_t *pages, uint32_t *bytes)
{
    struct zswap *zs = self;
    *pages = *bytes = 0;
    for (uint32_t i = 0; i < zs->npages; i++) {
        *pages += zs->pages[i].code != NULL;
        *bytes += zs->pages[i].len;
    }
}

static const struct upager_ops zswap_ops = {
    .fetch = zswap_fetch, .store = zswap_store, .usage = zswap_usage,
};

/* Codes a page and decodes it back: its coded size, or 0 if the round trip failed. */
static size_t round_trip(const uint8_t *page)
{
    static uint8_t code[LZ_BOUND(UPAGER_PAGE)], back[UPAGER_PAGE];
    size_t len = lz_compress(page, UPAGER_PAGE, code);
    long n = len <= sizeof(code) ? lz_decompress(code, len, back, sizeof(back)) : -1;
    return n == UPAGER_PAGE && memcmp(back, page, UPAGER_PAGE) == 0 ? len : 0;
}

/* Zeros and the workload's pattern shrink; random bytes come back unharmed, grown by no
 * more than LZ_BOUND; codings that reach before the start, past the room, or stop in a
 * token are refused. */
static void check_lz(void)
{
    static uint32_t page[UPAGER_PAGE / 4];
    size_t zeros = round_trip((uint8_t *)page);
    upwork_fill(page, 7, 3);
    size_t pattern = round_trip((uint8_t *)page);
    prng_seed(16);
    for (uint32_t i = 0; i < UPAGER_PAGE / 4; i++)
        page[i] = prng_next();
    size_t noise = round_trip((uint8_t *)page);
    ktap_diag("lz: a page of zeros in %zu bytes, of the pattern in %zu, of random bytes in %zu",
              zeros, pattern, noise);
    ktap_check(zeros && zeros < 128 && pattern && pattern < 1024 && noise > UPAGER_PAGE &&
               noise <= LZ_BOUND(UPAGER_PAGE), "lz: round trips", "sizes %zu %zu %zu",
               zeros, pattern, noise);
    static const uint8_t before_start[] = {0x00, 'a', 0x80, 0x01, 0x00};
    static const uint8_t cut_short[] = {0x05, 'a', 'b'};
    static const uint8_t too_long[] = {0x00, 'a', 0xff, 0x00, 0x00};
    uint8_t out[64];
    ktap_check(lz_decompress(before_start, sizeof(before_start), out, sizeof(out)) < 0 &&
               lz_decompress(cut_short, sizeof(cut_short), out, sizeof(out)) < 0 &&
               lz_decompress(too_long, sizeof(too_long), out, sizeof(out)) < 0 &&
               lz_decompress(too_long, 2, out, sizeof(out)) == 1,
               "lz: bad codings refused", "one was decoded");
}

int main(int argc, char **argv)
{
    struct zswap zs;
    struct upwork w = {.name = "zswap", .ops = &zswap_ops, .self = &zs};
    int bench = upwork_args(argc, argv, &w);
    zs = (struct zswap){.pages = calloc(w.npages, sizeof(*zs.pages)), .npages = w.npages};
    if (!zs.pages)
        return 1;
    if (bench)
        return upwork_bench(&w);
    ktap_plan(UPWORK_CHECKS + 3);
    check_lz();
    struct upager_stats st;
    upwork_run(&w, &st);
    ktap_diag("zswap: %u pages stored in %u bytes (%.1f to 1)", st.kept_pages, st.kept_bytes,
              st.kept_bytes ? (double)st.kept_pages * UPAGER_PAGE / st.kept_bytes : 0.0);
    if (st.budgeted)
        ktap_check(st.kept_pages > 0 && st.kept_bytes * 4 <= st.kept_pages * UPAGER_PAGE,
                   "zswap: pages kept in a quarter of their size or less",
                   "%u pages in %u bytes", st.kept_pages, st.kept_bytes);
    else
        ktap_skip("zswap: pages kept in a quarter of their size or less",
                  "exports unavailable: nothing evicted");
    return ktap_finish();
}
