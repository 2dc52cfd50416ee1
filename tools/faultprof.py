#!/usr/bin/env python3
"""tools/faultprof.py: where a page fault's instructions go. Boots Pagoda under QEMU
(-icount shift=0, stopped for gdb) with /bin/faultprof as init, and for each of its
probe_* functions (user/faultprof.c: one store that faults, of a known kind)
single-steps every instruction from the call to its return -- the trap entry, the
kernel's handler, iret, the store again -- and prints how many each function executed.

Usage: tools/faultprof.py [--top N] [KERNEL_ARG ...]     (make faultprof)
Single-stepping stops the clock between instructions, and QEMU's gdb stub masks
interrupts while stepping, so the counts repeat exactly from run to run.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from runtests import ICOUNT_KARGS, ICOUNT_QEMU  # noqa: E402

PROBES = ["probe_zero_prezeroed", "probe_zero_cold", "probe_cow"]

# Runs inside gdb (gdb -x): steps each probe and prints "PROFILE probe function count".
GDB_SCRIPT = r'''
import gdb
PROBES = %r
SEQUENCE = %r
gdb.execute("set pagination off")
names = {}
def function_at(pc):
    """The function (an inlined one by its own name); for assembly without debug
    information, the symbol before pc (alltraps, trapret in kernel/trapentry.asm)."""
    block = gdb.block_for_pc(pc)
    while block is not None and block.function is None:
        block = block.superblock
    if block is not None:
        return block.function.name
    if pc not in names:
        sym = gdb.execute("info symbol %%d" %% pc, to_string=True).split()
        names[pc] = sym[0] if sym and sym[0] != "No" else "0x%%x" %% pc
    return names[pc]
for probe in PROBES:
    gdb.execute("hbreak " + probe)
gdb.execute("continue")
for _ in PROBES:
    frame = gdb.selected_frame()
    probe = frame.name()
    ret = int(gdb.parse_and_eval("*(unsigned int *)$esp"))
    counts, total, runs = {}, 0, []
    while True:
        pc = int(gdb.parse_and_eval("$pc"))
        if pc == ret:
            break
        name = function_at(pc)
        if SEQUENCE and (not runs or runs[-1][0] != name):
            runs.append([name, 0])
        if SEQUENCE:
            runs[-1][1] += 1
        counts[name] = counts.get(name, 0) + 1
        total += 1
        gdb.execute("stepi", to_string=True)
    for name, n in counts.items():
        print("PROFILE %%s %%s %%d" %% (probe, name, n))
    print("PROFILE %%s TOTAL %%d" %% (probe, total))
    for name, n in runs:
        print("SEQUENCE %%s %%s %%d" %% (probe, name, n))
    gdb.execute("continue")
'''


def profile(kernel_args, sequence=False):
    """{probe: {function: instructions}}; each probe's "TOTAL" is the sum."""
    with tempfile.TemporaryDirectory() as tmp:
        sock, script = os.path.join(tmp, "gdb.sock"), os.path.join(tmp, "prof.py")
        with open(script, "w") as f:
            f.write(GDB_SCRIPT % (PROBES, sequence))
        # The benchmarks' machine (tools/bench.py), without the tests' debug modes
        # (vm.poison, vm.check), which would be profiled too.
        cmd = ["qemu-system-i386", "-m", "128", "-accel", "tcg"] + ICOUNT_QEMU + [
               "-display", "none", "-serial", "none", "-monitor", "none",
               "-no-reboot", "-drive",
               "file=build/disk.img,format=raw,if=ide,index=0,media=disk,snapshot=on",
               "-kernel", "build/kernel.elf", "-append",
               " ".join(["init=/bin/faultprof", ICOUNT_KARGS] + kernel_args), "-S",
               "-chardev", "socket,id=gdb,path=%s,server=on,wait=off" % sock, "-gdb", "chardev:gdb"]
        qemu = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(200):
                if os.path.exists(sock):
                    break
                time.sleep(0.05)
            gdb = subprocess.run(
                ["gdb", "-q", "-batch", "-nx", "-ex", "file build/kernel.elf",
                 "-ex", "add-symbol-file build/rootfs/bin/faultprof",
                 "-ex", "target remote " + sock, "-x", script],
                cwd=ROOT, capture_output=True, text=True, timeout=600)
        finally:
            qemu.kill()
            qemu.wait()
    result = {}
    if sequence:                        # the calls in order: function and instructions
        print("\n".join(l for l in gdb.stdout.splitlines() if l.startswith("SEQUENCE")))
    for line in gdb.stdout.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "PROFILE":
            result.setdefault(parts[1], {})[parts[2]] = int(parts[3])
    if set(result) != set(PROBES):
        sys.exit("faultprof: gdb did not profile every probe:\n" + gdb.stdout[-2000:] +
                 gdb.stderr[-2000:])
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--top", type=int, default=12, help="functions shown per probe")
    ap.add_argument("--sequence", action="store_true",
                    help="also print the functions in the order they ran")
    ap.add_argument("kernel_args", nargs="*", help="extra kernel arguments (vm.cow=0 ...)")
    args = ap.parse_args()
    for probe, counts in profile(args.kernel_args, args.sequence).items():
        total = counts.pop("TOTAL")
        print("%s: %d instructions" % (probe, total))
        for name, n in sorted(counts.items(), key=lambda kv: -kv[1])[:args.top]:
            print("  %-28s %6d  %5.1f%%" % (name, n, 100.0 * n / total))


if __name__ == "__main__":
    main()
