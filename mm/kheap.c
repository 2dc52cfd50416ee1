/* mm/kheap.c: a size-class allocator. Each class (16 B ... 2 KiB) carves whole frames
 * into equal objects kept on a free list; one-page requests take a frame directly.
 * A frame's class is recorded in the frame table, so kfree needs no header.
 * No locking: the kernel is not preemptive and interrupt handlers never allocate. */
#include "mm/kheap.h"
#include "mm/frame.h"
#include "mm/memlayout.h"
#include "kernel/string.h"
#include "kernel/panic.h"

#define NCLASSES 8                     /* 16 << 0 ... 16 << 7 = 2048 */
#define CLASS_PAGE 0xFF                /* heap_class of a frame given whole to one object */

struct free_object {
    struct free_object *next;
};

static struct free_object *free_lists[NCLASSES];
static struct kheap_stats stats;

static int size_class(size_t size)
{
    int c = 0;
    while ((16u << c) < size)
        c++;
    return c;                          /* NCLASSES or more: needs a whole page */
}

/* Take a fresh frame and cut it into objects of class c. */
static int refill(int c)
{
    uint32_t pa = frame_alloc(FRAME_KERNEL);
    if (!pa)
        return -1;
    frame_of(pa)->heap_class = c;
    stats.pages++;
    uint32_t size = 16u << c;
    for (uint32_t off = 0; off < PGSIZE; off += size) {
        struct free_object *o = (struct free_object *)((char *)P2V(pa) + off);
        o->next = free_lists[c];
        free_lists[c] = o;
    }
    return 0;
}

static void *alloc_page_object(void)
{
    uint32_t pa = frame_alloc(FRAME_KERNEL);
    if (!pa)
        return NULL;
    frame_of(pa)->heap_class = CLASS_PAGE;
    stats.pages++;
    stats.objects++;
    stats.bytes += PGSIZE;
    return P2V(pa);
}

void *kmalloc(size_t size)
{
    if (size == 0 || size > PGSIZE)
        return NULL;
    int c = size_class(size);
    if (c >= NCLASSES)
        return alloc_page_object();
    if (!free_lists[c] && refill(c) < 0)
        return NULL;
    struct free_object *o = free_lists[c];
    free_lists[c] = o->next;
    stats.objects++;
    stats.bytes += 16u << c;
    return o;
}

void *kzalloc(size_t size)
{
    void *p = kmalloc(size);
    if (p)
        memset(p, 0, size);
    return p;
}

void kfree(void *p)
{
    if (!p)
        return;
    uint32_t pa = V2P(p);
    struct frame *f = frame_of(pa);
    if (f->state != FRAME_KERNEL)
        panic("kfree: %p is not heap memory", p);
    if (f->heap_class == CLASS_PAGE) {
        stats.pages--;
        stats.objects--;
        stats.bytes -= PGSIZE;
        frame_free(PGROUNDDOWN(pa));
        return;
    }
    int c = f->heap_class;
    uint32_t size = 16u << c;
    if ((pa & (size - 1)) != 0)
        panic("kfree: %p is not the start of an object", p);
    /* A use after free now reads 0x6b6b6b6b. Objects are whole words: fill by words. */
    memset32(p, KHEAP_POISON * 0x01010101u, size / 4);
    struct free_object *o = p;
    o->next = free_lists[c];
    free_lists[c] = o;
    stats.objects--;
    stats.bytes -= size;
}

void kheap_stats(struct kheap_stats *st)
{
    *st = stats;
}
