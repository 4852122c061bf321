#!/usr/bin/env bash
# Sets up a Debian 12 machine and runs every Veldwacht test: the full build (core, store, CLI,
# QGIS plugin, Qt 6 UI library) with warnings as errors, then the unit tests again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
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
cmake --build --preset asan -j2
ctest --preset asan
