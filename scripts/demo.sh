#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Veldwacht and runs its main job on the sample region:
# a fresh store from sample-data/ with every analysis, in ./veldwacht-demo (or the folder given).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-veldwacht-demo}"

bash scripts/setup.sh
cmake --preset release -DVELDWACHT_BUILD_TESTS=OFF -DVELDWACHT_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release -j2 --target veldwacht
./build/release/cli/veldwacht demo "$out"
