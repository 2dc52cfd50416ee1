#!/usr/bin/env python3
"""tools/rr.py: records a QEMU run of Pagoda with QEMU's record/replay, and replays it,
instruction for instruction, as often as needed, also under gdb with reverse execution.

  rr.py record DIR -- QEMU ARGUMENTS...   run QEMU (the command make or the test runner
                                          built) and record it into the folder DIR
  rr.py replay DIR [--trace FILE] [--gdb PORT|SOCKET] [--quiet]
                                          replay DIR: the console on stdout, COM2 into FILE

DIR holds what a replay needs: replay.bin (QEMU's log of every input from outside the
machine: disk completions, timer reads, serial input), disk.qcow2 (the disk as it was when
the recording started, and the snapshot "start" that reverse execution goes back to),
boot.iso when the run booted from the ISO, console.log (the recorded console) and
manifest.json (the QEMU arguments, and the kernel's and QEMU's identity: a replay with
another kernel build or another QEMU would run other instructions, so it is refused).
docs/tracing.md, "Recording a whole run", says what replays and what does not.
"""
import hashlib
import json
import os
import shutil
import subprocess
import sys

import rrkeys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL = os.path.join(ROOT, "build", "kernel.elf")
FORMAT = 2                              # 2: recorded without the vapic (see VAPIC_OFF)
# shift=0: one virtual nanosecond per instruction, as DETERMINISTIC=1 runs. Not sleep=off:
# with it QEMU 7.2 never hands a finished disk transfer to a recording (the run hangs).
ICOUNT = "shift=0,rr=%s,rrfile=%s,rrsnapshot=start"
# Options a recording keeps out: its own -icount replaces the run's, and a gdb stub or a
# stop at the first instruction belong to a replay.
DROP_WITH_VALUE = {"-icount", "-gdb", "-monitor", "-chardev"}
DROP_ALONE = {"-S"}
# Without the APIC's vapic (a ROM and device that patch guests' TPR accesses, useful only to
# Windows XP guests) reverse execution works: going back loads a snapshot, which resets the
# machine, and the vapic's reset runs code on the CPU thread (run_on_cpu) while the gdb stub
# holds the replay lock that thread waits for. QEMU 7.2 deadlocks there, silently and for
# ever, at the first reverse-continue or reverse-stepi (docs/debugging.md). A recording and
# its replays need the same devices, so the recording is made without it too.
VAPIC_OFF = ["-global", "apic.vapic=off"]
# Appended to the kernel's command line (the last word wins). idle=poll: see
# sched.c's idle loop. ata.defer=0: a recording repeats every interrupt where it came
# by itself, so deferring the disk's to a timer tick (drivers/ata.c) only makes the
# spinning idle loop wait up to a tick a command, and a replay runs those spins at a
# fifth of the recording's speed (the replay of tests/trace/test_replay.py's workload
# took 292 s instead of 18).
RECORD_KARGS = " idle=poll ata.defer=0"


def die(message, status=2):
    print("rr.py: " + message, file=sys.stderr)
    sys.exit(status)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def qemu_version():
    out = subprocess.run(["qemu-system-i386", "--version"], capture_output=True, text=True)
    return out.stdout.splitlines()[0] if out.stdout else "unknown"


def git_commit():
    out = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                         capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def drive_options(spec):
    return dict(kv.split("=", 1) if "=" in kv else (kv, "on") for kv in spec.split(","))


def block_device(dev_id, image, fmt, device, readonly=False):
    """A disk behind the blkreplay driver, which logs when each request completes (QEMU's
    docs/system/replay: every block device of a recording must go through it)."""
    # Read-only on both layers: a writable device must hold the snapshot, and a raw ISO
    # cannot ("Device 'cd-rr' is writable but does not support snapshots").
    ro = ",readonly=on" if readonly else ""
    return ["-drive", "file=%s,format=%s,if=none,id=%s-direct%s" % (image, fmt, dev_id, ro),
            "-drive", "driver=blkreplay,if=none,image=%s-direct,id=%s-rr%s" % (dev_id, dev_id, ro),
            "-device", "%s,drive=%s-rr" % (device, dev_id)]


