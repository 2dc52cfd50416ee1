#!/usr/bin/env python3
"""tools/grade.py: grades a page-replacement policy for the lab (docs/labs/replacement.md).

Usage: tools/grade.py NAME [--frames N] [--vmsim PATH] [--no-boot] [--tap] [--json FILE]
                        [--junit FILE]
(or: make grade POLICY=NAME)

In the simulator: correct fault counts on the textbook strings, never fewer faults than
OPT, victims always eligible (with locked pages), and the disk transfers (faults and
write-backs) on held-back traces of real programs, between OPT's and LRU's. In the kernel: a boot that swaps under memory pressure
with every byte verified and no leak, and (for information) the kernel's fault count on
Silberschatz's string beside the simulator's. Prints the points of each check and the
score; with --tap, TAP lines instead; --json writes Gradescope's results.json and --junit
JUnit XML besides. It first rebuilds the simulator (and for the boot the kernel) with make:
a policy that does not compile is never graded on an older binary; the build's errors are
printed, every check scores 0, and the exit status is 2. Otherwise the exit status is 0
only when every check passed: with all its points, or for the real traces half of them.
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import gradeout                                                        # noqa: E402
import runtests                                                        # noqa: E402
from refstring_suite import BELADY, SILBERSCHATZ, WRITES, refstring_test  # noqa: E402
from user_suite import LEAKS_OK                                        # noqa: E402

# The held-back traces of real programs (tools/mklabtraces.py); a course keeps them from
# its students' tree.
TRACE_DIR = os.path.join(ROOT, "tests", "lab", "traces")
TRACES = sorted(glob.glob(os.path.join(TRACE_DIR, "*.refs.gz")))


class Grader:
    def __init__(self, policy, vmsim, frames, kernel=runtests.KERNEL):
        self.policy, self.vmsim, self.frames, self.kernel = policy, vmsim, frames, kernel

    def run(self, *args):
        """vmsim's exit status and output (standard error included)."""
        p = subprocess.run([self.vmsim] + list(args), capture_output=True, text=True)
        return p.returncode, p.stdout + p.stderr

    def faults(self, policies, *args):
        """{(policy, frames): (refs, faults)} from vmsim --csv; raises on failure."""
        status, out = self.run("--csv", "--policy", ",".join(policies), *args)
        rows = re.findall(r"^([\w]+),(\d+),(\d+),(\d+)$", out, re.M)
        if status != 0 or not rows:
            raise RuntimeError(out.strip().splitlines()[-1] if out.strip() else "no output")
        return {(p, int(f)): (int(r), int(n)) for p, f, r, n in rows}

    # ---- the checks: each returns (fraction of its points, what it found) -------------

    def textbook(self):
        """Every count between the compulsory misses and one per reference, and exactly
        the compulsory misses once every page fits."""
        found = []
        for refs in (SILBERSCHATZ, BELADY, WRITES):
            distinct = len(set(r.rstrip("W") for r in refs.split(",")))
            got = self.faults([self.policy], "--frames", "1-7", "--refs", refs)
            for frames in range(1, 8):
                n_refs, faults = got[(self.policy, frames)]
                if not distinct <= faults <= n_refs or (frames >= distinct and faults != distinct):
                    return 0, "%d faults with %d frames on %s" % (faults, frames, refs)
            found.append("%s: %s" % (refs[:9] + "...", ",".join(
                str(got[(self.policy, f)][1]) for f in (3, 4))))
        return 1, "faults with 3,4 frames: " + "; ".join(found)

    def versus_opt(self):
        """No policy can beat OPT: fewer faults means the simulation went wrong."""
        for gen in ("loop", "random", "locality"):
            for seed in ("1", "2"):
                got = self.faults([self.policy, "opt"], "--gen", gen, "--length", "20000",
                                  "--pages", "200", "--frames", "10,50,150", "--seed", seed)
                for frames in (10, 50, 150):
                    if got[(self.policy, frames)][1] < got[("opt", frames)][1]:
                        return 0, "%s, seed %s, %d frames: %d faults, OPT %d" % (
                            gen, seed, frames, got[(self.policy, frames)][1], got[("opt", frames)][1])
        return 1, "loop, random and locality strings, 10, 50 and 150 frames"

    def eligible(self):
        """Frames of locked pages are not eligible; vmsim fails the run on such a victim."""
        for gen, lock in (("random", "0,1,2"), ("locality", "0,5,17,40")):
            status, out = self.run("--policy", self.policy, "--gen", gen, "--length", "20000",
                                   "--pages", "60", "--frames", "8,20", "--lock", lock)
            if status != 0:
                return 0, out.strip().splitlines()[-1]
        return 1, "with pages locked (vmsim --lock), every victim was eligible"

    def costs(self, policies, source, *args):
        """{(policy, frames): faults + write-backs} from vmsim's table, and the pages of
        the string: each fault reads a page in, each write-back writes one out."""
        status, out = self.run("--policy", ",".join(policies), source, *args)
        rows = re.findall(r"^(\w+) +(\d+) +(\d+) +[\d.]+% +(\d+)$", out, re.M)
        pages = re.search(r"references to (\d+) pages", out)
        if status != 0 or not rows or not pages:
            raise RuntimeError(out.strip().splitlines()[-1] if out.strip() else "no output")
        return {(p, int(f)): int(n) + int(w) for p, f, n, w in rows}, int(pages.group(1))

    def real_traces(self):
        """On each held-back trace of a real program (tests/lab/traces), with a 32nd, a
        16th and an 8th of its pages as frames: the disk transfers (faults plus write-backs)
        beyond OPT's, as a multiple of LRU's. LRU's or fewer earn the case's point, 2.5
        times LRU's or more none, linearly between; the score is the mean. (On these
        traces FIFO's and random's excess is 1.0 to 4.3 times LRU's, the clock's 1.1 to
        1.8: about a third of the points and three quarters.)"""
        names = [self.policy] + [p for p in ("opt", "lru") if p != self.policy]
        cases, found = [], []
        for trace in TRACES:
            _, pages = self.costs(["opt"], trace, "--frames", "1")
            frames = sorted({max(4, pages // d) for d in (32, 16, 8)})
            cost, _ = self.costs(names, trace, "--frames", ",".join(map(str, frames)))
            excess = []
            for f in frames:
                opt, lru, mine = cost[("opt", f)], cost[("lru", f)], cost[(self.policy, f)]
                excess.append((mine - opt) / (lru - opt) if lru > opt else 1 if mine <= lru else 2.5)
            cases += [min(1, max(0, (2.5 - x) / 1.5)) for x in excess]
            found.append("%s %s" % (os.path.basename(trace).split(".")[0],
                                    "/".join("%.2f" % x for x in excess)))
        if not cases:
            return 0, "no traces in %s (tools/mklabtraces.py makes them)" % TRACE_DIR
        return sum(cases) / len(cases), "transfers beyond OPT's as a multiple of LRU's, with " \
            "a 32nd/16th/8th of the pages: " + ", ".join(found)

    def boot(self):
        """test_swap hog: three times the user frames, written and verified in rounds."""
        test = {"name": "grade-" + self.policy, "ktap": True, "timeout": 60, "kernel": self.kernel,
                "args": 'init="/bin/test_swap hog" vm.frames=%d vm.policy=%s' % (self.frames, self.policy),
                "expect": [LEAKS_OK, r"^cmdline: .*vm\.policy=%s\b" % re.escape(self.policy)],
                "reject": [r"no such policy"]}
        results = runtests.run_boot(test, 128)
        detail = "log: build/test-logs/grade-%s.log" % self.policy
        if all(r.ok for r in results):
            return 1, detail
        # The boot's own result says what went wrong; a panic (a victim the kernel refused,
        # a livelock: mm/replace.c) says why.
        with open(os.path.join(runtests.LOGDIR, test["name"] + ".log")) as f:
            panic = re.findall(r"^PANIC: .*$", f.read(), re.M)
        return 0, "; ".join([results[-1].detail.splitlines()[0]] + panic[:1] + [detail])

    def kernel_count(self):
        """The kernel's faults on Silberschatz's string, 3 frames, beside vmsim's."""
        test = refstring_test(self.policy, 3, SILBERSCHATZ, "grade")
        result = runtests.run_boot(test, 128)[-1]
        with open(os.path.join(runtests.LOGDIR, test["name"] + ".log")) as f:
            m = re.search(r"^refstring: .*: (\d+) faults", f.read(), re.M)
        sim = self.faults([self.policy], "--frames", "3", "--refs", SILBERSCHATZ)[(self.policy, 3)][1]
        kernel = m.group(1) if m else "none"
        return 1, "kernel %s, vmsim %d (%s; equal only for policies without ticks or times)" % (
            kernel, sim, "equal" if result.ok else "they differ")


# A check passes with all its points, but the measured one with half: the clock's.
PASS_AT = {"real_traces_versus_opt_lru": 0.5}
CHECKS = [  # (name, points, method); 0 points: shown, not scored
    ("textbook_strings", 15, Grader.textbook),
    ("never_better_than_opt", 15, Grader.versus_opt),
    ("victims_eligible", 20, Grader.eligible),
    ("real_traces_versus_opt_lru", 20, Grader.real_traces),
    ("boot_under_memory_pressure", 30, Grader.boot),
    ("kernel_versus_simulator", 0, Grader.kernel_count),
]


def build(targets):
    """make the binaries the grading runs, so that it never grades a stale one: None, or
    the compiler's complaint."""
    p = subprocess.run(["make", "-s", "-C", ROOT] + targets, capture_output=True, text=True)
    if p.returncode == 0:
        return None
    lines = (p.stdout + p.stderr).strip().splitlines()
    errors = [l for l in lines if "error" in l] or lines
    return "\n".join(errors[:20])


def grade(grader, checks):
    """Each check's result: name, points got and possible, passed, what it found, seconds."""
    results = []
    for name, points, check in checks:
        start = time.time()
        try:
            fraction, detail = check(grader)
        except RuntimeError as e:
            fraction, detail = 0, "vmsim failed: %s" % e
        results.append({"name": name, "score": round(points * fraction), "max_score": points,
                        "passed": fraction >= PASS_AT.get(name, 1), "detail": detail,
                        "seconds": time.time() - start})
    return results


def report(args, results):
    if args.tap:
        gradeout.gradeout_tap(results)
    else:
        gradeout.gradeout_table("grading policy '%s'" % args.policy, results)
    if args.json:
        gradeout.gradeout_gradescope(args.json, "policy '%s' graded by tools/grade.py "
                                     "(docs/labs/replacement.md)" % args.policy, results)
    if args.junit:
        gradeout.gradeout_junit(args.junit, "grade.%s" % args.policy, results)
    return 1 if any(not r["passed"] for r in results) else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("policy")
    ap.add_argument("--vmsim", help="grade with this simulator as it is (default: build/vmsim, "
                    "rebuilt first)")
    ap.add_argument("--frames", type=int, default=256, help="vm.frames of the boot under pressure")
    ap.add_argument("--no-boot", action="store_true", help="the simulator's checks only")
    ap.add_argument("--tap", action="store_true", help="TAP lines instead of the table")
    ap.add_argument("--json", metavar="FILE", help="also write Gradescope's results.json")
    ap.add_argument("--junit", metavar="FILE", help="also write JUnit XML")
    args = ap.parse_args()

    checks = [c for c in CHECKS if not (args.no_boot and c[2] in (Grader.boot, Grader.kernel_count))]
    if not args.vmsim:
        failure = build(["build/vmsim"] + ([] if args.no_boot else ["build/kernel.elf",
                                                                    "build/disk.img"]))
        if failure:
            print("grade: the build failed, so nothing was graded:\n%s" % failure, file=sys.stderr,
                  flush=True)
            report(args, [{"name": name, "score": 0, "max_score": points, "passed": False,
                           "detail": "not graded: the build failed", "seconds": 0}
                          for name, points, _ in checks])
            return 2
    grader = Grader(args.policy, args.vmsim or os.path.join(ROOT, "build", "vmsim"), args.frames)
    status, names = grader.run("--names")
    if args.policy not in names.split():
        print("grade: no policy '%s' in %s --names: register it in mm/policy/registry.c" % (
            args.policy, grader.vmsim), file=sys.stderr)
        return 2
    return report(args, grade(grader, checks))


if __name__ == "__main__":
    sys.exit(main())
