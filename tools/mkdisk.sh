#!/bin/sh
# tools/mkdisk.sh: builds the disk image with no root privileges and no loop devices:
# the ext2 root and the swap area are made as separate files, then copied behind an MBR.
# Usage: mkdisk.sh IMAGE STAGING_DIR ROOT_MB SWAP_MB [EXTRA_DIR]
#   partition 1 (type 83): ext2, 4 KiB blocks, the files of STAGING_DIR (and EXTRA_DIR)
#   partition 2 (type 82): swap, made by mkswap
set -e
img=$1 staging=$2 root_mb=$3 swap_mb=$4 extra=$5
work=$img.parts
start=2048                         # partition 1 at 1 MiB, as fdisk aligns it
root_sectors=$((root_mb * 2048))
swap_start=$((start + root_sectors))
swap_sectors=$((swap_mb * 2048))

if [ -n "$extra" ] && [ ! -d "$extra" ]; then
    echo "mkdisk: EXTRA=$extra is not a directory" >&2
    exit 1
fi
rm -rf "$work"
mkdir -p "$work"

# The root file system's files: the staging folder, plus EXTRA merged over a copy.
files=$staging
if [ -n "$extra" ]; then
    files=$work/files
    cp -a "$staging" "$files"
    cp -a "$extra/." "$files/"
fi
# The mount points of the tmpfs instances (fs/rootfs.c): sticky and writable by all,
# as on Linux.
mkdir -p "$files/tmp" "$files/dev/shm"
chmod 1777 "$files/tmp" "$files/dev/shm"
truncate -s "${root_mb}M" "$work/root.img"
mke2fs -q -F -t ext2 -b 4096 -L pagoda-root -E root_owner=0:0 -d "$files" "$work/root.img"
# The tests write to the root (user/test_fswrite.c): a root that the programs fill up
# makes them fail far from the cause, so say it here.
free_mb=$(($(dumpe2fs -h "$work/root.img" 2>/dev/null | sed -n 's/^Free blocks: *//p') * 4 / 1024))
if [ "$free_mb" -lt 16 ]; then
    echo "mkdisk: the root file system has $free_mb MiB free of $root_mb: raise ROOT_MB" >&2
    exit 1
fi

truncate -s "${swap_mb}M" "$work/swap.img"
chmod 600 "$work/swap.img"
mkswap -q -L pagoda-swap "$work/swap.img"

rm -f "$img.tmp"
truncate -s $(((swap_start + swap_sectors) * 512)) "$img.tmp"
sfdisk -q "$img.tmp" <<TABLE
label: dos
label-id: 0x7061676f
start=$start, size=$root_sectors, type=83
start=$swap_start, size=$swap_sectors, type=82
TABLE
# sparse: zero blocks are skipped, so the image stays small on the host's disk.
dd if="$work/root.img" of="$img.tmp" bs=1M seek=$((start * 512)) oflag=seek_bytes \
    conv=notrunc,sparse status=none
dd if="$work/swap.img" of="$img.tmp" bs=1M seek=$((swap_start * 512)) oflag=seek_bytes \
    conv=notrunc,sparse status=none
mv "$img.tmp" "$img"
rm -rf "$work"
