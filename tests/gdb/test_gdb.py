#!/usr/bin/env python3
"""tests/gdb/test_gdb.py: gdb, in batch mode, against QEMU's gdb stub while /bin/gdb_target
runs with few frames: tests/gdb/session.py stops in the page-fault handler and checks the
pagoda-* helpers (tools/gdb/). Then the program must finish as if nobody had watched.
Prints TAP for tools/runtests.py (tests/boot/suite.py names it).
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

KERNEL_ARGS = "init=/bin/gdb_target vm.frames=64"
GDB_SECONDS = 90
TAP_LINE = re.compile(r"^(not )?ok \d+ (\S+)$")


def start_qemu(socket_path, console):
    """QEMU stopped at its first instruction (-S), its gdb stub on a Unix socket (no port
    to collide with a parallel run; far faster than -gdb stdio), the console to a file."""
    extra = ["-S", "-chardev", "socket,id=gdb,path=%s,server=on,wait=off" % socket_path,
             "-gdb", "chardev:gdb"]
    cmd = qemu_command({"args": KERNEL_ARGS, "qemu_extra": extra}, 128)
    return subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=console,
                            stderr=subprocess.STDOUT)


def wait_for_socket(path, qemu, seconds=10):
    deadline = time.time() + seconds
    while not os.path.exists(path) and qemu.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    return os.path.exists(path)


def run_gdb(socket_path):
    """gdb's output, or None if it did not finish in time."""
    cmd = ["gdb", "-q", "-batch", "-nx", "-ex", "file build/kernel.elf",
           "-ex", "add-symbol-file build/rootfs/bin/gdb_target",
           "-ex", "source tools/gdb/pagoda.py", "-ex", "target remote " + socket_path,
           "-x", "tests/gdb/session.py"]
    try:
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                              timeout=GDB_SECONDS).stdout
    except subprocess.TimeoutExpired:
        return None


def stop(qemu):
    try:
        return qemu.wait(timeout=10)
    except subprocess.TimeoutExpired:
        qemu.kill()
        qemu.wait()
        return None


def main():
    tap = Tap()
    os.makedirs(LOGDIR, exist_ok=True)
    console_path = os.path.join(LOGDIR, "gdb-helpers.console.log")
    with tempfile.TemporaryDirectory() as tmp, open(console_path, "w") as console:
        socket_path = os.path.join(tmp, "gdb.sock")
        qemu = start_qemu(socket_path, console)
        output = run_gdb(socket_path) if wait_for_socket(socket_path, qemu) else None
        status = stop(qemu)
    with open(os.path.join(LOGDIR, "gdb-helpers.gdb.log"), "w") as f:
        f.write(output or "")
    tap.check(output is not None, "gdb_session_finished",
              "no gdb stub, or gdb took over %ds" % GDB_SECONDS)
    checks = [TAP_LINE.match(line) for line in (output or "").splitlines()]
    why = dict(re.findall(r"^# FAIL (\S+): (.*)$", output or "", re.M))
    for m in filter(None, checks):
        tap.check(not m.group(1), m.group(2), why.get(m.group(2), ""))
    plan = re.search(r"^1\.\.(\d+)$", output or "", re.M)
    ran = sum(1 for m in checks if m)
    tap.check(plan and int(plan.group(1)) == ran > 0, "session_reached_its_end",
              "plan %s, %d checks" % (plan.group(0) if plan else "missing", ran))
    with open(console_path) as f:
        log = f.read()
    tap.check(re.search(r"^gdb_target: .*read back 3: ok$", log, re.M) and status == 1,
              "program_finished_ok", "QEMU status %s; console in %s" % (status, console_path))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
