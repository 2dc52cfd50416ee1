/* drivers/pci.h: PCI configuration space through the PC's two configuration ports
 * (mechanism #1): enough to find a device and read or change its registers. */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdint.h>

#define PCI_COMMAND      0x04    /* 16 bits: what the device may do on the bus */
#define PCI_CMD_IO       0x0001  /* ... answer I/O port accesses */
#define PCI_CMD_MASTER   0x0004  /* ... start bus cycles of its own (DMA) */
#define PCI_BAR4         0x20    /* base address register 4 */
#define PCI_BAR_IO       0x1     /* bit 0 of a BAR: the base is an I/O port */

/* A device's address: bus, device (slot) and function. */
struct pci_addr {
    uint8_t bus, dev, fn;
};

/* The first function whose vendor and device IDs are these: 0 with its address in
 * *at, or -1 when none answers. */
int pci_find(uint16_t vendor, uint16_t device, struct pci_addr *at);
uint32_t pci_read(struct pci_addr at, uint8_t offset);             /* aligned dword */
void pci_write(struct pci_addr at, uint8_t offset, uint32_t value);

#endif
