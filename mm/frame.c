/* mm/frame.c: builds the frame table from the BIOS memory map and keeps the free
 * frames on two singly linked lists threaded through the table (O(1) alloc and free):
 * frames as they were freed, and frames the idle loop has already zeroed.
 * No locking: the kernel is not preemptive and interrupt handlers never allocate. */
#include "mm/frame.h"
#include "mm/memlayout.h"
#include "mm/page.h"
#include "mm/traceline.h"
#include "mm/vmstat.h"
#include "boot/multiboot.h"
#include "kernel/printk.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/cmdline.h"
#include "kernel/x86.h"

struct frame *frames;
uint32_t nframes;
static uint32_t free_head;         /* first free frame number, 0 = none (frame 0 is never free) */
static uint32_t zero_head;         /* first free frame known to hold zeros */
static uint32_t nfree, ntotal;     /* nfree counts both lists */
static uint32_t nzeroed, zero_target;  /* on the zeroed list; how many the idle loop keeps */
static struct frame_watermarks marks;
static int poison;                 /* vm.poison=1: fill freed frames with FRAME_POISON */

/* Highest end of usable RAM in the map, capped at the direct map's size. */
static uint32_t find_ram_top(struct multiboot_info *mbi)
{
    uint64_t top = 0;
    uint32_t p = mbi->mmap_addr;
    while (p < mbi->mmap_addr + mbi->mmap_length) {
        struct multiboot_mmap_entry *e = P2V(p);
        if (e->type == MMAP_USABLE && e->addr + e->len > top)
            top = e->addr + e->len;
        p += e->size + 4;
    }
    if (top > DIRECTMAP_MAX) {
        printk("memory: %u MiB of RAM, using the first %u MiB (the direct map's limit)\n",
               (uint32_t)(top >> 20), DIRECTMAP_MAX >> 20);
        top = DIRECTMAP_MAX;
    }
    return (uint32_t)top & ~(PGSIZE - 1);
}

static void push_free(uint32_t pfn, uint32_t *head)
{
    frames[pfn].state = FRAME_FREE;
    frames[pfn].refs = 0;
    frames[pfn].next = *head;
    *head = pfn;
    nfree++;
}

static uint32_t pop_free(uint32_t *head)
{
    uint32_t pfn = *head;
    if (pfn) {
        *head = frames[pfn].next;
        nfree--;
    }
    return pfn;
}

/* Mark every whole page the BIOS calls usable RAM (below the table's end) as FRAME_FREE. */
static void mark_usable_ranges(struct multiboot_info *mbi)
{
    uint32_t p = mbi->mmap_addr;
    while (p < mbi->mmap_addr + mbi->mmap_length) {
        struct multiboot_mmap_entry *e = P2V(p);
        p += e->size + 4;
        if (e->type != MMAP_USABLE)
            continue;
        uint64_t first = (e->addr + PGSIZE - 1) >> PGSHIFT;
        uint64_t last = (e->addr + e->len) >> PGSHIFT;      /* exclusive */
        for (uint64_t pfn = first; pfn < last && pfn < nframes; pfn++)
            frames[pfn].state = FRAME_FREE;
    }
}

/* Thread the usable frames above `first_free_pa` onto the free list, highest first,
 * so the lowest frames are handed out first (the boot page table maps only low RAM). */
static void build_free_list(uint32_t first_free_pa)
{
    for (uint32_t pfn = nframes; pfn-- > pa_to_pfn(first_free_pa);) {
        if (frames[pfn].state == FRAME_FREE) {
            push_free(pfn, &free_head);
            ntotal++;
        }
    }
    for (uint32_t pfn = 0; pfn < pa_to_pfn(first_free_pa); pfn++)
        frames[pfn].state = FRAME_RESERVED;     /* low memory, kernel image, frame table */
}

void frame_init(struct multiboot_info *mbi, uint32_t kernel_end_pa)
{
    if (!(mbi->flags & MB_INFO_MMAP))
        panic("boot loader gave no memory map");
    uint32_t top = find_ram_top(mbi);
    nframes = top >> PGSHIFT;
    /* The frame table sits right after the kernel image. */
    uint32_t table_pa = PGROUNDUP(kernel_end_pa);
    uint32_t table_bytes = PGROUNDUP(nframes * sizeof(struct frame));
    frames = P2V(table_pa);
    memset(frames, 0, table_bytes);               /* every frame starts FRAME_RESERVED */
    mark_usable_ranges(mbi);
    build_free_list(table_pa + table_bytes);
    poison = cmdline_int("vm.poison", 0) != 0;
    /* vm.prezero=N: the idle loop keeps N frames zeroed (0: none). By default 1 MiB,
     * at most 1/32 of RAM: the frames stay free, so the pool costs no memory. */
    uint32_t target = ntotal / 32 < 256 ? ntotal / 32 : 256;
    int n = cmdline_int("vm.prezero", (int)target);
    zero_target = n > 0 ? (uint32_t)n : 0;
}

/* Linux's rule for the minimum (mm/page_alloc.c, min_free_kbytes): the square root of
 * 16 times the KiB of RAM, between 128 KiB and 64 MiB; low and high are 5/4 and 3/2 of
 * it. It grows slower than RAM: a small machine keeps a larger share in reserve. */
