"""tests/boot/diskerr_suite.py: disk errors injected with QEMU's blkdebug driver (the
"blkdebug" key: a config of [inject-error] sections, each failing the requests of one
event that touch one sector). A process whose data a failing sector holds gets SIGBUS or
EIO; the kernel lives on and loses nothing (user/test_diskerr.c, docs/robustness.md).
The root file system is never written (Pagoda's ext2 is read-only): it gets read errors.
"""
import os

from user_suite import ROOT, user_test

DISK = os.path.join(ROOT, "build", "disk.img")
BIG = os.path.join(ROOT, "build", "rootfs", "tests", "big.bin")
BAD_OFFSET = 64 * 1024          # user/test_diskerr.c reads big.bin here
SLOTS = range(1, 257)           # the first swap slots a hog is given (next fit from slot 1)


def swap_start():
    """The first sector of the swap partition (partition 2 in the MBR)."""
    if not os.path.exists(DISK):
        return 0
    with open(DISK, "rb") as f:
        mbr = f.read(512)
    return int.from_bytes(mbr[446 + 16 + 8:446 + 16 + 12], "little")


def big_bin_sector():
    """The disk sector holding big.bin's bytes at BAD_OFFSET, found by its contents."""
    if not (os.path.exists(DISK) and os.path.exists(BIG)):
        return 0
    with open(BIG, "rb") as f:
        f.seek(BAD_OFFSET)
        block = f.read(4096)
    with open(DISK, "rb") as f:
        at = f.read().find(block)
    return at // 512 if at >= 0 else 0


def inject(iotype, sectors):
    """Fail every request of iotype (read, write) that touches one of the sectors. The
    rules become active at the event of that kind of request (read_aio, write_aio)."""
    return "".join('[inject-error]\nevent = "%s_aio"\niotype = "%s"\nsector = "%d"\n'
                   'errno = "5"\n\n' % (iotype, iotype, s) for s in sectors)


def swap_errors(iotype):
    return inject(iotype, [swap_start() + 8 * slot for slot in SLOTS])


def diskerr_test(name, mode, cmdline, blkdebug, expect=()):
    return dict(user_test(name, "/bin/test_diskerr", mode, cmdline, expect=list(expect)),
                blkdebug=blkdebug)


SWAP = "vm.frames=256"
TESTS = [
    # A failed swap-out: the slot is retired, the page's owners die of SIGBUS when they
    # touch it, and no slot is lost (the leak check counts retired slots with the free).
    diskerr_test("diskerr-swap-write", "swap", SWAP, swap_errors("write"),
                 [r"swap: write of slot \d+ failed"]),
    # A failed swap-in: the process whose page it was dies of SIGBUS.
    diskerr_test("diskerr-swap-read", "swap", SWAP, swap_errors("read"),
                 [r"I/O error paging in [0-9a-f]+: killed \(SIGBUS\)"]),
    # A failed read of the root file system: read() gives EIO, a mapping SIGBUS.
    diskerr_test("diskerr-file-read", "file", "", inject("read", [big_bin_sector()]),
                 [r"I/O error paging in [0-9a-f]+: killed \(SIGBUS\)"]),
]
# The same errors by programmed I/O (ata.dma=0): the drive reports them per sector
# there, per command under DMA (drivers/ata.c, dma_done); both must reach the process.
TESTS += [dict(t, name=t["name"] + "-pio", args=t["args"] + " ata.dma=0") for t in TESTS]
