/* tools/vmsim-src/generate.h: synthetic reference strings (--gen): a loop over the pages,
 * uniformly random pages, and a moving working set (locality). */
#ifndef VMSIM_GENERATE_H
#define VMSIM_GENERATE_H

#include "tools/vmsim-src/trace.h"

/* Fill t with `length` references to pages 0 .. pages-1; a quarter of them are writes.
 * Returns -1 if kind is not "loop", "random" or "locality". */
int generate(struct trace *t, const char *kind, uint32_t length, uint32_t pages, uint64_t seed);

#endif
