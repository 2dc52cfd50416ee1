#!/usr/bin/env python3
"""tests/docs/test_docs.py: the documents cannot drift from the code. Prints TAP.

Every back-quoted name in README.md, tests/README.md and docs/ (all of docs/, the lab
included) must exist in the tree:
  - `name(...)`: a function or macro of the tree's code (C, assembly, Python);
  - `a->b`, `a.b.c`, a bare C-like name (`frame_alloc`, `PTE_W`, `tick`): each part a
    name the code uses (comments and strings do not count);
  - `vm.NAME=...` and the other kernel arguments: a name the kernel's C code looks up;
  - a path (with a "/" or a known extension): a file or folder of the tree; `/bin/NAME`
    a user program (user/NAME.c); paths under build/ or the guest's other folders, and
    patterns (`*`, `<...>`), are not checked;
  - `make TARGET ...`, here and in code blocks: a target of the Makefile.
ALLOWED lists the few names that are deliberately not in the tree, each with its reason.
Also: `make help` lists every target and variable of the Makefile with its text, and
docs/architecture.md shows what tools/layers.py prints (and its rules hold).
"""
import os
import re
import shlex
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from tap import Tap  # noqa: E402
import makehelp  # noqa: E402
import layers  # noqa: E402

# Names the documents use on purpose that no file here defines.
ALLOWED = {
    # Linux's and other systems' names, for comparison
    "do_page_fault": "Linux's page-fault handler, compared with ours",
    "handle_mm_fault": "Linux's, compared with ours",
    "kswapd": "Linux's pageout daemon, compared with ours",
    "struct page": "Linux's frame descriptor, compared with struct frame",
    "mm_struct": "Linux's address space, compared with struct mm",
    "vm_area_struct": "Linux's region, compared with struct vma",
    "vm_operations_struct": "Linux's region operations, compared with struct vma_ops",
    "page_mkwrite": "Linux's operation, compared with the page cache's mkwrite",
    "get_user_pages": "Linux's, compared with mm_write",
    "vmalloc": "Linux's, which Pagoda does not have",
    # gdb and shell commands, and QEMU's options, shown in back quotes
    "tbreak": "a gdb command", "finish": "a gdb command", "bt": "a gdb command",
    "continue": "a gdb command", "watch": "a gdb command", "rwatch": "a gdb command",
    "reverse-continue": "a gdb command",
    "run_on_cpu": "QEMU's function, named where its record/replay deadlock is explained", "reverse-step": "a gdb command",
    "addr2line": "binutils' tool", "objdump": "binutils' tool", "readelf": "binutils' tool",
    "mkswap": "util-linux's tool", "mke2fs": "e2fsprogs' tool", "sfdisk": "util-linux's tool",
    "ulimit": "the shell builtin", "strace": "Linux's tool",
    "vfork": "Linux's call, which Pagoda does not have",
    "generic_permission": "Linux's permission check, compared with ours",
    "fill_ldt": "Linux's, compared with our TLS descriptors",
    "arch/x86/kernel/tls.c": "Linux's file, compared with kernel/tls.c",
    "entry_32.S": "Linux's trap entry, compared with kernel/trapentry.asm",
    "min_free_kbytes": "Linux's watermark setting, compared with ours",
    "CAP_IPC_LOCK": "Linux's capability for mlock beyond the limit",
    "__restore": "glibc's signal trampoline", "__restore_rt": "glibc's signal trampoline",
    "__builtin_unreachable": "GCC's builtin",
    "p_paddr": "the ELF program header's field (we name it paddr)",
    "filetype": "ext2's directory-entry field (we name it file_type)",
    "s_inode_size": "ext2's superblock field (we name it inode_size)",
    "i_size": "ext2's inode field (we name it size)",
    "i_blocks": "ext2's inode field (we name it blocks)",
    "dir_nlink": "an ext4 feature Pagoda's ext2 does not know (mke2fs -O)",
    "metadata_csum": "an ext4 feature Pagoda's ext2 does not know (mke2fs -O)",
    "boot/grub/grub.cfg": "a path inside the ISO, written by tools/mkiso.sh",
    # x86 names (Intel SDM, vol. 3): registers, flags, instructions
    "CR0.WP": "x86", "CR4.PGE": "x86", "CR4.PSE": "x86", "EFLAGS": "x86", "EFLAGS.DF": "x86",
    "IF": "x86", "movl": "x86", "stosl": "x86", "lsl": "x86", "verr": "x86", "verw": "x86",
    "ud2": "x86", "fxrstor": "x86",
    "LDT_empty": "Linux's macro for a cleared descriptor, compared with kernel/tls.c",
    "tls_desc_okay": "Linux's check, compared with kernel/tls.c",
    "__vm_enough_memory": "Linux's overcommit check, compared with mm/sys_mm.c",
    "mm/util.c": "Linux's file, compared with mm/sys_mm.c",
    "kvm": "ACCEL=kvm: QEMU's accelerator",
    "vector14": "the label kernel/trapentry.asm's macro makes for vector 14 (vector%1)",
    "I/O": "input/output, not a path",
}

