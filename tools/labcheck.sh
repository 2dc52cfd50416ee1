#!/bin/sh
# tools/labcheck.sh: the lab's skeleton (docs/labs/skeleton_policy.c), copied into a scratch
# copy of mm/policy/ and registered as docs/labs/replacement.md tells students, must compile
# with the kernel's flags ($LAB_CC, set by make test) and run in a simulator built with it.
# Prints TAP.
root=$(cd "$(dirname "$0")/.." && pwd)
lab=$root/build/lab
rm -rf "$lab" && mkdir -p "$lab/mm" && cp -r "$root/mm/policy" "$lab/mm/policy" || exit 1
cp "$root/docs/labs/skeleton_policy.c" "$lab/mm/policy/skeleton.c"
# The two edits of the registry: the declaration, and a line in the table.
"$root/tools/labregister.sh" "$root/mm/policy/registry.c" "$lab/mm/policy/registry.c" skeleton ||
    exit 1

echo "TAP version 13"
echo "1..3"
report() {
    if [ "$2" = 0 ]; then echo "ok $1 $3"; else echo "not ok $1 $3"; sed 's/^/    # /' "$lab/log"; fi
}
${LAB_CC:-i686-linux-gnu-gcc -m32 -ffreestanding -nostdlib -Wall -Wextra -Werror} -I"$lab" \
    -I"$root" -c "$lab/mm/policy/skeleton.c" -o "$lab/skeleton.o" >"$lab/log" 2>&1
report 1 $? skeleton_compiles_for_the_kernel
gcc -std=gnu11 -O1 -Wall -Wextra -Werror -I"$lab" -I"$root" -o "$lab/vmsim" \
    -DVMSIM_PLOTTER=\""$root/tools/vmsim-src/plot.py"\" \
    "$root"/tools/vmsim-src/*.c "$lab"/mm/policy/*.c -lz >"$lab/log" 2>&1
report 2 $? registered_skeleton_builds_into_vmsim
{ "$lab/vmsim" --names | grep -qx skeleton &&
  "$lab/vmsim" --csv --policy skeleton --frames 3 --lock 1 --refs 1,2,3,4,1,2,5,1,2,3,4,5 |
      grep -qx 'skeleton,3,12,[0-9]*'; } >"$lab/log" 2>&1
report 3 $? registered_skeleton_runs_in_vmsim
