#!/usr/bin/env python3
"""tools/labbranch.py NAME: make lab LAB=NAME in a student's clone (docs/labs/README.md).

Creates the git branch lab-NAME whose one commit is the lab's tree (tools/mklab.py: the
lab's cuts stubbed, no markers left) and checks it out. The commit has no parent, so the
branch's history holds no solution for `git log -p` to show. Refuses when the work tree
has changes (the checkout would mix them in) or the branch exists (a second `make lab`
must not throw a student's work away).
"""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import mklab                                                           # noqa: E402


def labbranch_git(*args, env=None):
    return subprocess.run(["git"] + list(args), cwd=ROOT, capture_output=True, text=True,
                          check=True, env=env).stdout.strip()


def labbranch_refusal(name):
    """Why the branch cannot be made now, or None."""
    labs = mklab.mklab_labs(ROOT)
    if name not in labs:
        return "no lab '%s': the labs are %s" % (name, ", ".join(sorted(labs)))
    dirty = labbranch_git("status", "--porcelain")
    if dirty:
        return "the work tree has changes; commit or stash them first:\n" + dirty
    if labbranch_git("branch", "--list", "lab-" + name):
        return "branch lab-%s exists already: git checkout lab-%s" % (name, name)
    try:
        mklab.mklab_cuts(ROOT)
    except mklab.MarkerError as e:
        return str(e) + " (is this the complete tree? make lab runs on main)"
    return None


def labbranch_make(lab):
    """The commit of the lab's tree, made in a scratch folder and a scratch index."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        mklab.mklab_copy(ROOT, tree, set(lab["cuts"]))
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(tmp, "index"))
        labbranch_git("--work-tree", tree, "add", "-A", ".", env=env)
        tree_id = labbranch_git("write-tree", env=env)
    return labbranch_git("commit-tree", tree_id, "-m", "lab %s: %s (handout %s)" % (
        lab["name"], lab["title"], lab["handout"]))


def main():
    if len(sys.argv) != 2:
        print("usage: make lab LAB=NAME", file=sys.stderr)
        return 2
    name = sys.argv[1]
    refusal = labbranch_refusal(name)
    if refusal:
        print("make lab: %s" % refusal, file=sys.stderr)
        return 1
    lab = mklab.mklab_labs(ROOT)[name]
    labbranch_git("branch", "lab-" + name, labbranch_make(lab))
    labbranch_git("checkout", "-q", "lab-" + name)
    print("make lab: on branch lab-%s: read %s, then make grade LAB=%s; answers go in %s; "
          "make handin packs your work" % (name, lab["handout"], name, lab["answers"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
