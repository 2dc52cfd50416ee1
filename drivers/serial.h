/* drivers/serial.h: the 16550 UART on COM1 (the console QEMU shows with -serial)
 * and COM2 (the VM event trace). */
#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include <stdint.h>

#define COM1 0x3F8
#define COM2 0x2F8

void serial_init(uint16_t port);
int serial_present(uint16_t port);   /* is there a UART at this port? */
void serial_putc(uint16_t port, char c);
int serial_getc(uint16_t port);    /* -1 when no byte is waiting */
void serial_enable_rx_irq(uint16_t port);

#endif
