#!/usr/bin/env python3
"""tools/mklab.py: makes a student's tree for a lab from the complete source (docs/labs/README.md).

Usage: tools/mklab.py [--lab NAME] SRC DST    copy SRC's tracked files into DST, with the
                                              cuts of lab NAME replaced by their stubs and
                                              every other marker removed (no --lab: the
                                              complete tree, without markers)
       tools/mklab.py --check [SRC]           check every marker of SRC and the labs' cuts

The solution carries its cuts between marker lines (docs/labs/README.md, "Cut markers"):

    /* LAB cow: BEGIN */        ; LAB cow: BEGIN           (C and headers; NASM)
    ...the solution...          ...the solution...
    /* LAB cow: STUB            ; LAB cow: STUB
    ...the stub...              ; ...the stub...
    LAB cow: END */             ; LAB cow: END

A cut's name is [a-z0-9-]+; cuts never nest; a C stub never holds the end of a comment.
--check also finds each cut named by tests/lab/labs/*.json in the tree and each cut of the
tree in some lab. Errors name the file and line; the exit status is 1 if there were any.
Files that mklab does not change keep their modification times, so a build copied beside
them rebuilds only what a cut changed (tests/lab/test_labs.py relies on it).
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

# Only sources carry markers: a handout quotes them in prose and must stay as written.
MARKED = (".c", ".h", ".asm")
NAME = r"([a-z0-9-]+)"
C_FORMS = {"BEGIN": re.compile(r"^\s*/\* LAB %s: BEGIN \*/\s*$" % NAME),
           "STUB": re.compile(r"^\s*/\* LAB %s: STUB\s*$" % NAME),
           "END": re.compile(r"^\s*LAB %s: END \*/\s*$" % NAME)}
ASM_FORMS = {kind: re.compile(r"^\s*; LAB %s: %s\s*$" % (NAME, kind))
             for kind in ("BEGIN", "STUB", "END")}
# Anything that looks meant as a marker: checked against the forms above.
LOOKS_LIKE = re.compile(r"\bLAB\b.*\b(BEGIN|STUB|END)\b")
NEXT = {None: "BEGIN", "BEGIN": "STUB", "STUB": "END"}


class MarkerError(Exception):
    pass


class Block:
    """One cut in one file: its name and lines (0-based) of the three markers."""
    def __init__(self, name, begin):
        self.name, self.begin, self.stub, self.end = name, begin, None, None


def mklab_parse(path, lines):
    """The blocks of one file's lines; MarkerError names the first malformed marker."""
    forms = ASM_FORMS if path.endswith(".asm") else C_FORMS
    blocks, open_block = [], None
    for i, line in enumerate(lines):
        where = "%s:%d" % (path, i + 1)
        if open_block and open_block.stub is not None and path.endswith((".c", ".h")) \
                and "*/" in line and not forms["END"].match(line):
            raise MarkerError("%s: the stub of cut '%s' ends the comment early ('*/')"
                              % (where, open_block.name))
        if not LOOKS_LIKE.search(line):
            continue
        kind, match = next(((k, f.match(line)) for k, f in forms.items() if f.match(line)),
                           (None, None))
        if not match:
            raise MarkerError("%s: malformed marker: %s (docs/labs/README.md, \"Cut "
                              "markers\")" % (where, line.strip()))
        want = NEXT[open_block and ("STUB" if open_block.stub is not None else "BEGIN")]
        if kind != want:
            raise MarkerError("%s: %s of cut '%s' where a %s was due%s" % (
                where, kind, match.group(1), want,
                " (cuts never nest)" if kind == "BEGIN" else ""))
        if open_block and match.group(1) != open_block.name:
            raise MarkerError("%s: %s of cut '%s' inside cut '%s' (begun at line %d)" % (
                where, kind, match.group(1), open_block.name, open_block.begin + 1))
        if kind == "BEGIN":
            open_block = Block(match.group(1), i)
        elif kind == "STUB":
            open_block.stub = i
        else:
            open_block.end = i
            blocks.append(open_block)
            open_block = None
    if open_block:
        raise MarkerError("%s:%d: cut '%s' is never ended" % (path, open_block.begin + 1,
                                                               open_block.name))
    return blocks


def mklab_stub_line(path, line):
    """A stub line as the student's tree has it: NASM's lose their "; "."""
    if path.endswith(".asm"):
        return re.sub(r"^(\s*); ?", r"\1", line, count=1)
    return line


