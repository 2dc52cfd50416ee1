#!/usr/bin/env python3
"""tools/runtests.py: runs Pagoda's tests and reports them.

Host tests are programs under build/host/ that print TAP ("ok N name"). Boot tests
(tests/boot/suite.py) each boot QEMU headless with a kernel command line, read the
serial console, and judge the run by the exit status the kernel reports through
isa-debug-exit, the KTAP lines it prints, and patterns its output must (not) contain.
A boot that resets or triple-faults, times out, or panics unexpectedly fails; panic
backtraces are symbolized with addr2line. A suite entry with a "program" instead runs
that program, which drives QEMU itself and prints TAP like a host test (the gdb test).
The last line is "N passed, N failed".
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
KERNEL = os.path.join(ROOT, "build", "kernel.elf")
UBSAN_KERNEL = os.path.join(ROOT, "build", "ubsan", "kernel.elf")   # -fsanitize=undefined
ISO = os.path.join(ROOT, "build", "test.iso")
DISK = os.path.join(ROOT, "build", "disk.img")
LOGDIR = os.path.join(ROOT, "build", "test-logs")
RECORDINGS = os.path.join(ROOT, "build", "test-recordings")
RR = os.path.join(ROOT, "tools", "rr.py")
ADDR2LINE = "i686-linux-gnu-addr2line"
# The guest counts instructions, one a virtual nanosecond, and an idle CPU jumps to the
# next deadline on the virtual clock instead of sleeping. No -rtc clock=vm: the kernel
# never reads the RTC, and on the virtual clock its once-a-second update would be the
# deadline an idle CPU jumps to while the tick is stopped.
ICOUNT_QEMU = ["-icount", "shift=0,sleep=off"]
# ... and the kernel takes the disk's interrupts where the host's speed cannot move
# them: while it waits for the disk with the tick stopped, and at ticks (drivers/ata.c).
ICOUNT_KARGS = "ata.defer=1"
# Every boot test runs the kernel's debug checks: freed frames poisoned (a use after
# free reads 0xdeadbeef) and the VM invariants checked after each fault, eviction and
# exit (mm/check.c). A test's own args may override them (the last word wins).
TEST_KARGS = "vm.poison=1 vm.check=1"
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")   # GRUB's menu drawing
TAP_LINE = re.compile(r"^(not )?ok \d+ (\S+)")


class Result:
    def __init__(self, name, ok, detail=""):
        self.name, self.ok, self.detail = name, ok, detail


def symbolize(log, kernel):
    """Names for the [<c0101234>] addresses of a panic backtrace."""
    addrs = re.findall(r"\[<([0-9a-f]{8})>\]", log)
    if not addrs:
        return ""
    try:
        out = subprocess.run([ADDR2LINE, "-f", "-p", "-e", kernel] + ["0x" + a for a in addrs],
                             capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return "".join("      %s %s\n" % (a, line) for a, line in zip(addrs, out.splitlines()))


def disk_drive(test, disk):
    """The -drive argument. snapshot=on sends writes (swap) to a temporary overlay, so tests
    can run in parallel. A test with a "blkdebug" config (QEMU's [inject-error] sections)
    gets the image behind QEMU's blkdebug driver, which fails the requests the config
    names; writes must reach it, so it works on a private copy instead of an overlay."""
    drive = "format=raw,if=ide,index=0,media=disk"
    if test.get("fsck"):                # writes must reach a copy that e2fsck can check
        os.makedirs(LOGDIR, exist_ok=True)
        copy = os.path.join(LOGDIR, test["name"] + ".img")
        shutil.copyfile(disk, copy)
        return "file=%s,%s" % (copy, drive)
    if "blkdebug" not in test:
        return "file=%s,%s,snapshot=on" % (disk, drive)
    os.makedirs(LOGDIR, exist_ok=True)
    base = os.path.join(LOGDIR, test["name"])
    with open(base + ".blkdebug", "w") as f:
        f.write(test["blkdebug"])
    shutil.copyfile(disk, base + ".img")
    return "file=blkdebug:%s.blkdebug:%s.img,%s" % (base, base, drive)


def fsck_root(image, files):
    """e2fsck -fn on partition 1 of a disk image after a boot wrote to it, and debugfs
    reading the files the test names ({path: contents}): lines for the log that the
    test's expect patterns look for ("e2fsck: clean", "debugfs: PATH as written")."""
    with open(image, "rb") as f:
        mbr = f.read(512)
        start, count = struct.unpack_from("<II", mbr, 446 + 8)
        f.seek(start * 512)
        part = image + ".root"
        with open(part, "wb") as out:
            out.write(f.read(count * 512))
    env = dict(os.environ, PATH=os.environ["PATH"] + ":/usr/sbin:/sbin")
    proc = subprocess.run(["e2fsck", "-fn", part], capture_output=True, text=True, env=env)
    report = "\ne2fsck: clean\n" if proc.returncode == 0 else \
        "\ne2fsck: NOT CLEAN (exit %d)\n%s" % (proc.returncode, proc.stdout + proc.stderr)
    for path, want in files.items():
        got = subprocess.run(["debugfs", "-R", "cat %s" % path, part], capture_output=True,
                             env=env).stdout
        report += "debugfs: %s %s\n" % (path, "as written" if got == want else "differs")
    os.remove(part)
    return report


def qemu_command(test, mem):
    cmd = ["qemu-system-i386", "-m", str(test.get("mem", mem)), "-accel", "tcg",
           "-display", "none", "-serial", "stdio", "-no-reboot", "-monitor", "none",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if test.get("icount"):
        cmd += ICOUNT_QEMU
    disk = test.get("disk_image", DISK)
    if test.get("disk", True) and os.path.exists(disk):
        cmd += ["-drive", disk_drive(test, disk)]
    if test.get("iso"):
        cmd += ["-cdrom", ISO, "-boot", "d"]
    else:
        args = TEST_KARGS + " " + test.get("args", "")
        if test.get("icount"):
            args += " " + ICOUNT_KARGS
        cmd += ["-kernel", test.get("kernel", KERNEL), "-append", args.strip()]
    return cmd + test.get("qemu_extra", [])


def recorded(cmd, name):
    """The command under tools/rr.py, recording into build/test-recordings/NAME.rr."""
    return [sys.executable, RR, "record", os.path.join(RECORDINGS, name + ".rr"), "--"] + cmd


def run_boot(test, mem, record=False):
    name = test["name"]
    start = time.time()
    cmd = qemu_command(test, mem)
    # A recording runs slower (no sleep=off, every disk request logged): more time.
    timeout = test.get("timeout", 60) * (3 if record else 1)
    try:
        proc = subprocess.run(recorded(cmd, name) if record else cmd, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=timeout)
        log = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
        rc = proc.returncode
    except subprocess.TimeoutExpired as e:
        log = (e.stdout or b"").decode("utf-8", "replace")
        rc = None
    log = ANSI_ESCAPE.sub("", log.replace("\r", ""))
    log += fsck_root(os.path.join(LOGDIR, name + ".img"), test["fsck"]) \
        if test.get("fsck") else ""
    if "blkdebug" in test or test.get("fsck"):
        os.remove(os.path.join(LOGDIR, name + ".img"))     # the private disk copy
    os.makedirs(LOGDIR, exist_ok=True)
    with open(os.path.join(LOGDIR, name + ".log"), "w") as f:
        f.write(log)
    results = judge(test, rc, log, time.time() - start)
    if record:
        keep_recording(name, results)
    return results


def keep_recording(name, results):
    """A passing boot's recording is deleted; a failing one's is kept, and its report
    says how to replay it (docs/debugging.md, "Debugging backwards")."""
    folder = os.path.join(RECORDINGS, name + ".rr")
    if all(r.ok for r in results):
        subprocess.run(["rm", "-rf", folder])
        return
    where = os.path.relpath(folder, ROOT)
    results[-1].detail += ("    recorded in %s: replay it with make replay REPLAY=%s, or under "
                           "gdb with make replay-gdb REPLAY=%s\n" % (where, where, where))


def judge(test, rc, log, seconds):
    """Turn one boot's exit code and console output into results."""
    name = test["name"]
    problems = []
    expect_status = test.get("status", 0)
    if rc is None:
        problems.append("timed out after %ss" % test.get("timeout", 60))
    elif rc % 2 == 0:
        problems.append("QEMU exited with %d without a kernel status: reset or triple fault" % rc)
    elif (rc - 1) // 2 != expect_status:
        problems.append("kernel status %d, expected %d" % ((rc - 1) // 2, expect_status))
    if "PANIC" in log and not test.get("panic_ok"):
        problems.append("unexpected kernel panic")
    for pattern in test.get("expect", []):
        if not re.search(pattern, log, re.M):
            problems.append("output lacks /%s/" % pattern)
    for pattern in test.get("reject", []):
        if re.search(pattern, log, re.M):
            problems.append("output has /%s/" % pattern)
    results = []
    if test.get("ktap"):
        lines = [m for m in (TAP_LINE.match(l) for l in log.splitlines()) if m]
        plan = re.search(r"^1\.\.(\d+)$", log, re.M)
        if not plan or int(plan.group(1)) != len(lines):
            problems.append("KTAP plan %s but %d results" % (plan.group(1) if plan else "missing", len(lines)))
        for m in lines:
            sub = "%s/%s" % (name, m.group(2))
            detail = "" if not m.group(1) else "\n".join(
                l for l in log.splitlines() if "# FAIL" in l)
            results.append(Result(sub, not m.group(1), detail))
    detail = ""
    if problems:
        detail = "; ".join(problems) + "\n" + tail(log) + symbolize(log, test.get("kernel", KERNEL))
    results.append(Result("%s (%.1fs)" % (name, seconds), not problems, detail))
    return results


def tail(log, n=25):
    lines = log.splitlines()[-n:]
    return "".join("    | %s\n" % l for l in lines)


def run_tap(name, argv, timeout):
    """A program that prints TAP: a result per "ok"/"not ok" line, and one for the whole
    run, which passes if the program exits 0 and every line is ok."""
    start = time.time()
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return [Result(name, False, "timed out after %ss" % timeout)]
    os.makedirs(LOGDIR, exist_ok=True)
    with open(os.path.join(LOGDIR, name.replace("/", "-") + ".log"), "w") as f:
        f.write(proc.stdout + proc.stderr)
    results = []
    for line in proc.stdout.splitlines():
        m = TAP_LINE.match(line)
        if m:
            results.append(Result("%s/%s" % (name, m.group(2)), not m.group(1)))
    fails = [l for l in (proc.stdout + proc.stderr).splitlines() if "FAIL" in l or "ERROR" in l]
    ok = proc.returncode == 0 and results and all(r.ok for r in results)
    results.append(Result("%s (%.1fs)" % (name, time.time() - start), bool(ok), "" if ok else
                          "exit %d\n%s" % (proc.returncode, "\n".join(
                              "    | " + l for l in (fails or proc.stderr.splitlines())[-20:]))))
    return results


def run_host(path):
    return run_tap("host/" + os.path.basename(path), [path], 300)


def run_test(test, mem, record=False):
    if "program" in test:
        return run_tap(test["name"], test["program"], test.get("timeout", 60))
    return run_boot(test, mem, record)


def lab_full_marks(results):
    """Each lab's score in the complete tree, from this run's results of its tests (each
    passed: its points), so that they are not run twice; a lab whose tests did not all run
    here (--only) is left out. The student trees are tests/lab/test_labs.py's."""
    import mklab
    passed = {r.name.rsplit(" (", 1)[0]: r.ok for r in results if r.name.endswith("s)")}
    out = []
    for lab in mklab.mklab_labs(ROOT).values():
        names = [t["test"] for t in lab["tests"]]
        if not all(n in passed for n in names):
            continue
        score = sum(t["points"] for t in lab["tests"] if passed[t["test"]])
        out.append(Result("lab-%s-full-marks" % lab["name"], score == 100,
                          "lab %s scores %d/100 in the complete tree: %s failed" % (
                              lab["name"], score, ", ".join(n for n in names if not passed[n]))))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--mem", type=int, default=128)
    ap.add_argument("--host", nargs="*", default=[], help="host test programs")
    ap.add_argument("--only", help="run only boot tests whose name contains this")
    ap.add_argument("--record", action="store_true", help="record every boot test with QEMU's "
                    "record/replay (tools/rr.py); keep the recordings of failures in "
                    "build/test-recordings/NAME.rr")
    ap.add_argument("--ubsan", action="store_true", help="boot every test with the UBSan "
                    "kernel (build/ubsan/kernel.elf); a UBSAN report fails it")
    ap.add_argument("--labs", action="store_true", help="also score each lab "
                    "(tests/lab/labs/*.json) in this tree from the run's results")
    ap.add_argument("--grade", metavar="POLICY", help="also grade this policy (tools/grade.py), "
                    "with a lighter boot (vm.frames=128)")
    args = ap.parse_args()

    import suite
    boots = [t for t in suite.TESTS if not args.only or args.only in t["name"]]
    if args.ubsan:
        boots = [suite.with_ubsan(t) for t in boots if "kernel" not in t and "program" not in t]
    results = []

    def report(batch):
        for r in batch:
            print("%s %s" % ("PASS" if r.ok else "FAIL", r.name), flush=True)
            if not r.ok and r.detail:
                print(r.detail.rstrip("\n"), flush=True)
        results.extend(batch)

    for path in args.host:
        report(run_host(path))
    if args.grade:
        report(run_tap("host/grade.py", [os.path.join(ROOT, "tools", "grade.py"), args.grade,
                                         "--tap", "--frames", "128"], 300))
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for batch in pool.map(lambda t: run_test(t, args.mem, args.record), boots):
            report(batch)

    if args.labs:
        report(lab_full_marks(results))
    failed = sum(not r.ok for r in results)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
