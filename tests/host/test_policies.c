/* tests/host/test_policies.c: every replacement policy, run in the simulator's frame table:
 * the textbook's answers, OPT and LRU against naive models, each policy's own rule. */
// uses: mm/policy/*.c tools/vmsim-src/sim.c tools/vmsim-src/exact.c tools/vmsim-src/rng.c tools/vmsim-src/xalloc.c
#include <stdlib.h>
#include <string.h>
#include "tests/host/check.h"
#include "tools/vmsim-src/exact.h"
#include "tools/vmsim-src/rng.h"
#include "user/pagoda_abi.h"

#define MAX_REFS 400
#define SEEDS 200

/* ---- helpers: reference strings, running one, watching victims ------------------------ */

struct refs {
    uint32_t n, npages;
    uint32_t page[MAX_REFS];
    uint8_t write[MAX_REFS];
};

static struct trace as_trace(struct refs *r)
{
    return (struct trace){ r->n, r->npages, r->page, r->write, NULL };
}

static struct refs from_list(const uint32_t *pages, uint32_t n)
{
    struct refs r = { .n = n };
    for (uint32_t i = 0; i < n; i++) {
        r.page[i] = pages[i];
        r.npages = pages[i] + 1 > r.npages ? pages[i] + 1 : r.npages;
    }
    return r;
}

static struct refs random_refs(uint64_t seed, uint32_t n, uint32_t npages)
{
    struct refs r = { .n = n, .npages = npages };
    struct rng g;
    rng_seed(&g, seed);
    for (uint32_t i = 0; i < n; i++) {
        r.page[i] = rng_below(&g, npages);
        r.write[i] = rng_below(&g, 3) == 0;
    }
    return r;
}

/* Every algorithm vmsim knows: OPT and LRU, then the kernel policies. */
static const struct sim_algorithm *algorithms[32];
static struct sim_algorithm wrapped[32];
static int nalgorithms;

static const struct sim_algorithm *algorithm(const char *name)
{
    if (nalgorithms == 0) {
        algorithms[nalgorithms++] = &exact_opt;
        algorithms[nalgorithms++] = &exact_lru;
        for (const struct vm_policy *const *p = registry_list(); *p; p++) {
            wrapped[nalgorithms].policy = *p;
            algorithms[nalgorithms] = &wrapped[nalgorithms];
            nalgorithms++;
        }
    }
    for (int a = 0; a < nalgorithms; a++)
        if (strcmp(algorithms[a]->policy->name, name) == 0)
            return algorithms[a];
    return NULL;
}

static void start(const struct sim_algorithm *a, struct refs *r, uint32_t frames, uint32_t tick)
{
    struct trace t = as_trace(r);
    struct sim_config c = { frames, r->npages, tick, 7, NULL, NULL };
    sim_start(a, &c, &t);
}

static uint64_t faults(const char *name, struct refs *r, uint32_t frames, uint32_t tick)
{
    struct trace t = as_trace(r);
    start(algorithm(name), r, frames, tick);
    sim_run(&t);
    return sim_stats().faults;
}

/* The page each reference evicted (POL_NONE for a hit or a free frame). */
static void victims(const char *name, struct refs *r, uint32_t frames, uint32_t tick,
                    int clear_bits, uint32_t *out)
{
    start(algorithm(name), r, frames, tick);
    for (uint32_t i = 0; i < r->n; i++) {
        out[i] = sim_reference(r->page[i], r->write[i]).evicted;
        for (uint32_t f = 0; clear_bits && f < frames; f++)
            pol_test_and_clear_referenced(f);
    }
}

/* ---- the textbook's answers ------------------------------------------------------------ */

