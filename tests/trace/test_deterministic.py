#!/usr/bin/env python3
"""tests/trace/test_deterministic.py: boots that must repeat under the DETERMINISTIC=1
settings (QEMU -icount shift=0,sleep=off, vm.seed, ata.defer=1). A single-process swap
workload, booted twice side by side, gives the same counters and the same trace, event for
event and to the time-stamp counter, and its trace agrees with the counters. So does a
machine where the pageout daemon writes to the disk while the program runs (bench_swap on
32 MiB, no quota): the disk's interrupts come while a process computes, and the kernel
takes them at ticks (drivers/ata.c, ata_tick), so every figure it prints, TSC-timed,
repeats. Four boots of it run at once, to load the host. A program's random bytes repeat
with the seed and change with it. Prints TAP.
"""
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tools", "vmtrace-src"))
from tap import Tap  # noqa: E402
from runtests import qemu_command  # noqa: E402
import events  # noqa: E402
import summary  # noqa: E402

SWAP_WORKLOAD = 'init="/bin/test_swap hog" vm.frames=64 vm.seed=1 vm.trace=1'
LEAKS_OK = re.compile(r"^leakcheck: .*: ok$", re.M)


def boot(args, trace=None):
    """(QEMU's exit status, console) of one boot under -icount; COM2 into trace if given."""
    extra = ["-serial", "file:" + trace] if trace else []
    cmd = qemu_command({"args": args, "icount": True, "qemu_extra": extra}, 128)
    try:
        run = subprocess.run(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=150)
    except subprocess.TimeoutExpired:
        return None, "timed out"
    return run.returncode, run.stdout.decode("utf-8", "replace").replace("\r", "")


def boots(arg_lists, traces):
    with concurrent.futures.ThreadPoolExecutor(len(arg_lists)) as pool:
        return list(pool.map(boot, arg_lists, traces))


def vmstat(console):
    m = re.search(r"^vmstat: (.*)$", console, re.M)
    words = m.group(1).split() if m else []
    return {words[i]: int(words[i + 1]) for i in range(0, len(words), 2)}


def trace_events(path):
    with open(path) as f:
        return [line for line in f if not line.startswith("#")]


def check_swap_workload(tap, tmp):
    traces = [os.path.join(tmp, "run%d.trace" % i) for i in (1, 2)]
    runs = boots([SWAP_WORKLOAD] * 2, traces)
    passed = all(rc == 1 and LEAKS_OK.search(console) for rc, console in runs)
    if not tap.check(passed, "swap_boots_pass", "\n".join(c[-600:] for _, c in runs)):
        return
    first, second = (vmstat(console) for _, console in runs)
    tap.check(first == second and first.get("swap_outs", 0) > 0 and first.get("swap_ins", 0) > 0,
              "same_counters", "%s\n%s" % (first, second))
    one, two = (trace_events(t) for t in traces)
    same = sum(a == b for a, b in zip(one, two))
    tap.check(one == two and len(one) > 0, "same_events_same_times",
              "%d and %d events, the first %d alike" % (len(one), len(two), same))
    counted = summary.counters(events.read(traces[0]))
    tap.check(all(first[k] == v for k, v in counted.items()), "trace_agrees_with_counters",
              "trace %s, kernel %s" % (counted, first))


# The daemon swaps out in the background here: the machine is small and has no quota.
BACKGROUND_SWAP = "init=/bin/bench_swap"
FIGURE = re.compile(r"^bench \S+ .*$", re.M)


def check_background_swap(tap):
    runs = []
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        cmds = [qemu_command({"args": BACKGROUND_SWAP, "icount": True}, 32)] * 4
        runs = list(pool.map(lambda c: subprocess.run(c, cwd=ROOT, stdin=subprocess.DEVNULL,
                                                      capture_output=True, timeout=300), cmds))
    outputs = [FIGURE.findall(r.stdout.decode("utf-8", "replace")) for r in runs]
    clustered = [l for l in outputs[0] if l.startswith("bench clusters ")]
    tap.check(len(outputs[0]) == 12 and clustered and not clustered[0].startswith("bench clusters 0 "),
              "background_swap_runs", "\n".join(outputs[0]))
    tap.check(all(o == outputs[0] for o in outputs), "background_swap_repeats",
              "\n".join("  |  ".join(row) for row in zip(*outputs)))


def random_lines(console):
    return re.findall(r"^(?:AT_RANDOM|getrandom) [0-9a-f]{32}$", console, re.M)


def check_random(tap):
    seeds = [1, 1, 2]
    runs = boots(["init=/bin/random vm.seed=%d" % s for s in seeds], [None] * len(seeds))
    found = [random_lines(console) for _, console in runs]
    for seed, (status, console), lines in zip(seeds, runs, found):
        if not lines:                   # say what the boot did instead
            print("# vm.seed=%d: QEMU status %s, console ends:" % (seed, status))
            for line in console.splitlines()[-12:]:
                print("#   " + line)
    tap.check(len(found[0]) == 2 and found[0] == found[1], "random_bytes_repeat_with_seed",
              str(found[:2]))
    tap.check(len(found[2]) == 2 and found[2][0] != found[0][0] and found[2][1] != found[0][1],
              "random_bytes_change_with_seed", str(found))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        check_swap_workload(tap, tmp)
    check_background_swap(tap)
    check_random(tap)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
