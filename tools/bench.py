#!/usr/bin/env python3
"""tools/bench.py: the kernel benchmarks of `make bench`.

Each benchmark boots the kernel under QEMU TCG with -icount shift=0,sleep=off: the guest
executes one instruction per virtual nanosecond and its time-stamp counter counts them,
so every figure repeats exactly from run to run. The program that measures (an in-kernel
test, or a user program run as init) prints lines "# bench NAME VALUE UNIT" or
"bench NAME VALUE UNIT"; this script collects them.

The simulator's benchmark (vmsim) runs on the host instead: its faults are counted, and
its cost is counted in instructions by valgrind's callgrind, which the host's speed
cannot change either.

Usage: bench.py disk | vm | pagers | swap | thrash | vmsim   (each command line is printed)
"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runtests import ICOUNT_KARGS, ICOUNT_QEMU  # noqa: E402  (the tests' -icount settings)

FIGURE = re.compile(r"^(?:# )?bench (\S+) (\S+) (.*)$")


def boot(kernel_args, mem, log=None, disk="build/disk.img"):
    cmd = ["qemu-system-i386", "-m", str(mem), "-accel", "tcg"] + ICOUNT_QEMU + [
           "-display", "none", "-serial", "stdio", "-monitor", "none",
           "-no-reboot", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-drive", "file=%s,format=raw,if=ide,index=0,media=disk,snapshot=on" % disk,
           "-kernel", "build/kernel.elf", "-append", kernel_args + " " + ICOUNT_KARGS]
    print("bench: %s" % " ".join(cmd[:-1] + ["'%s'" % cmd[-1]]), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1200)
    out = proc.stdout.replace("\r", "")
    if log:
        with open(log, "w") as f:
            f.write(out)
    # isa-debug-exit with status 0, said by the kernel's last line: QEMU failing on its own
    # (a bad -m, say) exits with 1 too.
    if proc.returncode != 1 or "power: off with status 0" not in out:
        sys.exit("bench: boot failed (QEMU status %d):\n%s" % (proc.returncode, out[-3000:]))
    return [m.groups() for m in map(FIGURE.match, out.splitlines()) if m]


def side_by_side(runs, labels):
    """Print each figure of the first run with the same figure of the others beside it."""
    print("  %-28s" % "" + "".join("%16s" % l for l in labels))
    others = [{name: value for name, value, _ in run} for run in runs[1:]]
    for name, value, unit in runs[0]:
        print("  %-28s %15s" % (name, value) + "".join(" %15s" % o.get(name, "-") for o in others)
              + "  " + unit)


def bench_disk():
    """Reading 4.5 MiB through ext2 and raw, by DMA and by PIO: the CPU's work per KiB
    (repeatable) apart from the disk's time (host-dependent)."""
    side_by_side([boot("ktest=bench_disk", 128), boot("ktest=bench_disk ata.dma=0", 128)],
                 ["ata.dma=1", "ata.dma=0"])


def bench_vm():
    """Fault costs, fork and exec, with the three fork modes side by side: pages
    copy-on-write, eager copy, page tables shared (mm/ptshare.c)."""
    modes = (1, 0, 2)
    side_by_side([boot("init=/bin/bench_vm vm.cow=%d vm.prezero=1024" % cow, 256) for cow in modes],
                 ["vm.cow=%d" % cow for cow in modes])


PAGERS = ["file", "zswap", "clock"]


# The kernel's own faults the pagers' are set beside: a demand-zero fault (bench_vm) and
# a swap-in (bench_swap's mean major fault on a 64 MiB machine, which swaps by itself).
KERNEL_FAULTS = [("init=/bin/bench_vm vm.prezero=0", 256, "demand_zero_fault"),
                 ("init=/bin/bench_swap", 64, "major_fault_random_mean")]


def bench_pagers():
    """A fault served by each lesson pager (user/pager_*.c) from its store, no eviction
    needed: the trap, the pager woken, its fetch (a file read, an LZ77 decoding, a copy
    kept in its memory), UFFDIO_COPY, the client woken; beside the kernel's own
    demand-zero fault and swap-in, measured in the same run."""
    for args, mem, name in KERNEL_FAULTS:
        value = dict((n, v) for n, v, _ in boot(args, mem)).get(name, "-")
        print("  %-28s %15s  instructions (in the kernel)" % (name, value))
    for name in PAGERS:
        figures = boot('init="/bin/pager_%s bench"' % name, 256)
        for fig, value, unit in figures or [("pager_%s_fault" % name, "-", "(no figure)")]:
            print("  %-28s %15s  %s" % (fig, value, unit))


