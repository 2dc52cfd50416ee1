#!/usr/bin/env python3
"""tools/layers.py: the kernel's layers, read from its #include lines, as the picture in
docs/architecture.md (tests/docs/test_docs.py checks that the page shows what this prints).

A module is a .c file with its .h (kernel/printk.c and kernel/printk.h are kernel/printk);
it depends on every module whose header it includes. Two rules are checked, and the exit
status is 1 if one breaks:
  - outside mm/ the kernel includes from mm/ only the headers in MM_DOORS below;
  - the lowest layer (LOWEST) depends on nothing but itself: printk, panic, the frame
    allocator and the kernel heap work from anywhere, before anything else is up.

Usage: layers.py            the picture
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIRS = ["boot", "kernel", "mm", "mm/policy", "fs", "drivers"]
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)

# What the rest of the kernel may include from mm/, and why.
MM_DOORS = [
    ("mm/mm.h", "the interface: boot, the sample, the return to user, fork, exec, exit"),
    ("mm/pgtable.h", "page tables: the kernel's directory, CR3 switches"),
    ("mm/mmu.h", "page tables: the x86 PTE bits"),
    ("mm/memlayout.h", "page tables: where the kernel, the stack and the direct map are"),
    ("mm/uaccess.h", "user access: copyin, copyout, copyinstr"),
    ("mm/kheap.h", "kernel memory: kmalloc, kfree"),
    ("mm/kstack.h", "kernel memory: kernel stacks with guard pages"),
    ("mm/pagecache.h", "files' pages: read, write and truncate through the page cache"),
]
LOWEST = ["kernel/printk", "kernel/format", "kernel/console", "kernel/panic", "kernel/power",
          "kernel/spinlock", "kernel/string", "kernel/x86", "kernel/errno",
          "kernel/cmdline", "boot/multiboot", "drivers/serial", "drivers/vga", "mm/memlayout",
          "mm/mmu", "mm/frame", "mm/page", "mm/kheap", "mm/policy/poldata", "mm/traceline",
          "mm/vmstat"]


def modules():
    """module -> set of the headers its files include (as written: "kernel/proc.h")."""
    deps = {}
    for d in DIRS:
        for name in sorted(os.listdir(os.path.join(ROOT, d))):
            stem, ext = os.path.splitext(name)
            if ext not in (".c", ".h"):
                continue
            with open(os.path.join(ROOT, d, name)) as f:
                deps.setdefault(d + "/" + stem, set()).update(INCLUDE.findall(f.read()))
    return deps


def closure(deps, start):
    """Every module start depends on, directly or not."""
    seen, frontier = set(), [start]
    while frontier:
        m = frontier.pop()
        for h in deps.get(m, ()):
            dep = os.path.splitext(h)[0]
            if dep in deps and dep not in seen:
                seen.add(dep)
                frontier.append(dep)
    return seen


def doors_used(deps):
    """mm/ headers included from outside mm/: header -> the folders that include it."""
    used = {}
    for m, headers in deps.items():
        if m.startswith("mm/"):
            continue
        for h in headers:
            if h.startswith("mm/"):
                used.setdefault(h, set()).add(m.split("/")[0] + "/")
    return used


def picture(deps):
    used = doors_used(deps)
    allowed = dict(MM_DOORS)
    lines = [
        "user/ programs",
        "   |  system calls only (int 0x80, Linux i386 numbers)",
        "   v",
        "kernel/  fs/  drivers/  boot/      traps, processes, exec, files, devices",
        "   |",
        "   |  the one arrow into mm/, through these headers only:",
    ]
    for h, why in MM_DOORS:
        users = " ".join(sorted(used.get(h, ())))
        lines.append("   |    %-15s %-22s %s" % (h, "(" + users + ")", why))
    for h in sorted(set(used) - set(allowed)):
        lines.append("   |    %-15s %-22s NOT ALLOWED" % (h, "(" + " ".join(sorted(used[h])) + ")"))
    lines += [
        "   v",
        "mm/  --->  mm/policy/   the policies see only the pol_* services (mm/policy/policy.h)",
        "",
        "lowest layer, depending on nothing above it:",
    ]
    for m in LOWEST:
        above = sorted(closure(deps, m) - set(LOWEST))
        lines.append("  %-18s %s" % (m, "ok" if not above else "ALSO NEEDS " + " ".join(above)))
    return "\n".join(lines)


def problems(deps):
    """What breaks the two rules, one line each."""
    out = ["%s is included from %s, not through mm/mm.h" % (h, " ".join(sorted(u)))
           for h, u in sorted(doors_used(deps).items()) if h not in dict(MM_DOORS)]
    out += ["%s depends on %s, above the lowest layer" % (m, " ".join(sorted(closure(deps, m) - set(LOWEST))))
            for m in LOWEST if closure(deps, m) - set(LOWEST)]
    for m, headers in sorted(deps.items()):
        if m.startswith("mm/policy/"):
            out += ["%s includes %s: a policy sees only mm/policy/*.h" % (m, h)
                    for h in sorted(headers) if not h.startswith("mm/policy/")]
    return out


def main():
    deps = modules()
    print(picture(deps))
    bad = problems(deps)
    for line in bad:
        print("layers: " + line, file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
