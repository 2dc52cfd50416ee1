/* tools/vmsim-src/trace.c: reads reference strings — inline, from a file or standard input,
 * plain or gzip-compressed, page numbers or valgrind lackey lines — into a struct trace,
 * with a clear message for bad input. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "tools/vmsim-src/lackey.h"
#include "tools/vmsim-src/trace.h"
#include "tools/vmsim-src/xalloc.h"

/* ---- renumbering: an open-addressing hash table from input page number to page -------- */

struct renumber {
    uint32_t *slot;              /* page + 1 in each used slot, 0 in a free one */
    uint32_t mask;               /* capacity - 1; the capacity is a power of two */
};

static uint32_t slot_of(const struct renumber *r, const struct trace *t, uint64_t label)
{
    uint32_t i = (uint32_t)((label * 0x9E3779B97F4A7C15ull) >> 32) & r->mask;   /* Fibonacci */
    while (r->slot[i] && t->label[r->slot[i] - 1] != label)
        i = (i + 1) & r->mask;
    return i;
}

/* Keep the table at most half full, so that probes stay short. */
static void renumber_grow(struct renumber *r, const struct trace *t)
{
    uint32_t capacity = (r->mask + 1) * 2;
    free(r->slot);
    r->slot = xcalloc(capacity, sizeof *r->slot);
    r->mask = capacity - 1;
    for (uint32_t p = 0; p < t->npages; p++)
        r->slot[slot_of(r, t, t->label[p])] = p + 1;
}

static uint32_t page_of(struct renumber *r, struct trace *t, uint64_t label)
{
    uint32_t i = slot_of(r, t, label);
    if (r->slot[i])
        return r->slot[i] - 1;
    if ((t->npages & (t->npages - 1)) == 0)                  /* 0, 1, 2, 4, ...: double */
        t->label = xrealloc(t->label, t->npages ? 2 * t->npages : 1, sizeof *t->label);
    t->label[t->npages] = label;
    r->slot[i] = ++t->npages;
    if (2 * t->npages > r->mask)
        renumber_grow(r, t);
    return t->npages - 1;
}

/* ---- parsing --------------------------------------------------------------------------- */

static void append(struct trace *t, uint32_t page, int is_write)
{
    if ((t->n & (t->n - 1)) == 0) {                          /* 0, 1, 2, 4, ...: double */
        uint32_t room = t->n ? 2 * t->n : 1;
        t->page = xrealloc(t->page, room, sizeof *t->page);
        t->write = xrealloc(t->write, room, sizeof *t->write);
    }
    t->page[t->n] = page;
    t->write[t->n++] = (uint8_t)is_write;
}

