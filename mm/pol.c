/* mm/pol.c: the kernel's side of the services a replacement policy calls
 * (mm/policy/policy.h; tools/vmsim-src provides the simulator's): the frame table, the
 * clock, random numbers, and reference and dirty bits read through the reverse map. */
#include "mm/pol.h"
#include "mm/policy/policy.h"
#include "mm/frame.h"
#include "mm/rmap.h"
#include "mm/vma.h"
#include "mm/pgtable.h"
#include "mm/pager.h"
#include "mm/vmstat.h"
#include "mm/replace.h"
#include "kernel/cmdline.h"
#include "kernel/trap.h"
#include "kernel/panic.h"

static uint32_t random_state;

struct pol_table pol_table;
uint32_t pol_nframes(void) { return nframes; }
uint32_t pol_now(void) { return ticks; }
void pol_hand_wrapped(void) { vmstat_global.clock_sweeps++; }

void pol_fail(const char *why)
{
    panic("vm.policy=%s: %s", replace_name(), why);
}

int pol_resident(uint32_t f)
{
    return frames[f].refs > 0 && (frames[f].state == FRAME_USER || frames[f].state == FRAME_PINNED);
}

uint32_t pol_random(void)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 17;
    random_state ^= random_state << 5;
    return random_state;
}

struct bits {
    uint32_t found;       /* PTE_A or PTE_D seen in any mapping */
    uint32_t clear;       /* bits to clear as we go */
};

static void read_bits(struct mm *mm, uint32_t va, pte_t *pte, void *ctx)
{
    struct bits *b = ctx;
    b->found |= *pte & (PTE_A | PTE_D);
    /* Clearing the accessed bit must reach the TLB: a cached translation with A set
     * would let the next access through without setting A again. */
    if (b->clear & *pte)
        pgtable_set(mm->pgdir, va, pte, *pte & ~b->clear);
}

static uint32_t mapping_bits(uint32_t f, uint32_t clear)
{
    struct bits b = {0, clear};
    struct rmap *only = frames[f].rmap;
    if (only && !only->next)            /* the common unshared page: no visit callback */
        read_bits(only->mm, only->va, pgtable_walk(only->mm->pgdir, only->va, 0), &b);
    else
        rmap_visit(&frames[f], read_bits, &b);
    if (frames[f].flags & FRAME_DIRTY)
        b.found |= PTE_D;               /* a cached page written by write(2), or by a gone mapping */
    /* The working-set sampler may have taken the accessed bit first: it left a note. */
    if (frames[f].flags & FRAME_SOFTREF) {
        b.found |= PTE_A;
        if (clear & PTE_A)
            frames[f].flags &= ~FRAME_SOFTREF;
    }
    if (b.found & PTE_A)
        pager_settle(&frames[f], 1);
    return b.found;
}

int pol_referenced(uint32_t f) { return (mapping_bits(f, 0) & PTE_A) != 0; }
int pol_test_and_clear_referenced(uint32_t f) { return (mapping_bits(f, PTE_A) & PTE_A) != 0; }
int pol_dirty(uint32_t f) { return (mapping_bits(f, 0) & PTE_D) != 0; }

void pol_init(void)
{
    pol_table.base = (char *)&frames[0].pol;
    pol_table.stride = sizeof(struct frame);
    random_state = (uint32_t)cmdline_int("vm.seed", 12345) | 1;
}
