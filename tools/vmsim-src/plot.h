/* tools/vmsim-src/plot.h: a line chart of page faults against the number of frames, one
 * line per policy, written as an SVG file (--plot): where Belady's anomaly shows. */
#ifndef VMSIM_PLOT_H
#define VMSIM_PLOT_H

#include <stdint.h>

struct plot_line {
    const char *name;
    const uint64_t *faults;      /* faults[k]: with frames[k] frames */
};

/* Returns 0, or -1 (errno set) if the file cannot be written. */
int plot_svg(const char *path, const char *title, const uint32_t *frames, uint32_t nframes,
             const struct plot_line *lines, uint32_t nlines);

#endif