EXTENSIONS = (".c", ".h", ".py", ".md", ".sh", ".asm", ".ld", ".svg", ".png", ".in", ".txt",
              ".cfg", ".json", ".html", ".js", ".css", ".trace", ".console")
SKIP_DIRS = {".git", "build", "node_modules", "__pycache__"}
CODE_EXT = (".c", ".h", ".asm", ".ld", ".py", ".sh", ".js", ".S")

C_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
C_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])\'')
HASH_COMMENT = re.compile(r"(?m)(^|\s)#[^\n]*")
ASM_COMMENT = re.compile(r";[^\n]*")
TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
CALLED = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
DEFINE = re.compile(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", re.M)
ASM_LABEL = re.compile(r"^\s*(?:global\s+)?([A-Za-z_][A-Za-z0-9_]*):?", re.M)
SPAN = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
KERNEL_ARG = re.compile(r"^([a-z]+\.[a-z_]+|init|idle|ktest)=")
KERNEL_ARG_BARE = re.compile(r"^(vm|ata)\.[a-z_]+$")


def tree_files():
    for top, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        for f in files:
            yield os.path.relpath(os.path.join(top, f), ROOT)


def code_names():
    """(words, callables, strings): the names the code uses, those called or defined as a
    function or macro, and the C string literals (kernel arguments are looked up by them)."""
    words, callables, strings = set(), set(), set()
    for path in tree_files():
        if path == os.path.relpath(os.path.abspath(__file__), ROOT):
            continue                            # its own examples of drift
        words.add(os.path.splitext(os.path.basename(path))[0])   # test_ext2, mkdisk
        if not path.endswith(CODE_EXT) and os.path.basename(path) != "Makefile":
            continue
        try:
            with open(os.path.join(ROOT, path), encoding="utf-8") as f:
                text = f.read()
        except (UnicodeDecodeError, OSError):
            continue
        if path.endswith((".c", ".h", ".js")):
            strings.update(s[1:-1] for s in C_STRING.findall(text))
            callables.update(DEFINE.findall(text))
            callables.update(re.findall(r"\bSYSCALL\((\w+)\)", text))
            callables.update(re.findall(r"\bsys_(\w+)\s*\(", text))   # nice(): sys_nice
            text = C_STRING.sub('""', C_COMMENT.sub(" ", text))
        elif path.endswith(".asm"):
            text = ASM_COMMENT.sub("", text)
            callables.update(ASM_LABEL.findall(text))
        elif path.endswith((".py", ".sh")) or os.path.basename(path) == "Makefile":
            text = HASH_COMMENT.sub(" ", text)
        words.update(TOKEN.findall(text))
        callables.update(CALLED.findall(text))
    for s in strings:                           # names the code prints or looks up
        words.update(TOKEN.findall(s))
    return words, callables, strings


def documents():
    docs = ["README.md", "tests/README.md"]
    for top, _, files in os.walk(os.path.join(ROOT, "docs")):
        docs += [os.path.relpath(os.path.join(top, f), ROOT) for f in files if f.endswith(".md")]
    return sorted(d for d in docs if os.path.exists(os.path.join(ROOT, d)))


def spans(text):
    """(back-quoted spans outside code blocks, "make ..." lines inside them)."""
    inline, make_lines, fenced = [], [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced:
            cmd = line.strip().lstrip("$ ").strip()
            if cmd.startswith("make "):
                make_lines.append(cmd)
        else:
            inline += SPAN.findall(line)
    return inline, make_lines


class Checker:
    def __init__(self):
        self.words, self.callables, self.strings = code_names()
        self.basenames = {os.path.basename(p) for p in tree_files()}
        self.targets, self.variables = makehelp.parse(os.path.join(ROOT, "Makefile"))

    def make_words(self, cmd):
        """What is wrong with "make A B VAR=x" ("" if nothing)."""
        bad = []
        try:
            args = shlex.split(cmd, comments=True)
        except ValueError:
            args = cmd.split()
        for w in args[1:]:
            if w.startswith("-") or "=" in w or w.startswith("build/") or w.startswith("$"):
                continue
            if w not in self.targets:
                bad.append("make %s: no such target" % w)
        return "; ".join(bad)

    def path(self, t, doc):
        t = re.sub(r":\d+(-\d+)?$", "", t)
        t = re.sub(r"\(\)$", "", t)
        if "../shared" in t or t.startswith("shared/"):
            return "%s: ../shared is not part of the tree" % t
        if re.search(r"[*?<>{}\[\]…]|\.\.\.|://|\$|%", t) or t.startswith("build/"):
            return ""
        if re.search(r"(^|[/_.])(NAME|AREA|DIR|FILE|POLICY)([/_.]|$)", t):
            return ""                           # DIR/manifest.json, user/test_NAME.c: placeholders
        if t.endswith("/") and os.path.isdir(os.path.join(ROOT, t)):
            return ""
        t = t.rstrip("/") or "/"
        if "/" not in t:                        # check.c: a file named on its own
            return "" if os.path.basename(t) in self.basenames else "%s: no such file" % t
        if t.startswith("/"):
            m = re.match(r"^/bin/([A-Za-z0-9_]+)$", t)
            if m and not os.path.exists(os.path.join(ROOT, "user", m.group(1) + ".c")):
                return "%s: no user/%s.c" % (t, m.group(1))
            return ""
        for base in (ROOT, os.path.join(ROOT, os.path.dirname(doc))):
            if os.path.exists(os.path.join(base, t)):
                return ""
        return "%s: no such file or folder" % t

    def span(self, t, doc):
        """What is wrong with one back-quoted span ("" if nothing, or not checked)."""
        t = t.strip()
        if t in ALLOWED:
            return ""
        if t.startswith("make "):
            return self.make_words(t)
        if " " in t:
            return ""                           # commands, expressions, output: not names
        arg = KERNEL_ARG.match(t) or KERNEL_ARG_BARE.match(t)
        if arg:
            key = t.split("=")[0]
            return "" if key in self.strings else "%s: no kernel argument of that name" % key
        if "/" in t or t.endswith(EXTENSIONS):
            return self.path(t, doc)
        call = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\(.*\)$", t)
        if call:
            name = call.group(1)
            ok = name in self.callables or name in ALLOWED
            return "" if ok else "%s: no function or macro of that name" % name
        if re.match(r"^[A-Za-z_][A-Za-z0-9_]*((->|\.)[A-Za-z_][A-Za-z0-9_]*)*$", t):
            parts = re.split(r"->|\.", t)
            missing = [p for p in parts if p not in self.words and p not in ALLOWED]
            return "" if not missing else "%s: the code has no %s" % (t, ", ".join(missing))
        return ""

    def document(self, doc):
        with open(os.path.join(ROOT, doc), encoding="utf-8") as f:
            inline, make_lines = spans(f.read())
        bad = [self.span(t, doc) for t in inline] + [self.make_words(c) for c in make_lines]
        return sorted(set(b for b in bad if b))


def architecture_picture():
    """What is wrong with docs/architecture.md's layer picture ("" if nothing)."""
    out = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "layers.py")],
                         capture_output=True, text=True)
    if out.returncode != 0:
        return "tools/layers.py: " + out.stderr
    with open(os.path.join(ROOT, "docs", "architecture.md")) as f:
        page = f.read()
    m = re.search(r"\$ python3 tools/layers.py\n(.*?)\n```", page, re.S)
    if not m:
        return "docs/architecture.md shows no '$ python3 tools/layers.py' block"
    if m.group(1).rstrip() != out.stdout.rstrip():
        return ("the picture differs from what tools/layers.py prints now (put this in "
                "docs/architecture.md):\n" + out.stdout)
    return ""