TEST(silberschatz_reference_string)
{
    static const uint32_t s[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
    struct refs r = from_list(s, 20);
    CHECK_EQ(faults("fifo", &r, 3, 8), 15);
    CHECK_EQ(faults("lru", &r, 3, 8), 12);
    CHECK_EQ(faults("opt", &r, 3, 8), 9);
}

TEST(belady_anomaly_for_fifo)
{
    static const uint32_t s[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
    struct refs r = from_list(s, 12);
    CHECK_EQ(faults("fifo", &r, 3, 8), 9);
    CHECK_EQ(faults("fifo", &r, 4, 8), 10);
}

/* ---- OPT and LRU: against the definitions, and the properties they are known for ------- */

/* LRU by definition: evict the resident page whose last use is earliest. */
static uint64_t naive_lru(const struct refs *r, uint32_t frames)
{
    uint32_t last[MAX_REFS], resident = 0;
    uint8_t in[MAX_REFS] = {0};
    uint64_t n = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i];
        if (!in[p]) {
            n++;
            if (resident == frames) {
                uint32_t old = POL_NONE;
                for (uint32_t q = 0; q < r->npages; q++)
                    if (in[q] && (old == POL_NONE || last[q] < last[old]))
                        old = q;
                in[old] = 0;
                resident--;
            }
            in[p] = 1;
            resident++;
        }
        last[p] = i;
    }
    return n;
}

/* OPT by definition: evict the resident page whose next use is furthest away. */
static uint64_t naive_opt(const struct refs *r, uint32_t frames)
{
    uint8_t in[MAX_REFS] = {0};
    uint32_t resident = 0;
    uint64_t n = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        uint32_t p = r->page[i], far = POL_NONE, far_at = 0;
        if (in[p])
            continue;
        n++;
        if (resident == frames) {
            for (uint32_t q = 0; q < r->npages; q++) {
                uint32_t next = i + 1;
                while (next < r->n && r->page[next] != q)
                    next++;
                if (in[q] && (far == POL_NONE || next > far_at))
                    far = q, far_at = next;
            }
            in[far] = 0;
            resident--;
        }
        in[p] = 1;
        resident++;
    }
    return n;
}

TEST(lru_and_opt_match_their_definitions)
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct refs r = random_refs(seed, 150, 3 + seed % 9);
        for (uint32_t frames = 1; frames <= 6; frames++) {
            CHECK_EQ(faults("lru", &r, frames, 8), naive_lru(&r, frames));
            CHECK_EQ(faults("opt", &r, frames, 8), naive_opt(&r, frames));
        }
    }
}

TEST(opt_is_never_beaten)
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct refs r = random_refs(seed, 120, 2 + seed % 10);
        for (uint32_t frames = 1; frames <= 5; frames++) {
            uint64_t best = faults("opt", &r, frames, 8);
            for (int a = 0; a < nalgorithms; a++)
                for (uint32_t tick = 1; tick <= 8; tick *= 8)
                    CHECK(faults(algorithms[a]->policy->name, &r, frames, tick) >= best);
        }
    }
}

/* Stack algorithms: the pages resident with k frames are always among those resident with
 * k+1, so more frames never mean more faults — no Belady anomaly. */
TEST(lru_and_opt_are_stack_algorithms)
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct refs r = random_refs(seed, 200, 4 + seed % 12);
        for (uint32_t frames = 1; frames < 12; frames++) {
            CHECK(faults("lru", &r, frames + 1, 8) <= faults("lru", &r, frames, 8));
            CHECK(faults("opt", &r, frames + 1, 8) <= faults("opt", &r, frames, 8));
        }
    }
}

/* ---- second chance and clock ------------------------------------------------------------ */

TEST(second_chance_without_reference_bits_is_fifo)
{
    static uint32_t fifo[MAX_REFS], other[MAX_REFS];
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct refs r = random_refs(seed, 150, 6);
        victims("fifo", &r, 4, 0, 0, fifo);
        victims("second_chance", &r, 4, 0, 1, other);
        CHECK(memcmp(fifo, other, r.n * sizeof *fifo) == 0);
        victims("clock", &r, 4, 0, 1, other);
        CHECK(memcmp(fifo, other, r.n * sizeof *fifo) == 0);
    }
}

