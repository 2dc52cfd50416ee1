#!/usr/bin/env python3
"""tests/run/test_linux_demos.py: the Appel-Li demos give the same output on Linux.

Runs build/rootfs/bin/vm_* (static i386 glibc programs) on this host, which must be a
Linux that runs i386 code (x86-64 kernels do, unless built without IA32 emulation), and
compares their lines with those the boot tests expect of Pagoda (tests/boot/demo_suite.py).
Skips, saying why, where the host cannot run them. Prints TAP.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
from demo_suite import OUTPUT  # noqa: E402


def matches(expected, got):
    return (expected.fullmatch(got) is not None) if hasattr(expected, "fullmatch") else expected == got


def main():
    print("1..%d" % len(OUTPUT))
    failed = 0
    for i, (name, lines) in enumerate(OUTPUT.items(), 1):
        path = os.path.join(ROOT, "build", "rootfs", "bin", name)
        try:
            proc = subprocess.run([path], capture_output=True, text=True, timeout=60)
        except OSError as e:
            print("ok %d %s # SKIP this host cannot run i386 programs (%s)" % (i, name, e))
            continue
        got = proc.stdout.splitlines()
        ok = proc.returncode == 0 and len(got) == len(lines) and all(map(matches, lines, got))
        failed += not ok
        print("%sok %d %s" % ("" if ok else "not ", i, name))
        if not ok:
            print("# FAIL %s: exit %d, output %r" % (name, proc.returncode, got))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
