/* drivers/ata.h: the ATA (IDE) disk driver for the primary channel: transfers of
 * 512-byte sectors by bus-master DMA or by programmed I/O (ata.dma=0), queued,
 * finished by IRQ 14 (taken at deterministic moments under ata.defer=1) or, before
 * processes exist, by the requester. */
#ifndef DRIVERS_ATA_H
#define DRIVERS_ATA_H

#include <stdint.h>
#include "drivers/blkdev.h"

struct ata_drive {
    struct blkdev dev;         /* "hda" (master) or "hdb" (slave): use blk_read/blk_write */
    int present;
    int slave;
    int lba48;                 /* understands the 48-bit commands (READ/WRITE SECTORS EXT) */
    char model[41];
};

/* One transfer in the channel's FIFO. Under PIO the drive moves one sector per step,
 * under DMA a whole command; the request remembers where the next sector goes. */
struct ata_request {
    struct ata_drive *drive;
    uint32_t lba;              /* the next sector to move */
    uint32_t left;             /* sectors still to move */
    uint32_t in_command;       /* of those, how many the running command has still to finish */
    uint8_t *buf;              /* where the next sector goes to or comes from (DMA: the
                                  sector after the running command's) */
    void *const *pages;        /* or NULL: after each whole page, buf moves to the next */
    uint32_t page;             /* ... the index of the page buf is in */
    int write;
    int dma;                   /* its commands are DMA ones (set when it is queued) */
    int flush;                 /* FLUSH CACHE, not a transfer: no sector, no buffer */
    int polled;                /* the requester takes the steps (no scheduler to sleep in) */
    int interrupted;           /* polled: the drive has interrupted since the last step */
    volatile int done;         /* set when it ends; `error` is then final */
    uint32_t last_progress;    /* tick of its last sector or command (the watchdog's clock) */
    uint64_t command_tsc;      /* time-stamp counter when its command began (ata.defer=1) */
    int error;                 /* 0, or -EIO */
    struct ata_request *next;
};

/* Find the drives on the primary channel and install the IRQ 14 handler. The
 * number of ATA disks found (0 to 2); ata_drive(0) is the master, 1 the slave. */
int ata_init(void);
struct ata_drive *ata_drive(int i);   /* NULL when that drive is absent */
int ata_idle(void);                   /* 1: no command queued or in flight */
void ata_tick(void);                  /* every timer tick: the watchdog, and ata.defer */
void ata_halt(void);                  /* wait for the disk's interrupt, CPU halted */
int ata_dma_on(void);                 /* 1: commands use bus-master DMA; 0: PIO */

/* Queue an interrupt-driven transfer of r->left sectors from r->lba (drive, lba,
 * left, buf and write filled in) and return at once. When it ends, r->done is set
 * and wakeup(r) called from the interrupt handler. blk_read and blk_write are this
 * plus the wait (or the polling, before processes exist). */
void ata_submit(struct ata_request *r);

struct ata_stats {
    uint32_t commands;         /* READ/WRITE commands issued, PIO and DMA */
    uint32_t dma_commands;     /* ... of which READ/WRITE DMA */
    uint64_t poll_cycles;      /* TSC cycles spent reading the status of a busy drive */
    uint64_t halt_cycles;      /* ... and halted for a polled request (before processes) */
};
void ata_stats(struct ata_stats *st);

#endif
