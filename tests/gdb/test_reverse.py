#!/usr/bin/env python3
"""tests/gdb/test_reverse.py: the recorded gdb sessions of docs/debugging.md, run on
replays of recorded /bin/gdb_target runs, and the document compared with what gdb printed.

Forward ("A copy-on-write fault, from the trap to `iret`", "A swap-in, ..."): a run with
vm.frames=64, whose replay gdb follows through two faults (tests/gdb/forward_session.py).
Backwards ("Debugging backwards"): a run with the planted copy-on-write bug (vm.bug=cow: a
copy mapped without being copied) that dies of SIGSEGV; gdb stops where the kernel reports
it and runs backwards (tests/gdb/reverse_session.py) to the write of the page-table entry
that mapped the uncopied frame. The pagoda-* helpers are checked at each stop. A replay
repeats its recording instruction for instruction, so nothing is normalised; --update-doc
writes both sessions into the document. Prints TAP.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "gdb"))
from tap import Tap  # noqa: E402
from runtests import LOGDIR  # noqa: E402
import transcript  # noqa: E402

# The recipes' commands (docs/debugging.md), as a student types them.
CMDLINE = "vm.poison=1 vm.bug=cow"
FORWARD_CMDLINE = "vm.frames=64"
DOC = os.path.join(ROOT, "docs", "debugging.md")
HEADING = "Debugging backwards: a recorded run"
FORWARD_HEADINGS = ("A copy-on-write fault, from the trap to `iret`",
                    "A swap-in, from the trap to `iret`")
# QEMU 7.2 sometimes deadlocks in a reverse step (docs/debugging.md says where): both it
# and gdb then sit idle. A session is tried again after IDLE_LIMIT seconds without CPU use.
IDLE_LIMIT = 20
ATTEMPTS = 3
SEGFAULT = re.compile(r"^pid (\d+) \(gdb_target\): segfault at ([0-9a-f]+)", re.M)


def record(folder, cmdline, trace=None):
    """make run INIT=/bin/gdb_target ... RECORD=DIR: the console it printed."""
    p = subprocess.run(["make", "--no-print-directory", "run", "INIT=/bin/gdb_target",
                        "CMDLINE=" + cmdline, "RECORD=" + folder]
                       + (["TRACE=" + trace] if trace else []), cwd=ROOT,
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    return p.stdout.decode("utf-8", "replace").replace("\r", "")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def last_cow_copy(trace, pid):
    """(address, frame, the trace line without its time) of the last copy-on-write copy
    pid made before its SIGSEGV."""
    found = None
    with open(trace) as f:
        for line in f:
            words = line.split()
            if len(words) >= 5 and words[1] == str(pid) and words[2] == "cow_copy":
                found = (int(words[3], 16), int(words[4]), " ".join(words[1:]))
            if len(words) >= 3 and words[1] == str(pid) and words[2] == "segv":
                break
    return found


def cpu_seconds(pids):
    """User and system CPU time the processes have used, in clock ticks."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                total += sum(int(x) for x in f.read().rsplit(")", 1)[1].split()[11:13])
        except OSError:
            pass
    return total


def group(pgid):
    """The processes of a process group (make, tools/rr.py, QEMU)."""
    pids = []
    for name in os.listdir("/proc"):
        try:
            if name.isdigit() and os.getpgid(int(name)) == pgid:
                pids.append(int(name))
        except OSError:
            pass
    return pids


def attempt(folder, env, log, session):
    """One replay and gdb session: gdb's output, or None if QEMU and gdb both stopped using
    the CPU with the session unfinished: QEMU 7.2's deadlock (docs/debugging.md, "What
    QEMU 7.2 cannot do"). Counted in CPU time, not host time: a slow host still runs."""
    port = free_port()
    replay = subprocess.Popen(["make", "--no-print-directory", "replay-gdb", "REPLAY=" + folder,
                               "GDBPORT=%d" % port], cwd=ROOT, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              start_new_session=True)
    banner = ""                                     # "*** the replay is stopped ..."
    for line in iter(replay.stdout.readline, b""):  # after make's own warnings, if any
        banner = line.decode()                      # (make -j2 test: "jobserver unavailable")
        if banner.startswith("***"):
            break
    cmd = ["gdb", "-q", "-batch", "-nx", "-ex", "set tcp connect-timeout 60",
           "-ex", "file build/kernel.elf"] + session[1:] + [
           "-ex", "source tools/gdb/pagoda.py",
           "-ex", "target remote localhost:%d" % port, "-x", session[0]]
    with open(log, "w") as f:
        f.write(banner)
        f.flush()
        gdb = subprocess.Popen(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, env=env)
        used, still = -1, 0
        while gdb.poll() is None and still < IDLE_LIMIT:
            time.sleep(1)
            now = cpu_seconds(group(replay.pid) + [gdb.pid])
            used, still = now, (still + 1 if now == used else 0)
        if gdb.poll() is None:
            gdb.kill()
        finished = gdb.wait() == 0 and "waiting for gdb on port %d" % port in banner
    os.killpg(replay.pid, signal.SIGKILL)   # make, rr.py and QEMU: the replay is done with
    replay.wait()
    with open(log) as f:
        return f.read() if finished else None


