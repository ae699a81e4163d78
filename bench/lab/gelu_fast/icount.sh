#!/bin/sh
# bench/lab/gelu_fast/icount.sh KERNEL_DIR [fwd|bwd]: compile gelu (float32, vector width 16) from
# KERNEL_DIR through PoCL and count the x86 instructions of the work-group function and of
# gelu_<dir> where PoCL kept it out of line (it is called once per 16 elements), and the
# divisions among them. A static count: the work-group function also holds the tail loop.
# Needs /tmp/hB_cputime (bench/lab/cputime, built against the library).
d=$(mktemp -d)
dir=${2:-fwd}
POCL_CACHE_DIR=$d CLACT_CACHE_DIR=$d/cc CLACT_KERNEL_DIR=$1 /tmp/hB_cputime gelu $dir 65536 1 >/dev/null
f=$(find $d -path "*clact_$dir/256*" -name "*.so" | head -1)
objdump -d --no-show-raw-insn "$f" | awk -v a="<_pocl_kernel_clact_${dir}_workgroup>:" -v b="<gelu_$dir>:" '
  /^[0-9a-f]+ <.*>:/ {p = ($2 == a || $2 == b); fn = $2}
  p && /^ +[0-9a-f]+:/ {n[fn]++; if ($0 ~ /vdivps/) dv++}
  END {for (k in n) printf "%s %d instructions\n", k, n[k]; printf "divisions %d\n", dv}'
rm -rf $d
