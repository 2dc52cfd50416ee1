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

int vga_cursor(void)
{
    return pos;
}

/* The few ANSI sequences the shell's line editor writes (user/lib/lineedit.c): ESC [ n D
 * and ESC [ n C move the cursor left and right, ESC [ K erases to the end of the line.
 * Others are swallowed. Returns 1 while c belongs to a sequence. */
static int vga_escape(char c)
{
    static int state, arg;          /* 0: none, 1: after ESC, 2: after ESC [ */
    if (state == 0 && c == 0x1B) {
        state = 1;
        return 1;
    }
    if (state == 1) {
        state = c == '[' ? 2 : 0;
        arg = 0;
        return 1;
    }
    if (state != 2)
        return 0;
    if (c >= '0' && c <= '9') {
        arg = arg * 10 + (c - '0');
        return 1;
    }
    if (c >= '@' && c <= '~') {     /* the final byte */
        int n = arg ? arg : 1, col = pos % COLS;
        if (c == 'D')
            pos -= n < col ? n : col;
        else if (c == 'C')
            pos += n < COLS - 1 - col ? n : COLS - 1 - col;
        else if (c == 'K')
            for (int i = pos; i < pos - col + COLS; i++)
                screen[i] = ATTR | ' ';
        state = 0;
    }
    return 1;
}

void vga_putc(char c)
{
    if (!screen || vga_escape(c))
        return;
    if (c == '\n')
        pos += COLS - pos % COLS;
    else if (c == '\r')
        pos -= pos % COLS;
    else if (c == '\b') {
        if (pos % COLS > 0)
            pos--;                  /* "\b \b" rubs out: back, a blank, back */
    } else
        screen[pos++] = ATTR | (uint8_t)c;

    if (pos >= COLS * ROWS) {       /* scroll up one line */
        memmove(screen, screen + COLS, (ROWS - 1) * COLS * sizeof(uint16_t));
        for (int i = (ROWS - 1) * COLS; i < ROWS * COLS; i++)
            screen[i] = ATTR | ' ';
        pos -= COLS;
    }
    vga_move_cursor();
}
