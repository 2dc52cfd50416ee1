/* mm/pol.h: the kernel's implementation of the policy services (mm/pol.c); the services
 * themselves are declared in mm/policy/policy.h, for policies and the simulator alike. */
#ifndef MM_POL_H
#define MM_POL_H

void pol_init(void);    /* seeds pol_random from vm.seed */

#endif
