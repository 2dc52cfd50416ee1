"""tests/boot/suite.py: the boot tests tools/runtests.py runs, one QEMU boot each.

Keys: name; args (kernel command line); iso (boot through GRUB instead of -kernel);
blkdebug (a QEMU blkdebug config: the disk fails the requests it names);
status (expected exit status, default 0); ktap (report each KTAP line as a result);
expect / reject (regexes the console output must / must not contain); panic_ok;
mem (MiB); timeout (seconds); disk (attach build/disk.img, default True);
disk_image (attach this image instead); icount (QEMU counts instructions: runs repeat);
qemu_extra (more QEMU arguments). An entry with "program" (an argv) runs that program
instead, which boots QEMU its own way and prints TAP.
"""
import os as _os
import re as _re
import subprocess as _subprocess
import zlib as _zlib

from diskerr_suite import TESTS as DISKERR_TESTS
from fuzz_suite import TESTS as FUZZ_TESTS
from lab_suite import TESTS as LAB_TESTS
from pgtbl_suite import TESTS as PGTBL_TESTS
from labproof_suite import TESTS as LABPROOF_TESTS
from refstring_suite import TESTS as REFSTRING_TESTS
from user_suite import TESTS as USER_TESTS
from demo_suite import TESTS as DEMO_TESTS

_ROOT = _os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "..", "..")


def _policy_menu_entries():
    """A GRUB menu entry for each of the kernel's policies, named as the simulator lists
    them from mm/policy/registry.c."""
    names = _subprocess.run([_os.path.join(_ROOT, "tools", "vmsim"), "--names"],
                            capture_output=True, text=True).stdout.split()
    if not names:
        return [r"(tools/vmsim --names listed no policy)"]   # fails, saying why
    return [r"Pagoda, policy %s\b" % _re.escape(n) for n in names]


TESTS = [
    # Every in-kernel test that can share a boot.
    {"name": "ktest-all", "args": "ktest=all", "ktap": True},

    # A NULL dereference in the kernel gives the full panic report.
    {"name": "panic-report", "args": "ktest=panic_report", "status": 0x7F, "panic_ok": True,
     "expect": [r"PANIC: page fault in kernel: page fault \(trap 14\) err 2",
                r"^CR2=00000000$", r"eip c01[0-9a-f]{5}", r"^backtrace:$",
                r"^  \[<c01[0-9a-f]{5}>\]$", r"kernel panic: halting"]},

    # vm.check=1 (every boot test has it) stops at a broken invariant and names it.
    {"name": "check-panic", "args": "ktest=check_panics_naming_invariant", "status": 0x7F,
     "panic_ok": True,
     "expect": [r"PANIC: vm.check after an exit: frame [0-9a-f]+: 2 references but 1 "
                r"reverse-map entries"]},

    # A store into a freed frame, found by the idle loop before it zeroes the frame.
    {"name": "prezero-use-after-free", "args": "ktest=frames_prezero_use_after_free",
     "status": 0x7F, "panic_ok": True,
     "expect": [r"PANIC: frame [0-9a-f]+ was written after it was freed: 2a at offset 1c"]},

    # A kernel stack that overflows hits its guard page; the double-fault task names it.
    {"name": "kstack-overflow", "args": "ktest=kstack_overflow", "status": 0x7F,
     "panic_ok": True,
     "expect": [r"PANIC: kernel stack overflow in pid \d+ \(overflow\): guard page "
                r"ff8[0-9a-f]{5} touched"]},

    # The real boot path: GRUB from the ISO, multiboot, the banner, a user program.
    {"name": "grub-iso-boot", "iso": True, "timeout": 90,
     "expect": [r"GNU GRUB", r"Pagoda: a teaching kernel", r"^cmdline: .*init=/bin/true",
                r"memory: \d+ MiB usable", r"init: exited with status 0"]
               + _policy_menu_entries()},

    # Unknown and malformed command-line words are reported, not fatal.
    {"name": "cmdline-warnings", "args": "bogus=1 =x ktest=timer_ticks", "ktap": True,
     "expect": [r"cmdline: unknown key, ignored: 'bogus'", r"cmdline: missing key: '=x'"]},
]

# ---- the disk: ATA, MBR partitions, ext2 root (drivers/ata.c, drivers/mbr.c, fs/ext2.c) ----
_ROOTFS = _os.path.join(_ROOT, "build", "rootfs")


