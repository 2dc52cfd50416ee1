#!/usr/bin/env python3
"""tests/console/test_shell.py: a person at the serial console, typing into the shell.

Boots Pagoda (init runs /bin/sh) with the serial port on this program's pipes, types
commands a character at a time and waits for what a person would see: the prompt, the
echo, the output. Prints TAP. Every wait is for text, never for a fixed time; the
timeouts only detect a hang and are generous, so a slow host only makes it slower.
Run it alone: python3 tests/console/test_shell.py (after make).
"""
import fcntl
import os
import pty
import re
import select
import signal
import subprocess
import sys
import termios
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KERNEL = os.path.join(ROOT, "build", "kernel.elf")
DISK = os.path.join(ROOT, "build", "disk.img")
HANG = 120                              # seconds: only a hang detector
PROMPT = "$ "
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
UP = "\x1b[A"


class Console:
    """The serial console of a QEMU that cmd runs (by default, one booting the shell), on
    pipes, or with terminal=True on a pseudo-terminal that is the session's controlling
    terminal, as a person's is (its keys such as Ctrl-c then reach whatever set the
    terminal up: QEMU, or tools/rr.py in a recording)."""

    def __init__(self, cmd=None, terminal=False):
        cmd = cmd or ["qemu-system-i386", "-m", "128", "-accel", "tcg", "-display", "none",
                      "-serial", "stdio", "-monitor", "none", "-no-reboot",
                      "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                      "-drive", "file=%s,format=raw,if=ide,index=0,media=disk,snapshot=on" % DISK,
                      "-kernel", KERNEL, "-append", "init=/bin/init"]
        if terminal:
            ours, theirs = pty.openpty()
            self.input, self.output = os.fdopen(ours, "wb", 0), os.fdopen(os.dup(ours), "rb", 0)
            ends = {"stdin": theirs, "stdout": theirs, "stderr": theirs,
                    "preexec_fn": lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0)}
        else:
            ends = {"stdin": subprocess.PIPE, "stdout": subprocess.PIPE,
                    "stderr": subprocess.STDOUT}
        # Its own session: close() ends QEMU also when make or tools/rr.py runs it.
        self.qemu = subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, **ends)
        if terminal:
            os.close(theirs)
        else:
            self.input, self.output = self.qemu.stdin, self.qemu.stdout
        self.seen = ""                  # everything so far, \r and ANSI escapes removed
        self.mark = 0                   # where the next wait starts looking

    def read_some(self, deadline):
        r, _, _ = select.select([self.output], [], [], max(0, deadline - time.time()))
        if not r:
            return False
        try:
            data = os.read(self.output.fileno(), 4096)
        except OSError:                 # EIO: a terminal whose programs have all exited
            data = b""
        if not data:
            return False
        self.seen += ANSI.sub("", data.decode("utf-8", "replace").replace("\r", ""))
        return True

    def wait_for(self, pattern):
        """The first match of pattern after the mark; moves the mark past it."""
        deadline = time.time() + HANG
        while True:
            m = re.compile(pattern, re.M).search(self.seen, self.mark)
            if m:
                self.mark = m.end()
                return m
            if not self.read_some(deadline):
                return None

    def type(self, text):
        """One key at a time, as a person types (each byte its own write)."""
        for ch in text:
            self.input.write(ch.encode())
            self.input.flush()
            time.sleep(0.002)

    def run(self, line):
        """Type a line and Enter; wait for the prompt that follows. What the command
        printed: the text between the echoed line's newline and that prompt."""
        self.type(line + "\r")
        if not self.wait_for(r"\n"):
            return None
        start = self.mark
        m = self.wait_for(r"^\$ ")
        return self.seen[start:m.start()] if m else None

    def close(self):
        if self.qemu.poll() is None:
            os.killpg(self.qemu.pid, signal.SIGKILL)
        self.qemu.wait()


results = []


def check(ok, name, why=""):
    results.append(ok)
    print("%sok %d %s" % ("" if ok else "not ", len(results), name))
    if not ok:
        print("# FAIL %s: %s" % (name, why))


