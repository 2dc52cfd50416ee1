#!/usr/bin/env python3
"""tests/host/mkimages.py: builds the images the host tests read, with the real tools:
a partitioned disk made by sfdisk.

Usage: mkimages.py OUTDIR
"""
import os
import shutil
import subprocess
import sys

MiB = 1 << 20
TOOLS = dict(os.environ, PATH=os.environ["PATH"] + ":/usr/sbin:/sbin")   # sfdisk


def make_disk(image):
    """An MBR disk: 1 = Linux at 2048 (4096 sectors), 2 = swap at 6144 (2048), 3 =
    extended at 8192 (4096); each partition's first and last sectors marked."""
    with open(image, "wb") as f:
        f.truncate(8 * MiB)
    table = ("label: dos\nstart=2048, size=4096, type=83\nstart=6144, size=2048, type=82\n"
             "start=8192, size=4096, type=5\n")
    subprocess.run(["sfdisk", "-q", image], input=table.encode(), check=True, env=TOOLS)
    with open(image, "r+b") as f:
        for number, (start, size) in enumerate([(2048, 4096), (6144, 2048), (8192, 4096)], 1):
            f.seek(start * 512)
            f.write(b"first sector of partition %d" % number)
            f.seek((start + size - 1) * 512)
            f.write(b"last sector of partition %d" % number)


def main():
    out = sys.argv[1]
    tmp = out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    make_disk(f"{tmp}/disk.img")
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


if __name__ == "__main__":
    main()
