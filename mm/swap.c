/* mm/swap.c: the swap partition. swap_init checks the header mkswap wrote
 * ("SWAPSPACE2" at the end of page 0, the last usable page, the bad pages); the slot
 * map keeps a reference count per slot; the swap cache maps a slot to the frame that
 * holds its contents. Reads and writes block the caller while the disk works. */
#include "mm/swap.h"
#include "mm/frame.h"
#include "mm/memlayout.h"
#include "drivers/disk.h"
#include "drivers/ramdisk.h"
#include "drivers/mbr.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/cmdline.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"

#define SECTORS_PER_SLOT (PGSIZE / SECTOR_SIZE)

/* The Linux swap header: page 0 of the area (<linux/swap.h>, union swap_header). */
struct swap_header {
    char bootbits[1024];
    uint32_t version, last_page, nr_badpages;
    uint8_t uuid[16];
    char volume_name[16];
    uint32_t padding[117];
    uint32_t badpages[1];
};
#define SWAP_MAGIC_OFFSET (PGSIZE - 10)

static struct blkdev *dev;
static uint32_t nslots;          /* slots 1 .. nslots-1; slot 0 is the header */
static uint16_t *slot_refs;      /* reference counts; 0xFFFF marks a bad page */
static uint32_t *slot_frame;     /* the swap cache: frame number holding the slot, or 0 */
static uint32_t nfree;
static uint32_t nretired;        /* broken slots no longer referenced: out of use for good */
static uint32_t hint = 1;        /* next-fit: where the last allocation ended */

#define SLOT_BAD 0xFFFF
#define SLOT_BROKEN 0x8000       /* a write failed: reads give -EIO, never reused */

static int check_header(const struct swap_header *h, uint32_t dev_pages)
{
    if (memcmp((const char *)h + SWAP_MAGIC_OFFSET, "SWAPSPACE2", 10) != 0) {
        printk("swap: no SWAPSPACE2 signature on %s: swap disabled\n", dev->name);
        return -EINVAL;
    }
    if (h->version != 1 || h->last_page < 1 || h->last_page >= dev_pages) {
        printk("swap: bad header on %s (version %u, last page %u, partition %u pages): "
               "swap disabled\n", dev->name, h->version, h->last_page, dev_pages);
        return -EINVAL;
    }
    if (h->nr_badpages > (PGSIZE - 1536) / 4) {
        printk("swap: impossible bad-page count %u: swap disabled\n", h->nr_badpages);
        return -EINVAL;
    }
    return 0;
}

/* Room for the two tables, in adjacent frames: a slot's count and its cached frame. */
static int alloc_tables(void)
{
    uint32_t bytes = nslots * (sizeof(uint16_t) + sizeof(uint32_t));
    uint32_t pa = frame_alloc_contig(PGROUNDUP(bytes) / PGSIZE);
    if (!pa) {
        printk("swap: no memory for the map of %u slots: swap disabled\n", nslots);
        return -ENOMEM;
    }
    memset(P2V(pa), 0, PGROUNDUP(bytes));
    slot_frame = P2V(pa);
    slot_refs = (uint16_t *)(slot_frame + nslots);
    return 0;
}

/* What mkswap does: in the page at h, the header of dev's whole area, none of it bad. */
static int format_header(struct swap_header *h, uint32_t dev_pages)
{
    memset(h, 0, PGSIZE);
    h->version = 1;
    h->last_page = dev_pages - 1;
    memcpy((char *)h + SWAP_MAGIC_OFFSET, "SWAPSPACE2", 10);
    return blk_write(dev, 0, SECTORS_PER_SLOT, h);
}

/* The swap partition; or with swap=ram, a RAM disk with a fixed service time
 * (drivers/ramdisk.c), so that experiments with swapping (docs/thrashing.md) take the
 * same virtual time on every run: ramdisk.size=MiB (16), ramdisk.latency=ticks (1). It
 * starts empty (*blank), to be formatted. */
static struct blkdev *find_device(int *blank)
{
    const char *kind = cmdline_get("swap");
    *blank = kind && strcmp(kind, "ram") == 0;
    if (!*blank)
        return partition_find(MBR_TYPE_SWAP);
    uint32_t mib = (uint32_t)cmdline_int("ramdisk.size", 16);
    uint32_t pa = mib && mib < 4096 ? frame_alloc_contig(mib << (20 - PGSHIFT)) : 0;
    if (!pa) {
        printk("swap: no room for a RAM disk of %u MiB\n", mib);
        return NULL;
    }
    memset(P2V(pa), 0, mib << 20);
    return ramdisk_create(P2V(pa), mib << 20, (uint32_t)cmdline_int("ramdisk.latency", 1));
}

