/* mm/replace.h: the kernel side of the replacement-policy interface: which policy is
 * active (vm.policy=, or at run time), and the events the kernel reports to it. */
#ifndef MM_POLICY_H
#define MM_POLICY_H

#include "mm/policy/policy.h"

struct frame;

void replace_init(void);                  /* vm.policy= (default clock) */
int replace_select(const char *name);     /* 0, or -EINVAL for an unknown name */
const char *replace_name(void);
void replace_loaded(struct frame *f);     /* a frame got its first mapping */
void replace_removed(struct frame *f);    /* a frame lost its last mapping, or is evicted */
void replace_tick(void);                  /* sample reference bits (process context) */
struct frame *replace_choose_victim(pol_eligible_fn eligible, void *ctx);

#define POLICY_TICK_INTERVAL 10          /* timer ticks between policy samples (10 Hz) */

#endif
