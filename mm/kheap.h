/* mm/kheap.h: kmalloc/kfree, the kernel's allocator for small objects (process
 * structures, VMAs, buffers). Objects up to one page; freed memory is poisoned. */
#ifndef MM_KHEAP_H
#define MM_KHEAP_H

#include <stddef.h>
#include <stdint.h>

void *kmalloc(size_t size);       /* NULL when memory is exhausted */
void *kzalloc(size_t size);       /* kmalloc, then zeroed */
void kfree(void *p);

struct kheap_stats {
    uint32_t objects;             /* objects currently allocated */
    uint32_t bytes;               /* bytes in those objects (rounded to their class) */
    uint32_t pages;               /* frames the heap holds (in use or cached) */
};
void kheap_stats(struct kheap_stats *st);

#define KHEAP_POISON 0x6B         /* what a freed object is filled with */

#endif
