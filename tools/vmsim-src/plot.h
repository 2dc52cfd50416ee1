/* tools/vmsim-src/plot.h: --plot FILE: the sweep's numbers, as the --csv rows, go to the
 * plotting script (tools/vmsim-src/plot.py, matplotlib), which draws faults and hit ratio
 * against frames, one line per policy: where Belady's anomaly shows. */
#ifndef VMSIM_PLOT_H
#define VMSIM_PLOT_H

#include <stdio.h>

/* Starts the script drawing into path; write the CSV rows into the stream returned
 * (NULL, errno set, if it cannot start). plot_finish returns 0 if the picture is made. */
FILE *plot_start(const char *path, const char *title);
int plot_finish(FILE *rows);

#endif
