#!/usr/bin/env python3
"""tools/mktestfiles.py: writes the files the boot tests and `make bench` read from
the disk into DIR (the root file system's /tests). Contents are fixed, not random.

Usage: mktestfiles.py DIR
"""
import os
import random
import shutil
import sys

MiB = 1 << 20


def data(seed, n):
    return random.Random(seed).randbytes(n)


def main():
    top = sys.argv[1]
    shutil.rmtree(top, ignore_errors=True)
    os.makedirs(os.path.join(top, "dir", "sub"))
    # 4.5 MiB: with 4 KiB blocks, past the 12 direct and 1024 single-indirect blocks
    # into double-indirect ones. make bench reads it too.
    with open(os.path.join(top, "big.bin"), "wb") as f:
        f.write(data(1, 4 * MiB + MiB // 2))
    # Holes read as zeros; data in the direct, single- and double-indirect ranges.
    with open(os.path.join(top, "sparse.bin"), "wb") as f:
        for seed, offset, size in [(2, 0, 10000), (3, 2 * MiB + 1000, 20000), (4, 5 * MiB, 100)]:
            f.seek(offset)
            f.write(data(seed, size))
    with open(os.path.join(top, "small.txt"), "w") as f:
        f.write("Pagoda read this file from its ext2 root file system.\n")
    open(os.path.join(top, "empty"), "w").close()
    with open(os.path.join(top, "dir", "sub", "deep.txt"), "w") as f:
        f.write("three directories down\n")
    os.symlink("small.txt", os.path.join(top, "link-small"))
    os.symlink("/tests/dir/sub/deep.txt", os.path.join(top, "link-deep"))
    os.symlink("dir/sub", os.path.join(top, "link-dir"))
    # Text that execve must refuse: EACCES without execute permission, ENOEXEC with it.
    for name, mode in [("text-0644", 0o644), ("text-0755", 0o755)]:
        path = os.path.join(top, name)
        with open(path, "w") as f:
            f.write("this is not a program\n")
        os.chmod(path, mode)


if __name__ == "__main__":
    main()
