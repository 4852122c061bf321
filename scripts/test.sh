#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every Veldwacht test: the full build (core, store, CLI,
# QGIS plugin, Qt 6 UI library) with warnings as errors, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer, then each libFuzzer target for a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$(mktemp -d)}"
chmod 700 "$XDG_RUNTIME_DIR"

echo "== build and test (preset ci) =="
cmake --preset ci
cmake --build --preset ci -j2
ctest --preset ci

echo "== unit tests under ASan + UBSan (preset asan) =="
cmake --preset asan
# Only the programs of the unit label, which is all this stage runs (veldwacht_unit_tests).
cmake --build --preset asan -j2 --target veldwacht_unit_tests
ctest --preset asan

echo "== fuzz targets, a few seconds each (clang, libFuzzer + ASan + UBSan; docs/fuzzing.md) =="
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DVELDWACHT_BUILD_FUZZ=ON -DVELDWACHT_BUILD_TESTS=OFF -DVELDWACHT_BUILD_BENCH=OFF \
  -DVELDWACHT_BUILD_PLUGIN=OFF -DVELDWACHT_BUILD_QT6_UI=OFF -DVELDWACHT_FAST_LINK=OFF
cmake --build build/fuzz -j2 --target fuzz_csv fuzz_geometry fuzz_mapping fuzz_filter
ctest --test-dir build/fuzz -L fuzz --output-on-failure
