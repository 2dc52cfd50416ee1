/* drivers/vga.c: writes characters into the text buffer at physical 0xB8000,
 * scrolls when the cursor passes the last line, and moves the hardware cursor. */
#include <stdint.h>
#include "drivers/vga.h"
#include "kernel/x86.h"
#include "kernel/string.h"
#include "mm/memlayout.h"

#define COLS 80
#define ROWS 25
#define ATTR 0x0700   /* light grey on black */

static uint16_t *screen;
static int pos;

static void vga_move_cursor(void)
{
    outb(0x3D4, 14);
    outb(0x3D5, (uint8_t)(pos >> 8));
    outb(0x3D4, 15);
    outb(0x3D5, (uint8_t)pos);
}

void vga_init(void)
{
    screen = P2V(0xB8000);
    for (int i = 0; i < COLS * ROWS; i++)
        screen[i] = ATTR | ' ';
    pos = 0;
    vga_move_cursor();
}

void vga_putc(char c)
{
    if (!screen)
        return;
    if (c == '\n')
        pos += COLS - pos % COLS;
    else if (c == '\b') {
        if (pos > 0)
            screen[--pos] = ATTR | ' ';
    } else if (c != '\r')
        screen[pos++] = ATTR | (uint8_t)c;

    if (pos >= COLS * ROWS) {       /* scroll up one line */
        memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(uint16_t));
        for (int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
            screen[i] = ATTR | ' ';
        pos -= COLS;
    }
    vga_move_cursor();
}
