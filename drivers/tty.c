/* drivers/tty.c: the console's line discipline (POSIX termios): canonical mode with echo,
 * erase and kill, ^D for end of file, ^C/^\/^Z as signals to the foreground process
 * group; raw mode for programs that edit lines themselves (Stevens, APUE 18). */
#include <stddef.h>
#include "drivers/tty.h"
#include "kernel/console.h"
#include "kernel/trap.h"
#include "drivers/serial.h"
#include "fs/file.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "mm/uaccess.h"

/* struct termios as the i386 kernel passes it (TCGETS/TCSETS): 36 bytes. */
struct termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line, cc[19];
};

#define ICRNL 0x100
#define ISIG 0x1
#define ICANON 0x2
#define ECHO 0x8
#define ECHOE 0x10
#define ECHOCTL 0x200
#define VINTR 0
#define VQUIT 1
#define VERASE 2
#define VKILL 3
#define VEOF 4
#define VTIME 5
#define VMIN 6
#define VSUSP 10

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540F
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413

static struct termios termios = {
    .iflag = ICRNL | 0x400 /* IXON */, .oflag = 0x5 /* OPOST|ONLCR */,
    .cflag = 0xBF /* B38400|CS8|CREAD */,
    .lflag = ISIG | ICANON | ECHO | ECHOE | 0x20 | ECHOCTL | 0x800 | 0x8000,
    .cc = {[VINTR] = 3, [VQUIT] = 0x1C, [VERASE] = 0x7F, [VKILL] = 0x15, [VEOF] = 4,
           [VMIN] = 1, [8] = 0x11, [9] = 0x13, [VSUSP] = 0x1A},
};

#define INPUT_SIZE 256

static struct {
    char buf[INPUT_SIZE];
    uint32_t r, w, e;            /* read, write (end of what readers may take), edit */
} input;

static int fg_pgrp = 1;          /* the foreground process group: it gets ^C */

static void echo(const char *s, size_t n)
{
    if (termios.lflag & ECHO)
        console_write(s, n);
}

/* Rub out the last character of the line being edited. */
static int erase_one(void)
{
    if (input.e == input.w)
        return 0;
    input.e--;
    if ((termios.lflag & (ECHO | ECHOE)) == (ECHO | ECHOE))
        console_write("\b \b", 3);
    return 1;
}

/* ^C, ^\ and ^Z: echo "^C", drop the line being typed, signal the foreground group. */
static int signal_key(int c)
{
    static const struct { int cc, sig; char name; } keys[] = {
        {VINTR, SIGINT, 'C'}, {VQUIT, SIGQUIT, '\\'}, {VSUSP, SIGTSTP, 'Z'}};
    if (!(termios.lflag & ISIG))
        return 0;
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (c != termios.cc[keys[i].cc])
            continue;
        if (termios.lflag & ECHOCTL) {
            char seq[2] = {'^', keys[i].name};
            echo(seq, 2);
        }
        input.e = input.w;
        signal_send_group(fg_pgrp, keys[i].sig, 0);
        return 1;
    }
    return 0;
}

/* Let readers have everything up to the edit position. */
static void release(void)
{
    input.w = input.e;
    wakeup(&input);
    poll_wake();
}

int tty_poll(void)
{
    int canon = termios.lflag & ICANON;
    return input.r != input.w || (!canon && !termios.cc[VMIN]) ? POLL_READABLE : 0;
}

/* One byte from the keyboard side (the COM1 interrupt). */
void tty_input(int c)
{
    if (c == '\r' && (termios.iflag & ICRNL))
        c = '\n';
    if (signal_key(c))
        return;
    if (termios.lflag & ICANON) {
        if (c == termios.cc[VERASE] || c == '\b') {
            erase_one();
            return;
        }
        if (c == termios.cc[VKILL]) {
            while (erase_one())
                ;
            return;
        }
    }
    if (input.e - input.r >= INPUT_SIZE)
        return;                         /* full: drop the byte */
    input.buf[input.e++ % INPUT_SIZE] = (char)c;
    if (!(termios.lflag & ICANON)) {
        echo((char *)&c, 1);
        release();
        return;
    }
    if (c != termios.cc[VEOF])
        echo((char *)&c, 1);
    if (c == '\n' || c == termios.cc[VEOF] || input.e - input.r == INPUT_SIZE)
        release();
}

