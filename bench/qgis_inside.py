#!/usr/bin/python3
"""Veldwacht inside QGIS against QGIS's own algorithms, both through qgis_process.bin, in one run.

    /usr/bin/python3 bench/qgis_inside.py [--sizes 100000,1000000] [--build build/release]
                                          [--no-build] [--qgis-timeout S] [--skip-kde]
                                          [--markdown FILE] [--json FILE] [--work DIR] [--smoke]
                                          [--keep-points] [--skip-dbscan] [--without-fast-paths]
                                          [--from-json FILE] [--only dbscan,kde,stdbscan,...]

For each size, one seeded generator (bench/clustering_points.h, via `e2e_dbscan_gpkg points`, the
same as bench/run_anchors.py) writes ONE GeoPackage (EPSG:28992) that every run reads. Timed, each
as its own `qgis_process.bin run` under /usr/bin/time (wall clock, CPU = user + sys, peak RSS), one
paired run, 1 thread:
  * DBSCAN eps 50 m, minPts 10, GeoPackage -> GeoPackage: `veldwacht:dbscan` (THREADS=1) against
    `native:dbscanclustering`;
  * KDE quartic, raw, radius 500 m, pixels 50 m, GeoPackage -> GeoTIFF: `veldwacht:kde`
    (THREADS=1, PLACEMENT = QGIS's) against `qgis:heatmapkerneldensityestimation`;
  * ST-DBSCAN eps 50 m, 7 days, minPts 10 on a copy of the points with a DATETIME `t` spread over
    28 days: `veldwacht:stdbscan` against `native:stdbscanclustering`;
  * k-means, k 20: `veldwacht:kmeans` (N_INIT=1, one seeding as QGIS) against
    `native:kmeansclustering`;
  * square cells of 500 m: `veldwacht:gridcount` against `native:creategrid` (the same lattice)
    followed by `native:countpointsinpolygon` (both timed, CPU summed, the larger peak RSS);
  * hexagons 1000 m wide (written beforehand, untimed): `veldwacht:polygoncount` against
    `native:countpointsinpolygon`;
  * `veldwacht:nearestneighbourindex` against `native:nearestneighbouranalysis`.
--only picks pairs (dbscan, kde, stdbscan, kmeans, gridcount, polygoncount, nni).
With --without-fast-paths also `veldwacht:*` with VELDWACHT_FAST_IO=0 (QgsFeatureSource in, sink
out, as the plugin did before plugin/processing/fastio.h), on the same output.
Start-up is measured for both sides as the same algorithm on a one-point layer and reported
besides (the ratios are end to end, start-up included). Checked: the same cluster id for every
point (Veldwacht numbers clusters from 0 with -1 for noise, QGIS from 1 with NULL for noise), and
KDE rasters on the same grid with values within 1e-4 of the maximum; the same ST-DBSCAN cluster id
for every point; k-means: every point in one of k clusters on both sides (the seedings differ, so
the partitions do; the inertia of both is reported); the same count in every cell and polygon
(matched by their envelopes); the same nearest neighbour index and z within 1e-9. Exit status 1
when a check fails, 77 when qgis_process.bin or /usr/bin/time is missing.

--smoke checks the agreement only, at 2000 points, with every algorithm of both sides run in ONE
Python process with QGIS (Server below: the `qgis_process run` commands' parameters, our provider
registered as the companion does), so it pays one QGIS start-up instead of one per run.

qgis_process loads no native plugins: the Python companion plugin/python/veldwacht_processing
(laid out next to libveldwachtplugin.so in <build>/plugin/qgis-plugins) registers the provider;
QGIS_PLUGINPATH points at it and a throw-away profile enables it. QGIS's own algorithms run in a
separate throw-away profile without it, so neither side pays for the other's start-up.
"""
import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run_anchors as ra  # noqa: E402  (timed(), raster(), remove(), machine facts)

ROOT = ra.ROOT
QGIS = ra.QGIS
EPS, MIN_PTS = ra.EPS, ra.MIN_PTS
RADIUS, PIXEL = ra.RADIUS, ra.PIXEL
KDE_TOLERANCE = ra.KDE_TOLERANCE
TARGETS = ["veldwacht_plugin", "e2e_dbscan_gpkg"]
# The other pairs (bench_others): ST-DBSCAN's time radius, over times spread evenly (by a
# multiplicative hash of pid) across 28 days; k of k-means; the square cells of the grid count;
# the hexagons (width across flats) of the polygon count.
ST_EPS_DAYS, ST_SPREAD_DAYS = 7, 28
KMEANS_K = 20
GRID_CELL = 500.0
HEX_WIDTH = 1000.0
OTHERS = ["stdbscan", "kmeans", "gridcount", "polygoncount", "nni"]


