/* mm/policy.h: the kernel side of the replacement-policy interface: which policy is
 * active (vm.policy=, or at run time), and the events the kernel reports to it. */
#ifndef MM_POLICY_H
#define MM_POLICY_H

#include "mm/policy/policy.h"

struct frame;

void policy_init(void);                  /* vm.policy= (default clock) */
int policy_select(const char *name);     /* 0, or -EINVAL for an unknown name */
const char *policy_name(void);
void policy_loaded(struct frame *f);     /* a frame got its first mapping */
void policy_removed(struct frame *f);    /* a frame lost its last mapping, or is evicted */
void policy_tick(void);                  /* sample reference bits (process context) */
struct frame *policy_choose_victim(pol_eligible_fn eligible, void *ctx);

#define POLICY_TICK_INTERVAL 10          /* timer ticks between policy samples (10 Hz) */

#endif
