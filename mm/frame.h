/* mm/frame.h: the frame table, one struct frame per physical page frame, and the
 * allocator that hands out free frames. Physical addresses are page-aligned uint32_t. */
#ifndef MM_FRAME_H
#define MM_FRAME_H

#include <stdint.h>
#include "mm/mmu.h"
#include "mm/policy/poldata.h"

enum frame_state {
    FRAME_RESERVED = 0,  /* not RAM, BIOS area, the kernel image, the frame table itself */
    FRAME_FREE,          /* on the free list */
    FRAME_KERNEL,        /* kernel heap, kernel stacks */
    FRAME_PGTABLE,       /* a page directory or page table */
    FRAME_USER,          /* holds a user page; may be evicted */
    FRAME_BUSY,          /* user page with disk I/O in flight: nobody may touch it */
    FRAME_PINNED,        /* user page that must stay resident (mlock) */
};

struct pcache;
struct mm;

/* One PTE that maps a user page: the reverse map is a list of these per frame, the first
 * kept in the frame itself (mm/rmap.c). */
struct rmap {
    struct mm *mm;
    uint32_t va;
    struct rmap *next;
};

struct frame {
    uint16_t refs;       /* mappings (PTEs) or owners of this frame */
    uint8_t state;       /* enum frame_state */
    uint8_t heap_class;  /* kernel heap: size class of the objects in this page */
    uint32_t next;       /* free list: the next free frame number (0 = end) */
    struct rmap *rmap;   /* user page: every PTE that maps it (mm/rmap.c) */
    struct rmap own_map; /* ... the first of them kept here, not on the heap */
    uint32_t swap_slot;  /* user page: it holds this swap slot's contents unchanged (0: none) */
    struct pcache *pc;   /* a page of this object's page cache (mm/pagecache.c), or NULL */
    uint32_t index;      /* ... its page index there */
    struct pol_data pol; /* the replacement policy's own fields (mm/policy/policy.h) */
    uint8_t flags;       /* FRAME_PREPAGED, FRAME_SOFTREF, FRAME_POISONED, FRAME_DIRTY */
    uint32_t last_ref;   /* tick when its accessed bit was last seen (working set) */
};

#define FRAME_PREPAGED 0x01  /* brought in ahead of a fault and not referenced yet */
#define FRAME_SOFTREF  0x02  /* the working-set sampler took its accessed bit: it was used */
#define FRAME_POISONED 0x04  /* free, and filled with FRAME_POISON (vm.poison=1) */
#define FRAME_DIRTY    0x08  /* cached page written by write(2) or by a mapping since gone:
                              * dirty, whatever its PTEs' dirty bits say */

extern struct frame *frames;     /* indexed by physical frame number */
extern uint32_t nframes;         /* frames[0 .. nframes-1] */

static inline uint32_t pa_to_pfn(uint32_t pa) { return pa >> PGSHIFT; }
static inline struct frame *frame_of(uint32_t pa) { return &frames[pa >> PGSHIFT]; }
static inline uint32_t frame_pa(const struct frame *f) { return (uint32_t)(f - frames) << PGSHIFT; }

struct multiboot_info;
void frame_init(struct multiboot_info *mbi, uint32_t kernel_end_pa);
uint32_t frame_alloc(enum frame_state state);   /* a free frame's address, or 0 if none */
uint32_t frame_alloc_zeroed(enum frame_state state);   /* ... one holding zeros */
int frame_prezero(void);                        /* idle: zero one free frame ahead (vm.prezero) */
uint32_t frame_alloc_contig(uint32_t n);        /* n adjacent kernel frames (for big tables) */
void frame_free(uint32_t pa);                   /* puts it on the free list (poisoned: vm.poison=1) */
uint32_t frames_free_count(void);

/* The free-frame pool's watermarks (Silberschatz, OSC 9.4.8 "page buffering"; Linux's
 * min/low/high), set from the RAM left after boot. Below low the pageout daemon
 * evicts until high (mm/pageout.c); user pages are never allocated below min, which
 * is the reserve for the kernel's own allocations and for eviction itself. The
 * allocator only keeps the numbers: it sits below the scheduler and wakes nobody. */
struct frame_watermarks {
    uint32_t min, low, high;
};
void frame_watermarks_init(void);               /* from the free count; printed at boot */
const struct frame_watermarks *frame_watermarks(void);

uint32_t frames_total_count(void);              /* usable RAM frames (free or in use) */
uint32_t frames_ram_top(void);                  /* end of the direct-mapped RAM */

#define FRAME_POISON 0xDEADBEEFu                /* what a freed frame is filled with */

#endif
