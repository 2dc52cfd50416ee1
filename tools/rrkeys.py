"""tools/rrkeys.py: the keyboard of a recorded interactive session (make qemu RECORD=DIR,
make qemu-nox RECORD=DIR), for tools/rr.py.

make qemu's console is -serial mon:stdio: the serial port and QEMU's monitor share the
terminal through QEMU's multiplexer, which also gives Ctrl-a x (quit). QEMU 7.2 records
what is typed on a serial port only when its bytes go through qemu_chr_be_write of the
character device that carries the record/replay mark. Behind a multiplexer the mark is on
the multiplexer, the terminal's bytes arrive on the device beneath it, and the
multiplexer hands them to the serial port directly: nothing typed is logged, and the
replay waits at the shell's prompt for ever. (QEMU moved the mark to the device beneath
in 2024: "chardev: set record/replay on the base device of a muxed device".)

So a recording's console is a plain -serial stdio on a pipe, whose every byte QEMU logs
with the instruction at which the serial port took it, and this file does the one thing
of the multiplexer's that the console needs: Ctrl-a x ends the session (Ctrl-a Ctrl-a
types a Ctrl-a). It ends QEMU with SIGTERM, on which QEMU closes the log with a shutdown
at the instruction it had reached (replay_finish), so the replay ends at the same point.
SIGKILL would leave the log unfinished.
"""
import os
import selectors
import sys
import termios

ESCAPE = 0x01                           # Ctrl-a, as in QEMU's multiplexer


class Keys:
    """What is typed, passed on to QEMU's standard input but for Ctrl-a x."""

    def __init__(self, qemu):
        self.qemu = qemu
        self.escaped, self.quit = False, False

    def typed(self, data):
        out = bytearray()
        for b in data:
            if self.escaped:
                self.escaped = False
                if b == ESCAPE:
                    out.append(b)
                elif b == ord("x"):
                    self.quit = True
                    break
            elif b == ESCAPE:
                self.escaped = True
            else:
                out.append(b)
        self.send(bytes(out))
        if self.quit:
            print("\r\nrr.py: Ctrl-a x: the recording ends here\r", file=sys.stderr)
            self.qemu.terminate()

    def send(self, data):
        try:
            self.qemu.stdin.write(data)
            self.qemu.stdin.flush()
        except BrokenPipeError:         # QEMU has exited: the kernel powered off
            pass


class RawTerminal:
    """The terminal as QEMU sets it for -serial mon:stdio: no echo, no line editing, every
    key as typed, Ctrl-c and Ctrl-z too (they go to the shell, not to QEMU)."""

    def __init__(self, wanted):
        self.wanted = wanted

    def __enter__(self):
        self.saved = termios.tcgetattr(0) if self.wanted and os.isatty(0) else None
        if self.saved:
            iflag, oflag, cflag, lflag, ispeed, ospeed, cc = termios.tcgetattr(0)
            iflag &= ~(termios.IGNBRK | termios.BRKINT | termios.PARMRK | termios.ISTRIP
                       | termios.INLCR | termios.IGNCR | termios.ICRNL | termios.IXON)
            lflag &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
            cc[termios.VMIN], cc[termios.VTIME] = 1, 0
            termios.tcsetattr(0, termios.TCSANOW,
                              [iflag, oflag | termios.OPOST, cflag, lflag, ispeed, ospeed, cc])
        return self

    def __exit__(self, *exc):
        if self.saved:
            termios.tcsetattr(0, termios.TCSADRAIN, self.saved)


def pump(qemu, log, keys):
    """Until QEMU exits: its console to this terminal and to log; what is typed to keys,
    if given (else QEMU reads this program's standard input itself)."""
    sel = selectors.DefaultSelector()
    sel.register(qemu.stdout, selectors.EVENT_READ)
    if keys:
        sel.register(sys.stdin, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            data = os.read(key.fileobj.fileno(), 4096)
            if key.fileobj is qemu.stdout:
                if not data:
                    return
                log.write(data)
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
            elif data and not keys.quit:
                keys.typed(data)
            else:                       # the end of the input, or of the session
                sel.unregister(sys.stdin)
                qemu.stdin.close()
