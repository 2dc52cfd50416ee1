#!/usr/bin/env python3
"""tools/mklabtraces.py: the held-back traces of the replacement-policy lab's grader
(tools/grade.py, check real_traces): real programs run under valgrind's lackey tool, which
prints every memory access; tools/vmsim reads that output directly (an access a reference
to its 4 KiB page) and --save keeps it compact, each run of references to one page merged
(the faults stay the same), in tests/lab/traces/NAME.refs.gz.

Usage: tools/mklabtraces.py [NAME...]   (valgrind, sort, gzip, sqlite3 and awk installed)

The programs' inputs are made here from a fixed seed. A rerun with the same programs and
libraries gives the same traces; another system's give other traces of the same kind, and
the grader's scores, which compare a policy with OPT and LRU on each, move little. A course
keeps these files from its students' tree (they are what "held back" means: a policy is
not tuned on them), and may make its own with its own programs.
"""
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "lab", "traces")
WORDS = "page frame fault swap victim clock dirty kernel policy reference bit working set".split()

SQL = """create table t(k integer primary key, v text, n integer);
with recursive c(i) as (select 1 union all select i + 1 from c where i < 150)
insert into t select i, printf('%08x%08x', i * 2654435761 % 4294967296, i * 40503), i * 7919 % 97
from c;
create index tn on t(n);
select n, count(*), max(v) from t group by n order by 2 desc limit 5;
select sum(length(v)) from t where n between 10 and 30;
"""


def inputs(tmp):
    """The programs' input files, the same on every run."""
    r = random.Random(20)
    files = {"numbers": "".join("%d\n" % r.randrange(10 ** 6) for _ in range(800)),
             "text": " ".join(r.choice(WORDS) + str(r.randrange(40)) for _ in range(2500)),
             "query.sql": SQL}
    for name, text in files.items():
        with open(os.path.join(tmp, name), "w") as f:
            f.write(text)
    return {name: os.path.join(tmp, name) for name in files}


def programs(f):
    """NAME: argv. A sort, a compressor, a database and an interpreter: code and data
    pages with the locality real programs have, not a generator's."""
    return {"sort": ["sort", "-n", f["numbers"]],
            "gzip": ["gzip", "-9", "-c", f["text"]],
            "sqlite": ["sqlite3", ":memory:", ".read " + f["query.sql"]],
            "awk": ["awk", "{ for (i = 1; i <= NF; i++) n[$i]++ } END { for (w in n) k++; "
                    "print k }", f["text"]]}


def make(name, argv, tmp, vmsim):
    log = os.path.join(tmp, name + ".lackey")
    subprocess.run(["valgrind", "--tool=lackey", "--trace-mem=yes", "--log-file=" + log] + argv,
                   stdout=subprocess.DEVNULL, check=True)
    out = os.path.join(OUT, name + ".refs.gz")
    subprocess.run([vmsim, "--save", out, log], check=True)
    print("%s: %s" % (out, subprocess.run([vmsim, "--csv", "--policy", "opt", "--frames", "1", out],
                                          capture_output=True, text=True).stdout.split()[-1]))


def main():
    vmsim = os.path.join(ROOT, "tools", "vmsim")
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        progs = programs(inputs(tmp))
        for name in sys.argv[1:] or list(progs):
            if name not in progs:
                print("mklabtraces: no program %s (%s)" % (name, ", ".join(progs)), file=sys.stderr)
                return 2
            make(name, progs[name], tmp, vmsim)
    return 0


if __name__ == "__main__":
    sys.exit(main())