def recording_argv(argv, folder):
    """The run's QEMU arguments rewritten for record/replay; "@DIR@" stands for the
    recording's folder and "@TRACE@" for COM2's file, both filled in at each run."""
    out, serials, has_disk, i = [], 0, False, 0
    while i < len(argv):
        a = argv[i]
        value = argv[i + 1] if i + 1 < len(argv) else ""
        if a in DROP_ALONE:
            i += 1
            continue
        if a in DROP_WITH_VALUE:
            i += 2
            continue
        if a == "-drive":
            opts = drive_options(value)
            if opts.get("media", "disk") != "disk" or opts.get("if", "ide") != "ide":
                die("cannot record a drive other than the IDE disk: %s" % value)
            subprocess.run(["qemu-img", "convert", "-O", "qcow2", opts["file"],
                            os.path.join(folder, "disk.qcow2")], check=True)
            out += block_device("disk", "@DIR@/disk.qcow2", "qcow2", "ide-hd,bus=ide.0,unit=0")
            has_disk = True
        elif a == "-cdrom":
            shutil.copyfile(value, os.path.join(folder, "boot.iso"))
            out += block_device("cd", "@DIR@/boot.iso", "raw", "ide-cd,bus=ide.1,unit=0", True)
        elif a == "-append":
            out += [a, (value + RECORD_KARGS).strip()]
        elif a == "-serial":
            serials += 1
            out += [a, "@CONSOLE@" if serials == 1 else "@TRACE@"]
        else:
            out.append(a)
            i += 1
            continue
        i += 2
    if not has_disk:                    # the snapshot needs a qcow2 image to live in
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2",
                        os.path.join(folder, "disk.qcow2"), "1M"], check=True)
        out += ["-drive", "file=@DIR@/disk.qcow2,format=qcow2,if=none,id=snapshots"]
    return out + ["-net", "none", "-monitor", "none"] + VAPIC_OFF


def fill(argv, folder, mode, trace, console="stdio"):
    """The QEMU command for one run of a recording. The console's backend may differ
    between record and replay (mon:stdio, stdio), not the number of serial ports."""
    com2 = "file:" + trace if trace else "null"
    return ["qemu-system-i386", "-icount", ICOUNT % (mode, os.path.join(folder, "replay.bin"))] \
        + [a.replace("@DIR@", folder).replace("@TRACE@", com2).replace("@CONSOLE@", console)
           for a in argv]


def trace_file(argv):
    """COM2's file in the run's arguments (-serial file:PATH after the console), or None."""
    files = [argv[i + 1][5:] for i in range(len(argv) - 1)
             if argv[i] == "-serial" and argv[i + 1].startswith("file:")]
    return files[0] if files else None


