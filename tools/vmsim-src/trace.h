/* tools/vmsim-src/trace.h: a reference string in memory. Pages are numbered 0 .. npages-1
 * (input page numbers, up to 64 bits, are renumbered in order of first use), so arrays can
 * be indexed by page. */
#ifndef VMSIM_TRACE_H
#define VMSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

struct trace {
    uint32_t n;                  /* references */
    uint32_t npages;             /* distinct pages */
    uint32_t *page;              /* page[i]: the page (renumbered) of reference i */
    uint8_t *write;              /* write[i]: 1 if reference i is a write ("7W") */
    uint64_t *label;             /* label[p]: page p's number as the input wrote it */
};

/* Parse text such as "7,0,1 2W 0": page numbers separated by white space or commas, a W
 * after a number marking a write; or valgrind's lackey output (lackey.h), recognized by
 * its first line. On error returns -1 with a message in err that starts "NAME:LINE:". */
int trace_parse(struct trace *t, const char *name, const char *text, size_t len,
                char *err, size_t errlen);

/* Read and parse a file ("-" = standard input), plain or gzip-compressed. */
int trace_read(struct trace *t, const char *path, char *err, size_t errlen);

/* Write t to path in the format trace_parse reads, a reference a line, with each run of
 * references to one page merged into one (a write if any of them was): every policy that
 * decides from reference and dirty bits faults exactly as often on it, though it hits
 * less. gzip-compressed if path ends in ".gz". Returns -1 with a message in err. */
int trace_save(const struct trace *t, const char *path, char *err, size_t errlen);

/* Room for n references with labels 0 .. npages-1 as they are (for generated strings). */
void trace_alloc(struct trace *t, uint32_t n, uint32_t npages);
void trace_free(struct trace *t);

#endif