int swap_init(void)
{
    int blank;
    dev = find_device(&blank);
    if (!dev) {
        printk("swap: no %s: running without swap\n",
               blank ? "RAM disk" : "swap partition (type 0x82)");
        return -ENODEV;
    }
    uint32_t dev_pages = dev->nsectors / SECTORS_PER_SLOT;
    uint32_t pa = frame_alloc(FRAME_KERNEL);
    if (!pa)
        return -ENOMEM;
    struct swap_header *h = P2V(pa);
    int err = blank ? format_header(h, dev_pages) : 0;
    if (!err)
        err = blk_read(dev, 0, SECTORS_PER_SLOT, h);
    if (!err)
        err = check_header(h, dev_pages);
    if (!err) {
        nslots = h->last_page + 1;
        err = alloc_tables();
    }
    if (!err) {
        for (uint32_t i = 0; i < h->nr_badpages; i++)
            if (h->badpages[i] > 0 && h->badpages[i] < nslots)
                slot_refs[h->badpages[i]] = SLOT_BAD;
        slot_refs[0] = SLOT_BAD;
        long limit = cmdline_int("vm.swap", 0);   /* vm.swap=N: use only slots 1..N */
        for (uint32_t s = limit > 0 ? (uint32_t)limit + 1 : nslots; s < nslots; s++)
            slot_refs[s] = SLOT_BAD;
        for (uint32_t s = 1; s < nslots; s++)
            nfree += slot_refs[s] == 0;
        printk("swap: %s, %u slots (%u KiB) in use, %u bad\n", dev->name, nfree, nfree * 4,
               h->nr_badpages);
    } else {
        dev = NULL;
        nslots = 0;
    }
    frame_free(pa);
    return err;
}

int swap_enabled(void) { return nslots > 0; }
uint32_t swap_slots_free(void) { return nfree; }
uint32_t swap_slots_retired(void) { return nretired; }
uint32_t swap_slots_total(void) { return nslots ? nslots - 1 : 0; }

uint32_t swap_slot_alloc(void)
{
    if (nfree == 0)
        return 0;
    for (uint32_t i = 0; i < nslots; i++) {
        uint32_t s = (hint + i) % nslots;
        if (slot_refs[s] == 0) {
            slot_refs[s] = 1;
            nfree--;
            hint = s + 1;
            return s;
        }
    }
    return 0;
}

/* Next fit, for a run: the first free slot from the hint, and the free ones that
 * follow it. A short run is still a run: the caller writes what it got. */
uint32_t swap_slot_alloc_run(uint32_t want, uint32_t *got)
{
    uint32_t first = swap_slot_alloc();
    *got = first != 0;
    while (first && *got < want && first + *got < nslots && slot_refs[first + *got] == 0) {
        slot_refs[first + *got] = 1;
        nfree--;
        ++*got;
    }
    if (first)
        hint = first + *got;
    return first;
}

void swap_slot_dup(uint32_t slot)
{
    slot_refs[slot]++;
}

/* A broken slot's last reference retires it instead of freeing it: the sector that failed
 * is not used again, as a disk's bad blocks are set aside (Silberschatz, Operating System
 * Concepts 10.5.3), and the slot counts among the retired, so the accounting loses none. */
void swap_slot_put(uint32_t slot)
{
    --slot_refs[slot];
    if (slot_refs[slot] == 0)
        nfree++;
    else if (slot_refs[slot] == SLOT_BROKEN)
        nretired++;
}

uint32_t swap_slot_refs(uint32_t slot)
{
    return slot_refs[slot];
}

void swap_slot_mark_broken(uint32_t slot)
{
    slot_refs[slot] |= SLOT_BROKEN;
}

int swap_read(uint32_t slot, void *page)
{
    if (slot_refs[slot] & SLOT_BROKEN)
        return -EIO;
    int err = blk_read(dev, slot * SECTORS_PER_SLOT, SECTORS_PER_SLOT, page);
    return err ? -EIO : 0;
}

int swap_write(uint32_t slot, const void *page)
{
    int err = blk_write(dev, slot * SECTORS_PER_SLOT, SECTORS_PER_SLOT, page);
    return err ? -EIO : 0;
}

int swap_write_pages(uint32_t first, void *const *pages, uint32_t n)
{
    int err = blk_write_pages(dev, first * SECTORS_PER_SLOT, pages, n);
    return err ? -EIO : 0;
}

struct frame *swap_cache_lookup(uint32_t slot)
{
    return slot_frame[slot] ? &frames[slot_frame[slot]] : NULL;
}

/* Wait while another process reads (or writes) this slot's frame; then it is either
 * resident and unchanged, or gone from the cache (and the slot holds the page). */
struct frame *swap_cache_wait(uint32_t slot)
{
    struct frame *f;
    push_cli();
    while ((f = swap_cache_lookup(slot)) && f->state == FRAME_BUSY)
        sleep(f);
    pop_cli();
    return f;
}

void swap_cache_add(struct frame *f, uint32_t slot)
{
    swap_slot_dup(slot);
    f->swap_slot = slot;
    slot_frame[slot] = f - frames;
}

void swap_cache_drop(struct frame *f)
{
    uint32_t slot = f->swap_slot;
    if (!slot)
        return;
    /* LAB bug-swapfree: BEGIN */
    /* The frame forgets the slot with the reference it gives back: a frame is freed
     * and reused with its fields as they were, and its next drop must find nothing. */
    f->swap_slot = 0;
    /* LAB bug-swapfree: STUB
    LAB bug-swapfree: END */
    slot_frame[slot] = 0;
    swap_slot_put(slot);
}
