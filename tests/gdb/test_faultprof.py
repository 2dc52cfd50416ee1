#!/usr/bin/env python3
"""tests/gdb/test_faultprof.py: tools/faultprof.py (make faultprof), which single-steps one
page fault of each kind in gdb, twice. The counts must repeat exactly (the profile is
a measurement, not a sample); a demand-zero fault that finds a pre-zeroed frame must
zero nothing and stay within 700 instructions; one that finds none zeroes its frame
(page_zero, 256 stores of 16 bytes) within 1,450; a copy-on-write fault copies one
(page_copy) within 1,500 (the targets of docs/performance.md; Linux 6.1 spends 3,905
and 5,807). Prints TAP for tools/runtests.py.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tap import Tap  # noqa: E402
import faultprof  # noqa: E402

PREZEROED_MAX, COLD_MAX, COW_MAX = 700, 1450, 1500
STORES = 4096 // 16                 # a page in 16-byte stores


def spent_in(counts, routine):
    """Instructions in an assembly routine, its labels ("page_zero[next]") included."""
    return sum(n for name, n in counts.items() if name.split("[")[0] == routine)


def main():
    tap = Tap()
    first, second = faultprof.profile([]), faultprof.profile([])
    tap.check(first == second, "profile-repeats", "%s\n%s" % (first, second))
    hit, cold, cow = (first[p] for p in faultprof.PROBES)
    tap.check(spent_in(hit, "page_zero") == 0, "prezeroed-fault-zeroes-nothing", hit)
    tap.check(hit["TOTAL"] <= PREZEROED_MAX, "prezeroed-fault-within-%d" % PREZEROED_MAX,
              "%d instructions" % hit["TOTAL"])
    tap.check(spent_in(cold, "page_zero") >= STORES, "cold-fault-zeroes-its-frame", cold)
    tap.check(cold["TOTAL"] <= COLD_MAX, "cold-fault-within-%d" % COLD_MAX,
              "%d instructions" % cold["TOTAL"])
    tap.check(spent_in(cow, "page_copy") >= 2 * STORES and spent_in(cow, "page_zero") == 0,
              "cow-fault-copies-without-zeroing", cow)
    tap.check(cow["TOTAL"] <= COW_MAX, "cow-fault-within-%d" % COW_MAX,
              "%d instructions" % cow["TOTAL"])
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
