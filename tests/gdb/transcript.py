"""tests/gdb/transcript.py: the gdb sessions shown in docs/debugging.md are recorded by the
gdb tests, not typed by hand. Inside gdb, a session runs each command through
Transcript.run, which marks the command and what gdb printed in gdb's output;
Transcript.cut ends one block of the document. Outside gdb, the test parses the blocks out
of gdb's output and compares them with the document's
```gdb blocks of one section and fails on any difference; --update-doc writes the
recorded blocks into the document instead.
"""
import difflib
import re

FENCE = "```gdb"
BLOCK = re.compile(r"^```gdb\n((?:(?!```)[^\n]*\n)*)```$", re.M)    # a ```gdb block


MARK = "@@transcript "                  # a line of the session's own, never gdb's
RESUMING = ("continue", "reverse-", "step", "next", "finish", "until", "advance")


class Transcript:
    """Inside gdb: each command between marker lines on gdb's standard output, where gdb
    also prints its stop reports (which gdb.execute(..., to_string=True) does not return)."""

    def __init__(self, gdb):
        self.gdb = gdb

    def run(self, command):
        """Runs command; returns what it printed, or "" for one that resumes the machine
        (its stop report goes straight to the output: check the state instead)."""
        self.gdb.write("%scommand %s\n" % (MARK, command))
        if command.startswith(RESUMING):
            self.gdb.execute(command)
            out = ""
        else:
            out = self.gdb.execute(command, to_string=True)
            self.gdb.write(out)
        self.gdb.flush()
        self.gdb.write("%send\n" % MARK)
        return out

    def cut(self):
        self.gdb.write("%scut\n" % MARK)


def parse(output):
    """The blocks of "(gdb) COMMAND" and output lines in a gdb session's output."""
    blocks, current, inside = [], [], False
    for line in output.split("\n"):
        if line.startswith(MARK + "command "):
            current.append("(gdb) " + line[len(MARK + "command "):])
            inside = True
        elif line == MARK + "end":
            inside = False
        elif line == MARK + "cut":
            blocks, current = blocks + [current], []
        elif inside:
            current.append(line.rstrip())
    return [b for b in blocks + [current] if b]


def save(path, blocks):
    with open(path, "w") as f:
        f.write("\n\n".join("\n".join(b) for b in blocks) + "\n")


def section_span(text, heading):
    """(start, end) of the section under the heading "## HEADING" in the document."""
    m = re.search(r"^## %s\n" % re.escape(heading), text, re.M)
    if not m:
        raise ValueError("no section '## %s'" % heading)
    nxt = re.search(r"^## ", text[m.end():], re.M)
    return m.end(), m.end() + nxt.start() if nxt else len(text)


def doc_blocks(text, heading):
    start, end = section_span(text, heading)
    return [b.rstrip("\n").split("\n") if b else [] for b in BLOCK.findall(text[start:end])]


def differences(doc_path, heading, recorded):
    """A unified diff of the document's blocks against the recorded ones ("" if equal)."""
    with open(doc_path) as f:
        shown = doc_blocks(f.read(), heading)
    flat = lambda blocks: [line for b in blocks for line in b + ["-- end of block --"]]  # noqa: E731
    return "\n".join(difflib.unified_diff(flat(shown), flat(recorded), doc_path + " (shown)",
                                          "the run (recorded)", lineterm=""))


def update(doc_path, heading, recorded):
    """Write the recorded blocks into the section, in place of its ```gdb blocks; the
    document must already have as many, so that the prose around them stays right."""
    with open(doc_path) as f:
        text = f.read()
    start, end = section_span(text, heading)
    section = text[start:end]
    if len(doc_blocks(text, heading)) != len(recorded):
        raise ValueError("%s, '%s': %d ```gdb blocks, the run recorded %d" % (
            doc_path, heading, len(doc_blocks(text, heading)), len(recorded)))
    pieces = iter(recorded)
    section = BLOCK.sub(
                       lambda m: FENCE + "\n" + "\n".join(next(pieces)) + "\n```", section)
    with open(doc_path, "w") as f:
        f.write(text[:start] + section + text[end:])
