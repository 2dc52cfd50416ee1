/* tools/vmsim-src/lackey.c: reads valgrind lackey's access lines (lackey.h) as references
 * to 4 KiB pages; an access that straddles two pages references both. */
#include <ctype.h>
#include <string.h>
#include "tools/vmsim-src/lackey.h"

/* Digits of a base-`base` number from *pp, at most 64 bits; -1 for none or too many. */
static int number(const char **pp, const char *end, int base, uint64_t *value)
{
    const char *p = *pp;
    *value = 0;
    for (; p < end && isxdigit((unsigned char)*p); p++) {
        int d = isdigit((unsigned char)*p) ? *p - '0' : tolower((unsigned char)*p) - 'a' + 10;
        if (d >= base || *value > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            return -1;
        *value = *value * (uint64_t)base + (uint64_t)d;
    }
    if (p == *pp)
        return -1;
    *pp = p;
    return 0;
}

int lackey_line(const char *line, const char *eol, struct lackey_access *a)
{
    if (eol > line && eol[-1] == '\r')
        eol--;
    if (eol - line >= 2 && line[0] == '=' && line[1] == '=')
        return 0;                        /* valgrind's own: ==PID== ... */
    if (line == eol)
        return 0;
    if (eol - line < 4 || !(memcmp(line, "I  ", 3) == 0 ||
                            (line[0] == ' ' && strchr("LSM", line[1]) && line[2] == ' ')))
        return -1;
    const char *p = line + 3;
    uint64_t addr, size;
    if (number(&p, eol, 16, &addr) < 0 || p == eol || *p++ != ',' ||
        number(&p, eol, 10, &size) < 0 || p != eol)
        return -1;
    uint64_t last = size > 1 && addr + (size - 1) > addr ? addr + (size - 1) : addr;
    a->write = line[1] == 'S' || line[1] == 'M';
    a->pages[0] = addr >> LACKEY_PAGE_SHIFT;
    a->pages[1] = last >> LACKEY_PAGE_SHIFT;
    return a->pages[1] == a->pages[0] ? 1 : 2;
}

int lackey_detect(const char *text, const char *end)
{
    for (const char *p = text; p < end;) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        eol = eol ? eol : end;
        struct lackey_access a;
        int n = lackey_line(p, eol, &a);
        if (n != 0)
            return n > 0;
        p = eol + 1;
    }
    return 0;
}