def make_env(tmp, plugin_dir=None):
    """A throw-away QGIS profile; with `plugin_dir` the Veldwacht companion is found and on."""
    os.makedirs(f"{tmp}/home", exist_ok=True)
    os.makedirs(f"{tmp}/run", mode=0o700, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=f"{tmp}/home",
               XDG_RUNTIME_DIR=f"{tmp}/run")
    env.pop("QGIS_PLUGINPATH", None)
    if plugin_dir:
        env["QGIS_PLUGINPATH"] = os.path.join(plugin_dir, "veldwacht_python")
        subprocess.run([QGIS, "plugins", "enable", "veldwacht_processing"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return env


def labels(path, n, column, offset, noise_is_null, pid="pid"):
    """Cluster id per pid (-1 noise, -2 missing), shifted by `offset` to count from 1. `pid` is
    the SQL of the point id: QGIS copies the input's `pid`; veldwacht:dbscan writes the natural
    key it was given (KEY_FIELD=pid) as the text field `bron_id`."""
    con = sqlite3.connect(path)
    table = con.execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[0]
    sql = f'SELECT {pid}, {column} FROM "{table}"'
    rows = con.execute(sql).fetchall()
    con.close()
    out = np.full(n, -2, dtype=np.int64)
    for pid, c in rows:
        if c is None:
            out[pid] = -1 if noise_is_null else -3
        else:
            out[pid] = -1 if c < 0 else c + offset
    return out


def build(build_dir):
    if not os.path.exists(os.path.join(build_dir, "CMakeCache.txt")):
        subprocess.run(["cmake", "-S", ROOT, "-B", build_dir, "-G", "Ninja",
                        "-DCMAKE_BUILD_TYPE=Release", "-DVELDWACHT_BUILD_QT6_UI=OFF",
                        "-DVELDWACHT_BUILD_TESTS=OFF"], check=True)
    cache = open(os.path.join(build_dir, "CMakeCache.txt")).read()
    if "CMAKE_BUILD_TYPE:STRING=Release" not in cache:
        print(f"warning: {build_dir} is not a Release build", file=sys.stderr)
    subprocess.run(["cmake", "--build", build_dir, "--target", *TARGETS, "-j2"], check=True,
                   stdout=subprocess.DEVNULL)


def timed_chain(cmds, env, timeout):
    """`cmds` is one qgis_process command or a list of them run one after the other (QGIS's side
    of work it does in two algorithms): wall and CPU summed, the largest peak RSS."""
    if cmds and isinstance(cmds[0], str):
        return ra.timed(cmds, env, timeout)
    runs = []
    for c in cmds:
        runs.append(ra.timed(c, env, timeout))
        if runs[-1].stopped:
            break
    return ra.Run(sum(r.wall for r in runs), sum(r.cpu for r in runs),
                  max(r.rss for r in runs), any(r.stopped for r in runs),
                  "".join(r.out for r in runs))


def run_pair(name, ours_cmd, qgis_cmd, ours_env, qgis_env, outputs, timeout, slow_env=None,
             server=None):
    """One paired run: ours, then QGIS's (outputs removed before each); with `slow_env` also
    ours with the fast paths off (VELDWACHT_FAST_IO=0: QgsFeatureSource in, sink out).
    With `server` (--smoke: agreement only) both go to the one in-process runner instead."""
    ra.remove(*outputs)
    loads = {"ours": ra.load()}
    ours = server.run(ours_cmd) if server else ra.timed(ours_cmd, ours_env, timeout)
    loads["qgis"] = ra.load()
    theirs = server.run(qgis_cmd) if server else timed_chain(qgis_cmd, qgis_env, timeout)
    slow = None
    if slow_env:
        ra.remove(outputs[0])
        loads["slow"] = ra.load()
        slow = ra.timed(ours_cmd, slow_env, timeout)
    loads["end"] = ra.load()
    print(f"  {name}: veldwacht {fmt(ours)} ({ours.cpu:.2f} s cpu, {ours.rss:.0f} MiB; load "
          f"{loads['ours']}), qgis {fmt(theirs)} ({theirs.cpu:.2f} s cpu, {theirs.rss:.0f} MiB; "
          f"load {loads['qgis']})"
          + (f", veldwacht without fast paths {fmt(slow)} ({slow.cpu:.2f} s cpu, "
             f"{slow.rss:.0f} MiB; load {loads['slow']})" if slow else "")
          + f"; load after {loads['end']}", flush=True)
    return ours, theirs, slow, loads


class Server:
    """--smoke's runner: ONE Python process with QGIS, its Processing providers and ours
    (registered as the companion plugin does) runs every algorithm of both sides with the
    same parameters as the `qgis_process run` commands, so the agreement checks cost one QGIS
    start-up instead of one per run. Its CPU is the runner's per algorithm; no peak RSS."""
    MARK = "@@qgis_inside@@ "

    def __init__(self, plugin_dir, env, log):
        lib = os.path.join(plugin_dir, "libveldwachtplugin.so")
        self.log = open(log, "w+")
        self.proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", lib],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, env=env, text=True)

    def run(self, cmds):
        if cmds and isinstance(cmds[0], str):
            cmds = [cmds]
        self.proc.stdin.write(json.dumps([c[2:] for c in cmds]) + "\n")
        self.proc.stdin.flush()
        for line in self.proc.stdout:
            if line.startswith(self.MARK):
                r = json.loads(line[len(self.MARK):])
                if not r["ok"]:
                    raise RuntimeError(f"{' '.join(cmds[-1])} failed:\n{r['error']}")
                return ra.Run(r["wall"], r["cpu"], float("nan"), False, r["error"])
        self.log.seek(0)
        raise RuntimeError(f"the in-process runner stopped:\n{self.log.read()[-2000:]}")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()
        self.log.close()


def serve(lib):
    """The runner's side of Server: QGIS in this process, then one JSON line per request (a list
    of `run ALG -- KEY=VALUE …` argument lists, run in turn; the values are passed as the
    strings qgis_process would pass)."""
    import ctypes
    import time
    sys.path.append("/usr/share/qgis/python/plugins")
    from qgis.core import QgsApplication, QgsProcessingContext, QgsProcessingFeedback
    app = QgsApplication([], False)
    app.initQgis()
    from processing.core.Processing import Processing
    Processing.initialize()
    so = ctypes.CDLL(lib, mode=ctypes.RTLD_GLOBAL)
    so.veldwacht_register_provider()
    registry = QgsApplication.processingRegistry()
    for line in sys.stdin:
        t0, c0, error = time.perf_counter(), time.process_time(), ""
        for args in json.loads(line):
            params = dict(a.split("=", 1) for a in args[2:])
            alg = registry.createAlgorithmById(args[0])
            context = QgsProcessingContext()
            ok, error = (False, f"no algorithm {args[0]}") if alg is None else \
                alg.checkParameterValues(params, context)
            if ok:
                _, ok = alg.run(params, context, QgsProcessingFeedback())
                error = "" if ok else f"{args[0]} failed"
            if not ok:
                break
        print(Server.MARK + json.dumps({"ok": ok, "error": error,
                                        "wall": time.perf_counter() - t0,
                                        "cpu": time.process_time() - c0}), flush=True)
    so.veldwacht_unregister_provider()
    app.exitQgis()


def fmt(r):
    return f"> {r.wall:.0f} s (stopped)" if r.stopped else f"{r.wall:.2f} s"


def time_work(key, n, ours_fn, qgis_fn, ext, work, envs, timeout, inputs=None, server=None):
    """One algorithm pair: start-up on the one-point layer, then the n-point run (and the slow
    paths when asked; `ext` the outputs' extension, or ours and QGIS's). `ours_fn`/`qgis_fn`
    map (input, output) to a qgis_process command (QGIS's may be a list of commands, run in
    turn). `inputs` = (start-up, n-point) input files, by default points_1.gpkg and
    points_N.gpkg. With `server` (--smoke) no start-up run, the
    n-point run in the in-process runner.
    Returns (result dict for the JSON, ours output, qgis output, stopped?)."""
    one, gpkg = inputs or (f"{work}/points_1.gpkg", f"{work}/points_{n}.gpkg")
    oe, qe = ext if isinstance(ext, tuple) else (ext, ext)
    o1, q1 = f"{work}/ours_{key}_1.{oe}", f"{work}/qgis_{key}_1.{qe}"
    o_out, q_out = f"{work}/ours_{key}_{n}.{oe}", f"{work}/qgis_{key}_{n}.{qe}"
    res = {}
    if not server:
        so, sq, _, _ = run_pair(f"{key} start-up ({os.path.basename(one)})", ours_fn(one, o1),
                                qgis_fn(one, q1), envs["ours"], envs["qgis"], [o1, q1], timeout)
        res = {"ours_startup": ra.vars_(so), "qgis_startup": ra.vars_(sq)}
    o, q, sl, loads = run_pair(f"{key} n={n}", ours_fn(gpkg, o_out), qgis_fn(gpkg, q_out),
                               envs["ours"], envs["qgis"], [o_out, q_out], timeout,
                               envs.get("slow"), server=server)
    res.update({"ours": ra.vars_(o), "qgis": ra.vars_(q), "loads": loads})
    if sl:
        res["ours_slow"] = ra.vars_(sl)
    return res, o_out, q_out, o.stopped or q.stopped


def both_labels(ours, qgis, n, offset):
    """Cluster id per pid of our output (bron_id = pid; `offset` added) and QGIS's (NULL noise)."""
    return (labels(ours, n, "cluster_id", offset, False, "CAST(bron_id AS INTEGER)"),
            labels(qgis, n, "CLUSTER_ID", 0, True))


def with_time(src, dst):
    """A copy of a points GeoPackage with a DATETIME column `t` (whole seconds, UTC) for
    ST-DBSCAN; the generator's file stays as it is for the other pairs."""
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    ra.remove(dst)
    shutil.copyfile(src, dst)
    ds = ogr.Open(dst, update=1)  # GDAL's SQLite has the ST_ functions of the R-tree triggers
    ds.ExecuteSQL("ALTER TABLE points ADD COLUMN t DATETIME")
    ds.ExecuteSQL("UPDATE points SET t = strftime('%Y-%m-%dT%H:%M:%SZ', 1767225600 + "
                  f"(pid * 2654435761) % {ST_SPREAD_DAYS * 86400}, 'unixepoch')")
    ds = None


def gpkg_extent(path):
    con = sqlite3.connect(path)
    e = con.execute("SELECT min_x, max_x, min_y, max_y FROM gpkg_contents "
                    "WHERE data_type = 'features'").fetchone()
    con.close()
    return e


def hexagons(path, extent, width):
    """Pointy-top hexagons `width` across the flats covering `extent` (x0, x1, y0, y1), with an
    integer `id`: the polygons of the polygon count, written untimed."""
    from osgeo import gdal, ogr, osr
    gdal.UseExceptions()
    ra.remove(path)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    layer = ds.CreateLayer("hexagons", srs, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("id", ogr.OFTInteger))
    r = width / np.sqrt(3.0)
    x0, x1, y0, y1 = extent
    layer.StartTransaction()
    i, row, y = 0, 0, y0 - r
    while y < y1 + r:
        x = x0 - width + (width / 2 if row % 2 else 0)
        while x < x1 + width:
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for k in range(7):
                a = np.pi / 6 + (k % 6) * np.pi / 3
                ring.AddPoint_2D(float(x + r * np.cos(a)), float(y + r * np.sin(a)))
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            f = ogr.Feature(layer.GetLayerDefn())
            f.SetField("id", i)
            f.SetGeometry(poly)
            layer.CreateFeature(f)
            i += 1
            x += width
        row += 1
        y += 1.5 * r
    layer.CommitTransaction()
    ds = None
    return i


def counts_by_envelope(path, field):
    """{cell/polygon envelope rounded to 1 cm: count} of a counts layer: our cells and QGIS's
    grid, or the same polygons on both sides, matched by where they are."""
    from osgeo import gdal, ogr
    gdal.UseExceptions()
    ds = ogr.Open(path)
    out = {}
    for f in ds.GetLayer(0):
        e = f.GetGeometryRef().GetEnvelope()
        v = f.GetField(field)
        out[tuple(round(c * 100) for c in e)] = 0 if v is None else int(round(v))
    return out


def point_xy(path, n, pid="pid"):
    """x, y per point id (pid) of a point GeoPackage: the GeoPackage header, then WKB."""
    import struct
    con = sqlite3.connect(path)
    table = con.execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[0]
    col = con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                      (table,)).fetchone()[0]
    xy = np.full((n, 2), np.nan)
    for k, blob in con.execute(f'SELECT {pid}, "{col}" FROM "{table}"'):
        at = 8 + (0, 32, 48, 48, 64)[(blob[3] >> 1) & 7]
        xy[k] = struct.unpack_from("<dd" if blob[at] == 1 else ">dd", blob, at + 5)
    con.close()
    return xy


def inertia(xy, lab):
    """Sum of squared distances to the mean of each point's cluster (labels >= 0)."""
    k = int(lab.max()) + 1
    cnt = np.bincount(lab, minlength=k)
    cx = np.bincount(lab, xy[:, 0], k) / np.maximum(cnt, 1)
    cy = np.bincount(lab, xy[:, 1], k) / np.maximum(cnt, 1)
    return float(((xy[:, 0] - cx[lab]) ** 2 + (xy[:, 1] - cy[lab]) ** 2).sum())


def global_row(path, statistic):
    con = sqlite3.connect(path)
    table = con.execute("SELECT table_name FROM gpkg_contents").fetchone()[0]
    row = con.execute(f'SELECT waarde, z FROM "{table}" WHERE statistiek = ?',
                      (statistic,)).fetchone()
    con.close()
    return row


def qgis_html_values(path):
    import re
    text = open(path, encoding="utf-8").read()
    return {k: float(v) for k, v in re.findall(r"<p>([^:<]+): ([-0-9.eE+]+)</p>", text)}


def bench_others(n, a, exe, work, envs, check, res):
    """The pairs beyond DBSCAN and KDE: each `veldwacht:*` point algorithm with a QGIS 3.22
    counterpart doing the same work (docs/benchmarks.md, "Inside QGIS": the table of all)."""
    gpkg, one = f"{work}/points_{n}.gpkg", f"{work}/points_1.gpkg"
    chosen = [k for k in OTHERS if k in a.only]
    tw = dict(work=work, envs=envs, timeout=a.qgis_timeout, server=envs.get("server"))

    def pair(key, name, ours, theirs, ext, compare, inputs=None):
        """Times one pair (time_work) and checks it: compare(ours output, QGIS's output) gives
        (ok, detail)."""
        res[key], o_out, q_out, stopped = time_work(key, n, ours, theirs, ext, inputs=inputs,
                                                    **tw)
        check(name, *((False, "a run was stopped") if stopped else compare(o_out, q_out)))

    # k-means needs k points and a nearest neighbour two: their start-up on points_20.gpkg.
    few = f"{work}/points_20.gpkg"
    if ("kmeans" in chosen or "nni" in chosen) and not os.path.exists(few):
        subprocess.run([exe, "points", "20", few], check=True, stdout=subprocess.DEVNULL)

    if "stdbscan" in chosen:
        tn, t1 = f"{work}/points_{n}_t.gpkg", f"{work}/points_1_t.gpkg"
        if not (a.keep_points and os.path.exists(tn)):
            with_time(gpkg, tn)
        if not os.path.exists(t1):
            with_time(one, t1)

        def ours(inp, out):
            return [QGIS, "run", "veldwacht:stdbscan", "--", f"INPUT={inp}", "TIME_FIELD=t",
                    f"EPS={EPS:g}", f"EPS_DAYS={ST_EPS_DAYS}", f"MIN_PTS={MIN_PTS}", "THREADS=1",
                    "KEY_FIELD=pid", f"OUTPUT={out}"]

        def theirs(inp, out):  # QGIS 3.22's EPS2 is a duration in milliseconds
            return [QGIS, "run", "native:stdbscanclustering", "--", f"INPUT={inp}",
                    "DATETIME_FIELD=t", f"EPS={EPS:g}", f"EPS2={ST_EPS_DAYS * 86400000}",
                    f"MIN_SIZE={MIN_PTS}", "DBSCAN*=0", f"OUTPUT={out}"]

        def same_ids(o_out, q_out):
            o, q = both_labels(o_out, q_out, n, 1)
            return np.array_equal(o, q), (f"{int(q.max())} clusters, {int((q == -1).sum())} "
                                          f"noise; {int((o != q).sum())} differ")

        pair("stdbscan", "stdbscan: same cluster id per point", ours, theirs, "gpkg", same_ids,
             (t1, tn))

    if "kmeans" in chosen:
        def ours(inp, out):
            return [QGIS, "run", "veldwacht:kmeans", "--", f"INPUT={inp}", f"K={KMEANS_K}",
                    "N_INIT=1", "THREADS=1", "KEY_FIELD=pid", f"OUTPUT={out}"]

        def theirs(inp, out):
            return [QGIS, "run", "native:kmeansclustering", "--", f"INPUT={inp}",
                    f"CLUSTERS={KMEANS_K}", f"OUTPUT={out}"]

        def k_clusters(o_out, q_out):
            # Different seedings (k-means++ against QGIS's), so not the same partition: both
            # must put every point in one of k clusters; the inertia of both is reported.
            o, q = both_labels(o_out, q_out, n, 0)
            if not all((lab >= 0).all() and len(np.unique(lab)) == min(KMEANS_K, n)
                       for lab in (o, q)):
                return False, ""
            xy = point_xy(gpkg, n)
            io, iq = inertia(xy, o), inertia(xy, q)
            res["kmeans_inertia"] = {"ours": io, "qgis": iq}
            return True, f"inertia ours / QGIS = {io / iq:.4f}"

        pair("kmeans", "kmeans: every point in one of k clusters", ours, theirs, "gpkg",
             k_clusters, (few, gpkg))

    if "gridcount" in chosen or "polygoncount" in chosen:
        ext1, extn = gpkg_extent(one), gpkg_extent(gpkg)

    if "gridcount" in chosen:
        s = GRID_CELL

        def aligned(e):  # QGIS's grid on our lattice: origin at multiples of the cell size
            return (f"{np.floor(e[0] / s) * s:.0f},{np.ceil(e[1] / s + 1e-9) * s:.0f},"
                    f"{np.floor(e[2] / s) * s:.0f},{np.ceil(e[3] / s + 1e-9) * s:.0f}")

        def ours(inp, out):
            return [QGIS, "run", "veldwacht:gridcount", "--", f"INPUT={inp}", "SHAPE=2",
                    f"CELL_SIZE={s:g}", f"OUTPUT={out}"]

        def theirs(inp, out):
            grid = out + ".grid.gpkg"
            ra.remove(grid)
            return [[QGIS, "run", "native:creategrid", "--", "TYPE=2",
                     f"EXTENT={aligned(ext1 if inp == one else extn)}", f"HSPACING={s:g}",
                     f"VSPACING={s:g}", "CRS=EPSG:28992", f"OUTPUT={grid}"],
                    [QGIS, "run", "native:countpointsinpolygon", "--", f"POLYGONS={grid}",
                     f"POINTS={inp}", f"OUTPUT={out}"]]

        def same_cells(o_out, q_out):
            o, q = counts_by_envelope(o_out, "aantal"), counts_by_envelope(q_out, "NUMPOINTS")
            differ = sum(o.get(c, 0) != q.get(c, 0) for c in set(o) | set(q))
            return differ == 0 and sum(o.values()) == n, (
                f"{sum(v > 0 for v in o.values())} cells with points, {sum(o.values())} "
                f"points; {differ} cells differ")

        pair("gridcount", "gridcount: the same count in every cell", ours, theirs, "gpkg",
             same_cells)

    if "polygoncount" in chosen:
        hn, h1 = f"{work}/hexagons_{n}.gpkg", f"{work}/hexagons_1.gpkg"
        cells = hexagons(hn, extn, HEX_WIDTH)
        hexagons(h1, ext1, HEX_WIDTH)

        def ours(inp, out):
            return [QGIS, "run", "veldwacht:polygoncount", "--", f"INPUT={inp}",
                    f"POLYGONS={h1 if inp == one else hn}", "BOUNDARY=0", f"OUTPUT={out}"]

        def theirs(inp, out):
            return [QGIS, "run", "native:countpointsinpolygon", "--",
                    f"POLYGONS={h1 if inp == one else hn}", f"POINTS={inp}", f"OUTPUT={out}"]

        def same_polygons(o_out, q_out):
            o, q = counts_by_envelope(o_out, "aantal"), counts_by_envelope(q_out, "NUMPOINTS")
            differ = sum(o.get(c, -1) != q.get(c, -2) for c in set(o) | set(q))
            return differ == 0, (f"{cells} hexagons, {sum(o.values())} points counted; "
                                 f"{differ} differ")

        pair("polygoncount", "polygoncount: the same count in every polygon", ours, theirs,
             "gpkg", same_polygons)

    if "nni" in chosen:
        def ours(inp, out):
            return [QGIS, "run", "veldwacht:nearestneighbourindex", "--", f"INPUT={inp}",
                    f"GLOBAL={out}"]

        def theirs(inp, out):
            return [QGIS, "run", "native:nearestneighbouranalysis", "--", f"INPUT={inp}",
                    f"OUTPUT_HTML_FILE={out}"]

        def same_index(o_out, q_out):
            ratio_, z = global_row(o_out, "nni_ratio")
            qv = qgis_html_values(q_out)
            worst = max(abs(ratio_ - qv["Nearest neighbour index"]) / abs(ratio_),
                        abs(z - qv["Z-Score"]) / abs(z))
            return worst <= 1e-9, f"R = {ratio_:.6f}, z = {z:.2f}; max rel. diff {worst:.1e}"

        pair("nni", "nni: the same index and z", ours, theirs, ("gpkg", "html"), same_index,
             (few, gpkg))


# The DBSCAN and KDE pairs' qgis_process commands (also bench/qgis_kde_pair.py's rounds).
def ours_dbscan(inp, out):
    return [QGIS, "run", "veldwacht:dbscan", "--", f"INPUT={inp}", f"EPS={EPS:g}",
            f"MIN_PTS={MIN_PTS}", "THREADS=1", "KEY_FIELD=pid", f"OUTPUT={out}"]


def qgis_dbscan(inp, out):
    return [QGIS, "run", "native:dbscanclustering", "--", f"INPUT={inp}",
            f"MIN_SIZE={MIN_PTS}", f"EPS={EPS:g}", "DBSCAN*=0", f"OUTPUT={out}"]


def ours_kde(inp, out):
    # QGIS 3.22's qgis_process takes enum indices only: quartic, raw, QGIS's pixel placement,
    # exact (the description's choice order, layers/analyses/describe_density.cpp).
    return [QGIS, "run", "veldwacht:kde", "--", f"INPUT={inp}", f"RADIUS={RADIUS}",
            f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "SCALING=1", "PLACEMENT=1", "METHOD=0",
            "THREADS=1", f"OUTPUT={out}"]


def heatmap(inp, out):
    return [QGIS, "run", "qgis:heatmapkerneldensityestimation", "--", f"INPUT={inp}",
            f"RADIUS={RADIUS}", f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "OUTPUT_VALUE=0",
            f"OUTPUT={out}"]


def bench_size(n, a, exe, work, envs, checks):
    gpkg, one = f"{work}/points_{n}.gpkg", f"{work}/points_1.gpkg"
    if not (a.keep_points and os.path.exists(gpkg)):
        ra.remove(gpkg)
        subprocess.run([exe, "points", str(n), gpkg], check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(one):
        subprocess.run([exe, "points", "1", one], check=True, stdout=subprocess.DEVNULL)
    res = {"n": n, "load_before": ra.load()}

    def check(name, ok, detail=""):
        checks.append((n, name, bool(ok), detail))
        print(f"  check n={n}: {name}: {'ok' if ok else 'FAILED'} {detail}", flush=True)

    if not a.skip_dbscan:
        res["dbscan"], o_out, q_out, stopped = time_work("dbscan", n, ours_dbscan, qgis_dbscan,
                                                         "gpkg", work, envs, a.qgis_timeout,
                                                         server=envs.get("server"))
        if not stopped:
            ours_ids = labels(o_out, n, "cluster_id", 1, False, "CAST(bron_id AS INTEGER)")
            qgis_ids = labels(q_out, n, "CLUSTER_ID", 0, True)
            check("dbscan: same cluster id per point", np.array_equal(ours_ids, qgis_ids),
                  f"{int(qgis_ids.max())} clusters, {int((qgis_ids == -1).sum())} noise; "
                  f"{int((ours_ids != qgis_ids).sum())} differ")
        else:
            check("dbscan: same cluster id per point", False, "a run was stopped")

    if not a.skip_kde:
        res["kde"], o_tif, q_tif, stopped = time_work("kde", n, ours_kde, heatmap, "tif", work,
                                                      envs, a.qgis_timeout,
                                                      server=envs.get("server"))
        if not stopped:
            (oa, ogt), (qa, qgt) = ra.raster(o_tif), ra.raster(q_tif)
            same = oa.shape == qa.shape and np.allclose(ogt, qgt, rtol=0, atol=1e-6)
            check("kde: same grid", same, f"{qa.shape[1]} x {qa.shape[0]} px")
            worst = float(np.abs(qa - oa).max() / max(np.abs(oa).max(), 1e-300)) if same else 1
            res["kde_max_rel_diff"] = worst
            check("kde: values within tolerance", same and worst <= KDE_TOLERANCE,
                  f"max |diff| / max = {worst:.1e}")
        else:
            check("kde: same grid and values", False, "a run was stopped")
    bench_others(n, a, exe, work, envs, check, res)
    res["load_after"] = ra.load()
    return res


def ratio(q, o, key="wall"):
    return "–" if q.get("stopped") or o.get("stopped") or o[key] <= 0 else \
        f"{q[key] / o[key]:.2f}×"


def net_ratio(d, key="cpu"):
    """QGIS / Veldwacht net of start-up: each side's n-point run minus its own one-point run."""
    if "ours_startup" not in d:
        return "–"
    o, q, os_, qs = d["ours"], d["qgis"], d["ours_startup"], d["qgis_startup"]
    if any(r.get("stopped") for r in (o, q, os_, qs)):
        return "–"
    on, qn = o[key] - os_[key], q[key] - qs[key]
    return "–" if on <= 0 or qn <= 0 else f"{qn / on:.1f}×"


def table(results, info):
    lines = [f"Machine: {info['cpu']}, {info['nproc']} cores, {info['mem_gib']} GiB; "
             f"{info['qgis']}; GDAL {info['gdal']}; commit {info['commit']}; build {info['build']}.",
             f"Load average (1/5/15 min) at the start {info['load_start']}, at the end "
             f"{info.get('load_end', '?')}.", "",
             "| Work (1 thread, `qgis_process.bin run`) | n | Veldwacht: wall (CPU) | QGIS: wall "
             "(CPU) | QGIS / Veldwacht, wall / CPU (start-up included) | QGIS / Veldwacht CPU net of "
             "start-up | start-up wall (CPU) Veldwacht / QGIS | peak RSS Veldwacht / QGIS | Veldwacht without fast paths: "
             "wall (CPU), RSS | load (1 min) before Veldwacht / QGIS |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        n = f"{r['n']:,}".replace(",", " ")
        for key, label in LABELS:
            if key not in r:
                continue
            d = r[key]
            o, q = d["ours"], d["qgis"]
            sl = d.get("ours_slow")
            slow = "–" if not sl else f"{fmt_d(sl)} ({sl['cpu']:.2f} s), {sl['rss_mib']:.0f} MiB"
            lines.append(
                f"| {label} | {n} | {fmt_d(o)} ({o['cpu']:.2f} s) | {fmt_d(q)} "
                f"({q['cpu']:.2f} s) | {ratio(q, o)} / {ratio(q, o, 'cpu')} | {net_ratio(d)} | "
                f"{startup(d)} | "
                f"{o['rss_mib']:.0f} / {q['rss_mib']:.0f} MiB | {slow} | "
                f"{d['loads']['ours'].split()[0]} / {d['loads']['qgis'].split()[0]} |")
    return "\n".join(lines)


def startup(d):
    if "ours_startup" not in d:
        return "–"
    return (f"{d['ours_startup']['wall']:.2f} ({d['ours_startup']['cpu']:.2f}) / "
            f"{d['qgis_startup']['wall']:.2f} ({d['qgis_startup']['cpu']:.2f}) s")


# The table's rows: one per pair, in this order.
LABELS = (
    ("dbscan", "`veldwacht:dbscan` vs `native:dbscanclustering` (eps 50 m, minPts 10; "
               "GeoPackage → GeoPackage)"),
    ("kde", "`veldwacht:kde` vs `qgis:heatmapkerneldensityestimation` (quartic, r 500 m, "
            "50 m px; → GeoTIFF)"),
    ("stdbscan", f"`veldwacht:stdbscan` vs `native:stdbscanclustering` (eps 50 m, "
                 f"{ST_EPS_DAYS} days, minPts 10; times over {ST_SPREAD_DAYS} days)"),
    ("kmeans", f"`veldwacht:kmeans` (N_INIT=1) vs `native:kmeansclustering` (k {KMEANS_K})"),
    ("gridcount", f"`veldwacht:gridcount` vs `native:creategrid` + `native:countpointsinpolygon` "
                  f"(squares {GRID_CELL:g} m)"),
    ("polygoncount", f"`veldwacht:polygoncount` vs `native:countpointsinpolygon` (hexagons "
                     f"{HEX_WIDTH:g} m, written beforehand)"),
    ("nni", "`veldwacht:nearestneighbourindex` vs `native:nearestneighbouranalysis`"),
)


def fmt_d(r):
    return f"> {r['wall']:.0f} s (stopped)" if r["stopped"] else f"{r['wall']:.2f} s"


def machine(build_dir):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    from osgeo import gdal
    qv = subprocess.run([QGIS, "--version"], capture_output=True, text=True,
                        env=dict(os.environ, QT_QPA_PLATFORM="offscreen")).stdout
    qv = next((line.strip() for line in qv.splitlines() if line.startswith("QGIS")), "?")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    cache = open(os.path.join(build_dir, "CMakeCache.txt")).read()
    btype = next((line.split("=", 1)[1] for line in cache.splitlines()
                  if line.startswith("CMAKE_BUILD_TYPE:")), "?")
    return {"cpu": cpu, "nproc": os.cpu_count(), "mem_gib": round(int(mem) / 1048576, 1),
            "qgis": qv, "gdal": gdal.__version__, "commit": commit, "build": btype,
            "load_start": ra.load()}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="100000,1000000")
    p.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    p.add_argument("--no-build", action="store_true",
                   help="use the plugin and e2e_dbscan_gpkg in --build as they are")
    p.add_argument("--qgis-timeout", type=float, default=600.0)
    p.add_argument("--skip-kde", action="store_true")
    p.add_argument("--skip-dbscan", action="store_true")
    p.add_argument("--only", default=",".join(["dbscan", "kde", *OTHERS]),
                   help="the pairs to run, comma-separated (default all: dbscan,kde,"
                        + ",".join(OTHERS) + ")")
    p.add_argument("--smoke", action="store_true",
                   help="agreement checks only, at 2000 points, every algorithm in one "
                        "in-process QGIS (no qgis_process.bin start-up per run, no timing)")
    p.add_argument("--serve", help=argparse.SUPPRESS)  # Server's child: the plugin library
    p.add_argument("--without-fast-paths", action="store_true",
                   help="also time veldwacht:* with VELDWACHT_FAST_IO=0 (QgsFeatureSource in, "
                        "sink out: the plugin's I/O before the fast paths)")
    p.add_argument("--from-json", help="only print the table of an earlier run's --json file")
    p.add_argument("--markdown")
    p.add_argument("--json")
    p.add_argument("--work", help="keep the intermediate files here")
    p.add_argument("--keep-points", action="store_true",
                   help="reuse points_N.gpkg already in --work (written by an earlier run with "
                        "the same generator) instead of writing it again")
    a = p.parse_args()
    if a.serve:
        serve(a.serve)
        return
    if a.from_json:
        with open(a.from_json) as f:
            saved = json.load(f)
        failed = [c for c in saved["checks"] if not c[2]]
        print(table(saved["results"], saved["machine"]) + "\n\nAgreement: " +
              ("all checks passed" if not failed else "FAILED: " + "; ".join(
                  f"n={c[0]} {c[1]} {c[3]}" for c in failed)) + f" ({len(saved['checks'])} checks).")
        return
    a.only = set(a.only.split(","))
    a.skip_dbscan |= "dbscan" not in a.only
    a.skip_kde |= "kde" not in a.only
    if a.smoke:
        a.sizes = "2000"
    for tool in (QGIS, ra.TIME):
        if not os.access(tool, os.X_OK):
            print(f"SKIP: missing {tool}", file=sys.stderr)
            sys.exit(77)
    build_dir = os.path.abspath(a.build)
    if not a.no_build:
        build(build_dir)
    plugin_dir = os.path.join(build_dir, "plugin", "qgis-plugins")
    exe = os.path.join(build_dir, "bench", "e2e_dbscan_gpkg")
    for f in (os.path.join(plugin_dir, "libveldwachtplugin.so"), exe):
        if not os.path.exists(f):
            print(f"missing {f} (build the targets {' '.join(TARGETS)})", file=sys.stderr)
            sys.exit(2)
    info = machine(build_dir)
    print(f"machine: {json.dumps(info)}", flush=True)
    tmp = tempfile.mkdtemp(prefix="veldwacht-qgis-inside-")
    work = a.work or f"{tmp}/work"
    os.makedirs(work, exist_ok=True)
    checks, results, envs = [], [], {}
    try:
        envs.update(ours=make_env(f"{tmp}/ours", plugin_dir), qgis=make_env(f"{tmp}/qgis"))
        if a.without_fast_paths:
            envs["slow"] = dict(envs["ours"], VELDWACHT_FAST_IO="0")
        if a.smoke:
            envs["server"] = Server(plugin_dir, envs["qgis"], f"{tmp}/server.log")
        for n in [int(s) for s in a.sizes.split(",") if s]:
            results.append(bench_size(n, a, exe, work, envs, checks))
        info["load_end"] = ra.load()
    finally:
        if "server" in envs:
            envs["server"].close()
        shutil.rmtree(tmp, ignore_errors=True)
    md = table(results, info)
    failed = [c for c in checks if not c[2]]
    md += "\n\nAgreement: " + ("all checks passed" if not failed else "FAILED: " + "; ".join(
        f"n={c[0]} {c[1]} {c[3]}" for c in failed)) + f" ({len(checks)} checks)."
    print("\n" + md)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(md + "\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": info, "results": results, "checks": checks}, f, indent=1,
                      default=str)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
