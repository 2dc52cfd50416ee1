#!/bin/sh
# tools/bench.sh: runs one in-kernel benchmark (ktest=NAME) under QEMU TCG with
# -icount shift=0, where the guest's TSC counts instructions, and prints its figures.
# Usage: bench.sh NAME [MEM]. The figures repeat from run to run; see docs/disk.md.
name=$1
mem=${2:-128}
cmd="qemu-system-i386 -m $mem -accel tcg -icount shift=0 -rtc clock=vm -display none
 -serial stdio -monitor none -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04
 -drive file=build/disk.img,format=raw,if=ide,index=0,media=disk,snapshot=on
 -kernel build/kernel.elf -append ktest=$name"
echo "bench: $(echo $cmd)"
out=$($cmd 2>&1 | tr -d "\r")
echo "$out" | grep "^# bench"
if ! echo "$out" | grep -q "^ok 1 $name$"; then
    echo "$out" | tail -20
    echo "bench: $name failed" >&2
    exit 1
fi
