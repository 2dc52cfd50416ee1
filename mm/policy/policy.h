/* mm/policy/policy.h: the page-replacement policy interface. A policy is a struct of
 * callbacks in its own file under mm/policy/; the same file compiles unchanged into
 * the kernel and into the host simulator (tools/vmsim), which each provide the
 * "services" below. Frames are named by number (0 .. nframes-1). */
#ifndef MM_POLICY_POLICY_H
#define MM_POLICY_POLICY_H

#include <stdint.h>
#include "mm/policy/poldata.h"    /* struct pol_data, POL_NONE */

/* Which frames may be chosen: the kernel's filter (evictable, and for local
 * replacement owned by the faulting process). */
typedef int (*pol_eligible_fn)(uint32_t frame, void *ctx);

struct vm_policy {
    const char *name;            /* as in vm.policy=NAME */
    const char *description;     /* one line, with its textbook source */
    void (*init)(uint32_t nframes);
    void (*loaded)(uint32_t frame);      /* a page was just made resident in frame */
    void (*removed)(uint32_t frame);     /* frame no longer holds a page (evicted or freed) */
    void (*tick)(void);                  /* periodic sampling of reference bits (may be NULL) */
    /* Choose a resident frame for which eligible(frame, ctx) is true; POL_NONE if none. */
    uint32_t (*choose_victim)(pol_eligible_fn eligible, void *ctx);
};

/* Services the kernel (mm/pol.c) or the simulator provide to policies. */

/* A frame's fields for the policy: frame f's are at base + f * stride in the frame
 * table of whichever program runs the policy. Inline, not a call: a policy asks for
 * them several times inside every page fault. */
struct pol_table {
    char *base;
    uint32_t stride;
};
extern struct pol_table pol_table;
static inline struct pol_data *pol_data(uint32_t frame)
{
    return (struct pol_data *)(void *)(pol_table.base + frame * pol_table.stride);
}
uint32_t pol_nframes(void);
int pol_resident(uint32_t frame);        /* does the frame hold a (user) page now? */
int pol_referenced(uint32_t frame);      /* accessed bit of any mapping, left unchanged */
int pol_test_and_clear_referenced(uint32_t frame);  /* ... and cleared (TLB invalidated) */
int pol_dirty(uint32_t frame);           /* modified since it was last written out */
uint32_t pol_now(void);                  /* virtual time: ticks, or references in vmsim */
uint32_t pol_random(void);               /* seeded pseudo-random numbers (vm.seed) */
void pol_hand_wrapped(void);             /* a clock hand finished a sweep (vmstat counts them) */
/* The policy found itself broken (a student's assertion, or a lab's unwritten function):
 * the kernel stops with a panic naming the policy and why; vmsim exits with status 2. */
void pol_fail(const char *why) __attribute__((noreturn));

/* The registry (mm/policy/registry.c): adding a policy is one file plus one line there. */
const struct vm_policy *registry_find(const char *name);
const struct vm_policy *const *registry_list(void);   /* NULL-terminated */

#endif
