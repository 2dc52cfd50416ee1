/* kernel/console.c: the system console. Output (printk, write to fd 1) goes to the
 * serial port (what tests read) and the VGA screen; input comes from the serial port. */
#include "kernel/console.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/trap.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/proc.h"
#include "fs/file.h"
#include "mm/uaccess.h"
#include "kernel/errno.h"

void console_init(void)
{
    serial_init(COM1);
    vga_init();
}

void console_putc(char c)
{
    if (c == '\n')
        serial_putc(COM1, '\r');
    serial_putc(COM1, c);
    vga_putc(c);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        console_putc(s[i]);
}

/* ---- input: a line discipline like a terminal's canonical mode ----------------- */

#define INPUT_SIZE 256

static struct {
    char buf[INPUT_SIZE];
    uint32_t r, w, e;            /* read, write (end of complete lines), edit positions */
} input;

/* COM1 interrupt: echo each byte, handle backspace, and release a line on Enter
 * (or ^D) to whoever sleeps in console_read. */
static void console_intr(void)
{
    int c;
    while ((c = serial_getc(COM1)) >= 0) {
        if (c == '\r')
            c = '\n';
        if (c == 0x7F || c == '\b') {
            if (input.e != input.w) {
                input.e--;
                console_write("\b \b", 3);
            }
            continue;
        }
        if (input.e - input.r >= INPUT_SIZE)
            continue;                   /* full: drop the byte */
        input.buf[input.e++ % INPUT_SIZE] = (char)c;
        if (c != 0x04)
            console_putc((char)c);
        if (c == '\n' || c == 0x04 || input.e - input.r == INPUT_SIZE) {
            input.w = input.e;
            wakeup(&input);
        }
    }
}

void console_enable_input(void)
{
    irq_register(IRQ_COM1, console_intr);
    serial_enable_rx_irq(COM1);
}

int console_read(uint32_t ubuf, uint32_t n)
{
    char line[INPUT_SIZE];
    uint32_t got = 0;
    push_cli();
    while (input.r == input.w && !myproc()->killed)
        sleep(&input);
    /* Take at most one line; ^D ends the read (at the start of a line: end of file). */
    while (got < n && input.r != input.w) {
        char c = input.buf[input.r++ % INPUT_SIZE];
        if (c == 0x04)
            break;
        line[got++] = c;
        if (c == '\n')
            break;
    }
    pop_cli();
    if (copyout(ubuf, line, got) < 0)
        return -EFAULT;
    return got;
}