def mklab_apply(path, lines, cuts):
    """The file's lines with the named cuts stubbed and the other cuts' solutions kept,
    no marker line left."""
    out, pos = [], 0
    for b in mklab_parse(path, lines):
        out += lines[pos:b.begin]
        if b.name in cuts:
            out += [mklab_stub_line(path, l) for l in lines[b.stub + 1:b.end]]
        else:
            out += lines[b.begin + 1:b.stub]
        pos = b.end + 1
    return out + lines[pos:]


def mklab_tracked(src):
    """The files git tracks in src, as it has them now."""
    out = subprocess.run(["git", "ls-files", "-z"], cwd=src, capture_output=True, text=True,
                         check=True).stdout
    return [f for f in out.split("\0") if f and os.path.isfile(os.path.join(src, f))]


def mklab_read(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def mklab_labs(src):
    """{lab name: its definition} from tests/lab/labs/*.json."""
    labs = {}
    for path in sorted(glob.glob(os.path.join(src, "tests", "lab", "labs", "*.json"))):
        with open(path) as f:
            lab = json.load(f)
        labs[lab["name"]] = dict(lab, path=os.path.relpath(path, src))
    return labs


def mklab_cuts(src, problems=None):
    """{cut name: [(file, line)]} over the tracked sources. A malformed file raises
    MarkerError, or with a problems list is reported there and skipped."""
    found = {}
    for name in mklab_tracked(src):
        if not name.endswith(MARKED):
            continue
        try:
            for b in mklab_parse(name, mklab_read(os.path.join(src, name))):
                found.setdefault(b.name, []).append((name, b.begin + 1))
        except MarkerError as e:
            if problems is None:
                raise
            problems.append(str(e))
    return found


def mklab_check(src):
    """Every problem with the markers and the labs' cuts, as messages."""
    problems = []
    found = mklab_cuts(src, problems)
    named = set()
    for lab in mklab_labs(src).values():
        for cut in lab.get("cuts", []):
            named.add(cut)
            if cut not in found:
                problems.append("%s: lab '%s' names cut '%s', which no source marks" % (
                    lab["path"], lab["name"], cut))
    for cut, where in sorted(found.items()):
        if cut not in named:
            problems.append("%s:%d: cut '%s' belongs to no lab in tests/lab/labs/" % (
                where[0][0], where[0][1], cut))
    return problems


def mklab_copy(src, dst, cuts):
    """src's tracked files into dst, cut; unchanged files keep their times."""
    for name in mklab_tracked(src):
        source, target = os.path.join(src, name), os.path.join(dst, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not name.endswith(MARKED):
            shutil.copy2(source, target)
            continue
        lines = mklab_read(source)
        cut = mklab_apply(name, lines, cuts)
        if cut == lines:
            shutil.copy2(source, target)
        else:
            with open(target, "w", encoding="utf-8") as f:
                f.write("\n".join(cut))
            shutil.copymode(source, target)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab", help="the lab whose cuts are stubbed (tests/lab/labs/NAME.json)")
    ap.add_argument("--check", action="store_true", help="check the markers and the labs")
    ap.add_argument("src", nargs="?", default=".")
    ap.add_argument("dst", nargs="?")
    args = ap.parse_args()
    if args.check:
        problems = mklab_check(args.src)
        for p in problems:
            print("mklab: %s" % p, file=sys.stderr)
        return 1 if problems else 0
    if not args.dst:
        ap.error("give SRC and DST (or --check)")
    cuts = set()
    if args.lab:
        labs = mklab_labs(args.src)
        if args.lab not in labs:
            print("mklab: no lab '%s': the labs are %s" % (args.lab, ", ".join(sorted(labs))),
                  file=sys.stderr)
            return 2
        cuts = set(labs[args.lab]["cuts"])
    if os.path.exists(args.dst) and os.listdir(args.dst):
        print("mklab: %s is not empty" % args.dst, file=sys.stderr)
        return 2
    try:
        missing = cuts - set(mklab_cuts(args.src))
        if missing:
            print("mklab: lab '%s' names cuts no source marks: %s" % (
                args.lab, ", ".join(sorted(missing))), file=sys.stderr)
            return 1
        mklab_copy(args.src, args.dst, cuts)
    except MarkerError as e:
        print("mklab: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
