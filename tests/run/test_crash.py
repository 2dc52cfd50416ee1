#!/usr/bin/env python3
"""tests/run/test_crash.py: crash consistency of the writable ext2 root (docs/ext2.md,
"Crashes"). For each of a dozen seeds, a copy of build/disk.img is booted with
init="/bin/crashload SEED", a workload of files written (partly through shared
mappings), fsynced and left alone, with scratch changes between them; QEMU is killed
(SIGKILL: no unmount, no flush) once the console has reported a seeded number of fsyncs,
so the kill lands wherever the workload is then. Afterwards, on the image:
  - e2fsck -fy repairs it (exit 0 or 1: nothing left uncorrected), and e2fsck -fn then
    finds it clean;
  - every file whose fsync the console reported holds exactly its bytes (debugfs).
The moment is chosen by console output, not by time, so a slow host moves the kill within
the workload but cannot make the test fail. Prints TAP. Run it alone after make:
python3 tests/run/test_crash.py
"""
import os
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tests", "console"))
from tap import Tap  # noqa: E402
from test_shell import Console  # noqa: E402

KERNEL = os.path.join(ROOT, "build", "kernel.elf")
DISK = os.path.join(ROOT, "build", "disk.img")
SEEDS = range(1, 13)
ENV = dict(os.environ, PATH=os.environ["PATH"] + ":/usr/sbin:/sbin")


def expected(n, size):
    """user/crashload.c's byte_of for file n."""
    return bytes((n * 31 + off * 7 + (off >> 9)) & 0xFF for off in range(size))


def partition(image, out):
    """Partition 1 of an MBR disk image, copied to out."""
    with open(image, "rb") as f:
        start, count = struct.unpack_from("<II", f.read(512), 446 + 8)
        f.seek(start * 512)
        with open(out, "wb") as o:
            o.write(f.read(count * 512))


def crash(seed, image):
    """Boot, kill QEMU after a seeded number of fsyncs: the files reported fsynced."""
    kill_after = random.Random(seed).randint(2, 40)
    cmd = ["qemu-system-i386", "-m", "64", "-accel", "tcg", "-display", "none", "-serial", "stdio",
           "-monitor", "none", "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-drive", "file=%s,format=raw,if=ide,index=0,media=disk" % image,
           "-kernel", KERNEL, "-append", 'init="/bin/crashload %d"' % seed]
    con = Console(cmd)
    kept = []
    while len(kept) < kill_after:
        m = con.wait_for(r"^crashload: (fsynced kept(\d+) (\d+)|done|kept\d+ failed)\n")
        if not m or not m.group(2):
            break
        kept.append((int(m.group(2)), int(m.group(3))))
    con.close()                         # SIGKILL, in the middle of whatever came next
    return kept, kill_after, con.seen


def check_image(tap, seed, part, kept):
    fix = subprocess.run(["e2fsck", "-fy", part], capture_output=True, text=True, env=ENV)
    again = subprocess.run(["e2fsck", "-fn", part], capture_output=True, text=True, env=ENV)
    print("# seed %d: killed after %d fsyncs; e2fsck -fy exit %d%s" % (
        seed, len(kept), fix.returncode, " (repaired)" if fix.returncode == 1 else ""))
    tap.check(fix.returncode in (0, 1) and again.returncode == 0, "seed%d_repaired" % seed,
              "e2fsck -fy %d, then -fn %d:\n%s" % (fix.returncode, again.returncode,
                                                    (fix.stdout + again.stdout)[-1500:]))
    lost = []
    for n, size in kept:
        got = subprocess.run(["debugfs", "-R", "cat /crash/kept%d" % n, part],
                             capture_output=True, env=ENV).stdout
        if got != expected(n, size):
            lost.append("kept%d (%d bytes, read %d)" % (n, size, len(got)))
    tap.check(kept and not lost, "seed%d_fsynced_files_intact" % seed,
              "%d fsynced, lost: %s" % (len(kept), lost))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            image, part = os.path.join(tmp, "disk.img"), os.path.join(tmp, "root.img")
            shutil.copyfile(DISK, image)
            kept, want, seen = crash(seed, image)
            tap.check(len(kept) == want, "seed%d_killed_after_%d_fsyncs" % (seed, want),
                      "%d fsyncs seen: %s" % (len(kept), seen[-500:]))
            partition(image, part)
            check_image(tap, seed, part, kept)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
