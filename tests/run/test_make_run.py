#!/usr/bin/env python3
"""tests/run/test_make_run.py: `make run` as README.md describes it. Without INIT it is
refused with a message; QEMU failing by itself (MEM=bogus) is a failure, not init's
status 0; otherwise the status is init's (make reports a nonzero one as "Error N" and
exits with 2, as it does for any failed command), and PROG is another name for INIT.
Prints TAP. Run it alone: python3 tests/run/test_make_run.py (after make)."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
results = []


def make_run(*args):
    proc = subprocess.run(["make", "-s", "--no-print-directory", "run"] + list(args), cwd=ROOT,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def check(ok, name, why):
    results.append(ok)
    print("%sok %d %s" % ("" if ok else "not ", len(results), name))
    if not ok:
        print("# FAIL %s: %s" % (name, why[-600:]))


def main():
    print("1..5")
    rc, out = make_run()
    check(rc != 0 and "no program to run" in out, "no_init_refused", "rc %d: %s" % (rc, out))
    rc, out = make_run("MEM=bogus", "INIT=/bin/true")
    check(rc != 0 and "QEMU failed" in out and "Error 125" in out, "qemu_failure_is_a_failure",
          "rc %d: %s" % (rc, out))
    rc, out = make_run("INIT=/bin/sh -c 'echo inner; exit 3'")
    check(rc != 0 and "inner" in out and "Error 3" in out, "status_is_inits",
          "rc %d: %s" % (rc, out))
    rc, out = make_run("PROG=/bin/true")
    check(rc == 0 and "power: off with status 0" in out, "prog_is_init", "rc %d: %s" % (rc, out))
    rc, out = make_run("INIT=/bin/vm_barrier")      # as docs/signals.md shows it
    check(rc == 0 and "vm_barrier: the collector rescans pages: 2 5 11 (3 of 16)" in out,
          "docs_signals_example", "rc %d: %s" % (rc, out))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
