#!/bin/sh
# bench/lab/fast/icount.sh ID KERNEL_DIR [fwd|bwd]: as bench/lab/gelu_fast/icount.sh for any
# elementwise activation ID: compile it (float32, vector width 16) from KERNEL_DIR through PoCL
# and count the x86 instructions of the work-group function and of ID_<dir> where PoCL kept it
# out of line, the divisions among them, and the whole listing in $ICOUNT_DUMP if set.
# Needs /tmp/hC_cputime (bench/lab/cputime, built against the library).
d=$(mktemp -d)
id=$1
dir=${3:-fwd}
POCL_CACHE_DIR=$d CLACT_CACHE_DIR=$d/cc CLACT_KERNEL_DIR=$2 /tmp/hC_cputime $id $dir 65536 1 >/dev/null
f=$(find $d -path "*clact_$dir/256*" -name "*.so" | head -1)
[ -n "$ICOUNT_DUMP" ] && objdump -d --no-show-raw-insn "$f" > "$ICOUNT_DUMP"
objdump -d --no-show-raw-insn "$f" | awk -v a="<_pocl_kernel_clact_${dir}_workgroup>:" -v b="<${id}_$dir>:" '
  /^[0-9a-f]+ <.*>:/ {p = ($2 == a || $2 == b); fn = $2}
  p && /^ +[0-9a-f]+:/ {n[fn]++; if ($0 ~ /vdivps/) dv++}
  END {for (k in n) printf "%s %d instructions\n", k, n[k]; printf "divisions %d\n", dv}'
rm -rf $d
