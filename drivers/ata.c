/* drivers/ata.c: transfers on the primary IDE channel (ports 0x1F0-0x1F7, 0x3F6).
 * Requests wait in a FIFO. Each command moves up to 256 sectors one of two ways:
 * - DMA (the default when the PIIX bus-master controller is there, drivers/bmdma.c):
 *   the controller copies the sectors to or from memory itself and the drive
 *   interrupts once, when the command is over;
 * - PIO (ata.dma=0, or no controller): the drive interrupts once per sector and the
 *   IRQ 14 handler copies that sector through the data port.
 * Either way the handler then starts the next command or the next request. FLUSH
 * CACHE is a request too, with no data: the drive interrupts when its cache is on
 * the medium.
 *
 * ata.defer=1 (the benchmarks and the DETERMINISTIC=1 runs, under QEMU -icount) takes
 * the end of a command only at the first timer tick a millisecond after it began, so
 * that where it lands in the instruction stream does not depend on the host: a busy
 * CPU lets the interrupt in at that tick (ata_tick), an idle one then waits for it
 * with the tick stopped (ata_halt). docs/disk.md, "Interrupts that repeat". */
#include "drivers/ata.h"
#include "drivers/bmdma.h"
#include "kernel/errno.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/trap.h"
#include "drivers/pic.h"
#include "drivers/pit.h"
#include "kernel/x86.h"
#include "mm/kheap.h"
#include "mm/mmu.h"

/* The command block registers (0x1F0-0x1F7) and the control block register (0x3F6). */
#define ATA_DATA      0x1F0   /* 16 bits wide: sector data */
#define ATA_ERROR     0x1F1   /* read: why ERR is set */
#define ATA_COUNT     0x1F2   /* sectors to move (0 means 256) */
#define ATA_LBA_LOW   0x1F3   /* LBA bits 0-7 */
#define ATA_LBA_MID   0x1F4   /* bits 8-15 */
#define ATA_LBA_HIGH  0x1F5   /* bits 16-23 */
#define ATA_DEVICE    0x1F6   /* drive select, LBA mode, and LBA28 bits 24-27 */
#define ATA_STATUS    0x1F7   /* read: status; reading it acknowledges the interrupt */
#define ATA_COMMAND   0x1F7   /* write: start a command */
#define ATA_ALTSTATUS 0x3F6   /* read: the same status, leaving the interrupt alone */
#define ATA_CONTROL   0x3F6   /* write: nIEN and SRST */

#define ST_ERR 0x01           /* the command failed: ATA_ERROR says why */
#define ST_DRQ 0x08           /* the drive is ready to move one sector of data */
#define ST_DF  0x20           /* device fault */
#define ST_BSY 0x80           /* busy: no other bit means anything */

#define CTL_NIEN 0x02         /* the drive must not interrupt */
#define CTL_SRST 0x04         /* software reset of both drives */

#define DEV_ALWAYS 0xA0       /* bits 7 and 5 must be one on old drives */
#define DEV_LBA    0x40       /* sector numbers, not cylinder/head/sector */
#define DEV_SLAVE  0x10

#define CMD_READ      0x20    /* READ SECTORS: 28-bit LBA */
#define CMD_READ_EXT  0x24    /* READ SECTORS EXT: 48-bit LBA */
#define CMD_WRITE     0x30
#define CMD_WRITE_EXT 0x34
#define CMD_READ_DMA      0xC8
#define CMD_READ_DMA_EXT  0x25
#define CMD_WRITE_DMA     0xCA
#define CMD_WRITE_DMA_EXT 0x35
#define CMD_IDENTIFY  0xEC
#define CMD_FLUSH     0xE7    /* FLUSH CACHE: put the drive's write cache on the medium */

#define ID_CAPABILITIES 49    /* IDENTIFY words: bit 9 = LBA supported */
#define ID_LBA28_SECTORS 60   /* and 61 */
#define ID_FEATURES 83        /* bit 10 = 48-bit commands supported */
#define ID_LBA48_SECTORS 100  /* to 103 */
#define ID_MODEL 27           /* to 46: 40 characters, two per word, high byte first */

#define SECTORS_PER_COMMAND 256
#define LBA28_LIMIT (1u << 28)
/* How long a drive may stay busy before it counts as hung, in time-stamp-counter
 * cycles: a few seconds on real hardware, and under QEMU -icount a fixed number of
 * instructions, however slow or loaded the host (a spin count would depend on it). */