/* Pages 0, 1, 2 loaded in that order and their bits cleared; then 0 is used again. */
static void used_oldest_again(const char *name, struct refs *r)
{
    start(algorithm(name), r, 3, 0);
    for (uint32_t p = 0; p < 3; p++)
        sim_reference(p, 0);
    for (uint32_t f = 0; f < 3; f++)
        pol_test_and_clear_referenced(f);
    sim_reference(0, 0);
}

TEST(second_chance_and_clock_spare_a_referenced_page)
{
    static const uint32_t s[] = {0, 1, 2, 3, 4, 5};
    struct refs r = from_list(s, 6);
    used_oldest_again("second_chance", &r);
    CHECK_EQ(sim_reference(3, 0).evicted, 1);        /* 0 went to the back */
    CHECK_EQ(sim_reference(4, 0).evicted, 2);
    CHECK_EQ(sim_reference(5, 0).evicted, 0);        /* its bit was cleared on the way */

    used_oldest_again("clock", &r);
    CHECK_EQ(sim_reference(3, 0).evicted, 1);        /* the hand passed 0, clearing it */
    CHECK_EQ(sim_reference(4, 0).evicted, 2);
    CHECK_EQ(sim_reference(5, 0).evicted, 0);
}

/* ---- enhanced second chance ------------------------------------------------------------- */

/* Every assignment of the four (R,M) classes to four frames: the victim is the first frame,
 * in clock order from the hand (frame 0), of the lowest class present. */
TEST(esc_prefers_00_then_01_then_10_then_11)
{
    static const uint32_t s[] = {0, 1, 2, 3, 4};
    struct refs r = from_list(s, 5);
    for (uint32_t combo = 0; combo < 256; combo++) {
        uint32_t cls[4], expect = 0;
        start(algorithm("esc"), &r, 4, 0);
        for (uint32_t f = 0; f < 4; f++) {
            cls[f] = combo >> (2 * f) & 3;                  /* 2*R + M */
            sim_reference(f, cls[f] & 1);                   /* page f lands in frame f */
        }
        for (uint32_t f = 0; f < 4; f++) {
            if (!(cls[f] & 2))
                pol_test_and_clear_referenced(f);
            if (cls[f] < cls[expect])
                expect = f;
        }
        CHECK_EQ(sim_reference(4, 0).evicted, expect);
    }
}

/* Among equals the hand decides: each search starts just past the last victim. */
TEST(esc_takes_equals_in_clock_order)
{
    static const uint32_t s[] = {0, 1, 2, 3, 4, 5};
    struct refs r = from_list(s, 6);
    start(algorithm("esc"), &r, 3, 0);
    for (uint32_t p = 0; p < 3; p++)
        sim_reference(p, 0);
    for (uint32_t p = 3; p < 6; p++) {
        for (uint32_t f = 0; f < 3; f++)
            pol_test_and_clear_referenced(f);
        CHECK_EQ(sim_reference(p, 0).evicted, p - 3);
    }
}

/* ---- aging, LFU, MFU -------------------------------------------------------------------- */

/* With a tick after every reference, a page used within the last 8 references has a
 * non-zero age whose top bit tells exactly when: then aging must pick the LRU page. */
TEST(aging_picks_the_least_recently_used)
{
    uint32_t checked = 0;
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct refs r = random_refs(seed, 200, 5);
        uint32_t last[8] = {0};
        start(algorithm("aging"), &r, 4, 1);
        for (uint32_t i = 0; i < r.n; i++) {
            uint32_t lru = POL_NONE;
            for (uint32_t f = 0; f < 4 && sim_page_in(f) != POL_NONE; f++)
                if (lru == POL_NONE || last[sim_page_in(f)] < last[lru])
                    lru = sim_page_in(f);
            uint32_t evicted = sim_reference(r.page[i], 0).evicted;
            if (evicted != POL_NONE && i - last[lru] <= 8) {
                CHECK_EQ(evicted, lru);
                checked++;
            }
            last[r.page[i]] = i;
        }
    }
    CHECK(checked > 1000);
}

