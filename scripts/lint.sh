#!/usr/bin/env bash
# scripts/lint.sh [BUILD_DIR]: static analysis of the library and the command. clang-tidy with
# the repository's .clang-tidy (bugprone, cert, clang-analyzer, performance; warnings are
# errors) over host/ and host/cli/, then cppcheck (warning, performance, portability). Needs a
# build folder configured with compile commands (made here if BUILD_DIR does not have them).
# Exit status 0 when both are clean. CI runs it (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-lint}
if [ ! -f "$build/compile_commands.json" ]; then
  cmake -S . -B "$build" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DCLACT_BUILD_TESTS=OFF >/dev/null
  cmake --build "$build" --target clact_objects >/dev/null # generates the embedded kernels
fi
status=0
# one clang-tidy per file, as many at once as there are cores; warnings are errors
# (.clang-tidy): a finding, or a file it cannot process, fails (xargs then exits non-zero)
tidy_one='out=$(clang-tidy -p "$0" --quiet "$1" 2>&1) ||
  { printf "%s\n" "$out" | grep -E "(warning|error)" || printf "%s\n" "$out"; exit 1; }'
printf '%s\n' host/*.c host/cli/*.c |
  xargs -P "$(nproc)" -I{} bash -c "$tidy_one" "$build" {} || status=1
cppcheck --enable=warning,performance,portability --std=c11 --quiet --error-exitcode=1 \
  --inline-suppr -I include -I host host/*.c host/cli/*.c || status=1
if [ "$status" -eq 0 ]; then echo "lint: clang-tidy and cppcheck clean"; fi
exit "$status"
