/* drivers/vga.h: the 80x25 VGA text screen, so `make qemu` shows the console
 * in QEMU's window as well as on the serial port. */
#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

void vga_init(void);
void vga_putc(char c);
int vga_cursor(void);            /* the cursor's cell: row * 80 + column */

#endif
