#!/usr/bin/env python3
"""tests/console/test_replay.py: an interactive session recorded, then replayed
(docs/tracing.md, "Recording a whole run").

`make qemu-nox RECORD=DIR` runs on a pseudo-terminal, the session's controlling terminal,
as on a person's; the test types into the shell over the serial console: commands, a
program, Ctrl-c to stop a running hog (it must reach the shell, not end QEMU), and leaves
with Ctrl-a x. Then `make replay REPLAY=DIR` must print the recorded console byte for
byte and end where the session ended. Were the typed keys not in the recording, the
replay would wait at the shell's first prompt for ever (QEMU 7.2 does not record keys
that reach the serial port through its monitor's multiplexer: tools/rrkeys.py), and the
replay's failure guard, REPLAY_HANG, would end it as a failure. Every wait is for text on
the console; the timeouts only detect a hang. Prints TAP.
Run it alone: python3 tests/console/test_replay.py (after make).
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE)))
from tap import Tap  # noqa: E402
from test_shell import ROOT, Console, HANG  # noqa: E402

REPLAY_HANG = 900                       # seconds: a replay that has not ended by then hangs


def session(c, tap):
    """What a person does at the recorded console; checks what the console shows."""
    tap.check(c.wait_for(r"^\$ ") is not None, "recording_boots_to_the_prompt", c.seen[-400:])
    out = c.run("echo hi") or ""
    tap.check(out == "hi\n", "echo", repr(out))
    out = c.run("ls /bin") or ""
    tap.check(all(name + "\n" in out for name in ("hog", "sh", "vmstat")), "ls_bin", repr(out))
    out = c.run("cat /tests/small.txt | cat") or ""
    tap.check("Pagoda read this file" in out, "cat_through_a_pipe", repr(out))
    c.type("hog 2 100000\r")
    started = c.wait_for(r"hog: round 1 of 100000")
    c.type("\x03")
    tap.check(started is not None and c.wait_for(r"Interrupt\n\$ ") is not None,
              "ctrl_c_reaches_the_shell", c.seen[-300:])
    out = c.run("vmstat") or ""
    tap.check(out.startswith("policy "), "vmstat", repr(out))
    c.type("\x01x")
    tap.check(c.wait_for(r"rr\.py: recorded into ") is not None, "ctrl_a_x_ends_the_recording",
              c.seen[-300:])


def finish(c):
    """make's exit status, once it has ended by itself (None if it has not)."""
    deadline = time.time() + HANG
    while c.read_some(deadline):
        pass
    try:
        return c.qemu.wait(timeout=max(1, deadline - time.time()))
    except subprocess.TimeoutExpired:
        return None


def replay(tap, folder):
    with open(os.path.join(folder, "console.log"), "rb") as f:
        recorded = f.read()
    tap.check(b"hi\r\n" in recorded and b"Interrupt" in recorded and b"policy " in recorded,
              "console_log_holds_the_session", repr(recorded[-300:]))
    try:
        p = subprocess.run(["make", "--no-print-directory", "-s", "replay", "REPLAY=" + folder],
                           cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=REPLAY_HANG)
    except subprocess.TimeoutExpired:
        tap.check(False, "replay_ends", "no end in %d s: the typed keys did not replay"
                  % REPLAY_HANG)
        return
    why = p.stderr.decode("utf-8", "replace")
    tap.check(p.returncode == 0 and "QEMU quit where the recording did" in why, "replay_ends",
              "status %d: %s" % (p.returncode, why))
    same = next((i for i, (a, b) in enumerate(zip(p.stdout, recorded)) if a != b),
                min(len(p.stdout), len(recorded)))
    tap.check(p.stdout == recorded and "the console is the recorded one, byte for byte" in why,
              "replay_prints_the_recorded_console", "%d and %d bytes, the same up to byte %d:"
              " %r" % (len(p.stdout), len(recorded), same, p.stdout[same:same + 200]))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.path.join(tmp, "shell.rr")
        # Its own disk (PERSIST=1, as make qemu-nox has), so a student's is left alone.
        c = Console(["make", "--no-print-directory", "-s", "qemu-nox", "RECORD=" + folder,
                     "RW_DISK=" + os.path.join(tmp, "disk-rw.img")], terminal=True)
        try:
            session(c, tap)
            status = finish(c)
        finally:
            c.close()
        tap.check(status == 0, "recording_exits_0", "make status %s" % status)
        if tap.check(os.path.exists(os.path.join(folder, "console.log")), "recording_written"):
            replay(tap, folder)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