# Each run: (label, kernel arguments, MiB of RAM). With the quota the frames stay 256
# while RAM grows (a fault's cost must not grow with RAM); without it the whole machine
# swaps, and the pageout daemon writes clusters (vm.cluster=1: one page a command). The
# disk moves data by DMA except in the two PIO runs (ata.dma=0). Machines of 128 MiB and
# more without a quota swap twice their RAM: they boot build/disk-bigswap.img.
SWAP_RUNS = [("quota 128M", "vm.frames=256", 128), ("quota 320M", "vm.frames=256", 320),
             ("quota 700M", "vm.frames=256", 700), ("32M", "", 32), ("64M", "", 64),
             ("128M", "", 128), ("320M", "", 320), ("700M", "", 700),
             ("64M unclustered", "vm.cluster=1", 64),
             ("quota 128M PIO", "vm.frames=256 ata.dma=0", 128), ("64M PIO", "ata.dma=0", 64)]


def swap_disk(args, mem):
    return "build/disk-bigswap.img" if mem >= 128 and "vm.frames" not in args else "build/disk.img"


def bench_swap():
    """Swap-out and swap-in throughput and the cost of a major fault (mean and worst),
    over a region twice the frames, sequential and random."""
    results = [(label, {n: (v, u) for n, v, u in
                        boot("init=/bin/bench_swap " + args, mem, disk=swap_disk(args, mem))})
               for label, args, mem in SWAP_RUNS]
    names = [n for n in results[0][1]]
    print("  %-26s" % "" + "".join("%17s" % label for label, _ in results))
    for name in names:
        unit = results[0][1][name][1]
        print("  %-26s" % name + "".join("%17s" % r.get(name, ("-",))[0] for _, r in results)
              + "  " + unit)


THRASH_RUNS = [("none", "vm.ws=0"), ("ws", "vm.ws=1"), ("pff", "vm.pff=1 vm.scope=local")]


def bench_thrash():
    """4 processes sweeping 128 pages each in 256 frames: without and with control.
    Swapping to the RAM disk whose every request takes one tick (swap=ram), from a copy
    of the program in tmpfs (thrash -r), with no frames zeroed while idle (vm.prezero=0):
    the figures repeat exactly (docs/thrashing.md).
    Logs go to build/thrash-NAME.log for tools/thrashplot.py."""
    for name, args in THRASH_RUNS:
        log = "build/thrash-%s.log" % name
        boot('init="/bin/thrash -r 4 128 10" vm.frames=256 swap=ram vm.prezero=0 %s' % args,
             128, log)
        with open(log) as f:
            summary = [l for l in f.read().splitlines() if l.startswith("thrash: 4")]
        print("  %-26s %s" % (args, summary[0][len("thrash: "):] if summary else "no result"))


VMSIM_TRACE = ["--gen", "locality", "--pages", "2048", "--frames", "256"]
VMSIM_ROW = re.compile(r"^(\S+)\s+\d+\s+(\d+)\s+([\d.]+%)", re.M)


def run(cmd):
    print("bench: %s" % " ".join(cmd), flush=True)
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def instructions_per_reference(policy, length):
    """What the simulator's loop costs a reference under policy: callgrind counts the
    instructions run inside sim_start (the policy's set-up, OPT's look-ahead) and
    sim_run (every reference), nothing of the trace's generation."""
    out = "build/vmsim-%s.callgrind" % policy
    run(["valgrind", "--tool=callgrind", "--toggle-collect=sim_start", "--toggle-collect=sim_run",
         "--callgrind-out-file=" + out, "build/vmsim", "--policy", policy,
         "--length", str(length)] + VMSIM_TRACE)
    with open(out) as f:
        totals = re.search(r"^totals: (\d+)", f.read(), re.M)
    os.remove(out)
    return int(totals.group(1)) / length


def bench_vmsim():
    """Each policy on 10 million references with locality: its faults; and on a trace of
    100,000 made the same way, the simulator's instructions per reference."""
    rows = VMSIM_ROW.findall(run(["build/vmsim", "--policy", "all", "--length", "10000000"]
                                 + VMSIM_TRACE))
    print("  %-14s %10s %10s %14s" % ("policy", "faults", "hit ratio", "instr/ref"))
    for policy, faults, ratio in rows:
        print("  %-14s %10s %10s %14.0f" % (policy, faults, ratio,
                                             instructions_per_reference(policy, 100000)))


if __name__ == "__main__":
    {"disk": bench_disk, "vm": bench_vm, "pagers": bench_pagers, "swap": bench_swap,
     "thrash": bench_thrash, "vmsim": bench_vmsim}[sys.argv[1]]()
