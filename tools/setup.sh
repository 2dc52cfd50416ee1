#!/bin/sh
# tools/setup.sh: installs the Debian packages Pagoda's build and tests need.
# Idempotent: it only calls apt-get (and apt-get update) when something is missing.
set -e
PKGS="qemu-system-x86 qemu-utils nasm grub-pc-bin grub-common xorriso mtools gcc-i686-linux-gnu
binutils-i686-linux-gnu libc6-dev-i386-cross e2fsprogs fdisk gdb python3 make
zlib1g-dev python3-matplotlib chromium valgrind"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

echo "setup: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
