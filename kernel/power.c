/* kernel/power.c: power the machine off with a status: isa-debug-exit under QEMU,
 * then QEMU's ACPI power-off port, then halt forever on real hardware. */
#include "kernel/power.h"
#include "kernel/x86.h"

void power_off(int status)
{
    cli();
    outb(0xF4, (uint8_t)status);    /* isa-debug-exit: QEMU exits here if the device exists */
    outw(0x604, 0x2000);            /* QEMU's PIIX4 ACPI power-off */
    for (;;)
        hlt();
}
