/* tools/vmsim-src/xalloc.h: allocation that cannot fail: vmsim reports running out of
 * memory and exits, so that callers need no error path for it. */
#ifndef VMSIM_XALLOC_H
#define VMSIM_XALLOC_H

#include <stddef.h>

void *xrealloc(void *p, size_t n, size_t size);      /* room for n objects of size bytes */
void *xcalloc(size_t n, size_t size);                /* the same, zeroed */

#endif