/* LFU and MFU by definition, with a tick per reference: a count of uses since loading,
 * the smallest (LFU) or largest (MFU) count replaced, the earliest loaded among equals. */
struct counting_model {
    uint32_t count[8], loaded_at[8];
    uint8_t resident[8];
    uint32_t nresident;
};

static uint32_t expected_counting_victim(const struct counting_model *m, int most)
{
    uint32_t v = POL_NONE;
    for (uint32_t q = 0; q < 8; q++) {
        if (!m->resident[q])
            continue;
        if (v == POL_NONE) {
            v = q;
            continue;
        }
        int better = most ? m->count[q] > m->count[v] : m->count[q] < m->count[v];
        int tie_older = m->count[q] == m->count[v] && m->loaded_at[q] < m->loaded_at[v];
        if (better || tie_older)
            v = q;
    }
    return v;
}

static void check_counting(const char *name, int most)
{
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct refs r = random_refs(seed, 150, 6);
        struct counting_model m = {0};
        start(algorithm(name), &r, 4, 1);
        for (uint32_t i = 0; i < r.n; i++) {
            uint32_t p = r.page[i];
            uint32_t expect = m.resident[p] || m.nresident < 4 ? POL_NONE
                                                               : expected_counting_victim(&m, most);
            CHECK_EQ(sim_reference(p, 0).evicted, expect);
            if (expect != POL_NONE)
                m.resident[expect] = 0, m.nresident--;
            if (!m.resident[p])
                m.resident[p] = 1, m.nresident++, m.count[p] = 0, m.loaded_at[p] = i;
            m.count[p]++;
        }
    }
}

TEST(lfu_replaces_the_least_used)
{
    check_counting("lfu", 0);
}

TEST(mfu_replaces_the_most_used)
{
    check_counting("mfu", 1);
}

/* Page 0 is used again after the last tick, page 1 is not: its reference bit, not yet
 * sampled, is the newest history there is, so aging and LFU both keep page 0. */
TEST(aging_and_lfu_count_the_tick_in_progress)
{
    static const uint32_t s[] = {0, 1, 0, 2};
    struct refs r = from_list(s, 4);
    static const char *const names[] = {"aging", "lfu"};
    for (int k = 0; k < 2; k++) {
        start(algorithm(names[k]), &r, 2, 2);       /* a tick after the second reference */
        for (uint32_t i = 0; i < 3; i++)
            sim_reference(r.page[i], 0);
        CHECK_EQ(sim_reference(2, 0).evicted, 1);
    }
}

/* ---- WSClock ---------------------------------------------------------------------------- */

/* Pages 0 (written), 1, 2 loaded, then `hits` uses of page 2 to let time pass; all
 * reference bits cleared at the end. */
static void wsclock_scene(struct refs *r, uint32_t hits)
{
    start(algorithm("wsclock"), r, 3, 0);
    sim_reference(0, 1);
    sim_reference(1, 0);
    sim_reference(2, 0);
    for (uint32_t k = 0; k < hits; k++)
        sim_reference(2, 0);
    for (uint32_t f = 0; f < 3; f++)
        pol_test_and_clear_referenced(f);
}

TEST(wsclock_prefers_old_clean_pages)
{
    static const uint32_t s[] = {0, 1, 2, 3, 4};
    struct refs r = from_list(s, 5);
    wsclock_scene(&r, 1000);
    CHECK_EQ(sim_reference(3, 0).evicted, 1);        /* 0 is older but dirty */

    wsclock_scene(&r, 0);                            /* nothing has left the working set: */
    CHECK_EQ(sim_reference(3, 0).evicted, 0);        /* the one idle longest, dirty or not */

    wsclock_scene(&r, 1000);
    sim_reference(1, 0);                             /* 1 in use again: the hand spares it */
    CHECK_EQ(sim_reference(3, 0).evicted, 2);
    CHECK_EQ(sim_reference(4, 0).evicted, 0);        /* and notes the time: 1 is not idle */
}

