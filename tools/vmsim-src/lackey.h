/* tools/vmsim-src/lackey.h: valgrind's lackey tool as a source of reference strings.
 * `valgrind --tool=lackey --trace-mem=yes PROGRAM` prints a line an access: "I  ADDR,SIZE"
 * for an instruction fetch, " L ADDR,SIZE" a load, " S ADDR,SIZE" a store and
 * " M ADDR,SIZE" a modify (a load and a store), ADDR in hex, among valgrind's own lines,
 * which start with "==". */
#ifndef VMSIM_LACKEY_H
#define VMSIM_LACKEY_H

#include <stdint.h>

#define LACKEY_PAGE_SHIFT 12     /* 4 KiB pages, as on x86 */

struct lackey_access {
    uint64_t pages[2];           /* the page of its first byte, and of its last if another */
    int write;                   /* a store or a modify */
};

/* The line from line to eol: how many pages of a->pages it touches (1 or 2), 0 for a
 * line to skip (valgrind's own, or blank), -1 for one that is not lackey's. */
int lackey_line(const char *line, const char *eol, struct lackey_access *a);

/* Does the text look like lackey's: is its first line that is not to be skipped one? */
int lackey_detect(const char *text, const char *end);

#endif
