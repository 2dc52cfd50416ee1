#!/usr/bin/env python3
"""tests/gdb/test_gdb.py: gdb, in batch mode, against QEMU's gdb stub while a program runs,
checking the pagoda-* helpers (tools/gdb/) against what the kernel holds. Then the program
must finish as if nobody had watched. Prints TAP for tools/runtests.py (tests/boot/suite.py
names it). Two sessions:
  faults   /bin/gdb_target with few frames: tests/gdb/session.py stops in the page-fault
           handler at each of its four faults;
  shared   two `mapfile /tmp/x` map one tmpfs file: tests/gdb/shared_session.py looks at
           the page-cache frame they share.
Usage: test_gdb.py [faults|shared]
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

# Each session: the kernel's arguments, the program whose symbols gdb loads, the script
# gdb runs, and what the console must show when the program has finished.
SESSIONS = {
    "faults": ("init=/bin/gdb_target vm.frames=64", "gdb_target", "tests/gdb/session.py",
               r"^gdb_target: .*read back 3: ok$"),
    "shared": ("init=\"/bin/sh -c 'echo one page > /tmp/x; mapfile /tmp/x 3 & "
               "mapfile /tmp/x 3; wait; rm /tmp/x'\"", "mapfile", "tests/gdb/shared_session.py",
               r"^init: exited with status 0$"),
}
GDB_SECONDS = 90
TAP_LINE = re.compile(r"^(not )?ok \d+ (\S+)$")


def start_qemu(kernel_args, socket_path, console):
    """QEMU stopped at its first instruction (-S), its gdb stub on a Unix socket (no port
    to collide with a parallel run; far faster than -gdb stdio), the console to a file."""
    extra = ["-S", "-chardev", "socket,id=gdb,path=%s,server=on,wait=off" % socket_path,
             "-gdb", "chardev:gdb"]
    cmd = qemu_command({"args": kernel_args, "qemu_extra": extra}, 128)
    return subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=console,
                            stderr=subprocess.STDOUT)


def wait_for_socket(path, qemu, seconds=10):
    deadline = time.time() + seconds
    while not os.path.exists(path) and qemu.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    return os.path.exists(path)


def run_gdb(socket_path, program, script, console_path):
    """gdb's output, or None if it did not finish in time. The script may read the console
    so far (PAGODA_CONSOLE)."""
    cmd = ["gdb", "-q", "-batch", "-nx", "-ex", "file build/kernel.elf",
           "-ex", "add-symbol-file build/rootfs/bin/" + program,
           "-ex", "source tools/gdb/pagoda.py", "-ex", "target remote " + socket_path,
           "-x", script]
    env = dict(os.environ, PAGODA_CONSOLE=console_path)
    try:
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env,
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
    name = sys.argv[1] if len(sys.argv) > 1 else "faults"
    kernel_args, program, script, finished = SESSIONS[name]
    os.makedirs(LOGDIR, exist_ok=True)
    console_path = os.path.join(LOGDIR, "gdb-%s.console.log" % name)
    with tempfile.TemporaryDirectory() as tmp, open(console_path, "w", buffering=1) as console:
        socket_path = os.path.join(tmp, "gdb.sock")
        qemu = start_qemu(kernel_args, socket_path, console)
        output = (run_gdb(socket_path, program, script, console_path)
                  if wait_for_socket(socket_path, qemu) else None)
        status = stop(qemu)
    with open(os.path.join(LOGDIR, "gdb-%s.gdb.log" % name), "w") as f:
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
    tap.check(re.search(finished, log, re.M) and status == 1,
              "program_finished_ok", "QEMU status %s; console in %s" % (status, console_path))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