def _host_path(path):
    """The host file behind a path of the root file system, its links followed."""
    host = _ROOTFS + path
    for _ in range(8):
        if not _os.path.islink(host):
            break
        target = _os.readlink(host)
        base = _ROOTFS if target.startswith("/") else _os.path.dirname(host)
        host = _os.path.join(base, target.lstrip("/"))
    return host


def _checksum_lines():
    """What ktest=disk_file_checksums must print for each file under /tests: its CRC-32
    and size, computed here from the files the disk image was made from."""
    lines = []
    for top, _dirs, files in _os.walk(_ROOTFS + "/tests"):
        for name in files:
            path = _os.path.join(top, name)[len(_ROOTFS):]
            with open(_host_path(path), "rb") as f:
                data = f.read()
            lines.append(r"^# crc32 %s %08x %d$" % (_re.escape(path), _zlib.crc32(data), len(data)))
    return lines


DISK_KTESTS = ("ktest=disk_file_checksums,disk_lookup,disk_swap_write_read,disk_past_the_end,"
               "disk_transfer_modes,disk_interrupt_queue")
DISK_EXPECT = ([r"^hda: QEMU HARDDISK, \d+ MiB", r"^  hda1: sectors 2048-\d+ .*type 83 Linux$",
                r"^  hda2: sectors \d+-\d+ .*type 82 Linux swap$", r"^/: .*\btests\b",
                r"^hda: read error at LBA \d+: status [0-9a-f]{2} error [0-9a-f]{2}$"]
               + _checksum_lines())

TESTS += [
    # Boot lists the partitions and the root directory; files read through ATA and ext2
    # match the host's; swap is written and read back; requests past the end fail
    # promptly; the interrupt-driven queue works.
    {"name": "disk", "ktap": True, "args": DISK_KTESTS,
     "expect": DISK_EXPECT + [r"^ata: bus-master DMA, PIIX3 IDE at 00:01\.1, ports [0-9a-f]+"]},
    # ata.defer=1, as every -icount boot has it (docs/disk.md, "Interrupts that repeat"):
    # polled requests wait in ata_halt with the tick stopped, the queued ones of
    # disk_interrupt_queue are let in at ticks (ata_tick); by DMA and by PIO.
    {"name": "disk-defer", "ktap": True, "args": DISK_KTESTS + ",timer_stops", "icount": True,
     "expect": DISK_EXPECT},
    {"name": "disk-defer-pio", "ktap": True, "args": DISK_KTESTS + " ata.dma=0", "icount": True,
     "expect": DISK_EXPECT + [r"^ata: PIO \(ata\.dma=0\)$"]},
    # The same by programmed I/O, chosen on the command line.
    {"name": "disk-pio", "ktap": True, "args": DISK_KTESTS + " ata.dma=0",
     "expect": DISK_EXPECT + [r"^ata: PIO \(ata\.dma=0\)$"]},
    # A PC without PCI (QEMU's isapc: an ISA IDE channel, no bus-master controller):
    # the driver says so and moves everything by PIO.
    {"name": "disk-isapc", "ktap": True, "args": DISK_KTESTS,
     "qemu_extra": ["-machine", "isapc", "-cpu", "qemu32"],
     "expect": DISK_EXPECT + [r"^ata: no PIIX3 bus-master IDE controller: PIO only$"]},

    # Without a disk the kernel says so and goes on.
    {"name": "no-disk", "args": "ktest=timer_ticks", "disk": False, "ktap": True,
     "expect": [r"^disk: no ATA disk: no root file system$"]},
]
TESTS += USER_TESTS + DEMO_TESTS + REFSTRING_TESTS + DISKERR_TESTS + FUZZ_TESTS + LAB_TESTS
TESTS += PGTBL_TESTS + LABPROOF_TESTS

# ---- the kernel built with -fsanitize=undefined (kernel/ubsan.c; make test UBSAN=1 boots
# every test so): the user-program, swap and disk-error tests and a fuzzer seed boot it in
# make test too, and any "UBSAN:" report fails them.
_UBSAN_KERNEL = _os.path.join(_ROOT, "build", "ubsan", "kernel.elf")


def with_ubsan(test):
    """The same boot test with the UBSan kernel, failing on any report."""
    return dict(test, name="ubsan-" + test["name"], kernel=_UBSAN_KERNEL,
                reject=test.get("reject", []) + [r"^UBSAN: "])


# (The small-machine swap runs are left out: minutes each, and the same code paths as
# the quota's swap tests, which do run.)
TESTS += [with_ubsan(t) for t in USER_TESTS + DISKERR_TESTS + FUZZ_TESTS[:1]
          if not t["name"].startswith("small")]
