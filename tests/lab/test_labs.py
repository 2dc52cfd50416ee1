#!/usr/bin/env python3
"""tests/lab/test_labs.py LAB: CI's proof of one lab (tests/lab/labs/LAB.json): the student's
tree, made by tools/mklab.py in a scratch folder, builds; `make grade LAB=LAB` there, the
handout's command, scores it 0 (every test of the lab fails) in its results.json, with
the stub's message on the console when the lab has one; and its unaffected tests still
pass. (That the complete tree scores full marks is checked
by tools/runtests.py --labs on the same run's results: the lab's tests are part of make
test already.) Prints TAP.

The scratch tree starts with a copy of this tree's build/: mklab keeps the times of the
files it does not change, so make rebuilds only the objects a cut touched and the
kernel. tests/boot/labproof_suite.py makes one boot-test entry of this per lab, so
that runtests' jobs run the labs beside the other tests, never more at once.
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.path.insert(0, os.path.join(ROOT, "tests", "boot"))
from tap import Tap                                                     # noqa: E402
import labgrade                                                         # noqa: E402
import mklab                                                            # noqa: E402
import runtests                                                         # noqa: E402

# What a test of the student's tree must not reuse from this one's build (nor grade-*/,
# the results of a make grade here).
NOT_COPIED = ("test-logs", "test-recordings", "lab")


def labs_student_tree(lab, tree):
    """The lab's tree in tree, with this tree's build copied beside it: None, or why the
    build failed."""
    mklab.mklab_copy(ROOT, tree, set(lab["cuts"]))
    os.makedirs(os.path.join(tree, "build"))
    # Entry by entry, leaving the logs out: tests running meanwhile write and delete there.
    subprocess.run(["cp", "-a"] + [os.path.join(ROOT, "build", e) for e in
                                   sorted(os.listdir(os.path.join(ROOT, "build")))
                                   if e not in NOT_COPIED and not e.startswith("grade-")] +
                   [os.path.join(tree, "build")],
                   check=True)
    return labgrade.labgrade_build(tree, labgrade.labgrade_targets(lab))


def labs_make_grade(lab, tree):
    """make grade LAB=NAME in the student's tree, as the handout says: {test: passed} from
    the results.json it writes, or None if it wrote none."""
    subprocess.run(["make", "-s", "-C", tree, "grade", "LAB=" + lab["name"]],
                   capture_output=True, text=True)
    path = os.path.join(tree, "build", "grade-" + lab["name"], "results.json")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return {t["name"]: t["status"] == "passed" for t in json.load(f)["tests"]}


def labs_stub_named(lab, tree, name):
    """Whether the failed test's log in the student's tree names the lab (its stub's panic
    or message), so a student learns which function to write; labs whose stubs are
    planted bugs say nothing."""
    path = os.path.join(tree, "build", "test-logs", name.replace("/", "-") + ".log")
    if not os.path.exists(path):
        return False
    with open(path, errors="replace") as f:
        return ("lab %s:" % lab["name"]) in f.read()


def main():
    name = sys.argv[1]
    lab = mklab.mklab_labs(ROOT)[name]
    tap, tag = Tap(), "labproof-%s-" % name
    with tempfile.TemporaryDirectory(prefix="labproof-") as tmp:
        tree = os.path.join(tmp, name)
        failure = labs_student_tree(lab, tree)
        if not tap.check(failure is None, "%s_student_tree_builds" % name, failure):
            return tap.finish()
        passed = labs_make_grade(lab, tree)
        if not tap.check(passed is not None and set(passed) == {t["test"] for t in lab["tests"]},
                         "%s_make_grade_writes_results" % name, "results.json: %r" % passed):
            return tap.finish()
        score = sum(t["points"] for t in lab["tests"] if passed[t["test"]])
        tap.check(score == 0, "%s_student_tree_scores_0" % name, "%d points: %s pass" % (
            score, ", ".join(t for t, ok in passed.items() if ok)))
        if not any(c.startswith("bug-") for c in lab["cuts"]):
            unnamed = [t for t in passed if not labs_stub_named(lab, tree, t)]
            tap.check(not unnamed, "%s_failures_name_the_lab" % name,
                      "no 'lab %s:' in the logs of %s" % (name, ", ".join(unnamed)))
        for test in lab.get("unaffected", []):
            ok, detail = labgrade.labgrade_run(test, tree, tag)
            tap.check(ok, "%s_student_tree_passes_%s" % (name, test), detail)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
