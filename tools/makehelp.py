#!/usr/bin/env python3
"""tools/makehelp.py: `make help`, read from the Makefile itself. A target or a variable
a user may set is documented by the "## " comment lines right above its rule or its
"NAME ?=" line; this prints them all, so the help cannot fall behind the Makefile.
tests/docs/test_docs.py checks that every target and every "?=" variable has one.

Usage: makehelp.py [MAKEFILE]             the help text
       makehelp.py --undocumented [FILE]  targets and variables without a "##" comment
"""
import re
import sys

RULE = re.compile(r"^([A-Za-z][A-Za-z0-9_.-]*(?:\s+[A-Za-z][A-Za-z0-9_.-]*)*)\s*:(?!=)")
KNOB = re.compile(r"^([A-Z][A-Z0-9_]*)\s*\?=\s*(.*)$")


def parse(path):
    """(targets, variables): each a dict name -> (help text, default), in Makefile order.
    A name listed twice (two "all:" rules, say) keeps the first documented text."""
    targets, variables = {}, {}
    doc = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("## "):
                doc.append(line[3:].strip())
                continue
            text = " ".join(doc)
            doc = []
            knob = KNOB.match(line)
            rule = RULE.match(line)
            if knob:
                name, default = knob.group(1), knob.group(2).strip()
                if not variables.get(name, ("", ""))[0]:
                    variables[name] = (text, default)
            elif rule and not line.startswith("\t"):
                for name in rule.group(1).split():
                    if name.startswith("."):
                        continue                # .PHONY and make's own; .gdbinit, a file
                    if not targets.get(name, ("", ""))[0]:
                        targets[name] = (text, "")
    return targets, variables


def help_text(path):
    targets, variables = parse(path)
    width = max(len(n) for n in targets) + 2
    out = ["Targets (make TARGET):"]
    out += ["  %-*s%s" % (width, name, text) for name, (text, _) in targets.items()]
    out.append("")
    out.append("Variables (make TARGET NAME=VALUE; the default after =):")
    names = ["%s=%s" % (n, d) for n, (_, d) in variables.items()]
    width = max(len(n) for n in names) + 2
    out += ["  %-*s%s" % (width, n, text)
            for n, (text, _) in zip(names, variables.values())]
    return "\n".join(out)


def main():
    args = sys.argv[1:]
    undocumented = args[:1] == ["--undocumented"]
    path = (args[1:] if undocumented else args)[:1] or ["Makefile"]
    if undocumented:
        targets, variables = parse(path[0])
        missing = [n for n, (t, _) in list(targets.items()) + list(variables.items()) if not t]
        if missing:
            print("\n".join(missing))
        return 1 if missing else 0
    print(help_text(path[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
