#!/usr/bin/env python3
"""tools/handin.py [NAME]: make handin on a lab's branch (docs/labs/README.md).

Packs the student's work on lab NAME (by default the one of the branch lab-NAME) into
build/handin-NAME.tar.gz: changes.patch (every change since the lab's commit, the branch's
root, committed or not, new files included), the changed and new files themselves under
files/, and answers-NAME.txt. Refuses without the answers file: the questions are part
of the grade (the handout says where they are).
"""
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import mklab                                                           # noqa: E402


def handin_git(*args):
    return subprocess.run(["git"] + list(args), cwd=ROOT, capture_output=True, text=True,
                          check=False).stdout


def handin_lab_name(argv):
    if len(argv) > 1 and argv[1]:
        return argv[1]
    branch = handin_git("rev-parse", "--abbrev-ref", "HEAD").strip()
    return branch[len("lab-"):] if branch.startswith("lab-") else None


def handin_changes(base, answers):
    """The patch since base and the files it touches (new ones too), without answers."""
    new = [f for f in handin_git("ls-files", "--others", "--exclude-standard").split("\n")
           if f and f != answers]
    changed = [f for f in handin_git("diff", "--name-only", base).split("\n") if f]
    patch = handin_git("diff", "--binary", base)
    for f in new:                       # git diff --no-index writes a new file's patch
        patch += handin_git("diff", "--no-index", "--binary", "/dev/null", f)
    return patch, sorted(set(changed + new))


def main():
    name = handin_lab_name(sys.argv)
    labs = mklab.mklab_labs(ROOT)
    if name not in labs:
        print("make handin: not on a lab's branch (lab-NAME) and no LAB=NAME given", file=sys.stderr)
        return 2
    answers = labs[name]["answers"]
    if not os.path.isfile(os.path.join(ROOT, answers)) or \
            not os.path.getsize(os.path.join(ROOT, answers)):
        print("make handin: %s is missing or empty: answer the questions of %s in it first" % (
            answers, labs[name]["handout"]), file=sys.stderr)
        return 1
    base = handin_git("rev-list", "--max-parents=0", "HEAD").split()[-1]
    patch, files = handin_changes(base, answers)
    out = os.path.join(ROOT, "build", "handin-%s.tar.gz" % name)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    top = "handin-" + name
    with tempfile.NamedTemporaryFile("w", suffix=".patch") as p, tarfile.open(out, "w:gz") as tar:
        p.write(patch)
        p.flush()
        tar.add(p.name, arcname=top + "/changes.patch")
        tar.add(os.path.join(ROOT, answers), arcname="%s/%s" % (top, answers))
        for f in files:
            if os.path.isfile(os.path.join(ROOT, f)):
                tar.add(os.path.join(ROOT, f), arcname="%s/files/%s" % (top, f))
    print("make handin: %s: %s, %d changed files and changes.patch" % (
        os.path.relpath(out, ROOT), answers, len(files)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
