#!/usr/bin/env bash
# scripts/gpu-bench.sh OUTDIR [ID...]: one command for a GPU machine (or any OpenCL device).
# Builds clact (Release) in build-gpu/, then on the default device (the first GPU, else the
# first device; CLACT_DEVICE=P:D chooses) runs and saves in OUTDIR, in this order:
#   devices.txt            clact devices
#   sweep.txt/.json/.csv   clact bench --sweep            (float32, n = 2^10 .. 2^26)
#   dtypes.txt/.json/.csv  clact bench --dtype all        (n = 2^24)
#   width-W.txt/.csv       clact bench relu gelu tanh --dtype all --width W, W = 1 2 4 8
#   widths.md              those as one table: G elements/s per width
#   torch.csv, vs-torch.md PyTorch's own kernels on the same GPU (bench/torch_gpu.py), joined
#                          with sweep.csv and dtypes.csv; only where python3 has torch and CUDA
#   check.txt              clact check --dtype all        (every activation, every dtype; last:
#                          on an H200 it took 400 s, the bench steps about 150 s)
#   summary.md             the float32 rows at n = 2^24 as a markdown table
#   env.txt                the machine, the driver, the compiler, the commit
# IDs restrict check and bench to those activations (default: all).
# Environment: BENCH_TIME (seconds per measurement, default 0.05), JOBS (build jobs),
# CHECK (full, the default; quick: clact check --quick; none: no check).
# On an NVIDIA machine with only the CUDA toolkit, the OpenCL headers and the ICD loader come
# from CUDA, and the driver's OpenCL library (libnvidia-opencl.so.1) may have no .icd file:
# then one is written to OUTDIR/icd and the loader pointed at it. The exit status is that of
# the first failing step; each step's output is kept either way.
set -uo pipefail
if [ $# -lt 1 ] || [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
out=$1
shift
ids=("$@")
here=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out" || exit 3
out=$(cd "$out" && pwd)
time_s=${BENCH_TIME:-0.05}
status=0
step() { # step NAME CMD...: runs CMD, output to OUTDIR/NAME.txt and the terminal
  local name=$1
  shift
  echo "== $name: $*"
  "$@" 2>&1 | tee "$out/$name.txt"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || { echo "== $name failed (exit $rc)"; [ "$status" -ne 0 ] || status=$rc; }
  return 0
}

# ---- OpenCL driver: an .icd for the NVIDIA library when the loader has none ----
vendors=${OCL_ICD_VENDORS:-/etc/OpenCL/vendors}
if ! grep -qs nvidia "$vendors"/*.icd 2>/dev/null; then
  lib=$( (ldconfig -p 2>/dev/null | grep -o '/[^ ]*libnvidia-opencl\.so\.1' ;
          find /usr/lib /usr/lib64 /usr/local /lib -name 'libnvidia-opencl.so.1' 2>/dev/null) | head -n 1)
  if [ -n "$lib" ]; then
    mkdir -p "$out/icd"
    echo "$lib" >"$out/icd/nvidia.icd"
    export OCL_ICD_VENDORS="$out/icd"   # ocl-icd
    export OCL_ICD_FILENAMES="$lib"     # the Khronos loader (CUDA's libOpenCL)
    echo "== wrote $out/icd/nvidia.icd -> $lib"
  fi
fi

# ---- build: CUDA's OpenCL headers and loader where the system has none ----
cmake_args=(-S "$here" -B "$here/build-gpu" -DCMAKE_BUILD_TYPE=Release)
for cuda in ${CUDA_HOME:-} /usr/local/cuda; do
  if [ -n "$cuda" ] && [ -f "$cuda/include/CL/cl.h" ] && [ ! -f /usr/include/CL/cl.h ]; then
    cmake_args+=(-DOpenCL_INCLUDE_DIR="$cuda/include" -DOpenCL_LIBRARY="$cuda/lib64/libOpenCL.so")
    break
  fi
done
{
  echo "date: $(date -u +%FT%TZ)"
  echo "host: $(uname -a)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2-)"
  echo "commit: $(git -C "$here" rev-parse HEAD 2>/dev/null || echo unknown)"
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total \
    --format=csv,noheader
  echo "cc: $(cc --version 2>/dev/null | head -n 1)"
} >"$out/env.txt" 2>&1
step build-configure cmake "${cmake_args[@]}"
step build cmake --build "$here/build-gpu" -j "${JOBS:-$(nproc)}" --target clact_cli
clact=$here/build-gpu/clact
if [ ! -x "$clact" ]; then
  echo "== no clact binary: see $out/build.txt"
  exit "${status:-4}"
fi
export CLACT_CACHE_DIR=${CLACT_CACHE_DIR:-$out/clact-cache}

# ---- run: the benchmarks first (minutes), the check last (the longest step) ----
step devices "$clact" devices
step sweep "$clact" bench "${ids[@]}" --sweep --time "$time_s" --json "$out/sweep.json" \
  --csv "$out/sweep.csv"
step dtypes "$clact" bench "${ids[@]}" --dtype all --time "$time_s" --json "$out/dtypes.json" \
  --csv "$out/dtypes.csv"
for w in 1 2 4 8; do
  step "width-$w" "$clact" bench relu gelu tanh --dtype all --width "$w" --time "$time_s" \
    --csv "$out/width-$w.csv"
done
if [ -f "$out/width-1.csv" ]; then
  { # G elements/s per width, one line per activation, direction and dtype (columns by name,
    # counted from the end: a device name may hold commas)
    echo "| activation | direction | dtype | n | width 1 | width 2 | width 4 | width 8 |"
    echo "|---|---|---|---|---|---|---|---|"
    awk -F, 'FNR == 1 { for (i = 1; i <= NF; i++) c[$i] = NF - i; w = FILENAME;
        sub(/.*width-/, "", w); sub(/[.]csv$/, "", w); next }
      { k = $(NF - c["activation"]) " | " $(NF - c["direction"]) " | " $(NF - c["dtype"]) " | " \
          $(NF - c["n"]); if (!(k in seen)) { seen[k] = 1; order[++m] = k }
        g[k, w] = $(NF - c["gelem_per_s"]) }
      END { for (i = 1; i <= m; i++) { k = order[i]; printf "| %s |", k
          for (j = 1; j <= 8; j *= 2) printf " %s |", ((k, j) in g) ? sprintf("%.1f", g[k, j]) : "-"
          printf "\n" } }' "$out"/width-[1248].csv
  } >"$out/widths.md"
fi
if command -v python3 >/dev/null &&
  python3 -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  step torch python3 "$here/bench/torch_gpu.py" run --n 1048576 16777216 67108864 \
    --dtype f32,f16,bf16,f64 --csv "$out/torch.csv"
  if [ -f "$out/torch.csv" ]; then
    for f in sweep dtypes; do
      [ -f "$out/$f.csv" ] && python3 "$here/bench/torch_gpu.py" compare "$out/$f.csv" \
        "$out/torch.csv" >"$out/vs-torch-$f.md"
    done
  fi
else
  echo "== torch: no python3 with PyTorch and CUDA here, no PyTorch comparison"
fi
case "${CHECK:-full}" in
  full) step check "$clact" check "${ids[@]}" --dtype all ;;
  quick) step check "$clact" check "${ids[@]}" --dtype all --quick ;;
  none) echo "== check: skipped (CHECK=none)" ;;
  *) echo "== CHECK=${CHECK} is not full, quick or none"; [ "$status" -ne 0 ] || status=2 ;;
esac

# ---- summary: float32 at n = 2^24 from the sweep's CSV ----
if [ -f "$out/sweep.csv" ]; then
  {
    echo "float32, n = 16777216, $(head -n 2 "$out/sweep.csv" | tail -n 1 | cut -d, -f1-2)"
    echo
    echo "| activation | direction | G elements/s | GB/s | ratio to copy |"
    echo "|---|---|---|---|---|"
    # columns by their header names, counted from the end (a device name may hold commas)
    awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = NF - i; next }
      $(NF - c["n"]) == 16777216 && $(NF - c["dtype"]) == "f32" {
        printf "| %s | %s | %.3f | %.1f | %.2f |\n", $(NF - c["activation"]), $(NF - c["direction"]),
          $(NF - c["gelem_per_s"]), $(NF - c["gb_per_s"]), $(NF - c["ratio_to_copy"]) }' \
      "$out/sweep.csv"
  } >"$out/summary.md"
  echo "== summary: $out/summary.md"
fi
echo "== results in $out (exit $status)"
exit "$status"
