#!/usr/bin/env bash
# Installs every Debian 12 package Veldwacht needs to build, test and run (non-interactive,
# idempotent; a no-op taking well under a second when everything is installed).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git clang-format time
  # lld links the ~150 test programs several times faster than GNU ld (CI time)
  lld
  # core: GDAL/OGR, PROJ (+ grids that Debian ships), GEOS, SQLite/SpatiaLite
  libgdal-dev gdal-bin python3-gdal libproj-dev proj-bin proj-data libgeos-dev
  libsqlite3-dev sqlite3 libspatialite-dev libsqlite3-mod-spatialite
  # libraries used instead of writing them again
  nlohmann-json3-dev libcli11-dev libfmt-dev libtbb-dev libnanoflann-dev libboost-graph-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev python3-sklearn python3-numpy
  # fuzzing (libFuzzer from clang 14) and sanitizer runtimes
  clang libclang-rt-14-dev
  # planning and risk: exact optima with COIN-OR CBC, linear algebra with Eigen
  coinor-libcbc-dev libeigen3-dev
  # road network and shared store: PostgreSQL 15 + PostGIS 3.3 + pgRouting 3.4 (tests start their
  # own temporary cluster on a unix socket; no server is started here)
  postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting libpq-dev
  # QGIS 3.22 (Qt 5) for the plugin, Qt 6 for the Qt-only UI library, X for end-to-end tests
  qgis qgis-providers python3-qgis libqgis-dev qttools5-dev qttools5-dev-tools poppler-utils
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools xvfb xauth
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
