#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every Veldwacht test: the full build (core, store, CLI,
# QGIS plugin, Qt 6 UI library) with warnings as errors, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then each libFuzzer target for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage's wall time, printed as it ends and summed up at the end (the CI budget is 45 min).
stage_start=$SECONDS
stage_times=()
stage_done() {
  local took=$((SECONDS - stage_start))
  stage_times+=("$(printf '%-34s %5d s' "$1" "$took")")
  echo "== $1: ${took} s"
  stage_start=$SECONDS
}
trap 'echo "== stage times:"; printf "   %s\n" "${stage_times[@]}"; echo "   total ${SECONDS} s"' EXIT

bash scripts/setup.sh
stage_done "setup (apt)"
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"

echo "== build and test (preset ci) =="
cmake --preset ci
cmake --build --preset ci -j2
stage_done "ci: configure + build"
ctest --preset ci
stage_done "ci: ctest"

echo "== unit tests under ASan + UBSan (preset asan) =="
cmake --preset asan
# Only the programs of the unit label, which is all this stage runs (veldwacht_unit_tests).
cmake --build --preset asan -j2 --target veldwacht_unit_tests
stage_done "asan: configure + build"
ctest --preset asan
stage_done "asan: ctest"

echo "== fuzz targets, a few seconds each (clang, libFuzzer + ASan + UBSan; docs/fuzzing.md) =="
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVELDWACHT_BUILD_FUZZ=ON -DVELDWACHT_BUILD_TESTS=OFF -DVELDWACHT_BUILD_BENCH=OFF \
  -DVELDWACHT_BUILD_PLUGIN=OFF -DVELDWACHT_BUILD_QT6_UI=OFF -DVELDWACHT_FAST_LINK=OFF
cmake --build build/fuzz -j2 --target fuzz_csv fuzz_geometry fuzz_mapping fuzz_filter
stage_done "fuzz: configure + build"
ctest --test-dir build/fuzz -L fuzz --output-on-failure
stage_done "fuzz: run"
