/* kernel/power.c: power the machine off with a status: isa-debug-exit under QEMU,
 * then QEMU's ACPI power-off port, then halt forever on real hardware. */
#include "kernel/power.h"
#include "kernel/x86.h"
#include "kernel/printk.h"

/* The last line the kernel prints: tools/run.sh and tools/bench.py look for it to tell a
 * kernel status 0 (QEMU exits with 1) from QEMU failing on its own (also 1). */
void power_off(int status)
{
    printk("power: off with status %d\n", status);
    cli();
    outb(0xF4, (uint8_t)status);    /* isa-debug-exit: QEMU exits here if the device exists */
    outw(0x604, 0x2000);            /* QEMU's PIIX4 ACPI power-off */
    for (;;)
        hlt();
}
