/* drivers/pci.c: PCI configuration space. Every PCI function has 256 bytes of
 * registers (its IDs, its command register, its base address registers) reached, on a
 * PC, by writing the register's address to port 0xCF8 and then moving the dword at
 * port 0xCFC (configuration mechanism #1, PCI Local Bus Specification 3.2.2.3.2).
 * The BIOS has already given each device its I/O ports; the kernel only looks. */
#include "drivers/pci.h"
#include "kernel/x86.h"

#define PCI_CONFIG_ADDRESS 0xCF8
#define PCI_CONFIG_DATA    0xCFC
#define PCI_ENABLE         0x80000000u   /* bit 31: this is a configuration cycle */
#define PCI_ID             0x00          /* vendor ID (low 16 bits), device ID (high) */
#define PCI_NO_DEVICE      0xFFFF        /* the vendor ID read where nothing answers */

static uint32_t config_address(struct pci_addr at, uint8_t offset)
{
    return PCI_ENABLE | (uint32_t)at.bus << 16 | (uint32_t)at.dev << 11 |
           (uint32_t)at.fn << 8 | (offset & 0xFC);
}

uint32_t pci_read(struct pci_addr at, uint8_t offset)
{
    outl(PCI_CONFIG_ADDRESS, config_address(at, offset));
    return inl(PCI_CONFIG_DATA);
}

void pci_write(struct pci_addr at, uint8_t offset, uint32_t value)
{
    outl(PCI_CONFIG_ADDRESS, config_address(at, offset));
    outl(PCI_CONFIG_DATA, value);
}

/* A scan of bus 0's 32 slots and 8 functions each. The disk controllers this kernel
 * looks for are on the chipset's south bridge, which sits on bus 0 itself; devices
 * behind a PCI-to-PCI bridge (on other buses) are not searched. */
int pci_find(uint16_t vendor, uint16_t device, struct pci_addr *at)
{
    for (uint8_t dev = 0; dev < 32; dev++)
        for (uint8_t fn = 0; fn < 8; fn++) {
            struct pci_addr a = {0, dev, fn};
            uint32_t id = pci_read(a, PCI_ID);
            if ((id & 0xFFFF) == PCI_NO_DEVICE)
                continue;
            if ((id & 0xFFFF) == vendor && id >> 16 == device) {
                *at = a;
                return 0;
            }
        }
    return -1;
}