def record(folder, argv):
    if not argv or os.path.basename(argv[0]) != "qemu-system-i386":
        die("usage: rr.py record DIR -- qemu-system-i386 ARGUMENTS...")
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    trace = trace_file(argv[1:])
    console = next((argv[i + 1] for i in range(len(argv) - 1) if argv[i] == "-serial"), "stdio")
    args = recording_argv(argv[1:], folder)
    manifest = {"format": FORMAT, "kernel_sha256": sha256(KERNEL), "qemu": qemu_version(),
                "commit": git_commit(), "argv": args, "recorded_argv": argv}
    with open(os.path.join(folder, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    # A console shared with QEMU's monitor (mon:stdio) records nothing typed on it:
    # tools/rrkeys.py says why and types the keys into a plain stdio console instead.
    typed = console.startswith("mon:")
    proc = subprocess.Popen(fill(args, os.path.abspath(folder), "record", trace,
                                 "stdio" if typed else console),
                            stdin=subprocess.PIPE if typed else None, stdout=subprocess.PIPE)
    with open(os.path.join(folder, "console.log"), "wb") as log, rrkeys.RawTerminal(typed):
        rrkeys.pump(proc, log, rrkeys.Keys(proc) if typed else None)
    status = proc.wait()
    print("rr.py: recorded into %s; replay it with: make replay REPLAY=%s" % (folder, folder),
          file=sys.stderr)
    return status


def load(folder):
    """The manifest, once the recording is known to fit this build and this QEMU."""
    path = os.path.join(folder, "manifest.json")
    if not os.path.exists(path):
        die("%s is not a recording (no manifest.json): make it with make run RECORD=%s"
            % (folder, folder))
    with open(path) as f:
        manifest = json.load(f)
    if manifest.get("format") != FORMAT:
        die("%s has recording format %s, this tool reads %d" % (folder, manifest.get("format"),
                                                                  FORMAT))
    kernel = sha256(KERNEL)
    if manifest["kernel_sha256"] != kernel:
        die("%s was recorded with another kernel build (sha256 %s, commit %s); build/kernel.elf "
            "is %s. A replay would run other instructions than the recorded ones and hang or "
            "diverge: refused. Build the recorded commit, or record again."
            % (folder, manifest["kernel_sha256"][:16], manifest.get("commit"), kernel[:16]))
    if manifest["qemu"] != qemu_version():
        die("%s was recorded by %s, this is %s: refused" % (folder, manifest["qemu"],
                                                          qemu_version()))
    return manifest


def replay(folder, trace=None, gdb=None, quiet=False):
    manifest = load(folder)
    if trace and "@TRACE@" not in manifest["argv"]:
        die("%s was recorded without the VM trace (COM2): record with TRACE=FILE (or VIEW=1) "
            "to replay it with a trace or the live view" % folder)
    argv = fill(manifest["argv"], os.path.abspath(folder), "replay", trace)
    if gdb:                             # stopped at the start, for gdb (make replay-gdb)
        stub = "tcp::%s" % gdb if gdb.isdigit() else "unix:%s,server=on,wait=off" % gdb
        argv += ["-S", "-gdb", stub]
    proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    sys.stdout.buffer.write(proc.stdout)
    sys.stdout.buffer.flush()
    with open(os.path.join(folder, "console.log"), "rb") as f:
        recorded = f.read()
    if not quiet:
        if proc.stdout == recorded:
            print("rr.py: replayed %s: the console is the recorded one, byte for byte (%d "
                  "bytes)" % (folder, len(recorded)), file=sys.stderr)
        else:
            same = next((i for i, (a, b) in enumerate(zip(proc.stdout, recorded)) if a != b),
                        min(len(proc.stdout), len(recorded)))
            print("rr.py: replayed %s: the console differs from the recorded one from byte %d"
                  % (folder, same), file=sys.stderr)
    return exit_status(proc.returncode)


def exit_status(rc):
    """The kernel's status, as make run gives it (QEMU exits with 2 * status + 1), or 0
    for a session that ended with Ctrl-a x (QEMU's quit, replayed where it was recorded)."""
    if rc % 2 == 1:
        return (rc - 1) // 2
    if rc == 0:
        print("rr.py: QEMU quit where the recording did (Ctrl-a x)", file=sys.stderr)
        return 0
    print("rr.py: QEMU exited with %d without a kernel status" % rc, file=sys.stderr)
    return 125


def main(argv):
    if len(argv) >= 3 and argv[0] == "record" and "--" in argv:
        cut = argv.index("--")
        return record(argv[1], argv[cut + 1:])
    if len(argv) >= 2 and argv[0] == "replay":
        opts = {"--trace": None, "--gdb": None}
        rest, quiet = argv[2:], "--quiet" in argv
        rest = [a for a in rest if a != "--quiet"]
        for key, value in zip(rest[::2], rest[1::2]):
            if key not in opts:
                die("unknown option %s" % key)
            opts[key] = value
        return replay(argv[1], opts["--trace"], opts["--gdb"], quiet)
    die(__doc__.split("\n\n")[1].strip(), 2)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
