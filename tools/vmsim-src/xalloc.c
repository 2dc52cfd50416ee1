/* tools/vmsim-src/xalloc.c: allocation or exit (see xalloc.h). A request for 0 objects
 * gets room for 1, so that a result is never NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "tools/vmsim-src/xalloc.h"

static void *checked(void *p)
{
    if (!p) {
        fprintf(stderr, "vmsim: out of memory\n");
        exit(2);
    }
    return p;
}

void *xrealloc(void *p, size_t n, size_t size)
{
    if (n && size > SIZE_MAX / n)
        return checked(NULL);
    return checked(realloc(p, (n ? n : 1) * size));
}

void *xcalloc(size_t n, size_t size)
{
    return checked(calloc(n ? n : 1, size));
}
