#!/bin/sh
# bench/lab/exhaustive/estimate.sh: estimates the wall time of `clact check --exhaustive` for
# every activation and direction from a short sweep of each (bench_check at stride 256: the
# pipeline of the exhaustive mode on 2^24 inputs), as CPU time per input, times the inputs of the
# exhaustive run (forward 2^32, backward and from y 2^33: dy = 1 and hash dy), over NCPU cores.
# It ignores the alternative parameter sets (2^28 each), the edges, random inputs and layout.
# usage: bench/lab/exhaustive/estimate.sh BUILD_DIR [NCPU]   (bench_check built as below)
#   cc -O2 -std=c11 -Iinclude bench/lab/exhaustive/bench_check.c BUILD/libclact.a -lOpenCL -lm \
#      -lpthread -o BUILD/bench_check
set -e
build=$1
ncpu=${2:-2}
export POCL_CACHE_DIR=${POCL_CACHE_DIR:-$build/pocl-cache}
export CLACT_CACHE_DIR=${CLACT_CACHE_DIR:-$build/clact-cache}
total=0
for id in $("$build/clact" list --json | tr ',' '\n' | sed -n 's/.*"id": *"\([a-z0-9_]*\)".*/\1/p'); do
  for dir in fwd bwd bwd_y; do
    line=$("$build/bench_check" "$id" "$dir" 256 2>/dev/null) || continue
    case "$line" in *"status -4005"*) continue ;; esac
    rate=$(echo "$line" | sed -n 's/.* \([0-9.e+]*\) per CPU s.*/\1/p')
    case "$rate" in "" | inf | 0) continue ;; esac
    n=4294967296
    [ "$dir" != fwd ] && n=8589934592
    s=$(awk -v n="$n" -v r="$rate" -v c="$ncpu" 'BEGIN { printf "%.0f", n / r / c }')
    total=$((total + s))
    echo "$id $dir $rate inputs per CPU s: ~$s s"
  done
done
echo "total ~$total s ($(awk -v t="$total" 'BEGIN { printf "%.1f", t / 3600 }') h) on $ncpu cores"
