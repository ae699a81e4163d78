#!/usr/bin/env bash
# scripts/perf-report.sh [BUILD_DIR] [OUT.md]: measures and writes docs/performance.md.
# Runs, on the default device (CLACT_DEVICE=P:D chooses), from an existing build:
#   1. clact bench (every activation, float32, n = 2^24)               -> f32.json
#   2. clact bench relu gelu silu --dtype all (n = 2^24)               -> dtypes.json
#   3. clact bench relu gelu --sweep (n = 2^10 .. 2^26)                -> sweep.json
#   4. clact bench relu gelu silu --host (host arrays, n = 2^24)       -> host.json
#   5. compare_onednn (when built: oneDNN found), OMP_NUM_THREADS = the cores, passive waiting
#      so its idle threads do not spin while clact runs                -> onednn.txt
# then scripts/perf_report.py turns them into the markdown, and scripts/readme_perf.py writes
# README.md's table (between <!-- perf-table --> and <!-- /perf-table -->). The raw files are kept in
# BUILD_DIR/perf/. Takes about 10 minutes on a 2-core machine.
set -euo pipefail
build=${1:-build}
out=${2:-docs/performance.md}
here=$(cd "$(dirname "$0")" && pwd)
raw=$build/perf
mkdir -p "$raw"
clact=$build/clact
[ -x "$clact" ] || { echo "perf-report: no $clact: build first" >&2; exit 3; }
time_s=${BENCH_TIME:-0.3}
echo "== 1/5 every activation, float32" >&2
"$clact" bench --time "$time_s" --json "$raw/f32.json" >&2
echo "== 2/5 dtypes" >&2
"$clact" bench relu gelu silu --dtype all --time "$time_s" --json "$raw/dtypes.json" >&2
echo "== 3/5 sweep" >&2
"$clact" bench relu gelu --sweep --time "$time_s" --json "$raw/sweep.json" >&2
echo "== 4/5 host arrays" >&2
"$clact" bench relu gelu silu --host --time "$time_s" --json "$raw/host.json" >&2
rm -f "$raw/onednn.txt"
if [ -x "$build/compare_onednn" ]; then
  echo "== 5/5 oneDNN" >&2
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-$(nproc)} OMP_WAIT_POLICY=passive \
    "$build/compare_onednn" --n 16777216 | tee "$raw/onednn.txt" >&2
else
  echo "== 5/5 oneDNN: compare_onednn not built (apt-get install libdnnl-dev), left out" >&2
fi
python3 "$here/perf_report.py" "$raw" "$out" >"$out.tmp" # keeps $out's <!-- notes --> block
mv "$out.tmp" "$out"
python3 "$here/readme_perf.py" "$raw" "$here/../README.md"
echo "== wrote $out" >&2