def main():
    tap = Tap()
    checker = Checker()
    for doc in documents():
        bad = checker.document(doc)
        tap.check(not bad, "names_exist:" + doc, "\n".join(bad))

    # The checker itself: it must see a drifted name, a missing file and a bad target.
    probe = [checker.span(t, "docs/x.md") for t in
             ("frame_get()", "zero_everything", "mm/kvm.c", "../shared/seeds/", "make tset",
              "vm.nosuch=1", "/bin/nosuch")]
    tap.check(all(probe), "checker_finds_drift", probe)
    good = [checker.span(t, "docs/x.md") for t in
            ("frame_alloc()", "p->mm->resident", "mm/vma.c", "make test JOBS=2", "vm.cow=0",
             "/bin/init", "PTE_W", "labs/replacement.md")]
    tap.check(not any(good), "checker_accepts_the_tree", good)

    help_out = subprocess.run(["make", "-s", "--no-print-directory", "help"], cwd=ROOT,
                              capture_output=True, text=True).stdout
    undocumented = [n for n, (text, _) in list(checker.targets.items()) +
                    list(checker.variables.items()) if not text]
    tap.check(not undocumented, "makefile_all_documented", " ".join(undocumented))
    missing = [n for n in checker.targets if not re.search(r"(?m)^  %s\s" % re.escape(n), help_out)]
    missing += [n for n in checker.variables if not re.search(r"(?m)^  %s=" % re.escape(n), help_out)]
    tap.check(help_out and not missing, "make_help_lists_everything",
              " ".join(missing) or "make help printed nothing")
    refs = set(re.findall(r"\$\(([A-Z][A-Z0-9_]*)\)", open(os.path.join(ROOT, "Makefile")).read()))
    assigned = set(re.findall(r"(?m)^(?:export\s+)?([A-Z][A-Z0-9_]*)\s*[:?+]?=",
                              open(os.path.join(ROOT, "Makefile")).read()))
    environment = {"DISPLAY", "WAYLAND_DISPLAY", "MAKECMDGOALS", "PATH"}
    unset = sorted(refs - assigned - environment)
    tap.check(not unset, "makefile_knobs_are_declared",
              "used but never set (give each a documented ?= line): " + " ".join(unset))

    # The layer rules must see a break: kernel/ reaching past mm/mm.h, printk needing proc.
    deps = layers.modules()
    deps["kernel/probe"] = {"mm/evict.h"}
    deps["kernel/printk"] = deps["kernel/printk"] | {"kernel/proc.h"}
    found = layers.problems(deps)
    tap.check(any("mm/evict.h" in p for p in found) and any(p.startswith("kernel/printk") for p in found),
              "layer_rules_find_breaks", found)

    why = architecture_picture()
    tap.check(not why, "architecture_picture_current", why)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
