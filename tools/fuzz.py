#!/usr/bin/env python3
"""tools/fuzz.py: boots the system-call fuzzer (user/fuzz.c) once per seed and prints the
seed of every failing boot, with the command that replays it.

Usage: fuzz.py [--seeds N] [--first S] [--seed S] [--verbose] [--jobs J]
  --seeds N: seeds FIRST .. FIRST+N-1 (default 1 .. 10); --seed S: only seed S;
  --verbose: the fuzzer prints every call (to find the one that breaks the kernel).
Each boot is judged as `make test` judges its fuzz boots (tests/boot/fuzz_suite.py); the
console log of seed S is build/test-logs/fuzz-seed-S.log. Exits 1 if any seed failed.
"""
import argparse
import concurrent.futures
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import runtests                     # noqa: E402
from fuzz_suite import fuzz_test    # noqa: E402


def run_seed(seed, verbose):
    results = runtests.run_boot(fuzz_test(seed, verbose), 128)
    return seed, results


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    seeds = [args.seed] if args.seed is not None else \
        list(range(args.first, args.first + args.seeds))
    failed = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for seed, results in pool.map(lambda s: run_seed(s, args.verbose), seeds):
            whole = results[-1]
            print("%s seed %d %s" % ("PASS" if whole.ok else "FAIL", seed, whole.name), flush=True)
            if not whole.ok:
                failed.append(seed)
                print(whole.detail.rstrip("\n"), flush=True)
    for seed in failed:
        print("fuzz: seed %d failed: replay with `make fuzz SEED=%d` (VERBOSE=1 prints each "
              "call; log in build/test-logs/fuzz-seed-%d.log)" % (seed, seed, seed))
    print("fuzz: %d seeds, %d failed%s" % (len(seeds), len(failed),
          ": " + " ".join(map(str, failed)) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
