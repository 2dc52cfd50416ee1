/* drivers/tty.h: the console's line discipline: typed bytes in (tty_input, from the
 * serial interrupt), lines or raw bytes out to read(), and the termios ioctls. */
#ifndef DRIVERS_TTY_H
#define DRIVERS_TTY_H

#include <stdint.h>

void tty_enable_input(void);                 /* COM1's interrupt: once processes can sleep */
void tty_input(int c);                       /* interrupt context */
int tty_read(uint32_t ubuf, uint32_t n);     /* bytes, -EFAULT, -EIO or -ERESTARTSYS */
int tty_poll(void);                          /* POLLIN if a read would not wait */
int tty_ioctl(uint32_t cmd, uint32_t uarg);  /* TCGETS, TCSETS*, TIOC[GS]PGRP, TIOCGWINSZ */

#endif
