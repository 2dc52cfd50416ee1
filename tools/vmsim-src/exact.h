/* tools/vmsim-src/exact.h: the two algorithms no kernel can run — exact LRU, which must
 * see every reference, and OPT, which must see the future — for comparison in vmsim. */
#ifndef VMSIM_EXACT_H
#define VMSIM_EXACT_H

#include "tools/vmsim-src/sim.h"

extern const struct sim_algorithm exact_lru, exact_opt;

#endif