#define BUSY_TIMEOUT_CYCLES 4000000000ull
/* How long a command may go without progress (a sector, an interrupt) before it counts
 * as hung, in timer ticks: the polling loop and the watchdog both use it. ata.timeout=S
 * on the command line sets it in seconds (default 5). Under QEMU -icount with sleep=off
 * an idle CPU jumps virtual time to the next timer deadline, so seconds pass in the
 * microseconds the host takes to finish a request: such runs need a longer timeout. */
static uint32_t command_timeout_ticks = 5 * HZ;
#define COMMAND_TIMEOUT_TICKS command_timeout_ticks

static struct ata_drive drives[2];
static struct ata_request *queue_head, *queue_tail;
static struct ata_stats stats;
static int dma_on;             /* commands use bus-master DMA (ata.dma=1, the default) */
static int defer;              /* ata.defer=1: IRQ 14 masked but when a command is due */
static int halted;             /* the CPU is in ata_halt: nothing to do but wait */
/* Under ata.defer=1 a command's end is taken at the first tick after it has run this
 * long: 1 M instructions (1 ms) under -icount, which the emulator takes milliseconds of
 * the host's time to run, while the host's disk answers in microseconds. */
#define DEFER_CYCLES 1000000u

static void next_command(struct ata_request *r);

/* A read of the alternate status takes at least 100 ns of bus time: four of them
 * give a drive the 400 ns it needs to settle after a drive select or a command. */
static void status_delay(int reads)
{
    for (int i = 0; i < reads; i++)
        inb(ATA_ALTSTATUS);
}

/* The status once the drive is no longer busy, or -1 if it never gets there. */
static int wait_not_busy(void)
{
    uint64_t start = rdtsc();
    int st = -1;
    while (st < 0 && rdtsc() - start < BUSY_TIMEOUT_CYCLES) {
        uint8_t now = inb(ATA_ALTSTATUS);
        if (!(now & ST_BSY))
            st = now;
    }
    stats.poll_cycles += rdtsc() - start;
    return st;
}

/* After a hung command: reset both drives so the next command starts clean. */
static void reset_channel(void)
{
    outb(ATA_CONTROL, CTL_NIEN | CTL_SRST);
    status_delay(64);                 /* SRST must stay set for at least 5 us */
    outb(ATA_CONTROL, CTL_NIEN);
    wait_not_busy();
}

/* The request at the head of the queue has ended: take it off, tell whoever waits
 * for it, and start the next one. */
static void finish(struct ata_request *r, int error)
{
    r->error = error;
    queue_head = r->next;
    if (!queue_head)
        queue_tail = NULL;
    r->done = 1;
    wakeup(r);
    if (queue_head)
        next_command(queue_head);
}

/* End r with -EIO and say which sector failed and what the drive said. A DMA
 * command's sector is the first of the command: which of them failed the drive does
 * not say. The controller is stopped first, so it cannot write memory afterwards. */
static void fail(struct ata_request *r, const char *what, int timed_out)
{
    if (r->dma)
        bmdma_stop();
    printk("%s: %s %s at LBA %u: status %02x error %02x\n", r->drive->dev.name,
           r->flush ? "FLUSH CACHE" : r->write ? "write" : "read", what, r->lba,
           inb(ATA_ALTSTATUS), inb(ATA_ERROR));
    if (timed_out)
        reset_channel();
    finish(r, -EIO);
}

/* Wait until the drive is not busy and check that it is happy (and, if need_data,
 * that it wants to move a sector). 0, or -1 after failing r. */
static int drive_ready(struct ata_request *r, int need_data)
{
    int st = wait_not_busy();
    if (st < 0)
        fail(r, "timeout", 1);
    else if (st & (ST_ERR | ST_DF))
        fail(r, "error", 0);
    else if (need_data && !(st & ST_DRQ))
        fail(r, "error (no data request)", 0);
    else
        return 0;
    return -1;
}

/* Move r's buffer on by `bytes`, which end at or before the end of its page. A
 * scattered cluster (r->pages) goes on to its next page when one is done and `more`
 * bytes are still to come. */
static void buffer_on(struct ata_request *r, uint32_t bytes, uint32_t more)
{
    r->buf += bytes;
    if (r->pages && more && ((uint32_t)r->buf & (PGSIZE - 1)) == 0)
        r->buf = r->pages[++r->page];
}

