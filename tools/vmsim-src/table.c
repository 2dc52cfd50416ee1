/* tools/vmsim-src/table.c: prints a run as Silberschatz draws it (section 9.4): one column
 * per reference, holding each frame's page after it, and a star for a fault. */
#include <inttypes.h>
#include <stdlib.h>
#include "tools/vmsim-src/table.h"
#include "tools/vmsim-src/xalloc.h"

/* Wide enough for the longest page number and its W, plus a space. */
static int column_width(const struct trace *t)
{
    int width = 1;
    for (uint32_t p = 0; p < t->npages; p++) {
        int n = snprintf(NULL, 0, "%" PRIu64, t->label[p]);
        if (n > width)
            width = n;
    }
    return width + 2;
}

static void print_references(FILE *out, const struct trace *t, int width)
{
    fprintf(out, "%-10s", "reference");
    for (uint32_t i = 0; i < t->n; i++)
        fprintf(out, "%*" PRIu64 "%s", width - t->write[i], t->label[t->page[i]],
                t->write[i] ? "W" : "");
    fprintf(out, "\n");
}

/* pages[i]: the page in this frame after reference i, or POL_NONE while it is free. */
static void print_frame(FILE *out, uint32_t frame, const uint32_t *pages,
                        const struct trace *t, int width)
{
    fprintf(out, "frame %-4u", frame);
    for (uint32_t i = 0; i < t->n; i++) {
        if (pages[i] == POL_NONE)
            fprintf(out, "%*s", width, "");
        else
            fprintf(out, "%*" PRIu64, width, t->label[pages[i]]);
    }
    fprintf(out, "\n");
}

void table_run(FILE *out, const struct sim_algorithm *a, const struct sim_config *c,
               const struct trace *t)
{
    uint32_t *pages = xcalloc((size_t)c->frames * t->n, sizeof *pages);   /* [frame][i] */
    char *faults = xcalloc(t->n, 1);
    sim_start(a, c, t);
    for (uint32_t i = 0; i < t->n; i++) {
        faults[i] = sim_reference(t->page[i], t->write[i]).fault;
        for (uint32_t f = 0; f < c->frames; f++)
            pages[(size_t)f * t->n + i] = sim_page_in(f);
    }

    int width = column_width(t);
    fprintf(out, "%s, %u frame%s: %llu faults in %u references\n", a->policy->name,
            c->frames, c->frames == 1 ? "" : "s", (unsigned long long)sim_stats().faults, t->n);
    print_references(out, t, width);
    for (uint32_t f = 0; f < c->frames; f++)
        print_frame(out, f, pages + (size_t)f * t->n, t, width);
    fprintf(out, "%-10s", "fault");
    for (uint32_t i = 0; i < t->n; i++)
        fprintf(out, "%*s", width, faults[i] ? "*" : "");
    fprintf(out, "\n\n");
    free(pages);
    free(faults);
}
