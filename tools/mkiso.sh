#!/bin/sh
# tools/mkiso.sh: makes a bootable GRUB ISO holding the kernel and a grub.cfg.
# Usage: mkiso.sh OUT.iso KERNEL.elf GRUB.cfg
set -e
out=$1; kernel=$2; cfg=$3
dir=$out.d
rm -rf "$dir" && mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
cp "$cfg" "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$dir" 2>"$out.log" || { cat "$out.log"; exit 1; }
rm -rf "$dir"