static int is_separator(int c)
{
    return c == ',' || isspace(c);
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Where a message points: "NAME:LINE". */
struct place {
    const char *name;
    int line;
};

/* A message about the word at `word`: up to the next separator, at most 20 characters. */
static int bad_word(char *err, size_t errlen, struct place at, const char *what,
                    const char *word, const char *end)
{
    int n = 0;
    while (word + n < end && n < 20 && !is_separator((unsigned char)word[n]))
        n++;
    return fail(err, errlen, "%s:%d: %s '%.*s'", at.name, at.line, what, n, word);
}

/* One reference at *pp: digits, then an optional W. Returns 0 or -1 with a message. */
static int parse_reference(const char **pp, const char *end, struct place at, uint64_t *label,
                           int *is_write, char *err, size_t errlen)
{
    const char *p = *pp, *word = p;
    uint64_t value = 0;
    if (*p == '-' && p + 1 < end && isdigit((unsigned char)p[1]))
        return bad_word(err, errlen, at, "negative page number", word, end);
    if (!isdigit((unsigned char)*p))
        return bad_word(err, errlen, at, "expected a page number, found", word, end);
    for (; p < end && isdigit((unsigned char)*p); p++) {
        uint64_t digit = (uint64_t)(*p - '0');
        if (value > (UINT64_MAX - digit) / 10)
            return bad_word(err, errlen, at, "page number too large (over 64 bits):", word, end);
        value = value * 10 + digit;
    }
    *is_write = p < end && (*p == 'W' || *p == 'w');
    p += *is_write;
    if (p < end && !is_separator((unsigned char)*p))
        return bad_word(err, errlen, at, "expected a page number, found", word, end);
    *label = value;
    *pp = p;
    return 0;
}

/* The page numbers of the text, as vmsim writes them. */
static int parse_numbers(struct trace *t, struct renumber *r, struct place at, const char *p,
                         const char *end, char *err, size_t errlen)
{
    int status = 0;
    while (p < end && status == 0) {
        if (is_separator((unsigned char)*p)) {
            at.line += *p++ == '\n';
            continue;
        }
        uint64_t label = 0;
        int is_write = 0;
        status = parse_reference(&p, end, at, &label, &is_write, err, errlen);
        if (status == 0)
            append(t, page_of(r, t, label), is_write);
    }
    return status;
}

/* The accesses of lackey's lines, a reference to each page an access touches. */
static int parse_lackey(struct trace *t, struct renumber *r, struct place at, const char *p,
                        const char *end, char *err, size_t errlen)
{
    for (; p < end; at.line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        eol = eol ? eol : end;
        struct lackey_access a;
        int n = lackey_line(p, eol, &a);
        if (n < 0)
            return fail(err, errlen, "%s:%d: expected a lackey line (I, L, S or M), found '%.*s'",
                        at.name, at.line, (int)(eol - p < 40 ? eol - p : 40), p);
        for (int k = 0; k < n; k++)
            append(t, page_of(r, t, a.pages[k]), a.write);
        p = eol + 1;
    }
    return 0;
}

int trace_parse(struct trace *t, const char *name, const char *text, size_t len,
                char *err, size_t errlen)
{
    struct renumber r = { xcalloc(16, sizeof(uint32_t)), 15 };
    struct place at = { name, 1 };
    memset(t, 0, sizeof *t);
    int status = (lackey_detect(text, text + len) ? parse_lackey : parse_numbers)(
        t, &r, at, text, text + len, err, errlen);
    free(r.slot);
    if (status == 0 && t->n == 0)
        status = fail(err, errlen, "%s: no references in the input", name);
    if (status != 0)
        trace_free(t);
    return status;
}

/* ---- files ----------------------------------------------------------------------------- */

/* zlib's gzread inflates a stream that starts with gzip's magic bytes (1f 8b) and passes
 * any other through unchanged, so one loop reads both kinds. */
int trace_read(struct trace *t, const char *path, char *err, size_t errlen)
{
    int stdin_wanted = strcmp(path, "-") == 0;
    gzFile in = stdin_wanted ? gzdopen(dup(0), "rb") : gzopen(path, "rb");
    if (!in)
        return fail(err, errlen, "%s: %s", path, errno ? strerror(errno) : "cannot open");
    size_t len = 0, room = 1 << 16;
    char *text = xrealloc(NULL, room, 1);
    int got;
    while ((got = gzread(in, text + len, (unsigned)(room - len))) > 0)
        if ((len += (size_t)got) == room)
            text = xrealloc(text, room *= 2, 1);
    int status = got < 0 ? fail(err, errlen, "%s: %s", path, gzerror(in, &got)) : 0;
    gzclose(in);
    if (status == 0)
        status = trace_parse(t, stdin_wanted ? "<stdin>" : path, text, len, err, errlen);
    free(text);
    return status;
}

int trace_save(const struct trace *t, const char *path, char *err, size_t errlen)
{
    size_t n = strlen(path);
    gzFile out = gzopen(path, n > 3 && strcmp(path + n - 3, ".gz") == 0 ? "wb9" : "wbT");
    if (!out)
        return fail(err, errlen, "%s: %s", path, errno ? strerror(errno) : "cannot create");
    int ok = 1;
    for (uint32_t i = 0; i < t->n && ok;) {
        uint32_t page = t->page[i];
        int is_write = 0;
        for (; i < t->n && t->page[i] == page; i++)
            is_write |= t->write[i];
        ok = gzprintf(out, "%" PRIu64 "%s\n", t->label[page], is_write ? "W" : "") > 0;
    }
    int closed = gzclose(out) == Z_OK;
    return ok && closed ? 0 : fail(err, errlen, "%s: could not write it", path);
}

void trace_alloc(struct trace *t, uint32_t n, uint32_t npages)
{
    t->n = n;
    t->npages = npages;
    t->page = xrealloc(NULL, n, sizeof *t->page);
    t->write = xrealloc(NULL, n, 1);
    t->label = xrealloc(NULL, npages, sizeof *t->label);
    for (uint32_t p = 0; p < npages; p++)
        t->label[p] = p;
}

void trace_free(struct trace *t)
{
    free(t->page);
    free(t->write);
    free(t->label);
    memset(t, 0, sizeof *t);
}
