#!/usr/bin/env bash
# Anchor benchmark: QGIS's heatmap (qgis:heatmapkerneldensityestimation, quartic, raw) against
# Veldwacht's KDE end to end (GeoPackage in → GeoTIFF out), on the same seeded clustered points
# (~60 × 60 km, RD New), radius 500 m, pixels 50 m. Prints both wall times, the speed-up, and
# the largest difference between the two rasters.
#   bench/anchors/kde_qgis.sh [BUILD_DIR] [N ...]     (defaults: build/release, 100000 1000000)
# BUILD_DIR must hold bench/density_kde_gpkg (a Release build: cmake --preset release).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:-$here/../../build/release}"
shift || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(100000 1000000)
exe="$build/bench/density_kde_gpkg"
qgis=/usr/bin/qgis_process.bin
[ -x "$exe" ] || { echo "missing $exe (build target density_kde_gpkg)"; exit 1; }
[ -x "$qgis" ] || { echo "missing $qgis"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home" "$work/run" && chmod 700 "$work/run"
export QT_QPA_PLATFORM=offscreen HOME="$work/home" XDG_RUNTIME_DIR="$work/run"
RADIUS=500
PIXEL=50

for n in "${sizes[@]}"; do
  gpkg="$work/points_$n.gpkg"
  /usr/bin/python3 - "$n" "$gpkg" <<'PY'
import sys
import numpy as np
from osgeo import ogr, osr
n, path = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(20240611)
x0, y0, side = 130000.0, 430000.0, 60000.0
blobs = np.column_stack([x0 + side * rng.random(300), y0 + side * rng.random(300),
                         150 + 1350 * rng.random(300)])
bg = rng.random(n) < 0.3
which = rng.integers(0, 300, n)
xs = np.where(bg, x0 + side * rng.random(n), blobs[which, 0] + blobs[which, 2] * rng.standard_normal(n))
ys = np.where(bg, y0 + side * rng.random(n), blobs[which, 1] + blobs[which, 2] * rng.standard_normal(n))
ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
srs = osr.SpatialReference(); srs.ImportFromEPSG(28992)
lyr = ds.CreateLayer("points", srs, ogr.wkbPoint, ["SPATIAL_INDEX=NO"])
defn = lyr.GetLayerDefn()
lyr.StartTransaction()
for x, y in zip(xs, ys):
    f = ogr.Feature(defn)
    g = ogr.Geometry(ogr.wkbPoint); g.AddPoint_2D(float(x), float(y))
    f.SetGeometry(g); lyr.CreateFeature(f)
lyr.CommitTransaction()
ds = None
PY
  /usr/bin/python3 - "$n" "$gpkg" "$work" "$exe" "$qgis" "$RADIUS" "$PIXEL" <<'PY'
import resource, subprocess, sys, time
import numpy as np
from osgeo import gdal
n, gpkg, work, exe, qgis, radius, pixel = sys.argv[1:8]

def timed(cmd, log):
    """Wall time and CPU time (user + sys of the child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    with open(log, "w") as out:
        subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)

qw, qc = timed([qgis, "run", "qgis:heatmapkerneldensityestimation", "--", f"INPUT={gpkg}",
                f"RADIUS={radius}", f"PIXEL_SIZE={pixel}", "KERNEL=0", "OUTPUT_VALUE=0",
                f"OUTPUT={work}/qgis_{n}.tif"], f"{work}/qgis_{n}.log")
ow, oc = timed([exe, gpkg, f"{work}/ours_{n}.tif", radius, pixel, "0"], f"{work}/ours_{n}.log")
q = gdal.Open(f"{work}/qgis_{n}.tif"); o = gdal.Open(f"{work}/ours_{n}.tif")
a = q.ReadAsArray().astype(float); b = o.ReadAsArray().astype(float)
a[a == -9999] = 0
same_grid = a.shape == b.shape and np.allclose(q.GetGeoTransform(), o.GetGeoTransform())
diff = np.abs(a - b).max() / max(np.abs(b).max(), 1e-300) if same_grid else float("nan")
phases = open(f"{work}/ours_{n}.log").read().strip()
print(f"n={n}: QGIS wall {qw:.2f} s (cpu {qc:.2f} s); Veldwacht wall {ow:.2f} s (cpu {oc:.2f} s)"
      f" [{phases}]; speed-up wall {qw / ow:.1f}x, cpu {qc / oc:.1f}x;"
      f" same grid {same_grid}, max |diff|/max {diff:.1e}")
PY
done
