#!/usr/bin/env python3
"""tests/lab/test_mklab.py: tools/mklab.py on small fixtures (a cut stubbed, another kept,
NASM's stub lines unprefixed, malformed markers named by file and line, cuts and labs
that do not match), then the commands a handout gives, in a scratch clone of a fixture
tree: make lab (a branch of one commit, refused on a dirty tree), make handin (refused
without the answers file). Prints TAP."""
import json
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tap import Tap                                                     # noqa: E402
import mklab                                                            # noqa: E402

C_SOURCE = """int a(void)
{
    /* LAB one: BEGIN */
    return 1;
    /* LAB one: STUB
    return -1;
    LAB one: END */
}
/* LAB two: BEGIN */
int b(void) { return 2; }
/* LAB two: STUB
int b(void) { return -2; }
LAB two: END */
"""
ASM_SOURCE = """f:
; LAB one: BEGIN
    mov eax, 1
; LAB one: STUB
;     mov eax, -1
; LAB one: END
    ret
"""
MALFORMED = {
    "bad name": ("/* LAB One: BEGIN */\n", "x.c:1: malformed marker"),
    "nested": ("/* LAB a: BEGIN */\n/* LAB b: BEGIN */\n", "x.c:2: BEGIN of cut 'b' where a STUB"),
    "unended": ("/* LAB a: BEGIN */\nx\n/* LAB a: STUB\ny\n", "x.c:1: cut 'a' is never ended"),
    "other end": ("/* LAB a: BEGIN */\n/* LAB a: STUB\nLAB b: END */\n",
                  "x.c:3: END of cut 'b' inside cut 'a'"),
    "comment in stub": ("/* LAB a: BEGIN */\n/* LAB a: STUB\n/* no */\nLAB a: END */\n",
                        "x.c:3: the stub of cut 'a' ends the comment early"),
}


def git(tree, *args):
    return subprocess.run(["git"] + list(args), cwd=tree, capture_output=True, text=True)


def fixture(tree, labs):
    """A git tree with the fixtures, tools/ and a Makefile whose targets are the real ones'."""
    os.makedirs(os.path.join(tree, "tests", "lab", "labs"))
    os.makedirs(os.path.join(tree, "tools"))
    for name, text in (("a.c", C_SOURCE), ("f.asm", ASM_SOURCE)):
        with open(os.path.join(tree, name), "w") as f:
            f.write(text)
    for name, cuts in labs.items():
        with open(os.path.join(tree, "tests", "lab", "labs", name + ".json"), "w") as f:
            json.dump({"name": name, "order": 1, "title": name, "handout": "h.md",
                       "cuts": cuts, "tests": [], "answers": "answers-%s.txt" % name}, f)
    for tool in ("mklab.py", "labbranch.py", "handin.py"):
        os.symlink(os.path.join(ROOT, "tools", tool), os.path.join(tree, "tools", tool))
    with open(os.path.join(tree, "Makefile"), "w") as f:
        f.write("lab:\n\t@python3 tools/labbranch.py $(LAB)\nhandin:\n\t@python3 tools/handin.py $(LAB)\n")
    with open(os.path.join(tree, ".gitignore"), "w") as f:
        f.write("/build/\n")
    git(tree, "init", "-q", "-b", "main")
    git(tree, "add", "-A")
    git(tree, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "complete")


def check_apply(tap, tmp):
    src, dst = os.path.join(tmp, "src"), os.path.join(tmp, "dst")
    fixture(src, {"one": ["one"], "two": ["two"]})
    tap.check(mklab.mklab_check(src) == [], "fixture_markers_check", mklab.mklab_check(src))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "mklab.py"), "--lab", "one",
                        src, dst], capture_output=True, text=True)
    with open(os.path.join(dst, "a.c")) as f:
        c = f.read()
    with open(os.path.join(dst, "f.asm")) as f:
        asm = f.read()
    tap.check(p.returncode == 0 and "return -1;" in c and "return 1;" not in c and
              "return 2;" in c and "return -2;" not in c and "LAB" not in c,
              "cut_stubbed_other_kept_no_marker_left", p.stderr + c)
    tap.check("    mov eax, -1\n" in asm and "mov eax, 1\n" not in asm and "LAB" not in asm,
              "nasm_stub_loses_its_semicolon", asm)
    return src


def check_malformed(tap):
    for what, (text, message) in MALFORMED.items():
        try:
            mklab.mklab_parse("x.c", text.split("\n"))
            got = "accepted"
        except mklab.MarkerError as e:
            got = str(e)
        tap.check(got.startswith(message), "malformed_%s_named" % what.replace(" ", "_"), got)


def check_labs_match(tap, tmp):
    tree = os.path.join(tmp, "mismatch")
    fixture(tree, {"one": ["one", "three"]})
    problems = "\n".join(mklab.mklab_check(tree))
    tap.check("lab 'one' names cut 'three', which no source marks" in problems and
              "a.c:9: cut 'two' belongs to no lab" in problems, "labs_and_cuts_must_match",
              problems)


def check_branch_and_handin(tap, src):
    git(src, "config", "user.name", "t")
    git(src, "config", "user.email", "t@t")
    with open(os.path.join(src, "a.c"), "a") as f:
        f.write("/* dirty */\n")
    p = subprocess.run(["make", "lab", "LAB=one"], cwd=src, capture_output=True, text=True)
    tap.check(p.returncode != 0 and "the work tree has changes" in p.stderr,
              "make_lab_refuses_a_dirty_tree", p.stdout + p.stderr)
    git(src, "checkout", "a.c")
    p = subprocess.run(["make", "lab", "LAB=one"], cwd=src, capture_output=True, text=True)
    log = git(src, "log", "--format=%s").stdout.splitlines()
    with open(os.path.join(src, "a.c")) as f:
        c = f.read()
    tap.check(p.returncode == 0 and git(src, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
              == "lab-one" and len(log) == 1 and "return -1;" in c and "LAB" not in c,
              "make_lab_checks_out_a_one_commit_branch", p.stdout + p.stderr + str(log))
    with open(os.path.join(src, "a.c"), "w") as f:
        f.write(c.replace("return -1;", "return 1;"))
    p = subprocess.run(["make", "handin"], cwd=src, capture_output=True, text=True)
    tap.check(p.returncode != 0 and "answers-one.txt is missing" in p.stderr,
              "make_handin_wants_the_answers", p.stdout + p.stderr)
    with open(os.path.join(src, "answers-one.txt"), "w") as f:
        f.write("1. because\n")
    p = subprocess.run(["make", "handin"], cwd=src, capture_output=True, text=True)
    out = os.path.join(src, "build", "handin-one.tar.gz")
    names, patch = [], ""
    if os.path.exists(out):
        with tarfile.open(out) as tar:
            names = tar.getnames()
            patch = tar.extractfile("handin-one/changes.patch").read().decode()
    tap.check(p.returncode == 0 and "handin-one/answers-one.txt" in names and
              "handin-one/files/a.c" in names and "+    return 1;" in patch and
              "-    return -1;" in patch, "make_handin_packs_the_change_and_answers",
              p.stdout + p.stderr + str(names) + patch)


def main():
    tap = Tap()
    with tempfile.TemporaryDirectory() as tmp:
        src = check_apply(tap, tmp)
        check_malformed(tap)
        check_labs_match(tap, tmp)
        check_branch_and_handin(tap, src)
    problems = mklab.mklab_check(ROOT)
    tap.check(not problems, "this_trees_markers_and_labs_check", "\n".join(problems))
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
