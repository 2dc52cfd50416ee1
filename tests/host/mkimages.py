#!/usr/bin/env python3
"""tests/host/mkimages.py: builds the images the host tests read, with the real tools:
ext2 file systems made by `mke2fs -d` from a tree of test files (tree/), and a
partitioned disk made by sfdisk. The tests compare what Pagoda reads with tree/.

Usage: mkimages.py OUTDIR
"""
import os
import random
import shutil
import subprocess
import sys

KiB, MiB = 1 << 10, 1 << 20
TOOLS = dict(os.environ, PATH=os.environ["PATH"] + ":/usr/sbin:/sbin")   # mke2fs, sfdisk


def data(seed, n):
    return random.Random(seed).randbytes(n)


def write(path, content=b"", holes=()):
    """A file with `content` at 0 and (offset, bytes) pieces beyond holes."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content)
        for offset, piece in holes:
            f.seek(offset)
            f.write(piece)


def make_tree(top):
    write(f"{top}/hello.txt", b"hello, ext2\n")
    write(f"{top}/empty")
    write(f"{top}/nested/a/b/c/d/deep.txt", b"deep down\n")
    # With 1 KiB blocks: 12 direct blocks, then 256 behind the single-indirect
    # block, then 65536 behind the double, then the triple indirect ones.
    write(f"{top}/direct12k", data(1, 12 * KiB))
    write(f"{top}/single", data(2, 12 * KiB + 1))
    write(f"{top}/double", data(3, (12 + 256) * KiB + 5000))
    write(f"{top}/triple.sparse", data(4, 3000),
          [(300 * KiB, data(5, 2000)), (40 * MiB, data(6, 1500)),
           (66 * MiB + 123, data(7, 5000))])
    write(f"{top}/tail-hole", data(8, 100), [(1 * MiB - 1, b"\0")])
    for i in range(300):                       # a directory of many blocks
        write(f"{top}/bigdir/file-with-a-longish-name-{i:03}", b"file %d\n" % i)
    write(f"{top}/{'n' * 255}", b"the longest name\n")
    links = {
        "link-hello": "hello.txt",                                  # fast: in the inode
        "link-slow": "nested/a/b/c/d/" + "./" * 30 + "deep.txt",    # slow: in a block
        "link-abs": "/nested/a/b/c/d/deep.txt",
        "link-dir": "nested/a/b",
        "nested/a/b/up": "../../../hello.txt",
        "link-dangling": "no-such-file",
        "loop1": "loop2", "loop2": "loop1",
    }
    for i in range(1, 9):                      # chain8 needs 8 links, chain9 needs 9
        links[f"chain8-{i}"] = f"chain8-{i + 1}" if i < 8 else "hello.txt"
    for i in range(1, 10):
        links[f"chain9-{i}"] = f"chain9-{i + 1}" if i < 9 else "hello.txt"
    for name, target in links.items():
        os.symlink(target, f"{top}/{name}")


def mke2fs(image, size, *options, tree=None):
    with open(image, "wb") as f:
        f.truncate(size)
    cmd = ["mke2fs", "-q", "-F"] + list(options) + (["-d", tree] if tree else []) + [image]
    subprocess.run(cmd, check=True, env=TOOLS)


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
    make_tree(f"{tmp}/tree")
    tree = f"{tmp}/tree"
    mke2fs(f"{tmp}/1k.img", 8 * MiB, "-t", "ext2", "-b", "1024", "-g", "1024", tree=tree)
    mke2fs(f"{tmp}/4k.img", 16 * MiB, "-t", "ext2", "-b", "4096", "-g", "2048", "-O", "flex_bg",
           tree=tree)
    mke2fs(f"{tmp}/rev0.img", 8 * MiB, "-t", "ext2", "-r", "0", "-b", "2048", tree=tree)
    mke2fs(f"{tmp}/ext4.img", 8 * MiB, "-t", "ext4")
    # Empty file systems for the writer (test_ext2w.c): 1 KiB blocks in several groups,
    # so triple-indirect files are cheap; 4 KiB; and a tiny one to fill up (blocks and
    # inodes); and one with a feature the writer does not know (huge_file).
    mke2fs(f"{tmp}/w1k.img", 16 * MiB, "-t", "ext2", "-b", "1024", "-g", "2048")
    mke2fs(f"{tmp}/w4k.img", 16 * MiB, "-t", "ext2", "-b", "4096", "-O", "flex_bg")
    mke2fs(f"{tmp}/full.img", 512 * KiB, "-t", "ext2", "-b", "1024", "-N", "32")
    mke2fs(f"{tmp}/rofeat.img", 4 * MiB, "-t", "ext2", "-O", "huge_file")
    make_disk(f"{tmp}/disk.img")
    shutil.rmtree(out, ignore_errors=True)
    os.rename(tmp, out)


if __name__ == "__main__":
    main()
