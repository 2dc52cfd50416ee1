#!/usr/bin/env python3
"""tests/lab/test_grade.py: tools/grade.py as a course runs it. Its Gradescope results.json
and JUnit XML say what its table says; on real programs' traces FIFO scores less than an
LRU approximation; a boot the kernel stops quotes its panic; and in a scratch copy of the
tree, a policy that stops compiling after a good build is not graded on the older binary:
the grader prints the compiler's error, scores every check 0 and exits 2. Prints TAP."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
from tap import Tap  # noqa: E402


def grade(root, policy, out, *extra):
    """tools/grade.py --no-boot in root, with both files written into out."""
    p = subprocess.run([sys.executable, os.path.join(root, "tools", "grade.py"), policy,
                        "--no-boot", "--json", os.path.join(out, "results.json"),
                        "--junit", os.path.join(out, "junit.xml")] + list(extra),
                       capture_output=True, text=True, cwd=root)
    with open(os.path.join(out, "results.json")) as f:
        results = json.load(f)
    return p, results, ET.parse(os.path.join(out, "junit.xml")).getroot()


def check_formats(tap, policy, out):
    """The table's points, the JSON's and the XML's agree, check by check."""
    p, results, junit = grade(ROOT, policy, out, "--vmsim", os.path.join(ROOT, "build", "vmsim"))
    rows = re.findall(r"^ +(\d+)/(\d+) +(\w+) ", p.stdout, re.M)
    total = re.search(r"^score (\d+)/(\d+)$", p.stdout, re.M)
    tests = results["tests"]
    tap.check(rows and total and [(t["name"], t["score"], t["max_score"]) for t in tests] ==
              [(n, int(a), int(b)) for a, b, n in rows] and results["score"] == int(total.group(1)),
              "%s_results_json_has_the_tables_points" % policy, p.stdout + json.dumps(results))
    failed = [t["name"] for t in tests if t["status"] == "failed"]
    half = [t["name"] for t in tests if t["score"] < t["max_score"] and not (
        t["name"] == "real_traces_versus_opt_lru" and 2 * t["score"] >= t["max_score"])]
    tap.check(failed == half and (p.returncode == 0) == (not failed),
              "%s_failed_checks_are_failed_tests" % policy, "%s, exit %d" % (failed, p.returncode))
    suite = junit.find("testsuite")
    cases = suite.findall("testcase")
    tap.check(suite.get("tests") == str(len(tests)) and
              [c.get("name") for c in cases if c.find("failure") is not None] == failed and
              suite.get("failures") == str(len(failed)),
              "%s_junit_has_a_case_a_check_and_its_failures" % policy, ET.tostring(junit))
    return results


def check_real_traces(tap, fifo, esc):
    """On the real programs' traces FIFO earns what FIFO deserves, far less than ESC (NRU),
    which evicts clean unreferenced pages first and so writes back less."""
    points = {name: [t["score"] for t in results["tests"]
                     if t["name"] == "real_traces_versus_opt_lru"]
              for name, results in (("fifo", fifo), ("esc", esc))}
    tap.check(points["fifo"] and points["esc"] and points["fifo"][0] <= 8 and
              points["esc"][0] >= 16, "fifo_earns_little_esc_much_on_real_traces", points)
    tap.check([t["status"] for r in (fifo, esc) for t in r["tests"]
               if t["name"] == "real_traces_versus_opt_lru"] == ["failed", "passed"],
              "fifo_fails_the_real_traces_esc_passes", json.dumps([fifo, esc]))


def check_boot_names_the_panic(tap):
    """The boot under pressure with a policy the kernel stops (the lab kernel's broken
    ones, tests/lab/broken_policies.c) fails at once, quoting the kernel's panic."""
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import grade
    lab = os.path.join(ROOT, "build", "labkernel", "kernel.elf")
    for policy, panic in (("lowest_frame", "PANIC: vm.policy=lowest_frame livelocked: it chose "
                           "frame "), ("frame_zero", "PANIC: vm.policy=frame_zero chose frame 0 ")):
        fraction, detail = grade.Grader(policy, None, 128, kernel=lab).boot()
        tap.check(fraction == 0 and panic in detail and "grade-%s.log" % policy in detail,
                  "boot_of_%s_quotes_the_panic" % policy, detail)


def scratch_tree(into):
    """The tree as it is (the files git knows, with their changes), without build/."""
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                           capture_output=True, text=True, cwd=ROOT).stdout.split()
    for name in files:
        if os.path.isfile(os.path.join(ROOT, name)):
            os.makedirs(os.path.dirname(os.path.join(into, name)), exist_ok=True)
            shutil.copy2(os.path.join(ROOT, name), os.path.join(into, name))


def check_rebuild(tap, tmp):
    tree = os.path.join(tmp, "tree")
    scratch_tree(tree)
    policy = os.path.join(tree, "mm", "policy", "mine.c")
    with open(os.path.join(ROOT, "docs", "labs", "skeleton_policy.c")) as f:
        good = f.read().replace("skeleton", "mine")
    with open(policy, "w") as f:
        f.write(good)
    subprocess.run([os.path.join(ROOT, "tools", "labregister.sh"),
                    os.path.join(tree, "mm", "policy", "registry.c"),
                    os.path.join(tree, "mm", "policy", "registry.c"), "mine"], check=True)
    p, results, _ = grade(tree, "mine", tmp)
    tap.check(re.search(r"^score \d+/\d+$", p.stdout, re.M) and results["score"] > 0,
              "a_registered_policy_is_graded", p.stdout + p.stderr)
    with open(policy, "w") as f:         # the student's next edit does not compile
        f.write(good.replace("return oldest;", "return oldest"))
    p, results, junit = grade(tree, "mine", tmp)
    tap.check(p.returncode == 2 and "the build failed, so nothing was graded" in p.stderr and
              re.search(r"mm/policy/mine\.c:\d+:\d+: error: expected .;.", p.stderr) and
              re.search(r"^score 0/\d+$", p.stdout, re.M),
              "a_policy_that_does_not_compile_is_not_graded", "exit %d\n%s%s" % (
                  p.returncode, p.stdout, p.stderr))
    tap.check(results["score"] == 0 and results["tests"] and
              all(t["status"] == "failed" and t["output"] == "not graded: the build failed"
                  for t in results["tests"]) and
              junit.find("testsuite").get("failures") == str(len(results["tests"])),
              "the_build_failure_is_in_results_json_and_junit", json.dumps(results))


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        check_real_traces(tap, check_formats(tap, "fifo", tmp), check_formats(tap, "esc", tmp))
        check_rebuild(tap, tmp)
    check_boot_names_the_panic(tap)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