/* Describe the next n sectors of r's buffer to the bus-master controller, a region per
 * piece of a page, and move r->buf past them: the controller, not the CPU, will move
 * them. (A page is physically contiguous; two virtually adjacent pages need not be.) */
static void map_for_dma(struct ata_request *r, uint32_t n)
{
    uint32_t more = r->left * SECTOR_SIZE;
    bmdma_clear();
    for (uint32_t bytes = n * SECTOR_SIZE; bytes > 0;) {
        uint32_t piece = PGSIZE - ((uint32_t)r->buf & (PGSIZE - 1));
        if (piece > bytes)
            piece = bytes;
        bmdma_add(r->buf, piece);
        bytes -= piece;
        more -= piece;
        buffer_on(r, piece, more);
    }
    bmdma_setup(!r->write);
}

/* The command byte for r: read or write, PIO or DMA, 28- or 48-bit sector numbers. */
static uint8_t command_for(const struct ata_request *r, int lba48)
{
    static const uint8_t cmds[2][2][2] = {              /* [dma][write][lba48] */
        {{CMD_READ, CMD_READ_EXT}, {CMD_WRITE, CMD_WRITE_EXT}},
        {{CMD_READ_DMA, CMD_READ_DMA_EXT}, {CMD_WRITE_DMA, CMD_WRITE_DMA_EXT}},
    };
    return cmds[r->dma][r->write][lba48];
}

/* Select r's drive and wait until it can take a command: 0, or -1 when it stays busy. */
static int select_drive(const struct ata_request *r, uint8_t lba_bits)
{
    outb(ATA_CONTROL, 0);         /* interrupts on: they also wake a polling requester */
    outb(ATA_DEVICE, DEV_ALWAYS | DEV_LBA | (r->drive->slave ? DEV_SLAVE : 0) | lba_bits);
    status_delay(4);
    return wait_not_busy() < 0 ? -1 : 0;
}

/* Program the drive with r's next command: up to 256 sectors from r->lba. The
 * 48-bit command is used only where the 28-bit one cannot reach. For DMA the
 * controller is given its regions before the command and started after it (the
 * order of the PIIX data sheet's bus-master programming steps). 0, or -1 when the
 * drive stays busy. */
static int issue_command(struct ata_request *r)
{
    uint32_t n = r->left < SECTORS_PER_COMMAND ? r->left : SECTORS_PER_COMMAND;
    int lba48 = (uint64_t)r->lba + n > LBA28_LIMIT;

    if (select_drive(r, lba48 ? 0 : r->lba >> 24 & 0x0F) < 0)
        return -1;
    if (r->dma)
        map_for_dma(r, n);
    if (lba48) {             /* each register takes two bytes in turn: high ones first */
        outb(ATA_COUNT, n >> 8);
        outb(ATA_LBA_LOW, r->lba >> 24);
        outb(ATA_LBA_MID, 0);             /* bits 32-47: sector numbers here are 32-bit */
        outb(ATA_LBA_HIGH, 0);
    }
    outb(ATA_COUNT, n & 0xFF);
    outb(ATA_LBA_LOW, r->lba & 0xFF);
    outb(ATA_LBA_MID, r->lba >> 8 & 0xFF);
    outb(ATA_LBA_HIGH, r->lba >> 16 & 0xFF);
    outb(ATA_COMMAND, command_for(r, lba48));
    r->in_command = n;
    stats.commands++;
    if (r->dma) {
        stats.dma_commands++;
        bmdma_start();
    }
    status_delay(4);
    return 0;
}

/* Hand the drive the sector at r->buf once it asks for it. The sector stays
 * counted in r->in_command until the drive's next interrupt says it is written. */
static void send_sector(struct ata_request *r)
{
    if (drive_ready(r, 1) == 0)
        outsw(ATA_DATA, r->buf, SECTOR_SIZE / 2);
}

/* FLUSH CACHE: the drive interrupts when what it has cached is on the medium. */
static int issue_flush(struct ata_request *r)
{
    if (select_drive(r, 0) < 0)
        return -1;
    outb(ATA_COMMAND, CMD_FLUSH);
    r->in_command = 1;
    status_delay(4);
    return 0;
}