void frame_watermarks_init(void)
{
    uint32_t kib = nfree * (PGSIZE / 1024), min_kib = 1;
    while ((min_kib + 1) * (min_kib + 1) <= 16 * kib)
        min_kib++;
    if (min_kib < 128)
        min_kib = 128;
    if (min_kib > 65536)
        min_kib = 65536;
    marks.min = min_kib / (PGSIZE / 1024);
    marks.low = marks.min + marks.min / 4;
    marks.high = marks.min + marks.min / 2;
    printk("memory: free-frame watermarks min %u low %u high %u (of %u free)\n", marks.min,
           marks.low, marks.high, nfree);
}

const struct frame_watermarks *frame_watermarks(void) { return &marks; }

/* Big tables (the swap map) need physically adjacent frames, which the free list
 * cannot give: find a free run in the table, take it, and rebuild the list. Slow
 * (it scans every frame) but only used when a table is set up. */
uint32_t frame_alloc_contig(uint32_t n)
{
    uint32_t run = 0;
    for (uint32_t pfn = 1; pfn < nframes; pfn++) {
        run = frames[pfn].state == FRAME_FREE ? run + 1 : 0;
        if (run < n)
            continue;
        uint32_t first = pfn + 1 - n;
        for (uint32_t i = first; i <= pfn; i++) {
            frames[i].state = FRAME_KERNEL;
            trace_frame(i << PGSHIFT);
        }
        free_head = zero_head = 0;     /* the zeroed frames join the rest: zeroed again later */
        nfree = nzeroed = 0;
        for (uint32_t i = nframes; i-- > 1;)
            if (frames[i].state == FRAME_FREE)
                push_free(i, &free_head);
        return first << PGSHIFT;
    }
    return 0;
}

/* Take a frame for `state` from the list at *head (0 if it is empty). */
static uint32_t take(uint32_t *head, enum frame_state state)
{
    uint32_t pfn = pop_free(head);
    if (pfn) {
        frames[pfn].state = state;
        frames[pfn].refs = 0;
        frames[pfn].next = 0;
        frames[pfn].flags = 0;
        frames[pfn].last_ref = 0;
        trace_frame(pfn << PGSHIFT);
    }
    return pfn << PGSHIFT;
}

/* A frame whose contents do not matter: one not zeroed yet, so the zeroed ones are
 * kept for the callers that want zeros. */
uint32_t frame_alloc(enum frame_state state)
{
    uint32_t pa = take(&free_head, state);
    if (!pa && (pa = take(&zero_head, state)) != 0)
        nzeroed--;
    return pa;
}

/* A frame full of zeros: from the zeroed list if the idle loop has filled it (a hit),
 * or any free frame zeroed now (a miss: 256 stores, still most of a demand-zero fault). */
uint32_t frame_alloc_zeroed(enum frame_state state)
{
    uint32_t pa = take(&zero_head, state);
    if (pa) {
        nzeroed--;
        VM_COUNT(prezero_hits);
        return pa;
    }
    if ((pa = take(&free_head, state)) != 0) {
        page_zero(P2V(pa));
        VM_COUNT(prezero_misses);
    }
    return pa;
}

/* The idle loop's work (Silberschatz, Operating System Concepts 9.3, "zero-fill-on-
 * demand" pages zeroed before they are needed; Windows' zero-page thread): zero one
 * free frame onto the zeroed list. Called with interrupts off and nothing runnable;
 * the stores run with interrupts on, so a wakeup ends the idle loop's work after at
 * most one page. Returns 0 when there is nothing to do (the list is full, or no
 * other free frame is left). */
int frame_prezero(void)
{
    if (nzeroed >= zero_target)
        return 0;
    uint32_t pfn = pop_free(&free_head);
    if (!pfn)
        return 0;
    uint32_t *page = P2V(pfn << PGSHIFT);
    /* vm.poison=1: the frame still holds the poison frame_free wrote, or something
     * wrote to it after it was freed (a use after free, caught here at least). */
    if (frames[pfn].flags & FRAME_POISONED)
        for (uint32_t i = 0; i < PGSIZE / 4; i++)
            if (page[i] != FRAME_POISON)
                panic("frame %x was written after it was freed: %x at offset %x",
                      pfn << PGSHIFT, page[i], i * 4);
    sti();
    page_zero(page);
    cli();
    push_free(pfn, &zero_head);
    nzeroed++;
    VM_COUNT(prezeroed);
    return 1;
}

void frame_free(uint32_t pa)
{
    struct frame *f = frame_of(pa);
    if (f->state == FRAME_FREE || f->state == FRAME_RESERVED)
        panic("frame_free: frame %x is %s", pa, f->state == FRAME_FREE ? "already free" : "reserved");
    /* Poison: a use after free reads 0xdeadbeef instead of plausible old data. It costs
     * 1,024 instructions a page, most of what munmap and exit spend: a debug mode. */
    f->flags = 0;
    if (poison) {
        memset32(P2V(pa), FRAME_POISON, PGSIZE / 4);
        f->flags = FRAME_POISONED;
    }
    push_free(pa_to_pfn(pa), &free_head);
    trace_frame(pa);
}

uint32_t frames_free_count(void) { return nfree; }
uint32_t frames_total_count(void) { return ntotal; }
uint32_t frames_ram_top(void) { return nframes << PGSHIFT; }