/* Each byte COM1 received goes to tty_input. */
static void serial_intr(void)
{
    int c;
    while ((c = serial_getc(COM1)) >= 0)
        tty_input(c);
}

void tty_enable_input(void)
{
    irq_register(IRQ_COM1, serial_intr);
    serial_enable_rx_irq(COM1);
}

/* Is some live process in group pgid? */
static int group_exists(int pgid)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid)
            return 1;
    return 0;
}

/* An orphaned group has no member whose parent, in another group of the session,
 * could continue it after a stop (POSIX; init's group is one). */
static int group_orphaned(int pgid)
{
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++) {
        struct proc *q = p->parent;
        if (p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid && q &&
            q->pgid != pgid && q->sid == p->sid)
            return 0;
    }
    return 1;
}

/* A background job that reads the terminal stops with SIGTTIN (or, if it ignores or
 * blocks that, or nobody could continue it, gets EIO), so it cannot steal the
 * foreground job's typing. */
static int background_read(struct proc *p)
{
    if (p->pgid == fg_pgrp || !group_exists(fg_pgrp))
        return 0;
    if (signal_ignored(p, SIGTTIN) || (p->sig.blocked & SIGBIT(SIGTTIN)) ||
        group_orphaned(p->pgid))
        return -EIO;
    signal_send_group(p->pgid, SIGTTIN, 0);
    return -ERESTARTSYS;
}

/* read() on the console: canonical mode gives at most one line (^D at the start of a
 * line: end of file); raw mode whatever has arrived, waiting for VMIN bytes (VMIN 0:
 * never waits). A signal ends the wait (ERESTARTSYS: EINTR or restart). */
int tty_read(uint32_t ubuf, uint32_t n)
{
    char buf[INPUT_SIZE];
    uint32_t got = 0;
    struct proc *p = myproc();
    int err = background_read(p);
    if (err)
        return err;
    int canon = termios.lflag & ICANON;
    push_cli();
    while (input.r == input.w && (canon || termios.cc[VMIN]) && !signal_pending(p))
        sleep(&input);
    if (input.r == input.w && (canon || termios.cc[VMIN])) {
        pop_cli();
        return -ERESTARTSYS;
    }
    while (got < n && got < INPUT_SIZE && input.r != input.w) {
        char c = input.buf[input.r++ % INPUT_SIZE];
        if (canon && c == termios.cc[VEOF])
            break;
        buf[got++] = c;
        if (canon && c == '\n')
            break;
    }
    pop_cli();
    if (copyout(ubuf, buf, got) < 0)
        return -EFAULT;
    return got;
}

static int set_termios(uint32_t cmd, uint32_t uarg)
{
    struct termios t;
    if (copyin(&t, uarg, sizeof(t)) < 0)
        return -EFAULT;
    push_cli();
    if (cmd == TCSETSF)
        input.r = input.w = input.e;    /* discard unread input */
    else if (!(t.lflag & ICANON))
        release();                      /* a half-typed line is readable in raw mode */
    termios = t;
    pop_cli();
    return 0;
}

/* tcsetpgrp: the group must exist in the caller's session. */
static int set_pgrp(uint32_t uarg)
{
    int pgid;
    if (copyin(&pgid, uarg, sizeof(pgid)) < 0)
        return -EFAULT;
    if (pgid < 0)
        return -EINVAL;
    int found = 0;
    for (struct proc *p = proc_table; p < &proc_table[NPROC]; p++)
        found |= p->state != PROC_UNUSED && p->state != PROC_ZOMBIE && p->pgid == pgid &&
                 p->sid == myproc()->sid;
    if (!found)
        return -EPERM;
    fg_pgrp = pgid;
    return 0;
}

int tty_ioctl(uint32_t cmd, uint32_t uarg)
{
    switch (cmd) {
    case TCGETS:
        return copyout(uarg, &termios, sizeof(termios));
    case TCSETS:
    case TCSETSW:                       /* output is synchronous: nothing to drain */
    case TCSETSF:
        return set_termios(cmd, uarg);
    case TIOCGPGRP:
        return copyout(uarg, &fg_pgrp, sizeof(fg_pgrp));
    case TIOCSPGRP:
        return set_pgrp(uarg);
    case TIOCGWINSZ: {
        uint16_t ws[4] = {25, 80, 0, 0};   /* rows, columns: the VGA text screen */
        return copyout(uarg, ws, sizeof(ws));
    }
    }
    return -ENOTTY;
}
