#!/usr/bin/env python3
"""tools/labgrade.py: grades a lab by its tests (tests/lab/labs/NAME.json, docs/labs/README.md).

Usage: tools/labgrade.py NAME [--json FILE] [--junit FILE] [--tap]
(or: make grade LAB=NAME, which writes build/grade-NAME/results.json and junit.xml)

It first builds what the tests boot (make -j2 build/kernel.elf build/disk.img, and the
host tests the lab names): a tree that does not compile is never graded on an older
kernel; the compiler's errors are printed, every test scores 0 and the exit status is 2.
Then each test of the lab runs once (a boot test of tests/boot/suite.py, or host/NAME, a
host test); a test earns its points only if every one of its checks passed. Prints a
table and the score (or TAP lines); the exit status is 0 only with full marks.
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
import gradeout                                                        # noqa: E402
import mklab                                                           # noqa: E402
import runtests                                                        # noqa: E402


def labgrade_boot_tests():
    """{name: boot test} of tests/boot/suite.py."""
    import suite
    return {t["name"]: t for t in suite.TESTS}


def labgrade_in_tree(test, tree):
    """The boot test as it runs in another tree: its kernel and disk that tree's."""
    moved = dict(test)
    for key, default in (("kernel", runtests.KERNEL), ("disk_image", runtests.DISK)):
        path = test.get(key, default)
        moved[key] = os.path.join(tree, os.path.relpath(path, ROOT))
    return moved


def labgrade_targets(lab):
    """What make builds for the lab's tests (paths relative to the tree)."""
    boots = labgrade_boot_tests()
    targets = {"build/kernel.elf", "build/disk.img"}
    for name in [t["test"] for t in lab["tests"]] + lab.get("unaffected", []):
        if name.startswith("host/"):
            targets.add("build/" + name)
        elif name in boots:
            targets.add(os.path.relpath(boots[name].get("kernel", runtests.KERNEL), ROOT))
    return sorted(targets)


def labgrade_build(tree, targets):
    """make the targets in tree: None, or the compiler's complaint."""
    p = subprocess.run(["make", "-s", "-j2", "-C", tree] + targets, capture_output=True,
                       text=True)
    if p.returncode == 0:
        return None
    lines = (p.stdout + p.stderr).strip().splitlines()
    return "\n".join(([l for l in lines if "error" in l] or lines)[:20])


def labgrade_run(name, tree=ROOT, tag=""):
    """Run one of a lab's tests in tree: (passed, what failed). tag prefixes its log's name
    (build/test-logs/), so a run in another tree keeps its own."""
    if name.startswith("host/"):
        results = runtests.run_tap(tag + name, [os.path.join(tree, "build", name)], 300)
    else:
        boots = labgrade_boot_tests()
        if name not in boots:
            return False, "no boot test '%s' in tests/boot/suite.py" % name
        test = dict(labgrade_in_tree(boots[name], tree), name=tag + name)
        results = runtests.run_test(test, 128)
    failed = [r for r in results if not r.ok]
    return not failed, "; ".join(r.name + (": " + r.detail.strip().splitlines()[0]
                                           if r.detail.strip() else "") for r in failed[:3])


def labgrade_result(name, points, passed, detail, seconds):
    return {"name": name, "score": points if passed else 0, "max_score": points,
            "passed": passed, "detail": detail or "passed", "seconds": seconds}


def labgrade_grade(lab):
    results = []
    for t in lab["tests"]:
        start = time.time()
        passed, detail = labgrade_run(t["test"])
        results.append(labgrade_result(t["test"], t["points"], passed, detail,
                                       time.time() - start))
    return results


def labgrade_report(args, lab, results):
    if args.tap:
        gradeout.gradeout_tap(results)
    else:
        gradeout.gradeout_table("grading lab %d, %s (%s)" % (lab["order"], lab["name"],
                                                             lab["title"]), results)
    output = "lab '%s' graded by tools/labgrade.py (%s)" % (lab["name"], lab["handout"])
    if args.json:
        gradeout.gradeout_gradescope(args.json, output, results)
    if args.junit:
        gradeout.gradeout_junit(args.junit, "lab.%s" % lab["name"], results)
    score, full = gradeout.gradeout_total(results)
    return 0 if score == full else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("lab")
    ap.add_argument("--tap", action="store_true", help="TAP lines instead of the table")
    ap.add_argument("--json", metavar="FILE", help="also write Gradescope's results.json")
    ap.add_argument("--junit", metavar="FILE", help="also write JUnit XML")
    args = ap.parse_args()
    labs = mklab.mklab_labs(ROOT)
    if args.lab not in labs:
        print("labgrade: no lab '%s': the labs are %s" % (args.lab, ", ".join(sorted(labs))),
              file=sys.stderr)
        return 2
    lab = labs[args.lab]
    failure = labgrade_build(ROOT, labgrade_targets(lab))
    if failure:
        print("labgrade: the build failed, so nothing was graded:\n%s" % failure,
              file=sys.stderr, flush=True)
        labgrade_report(args, lab, [labgrade_result(t["test"], t["points"], False,
                                                    "not graded: the build failed", 0)
                                    for t in lab["tests"]])
        return 2
    return labgrade_report(args, lab, labgrade_grade(lab))


if __name__ == "__main__":
    sys.exit(main())
