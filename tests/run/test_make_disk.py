#!/usr/bin/env python3
"""tests/run/test_make_disk.py: a persistent disk, as make qemu uses it (PERSIST=1, the
Makefile's "disk that persists"): what one boot writes the next boot reads; make
clean-disk throws it away, and the boot after starts from build/disk.img again. Without
PERSIST (make run, make test) a boot's writes are gone. Uses its own RW_DISK, so a
student's build/disk-rw.img is left alone. Prints TAP."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_make_run import ROOT, check, results    # noqa: E402 (the path is set first)

RW = "RW_DISK=build/test-make-disk.img"


def make(*args):
    proc = subprocess.run(["make", "-s", "--no-print-directory"] + list(args), cwd=ROOT,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    return proc.returncode, proc.stdout + proc.stderr


def main():
    print("1..4")
    make("clean-disk", RW)
    rc, out = make("run", "PERSIST=1", RW, "INIT=/bin/sh -c 'echo kept-between-boots > /note'")
    rc2, out2 = make("run", "PERSIST=1", RW, "INIT=/bin/cat /note")
    check(rc == 0 and rc2 == 0 and "kept-between-boots" in out2, "persists_between_boots",
          "rc %d, %d: %s" % (rc, rc2, out + out2))
    rc, out = make("run", "INIT=/bin/sh -c 'echo gone > /note2'")
    rc2, out2 = make("run", "INIT=/bin/cat /note2")
    check(rc == 0 and rc2 != 0 and "gone" not in out2.replace("note2", ""),
          "not_kept_without_persist", "rc %d, %d: %s" % (rc, rc2, out2))
    rc, out = make("clean-disk", RW)
    check(rc == 0 and not os.path.exists(os.path.join(ROOT, "build/test-make-disk.img")),
          "clean_disk_removes_it", out)
    rc, out = make("run", "PERSIST=1", RW, "INIT=/bin/cat /note")
    check(rc != 0 and "kept-between-boots" not in out, "fresh_after_clean_disk",
          "rc %d: %s" % (rc, out))
    make("clean-disk", RW)
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
