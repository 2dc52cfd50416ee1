"""tests/boot/fuzz_suite.py: the system-call fuzzer (user/fuzz.c) booted as process 1, one
boot per seed. `make test` runs SEEDS; `make fuzz SEEDS=N` (tools/fuzz.py) runs more.

Each boot passes if the fuzzer's children all ended, the kernel still forks, execs and
pipes afterwards, nothing panicked, and the leak check is ok. The children also create,
write, rename and remove files in /fuzz on a private copy of the disk: afterwards e2fsck
must find its ext2 clean, and the file the fuzzer wrote last must read back. Under -icount a seed replays
exactly: `make fuzz SEED=S` boots it again, `make fuzz SEED=S VERBOSE=1` prints every call.
"""
from user_suite import user_test

SEEDS = [1, 2, 3, 4]


def fuzz_test(seed, verbose=False, timeout=300):
    args = ("-v " if verbose else "") + str(seed)
    test = user_test("fuzz-seed-%d" % seed, "/bin/fuzz", args, timeout=timeout, icount=True,
                     expect=[r"^e2fsck: clean$", r"^debugfs: /fuzz/done as written$"])
    return dict(test, fsck={"/fuzz/done": b"seed %d\n" % seed})


TESTS = [fuzz_test(s) for s in SEEDS]