def run_gdb(folder, env, name, session):
    """make replay-gdb REPLAY=DIR, and gdb in batch mode running session (the script, then
    more gdb options) against it, up to ATTEMPTS times if QEMU deadlocks; gdb's output, or
    None."""
    log = os.path.join(LOGDIR, name + ".gdb.log")       # kept whole even if gdb hangs
    for n in range(1, ATTEMPTS + 1):
        out = attempt(folder, env, log, session)
        if out is not None:
            print("# the session finished at attempt %d of %d" % (n, ATTEMPTS))
            return out
        print("# attempt %d: QEMU and gdb idle for %ds, the session unfinished (QEMU's "
              "deadlock); %s" % (n, IDLE_LIMIT, log))
    return None


def check_prose(tap, segv, copy_line):
    """The console and trace lines the section quotes are this run's, apart from the copy's
    frame number: which free frame a copy gets depends on what the idle loop zeroed ahead
    (vm.prezero), and so on the host's timing (1130 to 1132 have been seen). The prose's
    "in frame N" must be the number its quoted line gives."""
    with open(DOC) as f:
        text = f.read()
    fields = copy_line.split()
    line = re.compile(r"`%s (\d+) %s`: the\s+heap page at `0x%s`, in frame (\d+)\." % (
        re.escape(" ".join(fields[:3])), re.escape(" ".join(fields[4:])), fields[2]))
    m = line.search(text)
    tap.check("`%s`" % segv in text and m and m.group(1) == m.group(2), "doc_quotes_this_run",
              "`%s` and `%s`" % (segv, copy_line))


def check_doc(tap, output, name, headings):
    """The sessions in the document are this run's, command for command and line for line:
    the recorded blocks go to the sections under headings in turn, as many to each as it
    has (the last takes the rest). Nothing is normalised: a replay repeats the recorded run
    exactly, and the recording repeats too, apart from times, which gdb does not print."""
    recorded = transcript.parse(output or "")
    transcript.save(os.path.join(LOGDIR, name + ".transcript"), recorded)
    with open(DOC) as f:
        text = f.read()
    counts = [len(transcript.doc_blocks(text, h)) for h in headings[:-1]]
    cuts = [sum(counts[:i]) for i in range(len(headings))] + [len(recorded)]
    diff = ""
    for i, heading in enumerate(headings):
        part = recorded[cuts[i]:max(cuts[i], cuts[i + 1])]
        if "--update-doc" in sys.argv:
            transcript.update(DOC, heading, part)
        diff += transcript.differences(DOC, heading, part)
    return tap.check(not diff, name + "_doc_shows_this_run", "docs/debugging.md differs from "
                     "the run (python3 tests/gdb/test_reverse.py --update-doc rewrites it):\n"
                     + diff)


def check_session(tap, output, name):
    """The session's own checks, passed on; and that it ran to its end."""
    tap.check(output is not None, name + "_session_finished", "QEMU deadlocked %d times"
              % ATTEMPTS)
    lines = re.findall(r"^(not )?ok \d+ (\S+)$", output or "", re.M)
    why = dict(re.findall(r"^# FAIL (\S+): (.*)$", output or "", re.M))
    for failed, check in lines:
        tap.check(not failed, check, why.get(check, ""))
    plan = re.search(r"^1\.\.(\d+)$", output or "", re.M)
    tap.check(plan and int(plan.group(1)) == len(lines) > 0, name + "_session_reached_its_end",
              "plan %s, %d checks" % (plan.group(0) if plan else "missing", len(lines)))


def forward(tap, tmp):
    """The forward walk through two faults, on a replay of a vm.frames=64 run."""
    folder = os.path.join(tmp, "gdb-target.rr")
    console = record(folder, FORWARD_CMDLINE)
    if not tap.check("power: off with status 0" in console, "forward_run_recorded",
                     console[-600:]):
        return
    output = run_gdb(folder, dict(os.environ), "gdb-forward", [
        "tests/gdb/forward_session.py", "-ex", "add-symbol-file build/rootfs/bin/gdb_target"])
    check_doc(tap, output, "forward", FORWARD_HEADINGS)
    check_session(tap, output, "forward")


def backwards(tap, tmp):
    """The reverse recipe, on a replay of the planted bug's run."""
    folder, trace = os.path.join(tmp, "cow-bug.rr"), os.path.join(tmp, "cow-bug.trace")
    console = record(folder, CMDLINE, trace)
    segv = SEGFAULT.search(console)
    if not tap.check(segv, "planted_bug_segfaults", console[-600:]):
        return
    pid = int(segv.group(1))
    copy = last_cow_copy(trace, pid)
    if not tap.check(copy, "trace_has_the_copy", "no cow_copy of pid %d" % pid):
        return
    env = dict(os.environ, REVERSE_PID=str(pid), REVERSE_ADDR="%#x" % copy[0],
               REVERSE_FRAME=str(copy[1]), REVERSE_SEGV="0x" + segv.group(2))
    output = run_gdb(folder, env, "gdb-reverse", ["tests/gdb/reverse_session.py"])
    check_prose(tap, segv.group(0), copy[2])
    check_doc(tap, output, "reverse", (HEADING,))
    check_session(tap, output, "reverse")


def main():
    tap = Tap()
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        forward(tap, tmp)
        backwards(tap, tmp)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