def main():
    if not os.path.exists(KERNEL) or not os.path.exists(DISK):
        print("1..0 # SKIP build/kernel.elf or build/disk.img missing: run make first")
        return 1
    print("1..18")
    c = Console()
    try:
        check(c.wait_for(r"Ctrl-a x") is not None and c.wait_for(r"^\$ ") is not None,
              "banner_says_how_to_leave_and_prompt", c.seen[-300:])
        out = c.run("echo hello world") or ""
        check("hello world\n" in out, "echo", repr(out))
        out = c.run("cat /nonexistent; echo status $?") or ""
        check(out.endswith("\nstatus 1\n"), "semicolon_and_status", repr(out))
        out = c.run("true && echo and-yes || echo or-no") or ""
        check("and-yes" in out and "or-no" not in out, "and_or", repr(out))
        out = c.run("export GREETING=hi; echo $GREETING there") or ""
        check("hi there" in out, "export_and_variable", repr(out))
        # The up arrow brings back the last line; Enter runs it again.
        c.type(UP)
        m = c.wait_for(r"echo \$GREETING there")
        out = c.run("") or ""
        check(m is not None and "hi there" in out, "up_arrow_recalls_history", repr(out))
        # ^U erases what was typed so far.
        out = c.run("echo wrong\x15echo right") or ""
        check(out == "right\n", "ctrl_u_kills_line", repr(out))
        # Redirections: into /dev/null (nothing shows), from a file, 2>&1 into a pipe.
        out = c.run("echo hidden > /dev/null; echo shown >> /dev/null; echo visible") or ""
        check(out == "visible\n", "redirect_out", repr(out))
        out = c.run("cat < /tests/small.txt") or ""
        check("Pagoda read this file" in out, "redirect_in", repr(out))
        out = c.run("cat /nonexistent 2>&1 | cat | cat") or ""
        hidden = c.run("cat /nonexistent 2>&1 | cat > /dev/null; echo done") or ""
        check("nonexistent" in out and hidden == "done\n", "stderr_to_pipe_2>&1",
              repr(out) + " " + repr(hidden))
        # ^C stops a long-running hog; the shell comes back and works.
        c.type("hog 4 100000\r")
        started = c.wait_for(r"hog: round 1 of 100000")
        c.type("\x03")
        m = c.wait_for(r"Interrupt\n\$ ")
        check(started is not None and m is not None, "ctrl_c_interrupts_hog", c.seen[-300:])
        out = c.run("sh -c \"echo inner; exit 3\"; echo outer $?") or ""
        check("inner\nouter 3" in out, "sh_dash_c", repr(out))
        out = c.run("echo x > /nodir/x; echo after $?") or ""
        check("/nodir/x: No such file or directory" in out and "after 1" in out,
              "redirect_to_missing_dir_fails_clearly", repr(out))
        out = c.run("echo (a)") or ""
        check("unsupported syntax: (" in out, "unknown_syntax_message", repr(out))
        out = c.run("help") or ""
        check("Built-ins:" in out and " hog" in out and " vmstat" in out, "help_lists_builtins_and_bin",
              repr(out))
        out = c.run("echo bg-done > /dev/null & wait; echo waited") or ""
        check(bool(re.search(r"\[bg\] \d+\nwaited", out)), "background_and_wait", repr(out))
        # A file typed into tmpfs (^D ends the input), read back, removed.
        c.type("cat > /tmp/x\r")
        c.wait_for(r"cat > /tmp/x\n")
        c.type("typed into /tmp\r\x04")
        typed = c.wait_for(r"^\$ ")
        out = c.run("cat /tmp/x; rm /tmp/x; ls /tmp; echo gone $?") or ""
        check(typed is not None and out == "typed into /tmp\ngone 0\n", "cat_into_tmp",
              repr(out))
        # ^Z stops the hog, fg resumes it, ^C ends it.
        c.type("hog 4 100000\r")
        started = c.wait_for(r"hog: round 1 of 100000")
        c.type("\x1a")
        stopped = c.wait_for(r"\[stopped\] \d+ \(fg resumes it\)\n\$ ")
        c.type("fg\r")
        again = c.wait_for(r"hog: round \d+ of 100000")
        c.type("\x03")
        ended = c.wait_for(r"Interrupt\n\$ ")
        check(bool(started and stopped and again and ended), "ctrl_z_fg_ctrl_c", c.seen[-400:])
    finally:
        c.close()
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
