#!/usr/bin/env python3
"""user/test_badelf.py: writes malformed ELF executables for test_badelf, each a copy of a
real small static i386 program with a few bytes patched (or cut off).

Usage: test_badelf.py SOURCE_ELF OUTPUT_DIR. Each case below says what it breaks; the
errno execve must give for it, on Linux and on Pagoda, is documented in user/test_badelf.c.
One more file, noexec_elf, is the program unchanged but without execute permission
(mode 0644), for user/test_execperm.c.
"""
import os
import struct
import sys

# Offsets in the 32-bit ELF header (Elf32_Ehdr) and program header (Elf32_Phdr).
EI_CLASS, E_TYPE, E_MACHINE, E_ENTRY, E_PHOFF, E_PHENTSIZE, E_PHNUM = 4, 16, 18, 24, 28, 42, 44
P_TYPE, P_OFFSET, P_VADDR, P_PADDR, P_FILESZ, P_MEMSZ = 0, 4, 8, 12, 16, 20
PT_LOAD = 1
PAGE = 4096


def u16(data, off):
    return struct.unpack_from("<H", data, off)[0]


def u32(data, off):
    return struct.unpack_from("<I", data, off)[0]


def put16(data, off, value):
    struct.pack_into("<H", data, off, value)


def put32(data, off, value):
    struct.pack_into("<I", data, off, value)


def load_headers(data):
    """Offsets of the PT_LOAD program headers, in file order."""
    phoff, phnum, phentsize = u32(data, E_PHOFF), u16(data, E_PHNUM), u16(data, E_PHENTSIZE)
    heads = [phoff + i * phentsize for i in range(phnum)]
    return [h for h in heads if u32(data, h + P_TYPE) == PT_LOAD]


def last_load(data):
    """The last PT_LOAD: the data segment, the one with .bss (memsz > filesz)."""
    return load_headers(data)[-1]


def text_load(data):
    """The PT_LOAD that holds the entry point."""
    entry = u32(data, E_ENTRY)
    for h in load_headers(data):
        if u32(data, h + P_VADDR) <= entry < u32(data, h + P_VADDR) + u32(data, h + P_MEMSZ):
            return h
    raise SystemExit("test_badelf.py: no PT_LOAD holds the entry point")


def bad_magic(data):
    data[1:4] = b"ELG"


def class64(data):
    data[EI_CLASS] = 2      # says ELFCLASS64, but the headers are 32-bit ones


def machine_x86_64(data):
    put16(data, E_MACHINE, 62)


def machine_arm(data):
    put16(data, E_MACHINE, 40)


def type_relocatable(data):
    put16(data, E_TYPE, 1)  # ET_REL: an object file, not an executable


def truncated_header(data):
    del data[30:]           # cut inside the ELF header, before e_phoff is complete


def phnum_absurd(data):
    put16(data, E_PHNUM, 0xFFFF)


def phoff_past_eof(data):
    put32(data, E_PHOFF, len(data) + PAGE)


def load_in_kernel(data):
    """Moves the data segment to 0xC0000000, where the kernel lives (page offset kept)."""
    h = last_load(data)
    vaddr = 0xC0000000 + (u32(data, h + P_VADDR) % PAGE)
    put32(data, h + P_VADDR, vaddr)
    put32(data, h + P_PADDR, vaddr)


def memsz_wraps(data):
    """A data segment so large that it runs past the end of the address space."""
    put32(data, last_load(data) + P_MEMSZ, 0xF8000000)


def filesz_gt_memsz(data):
    h = last_load(data)
    put32(data, h + P_FILESZ, u32(data, h + P_MEMSZ) + PAGE)


def offset_past_eof(data):
    """The text segment's file offset moved past the end of the file (page offset kept)."""
    h = text_load(data)
    put32(data, h + P_OFFSET, u32(data, h + P_OFFSET) + (len(data) + PAGE) // PAGE * PAGE)


CASES = [bad_magic, class64, machine_x86_64, machine_arm, type_relocatable, truncated_header,
         phnum_absurd, phoff_past_eof, load_in_kernel, memsz_wraps, filesz_gt_memsz,
         offset_past_eof]


def check_source(data, path):
    if data[:4] != b"\x7fELF" or data[EI_CLASS] != 1 or u16(data, E_MACHINE) != 3 or u16(data, E_TYPE) != 2:
        raise SystemExit("test_badelf.py: %s is not a 32-bit i386 executable" % path)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    source, outdir = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        original = f.read()
    check_source(original, source)
    os.makedirs(outdir, exist_ok=True)
    for case in CASES:
        data = bytearray(original)
        case(data)
        path = os.path.join(outdir, case.__name__)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)
    path = os.path.join(outdir, "noexec_elf")
    with open(path, "wb") as f:
        f.write(original)
    os.chmod(path, 0o644)


if __name__ == "__main__":
    main()