/* Start r's next command, or finish r if nothing is left. The drive asks for a
 * write's first sector without interrupting, so it goes at once. */
static void next_command(struct ata_request *r)
{
    r->last_progress = ticks;
    r->command_tsc = rdtsc();
    if (!r->flush && r->left == 0)
        return finish(r, 0);
    if ((r->flush ? issue_flush(r) : issue_command(r)) < 0)
        return fail(r, "timeout", 1);
    if (r->write && !r->dma)
        send_sector(r);
}

/* A DMA command ended (the drive interrupted): all its sectors have been moved, unless
 * the drive or the controller reports an error. */
static void dma_done(struct ata_request *r)
{
    if (bmdma_stop() & BMDMA_ST_ERROR)
        return fail(r, "DMA error", 0);
    if (drive_ready(r, 0) < 0)
        return;
    r->lba += r->in_command;
    r->left -= r->in_command;
    r->in_command = 0;
    next_command(r);
}

/* The drive interrupted (or, polling, stopped being busy) during r's command: a
 * read's next sector is ready, or a write's last sector is on the disk. */
static void step(struct ata_request *r)
{
    if (r->dma)
        return dma_done(r);
    if (r->flush) {
        if (drive_ready(r, 0) == 0)
            finish(r, 0);
        return;
    }
    if (drive_ready(r, !r->write) < 0)
        return;
    r->last_progress = ticks;
    if (!r->write)
        insw(ATA_DATA, r->buf, SECTOR_SIZE / 2);
    r->lba++;
    r->left--;
    buffer_on(r, SECTOR_SIZE, r->left);
    if (--r->in_command == 0)
        next_command(r);
    else if (r->write)
        send_sector(r);
}

/* Has the drive still to interrupt for r's running command? Under DMA the drive is
 * not busy while the controller moves the data; the controller's interrupt bit says
 * when the command has ended. */
static int in_progress(const struct ata_request *r)
{
    if (r->dma)
        return !(bmdma_status() & BMDMA_ST_IRQ);
    return inb(ATA_ALTSTATUS) & ST_BSY;
}

/* Append r to the queue; if the channel was idle, start it. Interrupts are off. A
 * buffer at an odd address cannot be described to the controller: PIO moves it. */
static void enqueue(struct ata_request *r)
{
    r->dma = dma_on && !r->flush && ((uint32_t)r->buf & 1) == 0;
    r->next = NULL;
    r->done = 0;
    r->error = 0;
    r->in_command = 0;
    r->interrupted = 0;
    if (queue_tail)
        queue_tail->next = r;
    else
        queue_head = r;
    queue_tail = r;
    if (queue_head == r)
        next_command(r);
}

/* IRQ 14. A polled request's requester takes the step itself (poll_until_done);
 * told that the drive has spoken, it wakes from its halt. Under ata.defer=1 the line
 * is masked again until the next ata_halt or ata_tick, and the tick, stopped if the
 * CPU was waiting in ata_halt, runs again. */
static void ata_interrupt(void)
{
    if (defer) {
        pic_disable(IRQ_ATA);
        pit_resume();
    }
    inb(ATA_STATUS);                          /* acknowledges the interrupt */
    struct ata_request *r = queue_head;
    if (r && r->polled)
        r->interrupted = 1;
    else if (r && !in_progress(r))
        step(r);
}

/* ata.defer=1: may the end of r's running command (or, by PIO, its next sector) be
 * taken now? */
static int due(const struct ata_request *r)
{
    return rdtsc() - r->command_tsc >= DEFER_CYCLES;
}

/* Every timer tick. A sleeping requester waits for an interrupt that may never come
 * (a drive that hangs, an interrupt lost): a command without progress for
 * COMMAND_TIMEOUT_TICKS fails with -EIO, which wakes its requester. Under ata.defer=1
 * a busy CPU takes the drive's interrupt here, as the tick's interrupt returns, once
 * the command is due and the PIC holds the interrupt: by then the host has answered,
 * so the tick, not the host, decides where in the instruction stream the end is
 * taken. (An idle CPU takes it in ata_halt, after this tick has woken it.) */
void ata_tick(void)
{
    struct ata_request *r = queue_head;
    if (!r || r->polled)
        return;
    if (ticks - r->last_progress > COMMAND_TIMEOUT_TICKS)
        fail(r, "timeout (no interrupt)", 1);
    else if (defer && !halted && due(r) && pic_pending(IRQ_ATA))
        pic_enable(IRQ_ATA);
}