TESTS += [
    # The runtime reports a deliberate overflow and shift with kind and FILE:LINE:COLUMN.
    {"name": "ubsan-report", "args": "ktest=ubsan_report", "ktap": True, "kernel": _UBSAN_KERNEL,
     "expect": [r"^UBSAN: signed-integer-overflow at tests/kernel/test_ubsan\.c:\d+:\d+: \+$",
                r"^UBSAN: shift-out-of-bounds at tests/kernel/test_ubsan\.c:\d+:\d+$"]},
]

# ---- the debugging and tracing tools, each driving its own QEMU -------------------------
TESTS += [
    # gdb stops in the fault handler at each of /bin/gdb_target's faults; the pagoda-*
    # helpers (tools/gdb/) must print what the kernel holds.
    {"name": "gdb-helpers", "program": ["python3", "tests/gdb/test_gdb.py"], "timeout": 120},
    # ... and at a page-cache frame that two processes map (docs/page-cache.md).
    {"name": "gdb-shared", "program": ["python3", "tests/gdb/test_gdb.py", "shared"],
     "timeout": 120},
    # make faultprof: one fault of each kind single-stepped and counted by function.
    {"name": "faultprof", "program": ["python3", "tests/gdb/test_faultprof.py"], "timeout": 180},
    # Under the DETERMINISTIC=1 settings a swap workload booted twice gives the same
    # counters and the same trace, which agrees with the counters; seeds fix random bytes.
    {"name": "deterministic", "program": ["python3", "tests/trace/test_deterministic.py"],
     "timeout": 300},
    # The live view (make run VIEW=1) in a headless Chromium, on three hogs under -icount.
    {"name": "view", "program": ["python3", "tests/view/test_view.py"], "timeout": 600},
    # QEMU record/replay (tools/rr.py): a multi-process swap run recorded once and replayed
    # twice gives the same console, counters and trace, and make replay VIEW=1 serves it;
    # another build's recording is refused.
    {"name": "record-replay", "program": ["python3", "tests/trace/test_replay.py"],
     "timeout": 1200},
    # docs/debugging.md's gdb sessions, on replays of recorded runs (make run RECORD=,
    # make replay-gdb): forward through a copy-on-write fault and a swap-in, and reverse
    # debugging of a planted copy-on-write bug, from the SIGSEGV back to the PTE's write
    # (a watchpoint and reverse-continue); the document shows exactly these sessions.
    {"name": "gdb-reverse", "program": ["python3", "tests/gdb/test_reverse.py"], "timeout": 900},
    # Crash consistency: QEMU killed in the middle of a write workload, a dozen seeds;
    # e2fsck -fy repairs every image and no fsynced file lost a byte (docs/ext2.md).
    {"name": "crash-consistency", "program": ["python3", "tests/run/test_crash.py"],
     "timeout": 900},
    # docs/page-cache.md's session: a tmpfs file mapped by two processes, one frame.
    {"name": "pagecache-session", "program": ["python3", "tests/console/test_pagecache_session.py"],
     "timeout": 600},
    # A person at the serial console: typing, editing keys, ^C, ^Z and fg, redirections.
    {"name": "console-shell", "program": ["python3", "tests/console/test_shell.py"],
     "timeout": 600},
    # make qemu-nox RECORD=: a typed session on a terminal, left by Ctrl-a x; make replay
    # prints its console byte for byte and ends where it ended.
    {"name": "console-replay", "program": ["python3", "tests/console/test_replay.py"],
     "timeout": 1200},
    # The demos' output on this host's Linux is what Pagoda prints (skipped if it cannot).
    {"name": "linux-demos", "program": ["python3", "tests/run/test_linux_demos.py"],
     "timeout": 120},
    # make run: refused without INIT, QEMU's own failure is not status 0, PROG is INIT.
    {"name": "make-run", "program": ["python3", "tests/run/test_make_run.py"], "timeout": 600},
    # make qemu's disk (PERSIST=1) keeps what a boot writes; make clean-disk resets it.
    {"name": "make-disk", "program": ["python3", "tests/run/test_make_disk.py"], "timeout": 900},
    # docs/thrashing.md's table and plot, and docs/policies.md's plot, are what their
    # commands make, on every run.
    {"name": "doc-pictures", "program": ["python3", "tests/run/test_doc_pictures.py"],
     "timeout": 900},
]
