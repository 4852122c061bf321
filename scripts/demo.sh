#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Veldwacht and runs its main job on the sample region:
# a fresh store from sample-data/ with every analysis, in ./veldwacht-demo (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-veldwacht-demo}"

bash scripts/setup.sh
# Its own build folder, so the release preset (plugin, benchmarks) keeps its own settings.
cmake -S . -B build/demo -G Ninja -DCMAKE_BUILD_TYPE=Release -DVELDWACHT_BUILD_TESTS=OFF \
  -DVELDWACHT_BUILD_BENCH=OFF -DVELDWACHT_BUILD_PLUGIN=OFF -DVELDWACHT_BUILD_QT6_UI=OFF >/dev/null
cmake --build build/demo -j2 --target veldwacht
./build/demo/cli/veldwacht demo "$out"