void ata_submit(struct ata_request *r)
{
    r->polled = 0;
    push_cli();
    enqueue(r);
    pop_cli();
}

/* The CPU has nothing to do but wait for the disk (the scheduler found nobody to
 * run, or a polled request): halt until an interrupt. Under ata.defer=1 the drive's
 * interrupt stays masked until the running command is due, and the CPU halts until
 * the tick that makes it so (under QEMU -icount sleep=off that takes no host time:
 * the virtual clock jumps to the tick). Then the tick is stopped and the interrupt
 * let in, whether the drive has answered yet or not: with nothing on the virtual
 * clock the CPU stays at the same instruction count until it does, however long the
 * host takes. Interrupts are off on entry and on return; sti takes effect only at
 * hlt, so no interrupt slips in between the caller's check and the halt. */
void ata_halt(void)
{
    if (defer && queue_head && due(queue_head)) {
        pit_stop();
        pic_enable(IRQ_ATA);
    }
    halted = 1;
    __asm__ volatile("sti; hlt; cli");
    halted = 0;
}

/* Before processes exist nobody can sleep: the requester takes the steps itself, one
 * each time the drive interrupts, halted in between instead of spinning on the status
 * port (a spinning CPU can starve an emulator's I/O thread, and halting is what the
 * CPU is for). The time halted is the drive's, not the kernel's: it is counted apart
 * (stats.halt_cycles), with the interrupt handlers' work inside it, so that a
 * benchmark can leave it out. A command without progress for COMMAND_TIMEOUT_TICKS
 * is hung. A request queued earlier by ata_submit, ahead of r, is the handler's. */
static void poll_until_done(struct ata_request *r)
{
    push_cli();
    while (!r->done) {
        struct ata_request *head = queue_head;
        if (head->polled && head->interrupted) {
            head->interrupted = 0;
            step(head);
        } else if (ticks - head->last_progress > COMMAND_TIMEOUT_TICKS) {
            fail(head, "timeout", 1);
        } else {
            uint64_t t0 = rdtsc();
            ata_halt();
            stats.halt_cycles += rdtsc() - t0;
        }
    }
    pop_cli();
}

/* Sleep and wakeup's rule: check the condition with interrupts off, so the
 * handler's wakeup cannot come between the check and the sleep. */
static void sleep_until_done(struct ata_request *r)
{
    push_cli();
    while (!r->done)
        sleep(r);
    pop_cli();
}

/* Queue r, wait for it to end, and give its status. */
static int run_request(struct ata_request *r)
{
    r->polled = !sched_running();
    push_cli();
    enqueue(r);
    pop_cli();
    if (r->polled)
        poll_until_done(r);
    else
        sleep_until_done(r);
    return r->error;
}

/* blk_read and blk_write on a whole ATA disk end here. */
static int ata_transfer(struct blkdev *dev, uint32_t sector, uint32_t count, void *buf, int write)
{
    struct ata_request r = {
        .drive = dev->driver, .lba = sector, .left = count, .buf = buf, .write = write,
    };
    return run_request(&r);
}

/* A cluster of pages written by one request: up to 256 sectors a command, so 32 pages
 * cost one command set-up instead of 32 (the sectors still interrupt one by one). */
static int ata_write_pages(struct blkdev *dev, uint32_t sector, void *const *pages, uint32_t n)
{
    struct ata_request r = {
        .drive = dev->driver, .lba = sector, .left = n * BLK_PAGE_SECTORS, .buf = pages[0],
        .pages = pages, .write = 1,
    };
    return run_request(&r);
}

/* blk_flush on a whole ATA disk (fsync, sync): a request of its own, queued behind
 * the writes it must follow. */
static int ata_flush(struct blkdev *dev)
{
    struct ata_request r = {.drive = dev->driver, .flush = 1};
    return run_request(&r);
}

/* Ask drive d to identify itself: 0 with its 256-word answer in id, or -ENXIO when
 * no ATA disk answers (nothing there, or a packet device such as a CD drive). */
