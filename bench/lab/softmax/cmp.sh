#!/bin/bash
# bench/lab/softmax/cmp.sh: CPU time per element of kernel variants, interleaved, medians.
# Usage: cmp.sh REPS N LAUNCHES ID fwd|bwd BINARY:KERNEL_DIR ...
#   BINARY: a bench/lab/cputime build (against a library build: its vector widths);
#   KERNEL_DIR: a copy of kernels/ with a variant (CLACT_KERNEL_DIR), validated by
#   `CLACT_KERNEL_DIR=DIR clact check ID` first.
# Each round runs every variant once, in order; the median over REPS rounds is printed.
# A background `clact check --exhaustive` is paused meanwhile (SIGSTOP/SIGCONT).
set -u
reps=$1 n=$2 launches=$3 id=$4 dir=$5
shift 5
out=$(mktemp)
pkill -STOP -f "clact check --exhaustive" || true
trap 'pkill -CONT -f "clact check --exhaustive" || true; rm -f "$out"' EXIT
for bv in "$@"; do # warm the program caches
  CLACT_KERNEL_DIR=${bv#*:} ${bv%%:*} "$id" "$dir" 65536 1 >/dev/null
done
for _ in $(seq "$reps"); do
  for bv in "$@"; do
    t=$(CLACT_KERNEL_DIR=${bv#*:} ${bv%%:*} "$id" "$dir" "$n" "$launches" | awk '{print $4}')
    echo "$bv $t" >>"$out"
  done
done
python3 - "$out" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    k, v = line.split()
    d[k].append(float(v))
for k, xs in d.items():
    print(f"{k}  median {statistics.median(xs):.3f}  ({' '.join(f'{x:.2f}' for x in xs)})")
PY
