/* tools/vmsim-src/table.h: the textbook's picture of a run — the reference string across
 * the top, the contents of each frame under every reference, and the faults marked. */
#ifndef VMSIM_TABLE_H
#define VMSIM_TABLE_H

#include <stdio.h>
#include "tools/vmsim-src/sim.h"

/* Run a on t step by step (as sim_start + sim_run would) and print the table to out. */
void table_run(FILE *out, const struct sim_algorithm *a, const struct sim_config *c,
               const struct trace *t);

#endif
