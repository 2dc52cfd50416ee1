/* user/lib/lineedit.h: reading a command line from a terminal with editing (left and
 * right arrows, backspace, ^U, ^A/^E) and history (up and down arrows), in raw mode. */
#ifndef USER_LIB_LINEEDIT_H
#define USER_LIB_LINEEDIT_H

#define LINEEDIT_EOF (-1)          /* ^D on an empty line */
#define LINEEDIT_INTERRUPTED (-2)  /* a signal (^C) came: the line is dropped */

/* Shows prompt and reads one line into buf (NUL-terminated, no newline). Returns its
 * length, LINEEDIT_EOF or LINEEDIT_INTERRUPTED. The terminal is in raw mode only while
 * this runs. A non-empty line is added to the history. */
int lineedit_read(const char *prompt, char *buf, int size);

#endif
