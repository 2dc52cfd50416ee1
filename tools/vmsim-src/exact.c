/* tools/vmsim-src/exact.c: exact LRU in O(1) per reference (a linked list in order of use)
 * and OPT (Belady's MIN) in O(log frames) per reference (a heap keyed by next use). */
#include <stdlib.h>
#include "mm/policy/queue.h"
#include "tools/vmsim-src/exact.h"
#include "tools/vmsim-src/xalloc.h"

/* ---- LRU: Silberschatz, OSC 9.4.4, "the stack implementation" ------------------------------ */

/* The load-order queue becomes the stack when every use moves the page to the newest end;
 * the oldest end is then the least recently used page. The simulator's page-to-frame
 * array finds the frame of a page in O(1), and moving it in the list is O(1). */
static void lru_used(uint32_t frame)
{
    polq_remove(&load_order, frame);
    polq_append(&load_order, frame);
}

static uint32_t lru_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    return polq_first_eligible(&load_order, eligible, ctx);
}

static const struct vm_policy lru_policy = {
    .name = "lru",
    .description = "least recently used, exactly (Silberschatz, OSC 9.4.4; simulator only)",
    .init = load_order_init,
    .loaded = load_order_loaded,
    .removed = load_order_removed,
    .tick = 0,
    .choose_victim = lru_choose_victim,
};

const struct sim_algorithm exact_lru = { &lru_policy, lru_used, NULL };

/* ---- OPT: Silberschatz, OSC 9.4.3; Belady, IBM Systems Journal 5(2), 1966 ------------------- */

/* Replace the page whose next use is furthest away. next_use[i] is the position of the
 * next reference to the page of reference i, computed once walking the string backwards;
 * a resident page's key (pol_data.stamp) is the next use after its latest reference.
 * The keys sit in a max-heap: heap[0] is the victim. */
#define NEVER UINT32_MAX

static uint32_t *next_use;
static uint32_t *heap, *heap_slot;       /* heap of frames; heap_slot[frame]: its index */
static uint32_t heap_size;

static void opt_prepare(const struct trace *t)
{
    uint32_t *last = xrealloc(NULL, t->npages, sizeof *last);
    for (uint32_t p = 0; p < t->npages; p++)
        last[p] = NEVER;
    next_use = xrealloc(next_use, t->n, sizeof *next_use);
    for (uint32_t i = t->n; i-- > 0;) {
        next_use[i] = last[t->page[i]];
        last[t->page[i]] = i;
    }
    free(last);
}

static uint32_t key(uint32_t i)
{
    return pol_data(heap[i])->stamp;
}

static void put(uint32_t i, uint32_t frame)
{
    heap[i] = frame;
    heap_slot[frame] = i;
}

static void swap(uint32_t i, uint32_t j)
{
    uint32_t f = heap[i];
    put(i, heap[j]);
    put(j, f);
}

static void sift_up(uint32_t i)
{
    for (; i > 0 && key((i - 1) / 2) < key(i); i = (i - 1) / 2)
        swap(i, (i - 1) / 2);
}

static void sift_down(uint32_t i)
{
    for (;;) {
        uint32_t big = i, l = 2 * i + 1, r = 2 * i + 2;
        if (l < heap_size && key(l) > key(big))
            big = l;
        if (r < heap_size && key(r) > key(big))
            big = r;
        if (big == i)
            return;
        swap(i, big);
        i = big;
    }
}

static void opt_init(uint32_t nframes)
{
    heap = xrealloc(heap, nframes, sizeof *heap);
    heap_slot = xrealloc(heap_slot, nframes, sizeof *heap_slot);
    heap_size = 0;
}

/* pol_now() is the position of the reference being handled. Its next use only ever moves
 * later, so a used page's key grows and it can only rise in the heap. */
static void opt_used(uint32_t frame)
{
    pol_data(frame)->stamp = next_use[pol_now()];
    sift_up(heap_slot[frame]);
}

static void opt_loaded(uint32_t frame)
{
    put(heap_size++, frame);
    opt_used(frame);
}

/* The last leaf fills the hole, then moves up or down to where its key belongs. */
static void opt_removed(uint32_t frame)
{
    uint32_t i = heap_slot[frame], last = heap[--heap_size];
    if (i == heap_size)
        return;                          /* the frame was the last leaf itself */
    put(i, last);
    sift_up(i);
    sift_down(heap_slot[last]);
}

/* The heap answers for the usual case, every frame eligible; with a filter, fall back to
 * a linear search (only the tests use one). */
static uint32_t opt_choose_victim(pol_eligible_fn eligible, void *ctx)
{
    if (heap_size && eligible(heap[0], ctx))
        return heap[0];
    uint32_t best = POL_NONE;
    for (uint32_t i = 0; i < heap_size; i++)
        if (eligible(heap[i], ctx) && (best == POL_NONE || key(i) > pol_data(best)->stamp))
            best = heap[i];
    return best;
}

static const struct vm_policy opt_policy = {
    .name = "opt",
    .description = "optimal: the page used furthest in the future (Belady's MIN; simulator only)",
    .init = opt_init,
    .loaded = opt_loaded,
    .removed = opt_removed,
    .tick = 0,
    .choose_victim = opt_choose_victim,
};

const struct sim_algorithm exact_opt = { &opt_policy, opt_used, opt_prepare };
