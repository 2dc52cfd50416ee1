/* user/lib/lineedit.c: a small line editor for the shell (see lineedit.h). The terminal
 * goes to raw mode (no ICANON, no ECHO; ISIG stays, so ^C still interrupts), and the
 * line is redrawn with ANSI escapes: "\r", the prompt, the text, "erase to end of line",
 * then the cursor moved back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "user/lib/lineedit.h"

#define HISTORY 32
#define MAXEDIT 1024

static char history[HISTORY][MAXEDIT];
static int history_len;                 /* lines kept (at most HISTORY) */

static void out(const char *s, size_t n) { write(1, s, n); }

static void redraw(const char *prompt, const char *buf, int len, int cursor)
{
    char seq[32];
    out("\r", 1);
    out(prompt, strlen(prompt));
    out(buf, len);
    out("\x1b[K", 3);
    if (len > cursor) {
        int n = snprintf(seq, sizeof(seq), "\x1b[%dD", len - cursor);
        out(seq, n);
    }
}

static void remember(const char *line)
{
    if (!*line || (history_len && strcmp(history[(history_len - 1) % HISTORY], line) == 0))
        return;
    snprintf(history[history_len % HISTORY], MAXEDIT, "%s", line);
    history_len++;
}

/* The arrow keys arrive as ESC [ A/B/C/D. Returns the final letter, or 0. */
static int read_escape(void)
{
    char c[2];
    if (read(0, &c[0], 1) != 1 || c[0] != '[' || read(0, &c[1], 1) != 1)
        return 0;
    return c[1];
}

struct edit {
    char *buf;
    int size, len, cursor;
    int back;                           /* how far back in the history we are (0: new line) */
};

static void recall(struct edit *e, int back)
{
    int oldest = history_len < HISTORY ? history_len : HISTORY;
    if (back < 0 || back > oldest)
        return;
    e->back = back;
    const char *line = back ? history[(history_len - back) % HISTORY] : "";
    snprintf(e->buf, e->size, "%s", line);
    e->len = e->cursor = strlen(e->buf);
}

static void insert(struct edit *e, char c)
{
    if (e->len >= e->size - 1)
        return;
    memmove(e->buf + e->cursor + 1, e->buf + e->cursor, e->len - e->cursor);
    e->buf[e->cursor++] = c;
    e->len++;
}

static void erase(struct edit *e)
{
    if (e->cursor == 0)
        return;
    memmove(e->buf + e->cursor - 1, e->buf + e->cursor, e->len - e->cursor);
    e->cursor--;
    e->len--;
}

/* One key; returns 1 when the line is finished. */
static int key(struct edit *e, char c)
{
    switch (c) {
    case '\r':
    case '\n':
        return 1;
    case 0x7F:
    case '\b':
        erase(e);
        break;
    case 0x15:                          /* ^U: kill the line */
        e->len = e->cursor = 0;
        break;
    case 0x01:                          /* ^A, ^E: start and end */
        e->cursor = 0;
        break;
    case 0x05:
        e->cursor = e->len;
        break;
    case 0x1B:
        switch (read_escape()) {
        case 'A': recall(e, e->back + 1); break;
        case 'B': recall(e, e->back - 1); break;
        case 'C': e->cursor += e->cursor < e->len; break;
        case 'D': e->cursor -= e->cursor > 0; break;
        }
        break;
    default:
        if ((unsigned char)c >= ' ')
            insert(e, c);
    }
    return 0;
}

int lineedit_read(const char *prompt, char *buf, int size)
{
    struct termios cooked, raw;
    tcgetattr(0, &cooked);
    raw = cooked;
    raw.c_lflag &= ~(ICANON | ECHO);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &raw);
    struct edit e = {buf, size < MAXEDIT ? size : MAXEDIT, 0, 0, 0};
    int result = 0;
    char c;
    redraw(prompt, buf, 0, 0);
    for (;;) {
        ssize_t n = read(0, &c, 1);
        if (n < 0 && errno == EINTR) {
            result = LINEEDIT_INTERRUPTED;
            break;
        }
        if (n <= 0 || (c == 0x04 && e.len == 0)) {
            result = LINEEDIT_EOF;
            break;
        }
        if (key(&e, c))
            break;
        buf[e.len] = '\0';
        redraw(prompt, buf, e.len, e.cursor);
    }
    buf[e.len] = '\0';
    out(result == LINEEDIT_INTERRUPTED ? "^C\n" : "\n", result == LINEEDIT_INTERRUPTED ? 3 : 1);
    tcsetattr(0, TCSANOW, &cooked);
    if (result)
        return result;
    remember(buf);
    return e.len;
}
