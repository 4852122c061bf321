#!/bin/sh
# `veldwacht cluster --method dbscan` end to end through a GeoPackage store (bench/e2e_store_dbscan:
# the CLI's runner; points read through the store's records as before or column-wise as now,
# result tables by our own writer) paired with QGIS's
# native:dbscanclustering on the same seeded points, alternating, 1 thread, eps 50 m, minPts 10.
# Every run writes new result tables (the store's previous ones deleted before, untimed), as
# QGIS writes a new file.
# Prints per run: wall s, user s, sys s, peak RSS KiB, and the 1-minute load average before it.
#
#   [ROUNDS=2] bench/e2e_store_dbscan_pair.sh BUILD_DIR WORK_DIR [N]     (N default 1000000)
set -eu
BUILD=$1
WORK=$2
N=${3:-1000000}
B="$BUILD/bench/e2e_store_dbscan"
mkdir -p "$WORK/home" "$WORK/run"
chmod 700 "$WORK/run"
[ -f "$WORK/store_$N.gpkg" ] || "$B" prepare "$N" "$WORK/store_$N.gpkg"
[ -f "$WORK/points_$N.gpkg" ] || "$B" points "$N" "$WORK/points_$N.gpkg"
run() {
  label=$1
  shift
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" > "$WORK/out.txt" 2>&1
  echo "$label: wall/user/sys/maxrss_kib $(cat "$WORK/time.txt") load_before $load"
  grep -h "writer\|phase" "$WORK/out.txt" | head -2 || true
}
for round in $(seq 1 "${ROUNDS:-2}"); do
  # Each run writes new result tables (as QGIS writes a new file): the previous run's are
  # deleted first, untimed.
  "$B" clear "$WORK/store_$N.gpkg" > /dev/null
  run "record read (before), round $round" "$B" run "$WORK/store_$N.gpkg" --read record
  "$B" clear "$WORK/store_$N.gpkg" > /dev/null
  run "column read (after), round $round" "$B" run "$WORK/store_$N.gpkg" --read column
  rm -f "$WORK/qgis_out.gpkg"
  run "QGIS native:dbscanclustering, round $round" env QT_QPA_PLATFORM=offscreen \
    HOME="$WORK/home" XDG_RUNTIME_DIR="$WORK/run" /usr/bin/qgis_process.bin run \
    native:dbscanclustering -- "INPUT=$WORK/points_$N.gpkg" MIN_SIZE=10 EPS=50 "DBSCAN*=0" \
    "OUTPUT=$WORK/qgis_out.gpkg"
done
