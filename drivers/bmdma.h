/* drivers/bmdma.h: bus-master DMA of the PIIX IDE controller (PCI 8086:7010, QEMU's
 * `-machine pc`): the controller moves a command's sectors between the drive and
 * memory by itself, following a table of physical regions the driver fills in. */
#ifndef DRIVERS_BMDMA_H
#define DRIVERS_BMDMA_H

#include <stdint.h>

#define BMDMA_ST_ACTIVE 0x01   /* status: the controller is still moving data */
#define BMDMA_ST_ERROR  0x02   /* ... a memory transfer failed */
#define BMDMA_ST_IRQ    0x04   /* ... the drive has raised its interrupt */

/* Find the controller, let it master the bus and give it its region table. 0, or
 * -1 (with the reason printed) when there is none: the driver then uses PIO. */
int bmdma_init(void);

/* One command's transfer: forget the old regions, add the memory (each piece inside
 * one page; up to BMDMA_MAX_REGIONS of them), then bmdma_setup before the ATA command
 * and bmdma_start after it. */
#define BMDMA_MAX_REGIONS 64
void bmdma_clear(void);
void bmdma_add(void *va, uint32_t bytes);
void bmdma_setup(int to_memory);    /* to_memory: a disk read */
void bmdma_start(void);
/* The drive interrupted (or timed out): stop the controller and give its status,
 * clearing the interrupt and error bits for the next command. */
uint8_t bmdma_stop(void);
uint8_t bmdma_status(void);        /* without changing anything (polling) */

#endif
