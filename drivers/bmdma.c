/* drivers/bmdma.c: the bus-master IDE function of Intel's PIIX3 (and the PIIX4 after
 * it), as QEMU emulates it. Instead of the CPU copying each sector through the data
 * port (PIO, drivers/ata.c), the controller copies the whole command's sectors
 * between the drive and memory itself and the drive interrupts once at the end
 * (direct memory access: Tanenbaum, *Modern Operating Systems* 5.1.4; Silberschatz,
 * *Operating System Concepts* 12.4).
 *
 * Where the bytes go is a physical region descriptor (PRD) table in memory: entries
 * of (physical address, byte count), the last one flagged end-of-table. The PIIX rules:
 * the table is dword-aligned and does not cross a 64 KiB boundary; no region crosses
 * one either, and a count of 0 means 64 KiB. Here the table is a page of its own and
 * every region lies inside one page, which keeps both rules.
 *
 * The controller's registers are 8 I/O ports per channel from the address in PCI
 * base address register 4; the primary channel (the one drivers/ata.c drives) has
 * the first 8: command (start bit, direction), status, and the table's address. */
#include "drivers/bmdma.h"
#include "drivers/pci.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "mm/memlayout.h"
#include "mm/mmu.h"
#include "mm/pgtable.h"

#define PIIX_VENDOR 0x8086
#define PIIX3_IDE   0x7010

/* Offsets from the primary channel's base port. */
#define BM_COMMAND 0
#define BM_STATUS  2
#define BM_TABLE   4            /* 32 bits: the PRD table's physical address */

#define BM_CMD_START     0x01   /* writing 1 starts the transfer, 0 stops it */
#define BM_CMD_TO_MEMORY 0x08   /* direction: the controller writes memory (a disk read) */

#define PRD_LAST 0x8000         /* in an entry's flags: the table ends here */

struct prd {
    uint32_t addr;              /* physical, even */
    uint16_t bytes;             /* even; 0 means 65,536 */
    uint16_t flags;
};

static uint16_t base;           /* the primary channel's first bus-master port */
static struct prd *table;       /* BMDMA_MAX_REGIONS entries, in a page of its own */
static uint32_t table_pa;
static uint32_t nregions;
static uint8_t direction;

/* The physical address behind a kernel virtual address: the direct map by arithmetic,
 * anything else (a kernel stack, with its guard page) through the kernel page table.
 * The controller knows nothing of paging: it is given what the MMU would give. */
static uint32_t physical(void *va)
{
    uint32_t a = (uint32_t)va;
    if (a >= KERNBASE && a - KERNBASE < DIRECTMAP_MAX)
        return V2P(a);
    pte_t *pte = pgtable_walk(pgdir_kernel, a, 0);
    if (!pte || !(*pte & PTE_P))
        panic("bmdma: DMA buffer %p is not mapped", va);   /* a kernel bug */
    return PTE_ADDR(*pte) | (a & (PGSIZE - 1));
}

int bmdma_init(void)
{
    struct pci_addr at;
    if (pci_find(PIIX_VENDOR, PIIX3_IDE, &at) < 0) {
        printk("ata: no PIIX3 bus-master IDE controller: PIO only\n");
        return -1;
    }
    uint32_t bar = pci_read(at, PCI_BAR4);
    if (!(bar & PCI_BAR_IO) || (bar & 0xFFFC) == 0) {
        printk("ata: bus-master IDE has no I/O ports (BAR4 %08x): PIO only\n", bar);
        return -1;
    }
    table = kmalloc(PGSIZE);            /* a whole frame: aligned, inside one 64 KiB */
    if (!table) {
        printk("ata: no memory for the DMA region table: PIO only\n");
        return -1;
    }
    table_pa = V2P(table);
    base = bar & 0xFFFC;
    /* The command register is the low half of the dword; writing 0 to the status half
     * (the high one) changes nothing, its error bits being cleared by writing ones. */
    uint32_t cmd = pci_read(at, PCI_COMMAND) & 0xFFFF;
    pci_write(at, PCI_COMMAND, cmd | PCI_CMD_IO | PCI_CMD_MASTER);
    outb(base + BM_COMMAND, 0);
    outb(base + BM_STATUS, BMDMA_ST_IRQ | BMDMA_ST_ERROR);
    printk("ata: bus-master DMA, PIIX3 IDE at %02x:%02x.%x, ports %x-%x\n", at.bus, at.dev,
           at.fn, base, base + 7);
    return 0;
}

void bmdma_clear(void)
{
    nregions = 0;
}

void bmdma_add(void *va, uint32_t bytes)
{
    struct prd *e = &table[nregions++];
    e->addr = physical(va);
    e->bytes = (uint16_t)bytes;       /* at most a page: never the 0 of 64 KiB */
    e->flags = 0;
}

void bmdma_setup(int to_memory)
{
    table[nregions - 1].flags = PRD_LAST;
    direction = to_memory ? BM_CMD_TO_MEMORY : 0;
    outb(base + BM_COMMAND, direction);                     /* stopped */
    outl(base + BM_TABLE, table_pa);
    outb(base + BM_STATUS, BMDMA_ST_IRQ | BMDMA_ST_ERROR);  /* ones clear them */
}

void bmdma_start(void)
{
    outb(base + BM_COMMAND, direction | BM_CMD_START);
}

uint8_t bmdma_stop(void)
{
    uint8_t st = inb(base + BM_STATUS);
    outb(base + BM_COMMAND, direction);
    outb(base + BM_STATUS, BMDMA_ST_IRQ | BMDMA_ST_ERROR);
    return st;
}

uint8_t bmdma_status(void)
{
    return inb(base + BM_STATUS);
}
