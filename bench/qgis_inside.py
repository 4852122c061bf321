#!/usr/bin/python3
"""Veldwacht inside QGIS against QGIS's own algorithms, both through qgis_process.bin, in one run.

    /usr/bin/python3 bench/qgis_inside.py [--sizes 100000,1000000] [--build build/release]
                                          [--no-build] [--qgis-timeout S] [--skip-kde]
                                          [--markdown FILE] [--json FILE] [--work DIR] [--smoke]
                                          [--keep-points] [--skip-dbscan] [--without-fast-paths]
                                          [--from-json FILE]

For each size, one seeded generator (bench/clustering_points.h, via `e2e_dbscan_gpkg points`, the
same as bench/run_anchors.py) writes ONE GeoPackage (EPSG:28992) that every run reads. Timed, each
as its own `qgis_process.bin run` under /usr/bin/time (wall clock, CPU = user + sys, peak RSS), one
paired run, 1 thread:
  * DBSCAN eps 50 m, minPts 10, GeoPackage -> GeoPackage: `veldwacht:dbscan` (THREADS=1) against
    `native:dbscanclustering`;
  * KDE quartic, raw, radius 500 m, pixels 50 m, GeoPackage -> GeoTIFF: `veldwacht:kde`
    (THREADS=1, PLACEMENT = QGIS's) against `qgis:heatmapkerneldensityestimation`.
With --without-fast-paths also `veldwacht:*` with VELDWACHT_FAST_IO=0 (QgsFeatureSource in, sink
out, as the plugin did before plugin/processing/fastio.h), on the same output.
Start-up is measured for both sides as the same algorithm on a one-point layer and reported
besides (the ratios are end to end, start-up included). Checked: the same cluster id for every
point (Veldwacht numbers clusters from 0 with -1 for noise, QGIS from 1 with NULL for noise), and
KDE rasters on the same grid with values within 1e-4 of the maximum. Exit status 1 when a check
fails, 77 when qgis_process.bin or /usr/bin/time is missing.

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


def run_pair(name, ours_cmd, qgis_cmd, ours_env, qgis_env, outputs, timeout, slow_env=None):
    """One paired run: ours, then QGIS's (outputs removed before each); with `slow_env` also
    ours with the fast paths off (VELDWACHT_FAST_IO=0: QgsFeatureSource in, sink out)."""
    ra.remove(*outputs)
    loads = {"ours": ra.load()}
    ours = ra.timed(ours_cmd, ours_env, timeout)
    loads["qgis"] = ra.load()
    theirs = ra.timed(qgis_cmd, qgis_env, timeout)
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


def fmt(r):
    return f"> {r.wall:.0f} s (stopped)" if r.stopped else f"{r.wall:.2f} s"


def time_work(key, n, ours_fn, qgis_fn, ext, work, envs, timeout):
    """One algorithm pair: start-up on the one-point layer, then the n-point run (and the slow
    paths when asked). `ours_fn`/`qgis_fn` map (input, output) to a qgis_process command.
    Returns (result dict for the JSON, ours output, qgis output, stopped?)."""
    one, gpkg = f"{work}/points_1.gpkg", f"{work}/points_{n}.gpkg"
    o1, q1 = f"{work}/ours_{key}_1.{ext}", f"{work}/qgis_{key}_1.{ext}"
    o_out, q_out = f"{work}/ours_{key}_{n}.{ext}", f"{work}/qgis_{key}_{n}.{ext}"
    so, sq, _, _ = run_pair(f"{key} start-up (1 point)", ours_fn(one, o1), qgis_fn(one, q1),
                            envs["ours"], envs["qgis"], [o1, q1], timeout)
    o, q, sl, loads = run_pair(f"{key} n={n}", ours_fn(gpkg, o_out), qgis_fn(gpkg, q_out),
                               envs["ours"], envs["qgis"], [o_out, q_out], timeout,
                               envs.get("slow"))
    res = {"ours": ra.vars_(o), "qgis": ra.vars_(q), "ours_startup": ra.vars_(so),
           "qgis_startup": ra.vars_(sq), "loads": loads}
    if sl:
        res["ours_slow"] = ra.vars_(sl)
    return res, o_out, q_out, o.stopped or q.stopped


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

    def ours_dbscan(inp, out):
        return [QGIS, "run", "veldwacht:dbscan", "--", f"INPUT={inp}", f"EPS={EPS:g}",
                f"MIN_PTS={MIN_PTS}", "THREADS=1", "KEY_FIELD=pid", f"OUTPUT={out}"]

    def qgis_dbscan(inp, out):
        return [QGIS, "run", "native:dbscanclustering", "--", f"INPUT={inp}",
                f"MIN_SIZE={MIN_PTS}", f"EPS={EPS:g}", "DBSCAN*=0", f"OUTPUT={out}"]

    if not a.skip_dbscan:
        res["dbscan"], o_out, q_out, stopped = time_work("dbscan", n, ours_dbscan, qgis_dbscan,
                                                         "gpkg", work, envs, a.qgis_timeout)
        if not stopped:
            ours_ids = labels(o_out, n, "cluster_id", 1, False, "CAST(bron_id AS INTEGER)")
            qgis_ids = labels(q_out, n, "CLUSTER_ID", 0, True)
            check("dbscan: same cluster id per point", np.array_equal(ours_ids, qgis_ids),
                  f"{int(qgis_ids.max())} clusters, {int((qgis_ids == -1).sum())} noise; "
                  f"{int((ours_ids != qgis_ids).sum())} differ")
        else:
            check("dbscan: same cluster id per point", False, "a run was stopped")

    if not a.skip_kde:
        def ours_kde(inp, out):
            # QGIS 3.22's qgis_process takes enum indices only: quartic, raw, QGIS's pixel
            # placement, exact (the description's choice order, layers/analyses/describe_density.cpp).
            return [QGIS, "run", "veldwacht:kde", "--", f"INPUT={inp}", f"RADIUS={RADIUS}",
                    f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "SCALING=1", "PLACEMENT=1", "METHOD=0",
                    "THREADS=1", f"OUTPUT={out}"]

        def heatmap(inp, out):
            return [QGIS, "run", "qgis:heatmapkerneldensityestimation", "--", f"INPUT={inp}",
                    f"RADIUS={RADIUS}", f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "OUTPUT_VALUE=0",
                    f"OUTPUT={out}"]

        res["kde"], o_tif, q_tif, stopped = time_work("kde", n, ours_kde, heatmap, "tif", work,
                                                      envs, a.qgis_timeout)
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
    res["load_after"] = ra.load()
    return res


def ratio(q, o, key="wall"):
    return "–" if q.get("stopped") or o.get("stopped") or o[key] <= 0 else \
        f"{q[key] / o[key]:.2f}×"


def net_ratio(d, key="cpu"):
    """QGIS / Veldwacht net of start-up: each side's n-point run minus its own one-point run."""
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
        for key, label in (("dbscan", "`veldwacht:dbscan` vs `native:dbscanclustering` "
                                      "(eps 50 m, minPts 10; GeoPackage → GeoPackage)"),
                           ("kde", "`veldwacht:kde` vs `qgis:heatmapkerneldensityestimation` "
                                   "(quartic, r 500 m, 50 m px; → GeoTIFF)")):
            if key not in r:
                continue
            d = r[key]
            o, q = d["ours"], d["qgis"]
            sl = d.get("ours_slow")
            slow = "–" if not sl else f"{fmt_d(sl)} ({sl['cpu']:.2f} s), {sl['rss_mib']:.0f} MiB"
            lines.append(
                f"| {label} | {n} | {fmt_d(o)} ({o['cpu']:.2f} s) | {fmt_d(q)} "
                f"({q['cpu']:.2f} s) | {ratio(q, o)} / {ratio(q, o, 'cpu')} | {net_ratio(d)} | "
                f"{d['ours_startup']['wall']:.2f} ({d['ours_startup']['cpu']:.2f}) / "
                f"{d['qgis_startup']['wall']:.2f} ({d['qgis_startup']['cpu']:.2f}) s | "
                f"{o['rss_mib']:.0f} / {q['rss_mib']:.0f} MiB | {slow} | "
                f"{d['loads']['ours'].split()[0]} / {d['loads']['qgis'].split()[0]} |")
    return "\n".join(lines)


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
    p.add_argument("--smoke", action="store_true", help="agreement checks at 2000 points")
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
    if a.from_json:
        with open(a.from_json) as f:
            saved = json.load(f)
        failed = [c for c in saved["checks"] if not c[2]]
        print(table(saved["results"], saved["machine"]) + "\n\nAgreement: " +
              ("all checks passed" if not failed else "FAILED: " + "; ".join(
                  f"n={c[0]} {c[1]} {c[3]}" for c in failed)) + f" ({len(saved['checks'])} checks).")
        return
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
    checks, results = [], []
    try:
        envs = {"ours": make_env(f"{tmp}/ours", plugin_dir), "qgis": make_env(f"{tmp}/qgis")}
        if a.without_fast_paths:
            envs["slow"] = dict(envs["ours"], VELDWACHT_FAST_IO="0")
        for n in [int(s) for s in a.sizes.split(",") if s]:
            results.append(bench_size(n, a, exe, work, envs, checks))
        info["load_end"] = ra.load()
    finally:
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