/* ---- random ----------------------------------------------------------------------------- */

TEST(random_depends_on_the_seed_only)
{
    static uint32_t a[MAX_REFS], b[MAX_REFS];
    struct refs r = random_refs(3, 200, 8);
    struct trace t = as_trace(&r);
    int differ = 0;
    victims("random", &r, 4, 8, 0, a);
    victims("random", &r, 4, 8, 0, b);
    CHECK(memcmp(a, b, sizeof a) == 0);
    for (uint64_t seed = 1; seed <= 10; seed++) {
        struct sim_config c = { 4, r.npages, 8, seed, NULL, NULL };
        sim_start(algorithm("random"), &c, &t);
        for (uint32_t i = 0; i < r.n; i++)
            differ |= sim_reference(r.page[i], 0).evicted != a[i];
    }
    CHECK(differ);
}

/* ---- what every policy owes the kernel --------------------------------------------------- */

/* A filter that changes with time, as frames go busy for I/O and come back. */
static int some_frames(uint32_t frame, void *ctx)
{
    (void)ctx;
    return (frame + pol_now()) % 3 != 0;
}

static int no_frame(uint32_t frame, void *ctx)
{
    (void)frame, (void)ctx;
    return 0;
}

TEST(victims_are_always_eligible)
{
    for (int a = 0; a < nalgorithms; a++) {
        for (uint64_t seed = 1; seed <= 20; seed++) {
            struct refs r = random_refs(seed, 200, 12);
            struct trace t = as_trace(&r);
            struct sim_config c = { 6, r.npages, 4, seed, some_frames, NULL };
            sim_start(algorithms[a], &c, &t);
            for (uint32_t i = 0; i < r.n; i++) {
                uint32_t now = pol_now();
                if (sim_reference(r.page[i], r.write[i]).evicted != POL_NONE)
                    CHECK((sim_frame_of(r.page[i]) + now) % 3 != 0);
            }
        }
    }
}

TEST(nothing_eligible_gives_pol_none)
{
    static const uint32_t s[] = {0, 1, 2, 3};
    struct refs r = from_list(s, 4);
    for (int a = 0; a < nalgorithms; a++) {
        const struct vm_policy *p = algorithms[a]->policy;
        start(algorithms[a], &r, 4, 0);
        CHECK_EQ(p->choose_victim(some_frames, NULL), POL_NONE);   /* nothing resident */
        for (uint32_t i = 0; i < 4; i++)
            sim_reference(i, 0);
        CHECK_EQ(p->choose_victim(no_frame, NULL), POL_NONE);
        for (uint32_t f = 0; f < 4; f++)
            CHECK(pol_referenced(f));                /* and nothing was disturbed */
    }
}

TEST(registry_finds_every_policy)
{
    const struct vm_policy *const *list = registry_list();
    CHECK(strcmp(list[0]->name, "clock") == 0);      /* the default comes first */
    for (int i = 0; list[i]; i++) {
        CHECK(registry_find(list[i]->name) == list[i]);
        CHECK(list[i]->description && list[i]->init && list[i]->loaded && list[i]->removed &&
              list[i]->choose_victim);
        for (int j = 0; j < i; j++)
            CHECK(strcmp(list[i]->name, list[j]->name) != 0);
        /* The names and descriptions must fit SYS_pagoda_policy_info's fields. */
        CHECK(strlen(list[i]->name) < sizeof(((struct pagoda_policy_info *)0)->name));
        CHECK(strlen(list[i]->description) < sizeof(((struct pagoda_policy_info *)0)->description));
    }
    CHECK(registry_find("nosuchpolicy") == NULL);
    CHECK(registry_find("") == NULL);
    CHECK(registry_find("cloc") == NULL);
}
