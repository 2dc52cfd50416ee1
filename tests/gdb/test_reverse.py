#!/usr/bin/env python3
"""tests/gdb/test_reverse.py: reverse debugging of a recorded run (docs/debugging.md,
"Debugging backwards"). /bin/gdb_target is recorded with the planted copy-on-write bug
(vm.bug=cow: a copy mapped without being copied) and dies of SIGSEGV. gdb, in batch mode
against the replay, stops where the kernel reports the SIGSEGV and runs backwards
(tests/gdb/reverse_session.py) to the write of the page-table entry that mapped the
uncopied frame; the pagoda-* helpers are checked there. Prints TAP.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tap import Tap  # noqa: E402
from runtests import LOGDIR, qemu_command  # noqa: E402

KERNEL_ARGS = "init=/bin/gdb_target vm.frames=64 vm.trace=1 vm.bug=cow"
RR = [sys.executable, os.path.join(ROOT, "tools", "rr.py")]
GDB_SECONDS = 150
SEGFAULT = re.compile(r"^pid (\d+) \(gdb_target\): segfault at ([0-9a-f]+)", re.M)


def record(folder, trace):
    cmd = qemu_command({"args": KERNEL_ARGS, "qemu_extra": ["-serial", "file:" + trace]}, 128)
    p = subprocess.run(RR + ["record", folder, "--"] + cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=300)
    return p.stdout.decode("utf-8", "replace").replace("\r", "")


def last_cow_copy(trace, pid):
    """(address, frame) of the last copy-on-write copy pid made before its SIGSEGV."""
    found = None
    with open(trace) as f:
        for line in f:
            words = line.split()
            if len(words) >= 5 and words[1] == str(pid) and words[2] == "cow_copy":
                found = (int(words[3], 16), int(words[4]))
            if len(words) >= 3 and words[1] == str(pid) and words[2] == "segv":
                break
    return found


def run_gdb(folder, socket_path, env):
    qemu = subprocess.Popen(RR + ["replay", folder, "--gdb", socket_path, "--quiet"], cwd=ROOT,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + 30
    while not os.path.exists(socket_path) and qemu.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    cmd = ["gdb", "-q", "-batch", "-nx", "-ex", "file build/kernel.elf",
           "-ex", "source tools/gdb/pagoda.py", "-ex", "target remote " + socket_path,
           "-x", "tests/gdb/reverse_session.py"]
    log = os.path.join(LOGDIR, "gdb-reverse.gdb.log")    # kept whole even if gdb hangs
    with open(log, "w") as f:
        try:
            subprocess.run(cmd, cwd=ROOT, stdout=f, stderr=subprocess.STDOUT, env=env,
                           timeout=GDB_SECONDS)
            finished = True
        except subprocess.TimeoutExpired:
            finished = False
    with open(log) as f:
        out = f.read() if finished else None
    qemu.kill()                         # the replay has nothing more to show
    qemu.wait()
    return out


def main():
    tap = Tap()
    os.makedirs(LOGDIR, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder, trace = os.path.join(tmp, "cow-bug.rr"), os.path.join(tmp, "cow-bug.trace")
        console = record(folder, trace)
        segv = SEGFAULT.search(console)
        if not tap.check(segv, "planted_bug_segfaults", console[-600:]):
            return tap.finish()
        pid = int(segv.group(1))
        copy = last_cow_copy(trace, pid)
        if not tap.check(copy, "trace_has_the_copy", "no cow_copy of pid %d" % pid):
            return tap.finish()
        env = dict(os.environ, REVERSE_PID=str(pid), REVERSE_ADDR="%#x" % copy[0],
                   REVERSE_FRAME=str(copy[1]), REVERSE_SEGV="0x" + segv.group(2))
        output = run_gdb(folder, os.path.join(tmp, "gdb.sock"), env)
    tap.check(output is not None, "gdb_session_finished", "gdb took over %ds" % GDB_SECONDS)
    lines = re.findall(r"^(not )?ok \d+ (\S+)$", output or "", re.M)
    why = dict(re.findall(r"^# FAIL (\S+): (.*)$", output or "", re.M))
    for failed, name in lines:
        tap.check(not failed, name, why.get(name, ""))
    plan = re.search(r"^1\.\.(\d+)$", output or "", re.M)
    tap.check(plan and int(plan.group(1)) == len(lines) > 0, "session_reached_its_end",
              "plan %s, %d checks" % (plan.group(0) if plan else "missing", len(lines)))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