static int identify(struct ata_drive *d, uint16_t *id)
{
    outb(ATA_CONTROL, CTL_NIEN);
    outb(ATA_DEVICE, DEV_ALWAYS | (d->slave ? DEV_SLAVE : 0));
    status_delay(4);
    outb(ATA_COUNT, 0);
    outb(ATA_LBA_LOW, 0);
    outb(ATA_LBA_MID, 0);
    outb(ATA_LBA_HIGH, 0);
    outb(ATA_COMMAND, CMD_IDENTIFY);
    status_delay(4);
    if (inb(ATA_ALTSTATUS) == 0)
        return -ENXIO;                    /* no drive drives the status lines */
    int st = wait_not_busy();
    if (st < 0) {
        printk("%s: no answer to IDENTIFY (status %02x)\n", d->dev.name, inb(ATA_ALTSTATUS));
        reset_channel();
        return -ENXIO;
    }
    /* Packet (ATAPI) and SATA devices abort IDENTIFY and leave a signature here. */
    if (inb(ATA_LBA_MID) || inb(ATA_LBA_HIGH) || (st & ST_ERR) || !(st & ST_DRQ))
        return -ENXIO;
    insw(ATA_DATA, id, SECTOR_SIZE / 2);
    return 0;
}

/* Size, 48-bit support and model name from the IDENTIFY answer. */
static void describe(struct ata_drive *d, const uint16_t *id)
{
    uint64_t lba28 = id[ID_LBA28_SECTORS] | (uint32_t)id[ID_LBA28_SECTORS + 1] << 16;
    uint64_t lba48 = 0;
    for (int i = 3; i >= 0; i--)
        lba48 = lba48 << 16 | id[ID_LBA48_SECTORS + i];
    d->lba48 = (id[ID_FEATURES] & (1 << 10)) != 0;
    uint64_t n = d->lba48 ? lba48 : lba28;
    d->dev.nsectors = n > UINT32_MAX ? UINT32_MAX : n;   /* 32-bit sector numbers: 2 TiB */
    for (int i = 0; i < 20; i++) {
        d->model[2 * i] = id[ID_MODEL + i] >> 8;
        d->model[2 * i + 1] = id[ID_MODEL + i] & 0xFF;
    }
    for (int i = 39; i >= 0 && d->model[i] == ' '; i--)
        d->model[i] = 0;
}

int ata_init(void)
{
    long seconds = cmdline_int("ata.timeout", 5);
    int want_dma = cmdline_int("ata.dma", 1) != 0;
    if (seconds > 0)
        command_timeout_ticks = (uint32_t)seconds * HZ;
    if (inb(ATA_STATUS) == 0xFF) {        /* nobody drives the bus: no controller */
        printk("ata: no primary IDE channel\n");
        return 0;
    }
    uint16_t *id = kmalloc(SECTOR_SIZE);
    if (!id)
        return 0;
    int found = 0;
    for (int i = 0; i < 2; i++) {
        struct ata_drive *d = &drives[i];
        d->slave = i;
        ksnprintf(d->dev.name, sizeof(d->dev.name), "hd%c", 'a' + i);
        if (identify(d, id) < 0)
            continue;
        if (!(id[ID_CAPABILITIES] & (1 << 9))) {
            printk("%s: addresses sectors by cylinder/head/sector only: not used\n", d->dev.name);
            continue;
        }
        describe(d, id);
        d->dev.transfer = ata_transfer;
        d->dev.write_pages = ata_write_pages;
        d->dev.flush = ata_flush;
        d->dev.driver = d;
        d->present = 1;
        found++;
        printk("%s: %s, %u MiB (%u sectors)%s\n", d->dev.name, d->model,
               d->dev.nsectors / 2048, d->dev.nsectors, d->lba48 ? ", LBA48" : "");
    }
    kfree(id);
    defer = cmdline_int("ata.defer", 0) != 0;
    if (found)
        irq_register(IRQ_ATA, ata_interrupt);
    if (found && defer)
        pic_disable(IRQ_ATA);             /* until ata_halt or ata_tick lets it in */
    if (found && !want_dma)
        printk("ata: PIO (ata.dma=0)\n");
    else if (found)
        dma_on = bmdma_init() == 0;
    return found;
}

void ata_stats(struct ata_stats *st)
{
    push_cli();
    *st = stats;
    pop_cli();
}

int ata_dma_on(void)
{
    return dma_on;
}

struct ata_drive *ata_drive(int i)
{
    return i >= 0 && i < 2 && drives[i].present ? &drives[i] : NULL;
}

int ata_idle(void)
{
    return queue_head == NULL;
}
