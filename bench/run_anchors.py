#!/usr/bin/python3
"""Side-by-side benchmark of Veldwacht against its anchors, QGIS 3.22 and scikit-learn, in one run.

    /usr/bin/python3 bench/run_anchors.py [--sizes 100000,1000000] [--build build/release]
                                          [--repeat R] [--threads T] [--qgis-timeout S]
                                          [--markdown FILE] [--json FILE] [--smoke]

For each size, one seeded generator (bench/clustering_points.h, via `e2e_dbscan_gpkg points`)
writes ONE GeoPackage (EPSG:28992, 70 % Gaussian clusters + 30 % background) that every tool
reads. Timed, each as a separate process under /usr/bin/time (wall clock, CPU = user + sys, peak
RSS):
  * DBSCAN end to end (GeoPackage in, GeoPackage with CLUSTER_ID/CLUSTER_SIZE out), eps 50 m,
    minPts 10: Veldwacht `e2e_dbscan_gpkg run` with 1 and T threads against
    `qgis_process.bin run native:dbscanclustering`; QGIS also net of its start-up, measured as the
    same algorithm on a one-point layer;
  * the clustering step alone, in memory: scikit-learn's DBSCAN (n_jobs=1) against
    `e2e_dbscan_gpkg step` (1 and T threads);
  * KDE end to end (GeoPackage in, GeoTIFF out; quartic, raw, radius 500 m, pixels 50 m):
    `density_kde_gpkg` against `qgis:heatmapkerneldensityestimation` (start-up likewise);
  * Gi* with 999 permutations on 100k cells (hotspots_bench, Google Benchmark; 1 and 2 threads).
Results are checked: identical labels (cluster ids and noise) for Veldwacht 1 thread, T threads,
QGIS and scikit-learn; identical core points for Veldwacht and scikit-learn, and for QGIS where
its DBSCAN* run (non-noise points = core points) is affordable (n <= --core-check-max); KDE
rasters identical for 1 and T threads, and on QGIS's grid with values within 1e-4 of the maximum.
The exit status is 1 when any check fails.

The machine may be shared: wall clock then includes waiting for a core, CPU time does not. Both
are reported; the load average is printed before and after. Every timing is the best of R runs
(R = --repeat for n <= 200000, else 1) for every tool alike. A QGIS run longer than
--qgis-timeout seconds is stopped and reported as "> S s (stopped)".
"""
import argparse
import json
import os
import platform
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

# Single-threaded anchors: keep numpy/scikit-learn from starting thread pools.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QGIS = "/usr/bin/qgis_process.bin"
TIME = "/usr/bin/time"  # Debian package `time`
EPS, MIN_PTS = 50.0, 10  # bench::kBenchEps, bench::kBenchMinPts
RADIUS, PIXEL = 500, 50
KDE_TOLERANCE = 1e-4  # of the raster maximum (QGIS writes float32)
TARGETS = ["e2e_dbscan_gpkg", "density_kde_gpkg", "hotspots_bench"]


class Run:
    """One timed process: wall s, CPU s (user + sys), peak RSS in MiB; stopped on timeout."""

    def __init__(self, wall, cpu, rss_mib, stopped, out):
        self.wall, self.cpu, self.rss, self.stopped, self.out = wall, cpu, rss_mib, stopped, out


def timed(cmd, env=None, timeout=None):
    # GNU time forks the command from its own small process: its peak RSS is the command's alone
    # (a child forked from this Python process would start with numpy's and sklearn's pages).
    out = tempfile.TemporaryFile(mode="w+")
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as tf:
        t0 = time.perf_counter()
        proc = subprocess.Popen([TIME, "-f", "%e %U %S %M", "-o", tf.name, *cmd], stdout=out,
                                stderr=subprocess.STDOUT, env=env, start_new_session=True)
        stopped = threading.Event()

        def stop():
            stopped.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the process group of this command only
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, stop) if timeout else None
        if timer:
            timer.start()
        proc.wait()
        wall = time.perf_counter() - t0
        if timer:
            timer.cancel()
        out.seek(0)
        text = out.read()
        if stopped.is_set():
            return Run(wall, float("nan"), float("nan"), True, text)
        fields = tf.read().split()[-4:]
    if proc.returncode != 0 or len(fields) != 4:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{text[-2000:]}")
    # wall from the clock here (GNU time rounds to 10 ms); CPU and RSS from GNU time (wait4)
    return Run(wall, float(fields[1]) + float(fields[2]), float(fields[3]) / 1024.0, False, text)


def best(cmd, repeat, env=None, timeout=None, before=None):
    """Best wall and best CPU of `repeat` runs, largest RSS; stops repeating after a stop."""
    runs = []
    for _ in range(repeat):
        if before:
            before()
        r = timed(cmd, env, timeout)
        runs.append(r)
        if r.stopped or r.wall > 120:
            break
    ok = [r for r in runs if not r.stopped] or runs
    return Run(min(r.wall for r in ok), min(r.cpu for r in ok), max(r.rss for r in ok),
               all(r.stopped for r in runs), ok[-1].out)


def remove(*paths):
    for p in paths:
        if os.path.exists(p):
            os.remove(p)


def gpkg_labels(path, n):
    """CLUSTER_ID per pid (-1 for noise) from a DBSCAN output GeoPackage (QGIS's or ours)."""
    con = sqlite3.connect(path)
    table = con.execute(
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'").fetchone()[0]
    rows = np.array(con.execute(f'SELECT pid, IFNULL(CLUSTER_ID, -1) FROM "{table}"').fetchall(),
                    dtype=np.int64).reshape(-1, 2)
    con.close()
    labels = np.full(n, -2, dtype=np.int64)  # -2: missing from the output
    labels[rows[:, 0]] = rows[:, 1]
    return labels


def step_labels(path, n):
    raw = np.fromfile(path, dtype=np.uint8)
    return raw[:4 * n].view("<i4").astype(np.int64), raw[4 * n:4 * n + n] == 1


def raster(path):
    from osgeo import gdal
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    a = band.ReadAsArray().astype(np.float64)
    nodata = band.GetNoDataValue()
    if nodata is not None:
        a[a == nodata] = 0.0
    return a, ds.GetGeoTransform()


def load():
    return "%.2f %.2f %.2f" % os.getloadavg()


def machine(build):
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor())
    mem = next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    import sklearn
    from osgeo import gdal
    qgis = subprocess.run([QGIS, "--version"], capture_output=True, text=True,
                          env=qgis_env()).stdout
    qv = next((line.strip() for line in qgis.splitlines() if line.startswith("QGIS")), "?")
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    return {"cpu": cpu, "nproc": os.cpu_count(), "mem_gib": round(int(mem) / 1048576, 1),
            "qgis": qv, "sklearn": sklearn.__version__, "gdal": gdal.__version__,
            "commit": commit, "build": build, "load_start": load()}


_QGIS_ENV = None


def qgis_env():
    global _QGIS_ENV
    if _QGIS_ENV is None:
        d = tempfile.mkdtemp(prefix="veldwacht-qgis-")
        os.makedirs(f"{d}/home")
        os.makedirs(f"{d}/run", mode=0o700)
        _QGIS_ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=f"{d}/home",
                         XDG_RUNTIME_DIR=f"{d}/run")
    return _QGIS_ENV


def build_targets(build):
    if not os.path.exists(os.path.join(build, "CMakeCache.txt")):
        if os.path.abspath(build) == os.path.join(ROOT, "build", "release"):
            subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True)
        else:
            subprocess.run(["cmake", "-S", ROOT, "-B", build, "-G", "Ninja",
                            "-DCMAKE_BUILD_TYPE=Release", "-DVELDWACHT_BUILD_PLUGIN=OFF",
                            "-DVELDWACHT_BUILD_QT6_UI=OFF"], check=True)
    cache = open(os.path.join(build, "CMakeCache.txt")).read()
    if "CMAKE_BUILD_TYPE:STRING=Release" not in cache:
        print(f"warning: {build} is not a Release build", file=sys.stderr)
    subprocess.run(["cmake", "--build", build, "--target", *TARGETS, "-j2"], check=True,
                   stdout=subprocess.DEVNULL)


def sklearn_step(bin_path, repeat):
    from sklearn.cluster import DBSCAN
    x = np.fromfile(bin_path, dtype="<f8").reshape(-1, 2)
    wall = cpu = float("inf")
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        model = DBSCAN(eps=EPS, min_samples=MIN_PTS, n_jobs=1).fit(x)
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    core = np.zeros(len(x), dtype=bool)
    core[model.core_sample_indices_] = True
    return wall, cpu, model.labels_.astype(np.int64), core


def bench_size(n, a, exe, work, checks):
    rep = a.repeat if n <= 200000 else 1
    env = qgis_env()
    gpkg, binf = f"{work}/points_{n}.gpkg", f"{work}/points_{n}.bin"
    one = f"{work}/points_1.gpkg"
    remove(gpkg, binf)
    subprocess.run([exe["e2e_dbscan_gpkg"], "points", str(n), gpkg, binf], check=True,
                   stdout=subprocess.DEVNULL)
    if not os.path.exists(one):
        subprocess.run([exe["e2e_dbscan_gpkg"], "points", "1", one], check=True,
                       stdout=subprocess.DEVNULL)
    res = {"n": n, "repeat": rep, "load_before": load()}

    def check(name, ok, detail=""):
        checks.append((n, name, bool(ok), detail))
        print(f"  check n={n}: {name}: {'ok' if ok else 'FAILED'} {detail}", flush=True)

    # --- DBSCAN end to end -------------------------------------------------------------------
    dbscan_args = ["--eps", str(EPS), "--min-pts", str(MIN_PTS)]
    ours = {}
    for t in (1, a.threads):
        out = f"{work}/ours_{n}_t{t}.gpkg"
        # --fast: the same output as QGIS's, R-tree index included, read straight from SQLite
        # (geo::readGpkgPoints) and written by geo::GpkgWriter (prepared INSERT of GeoPackage
        # blobs, R-tree packed in one pass) instead of through OGR's feature API.
        ours[t] = best([exe["e2e_dbscan_gpkg"], "run", gpkg, out, *dbscan_args, "--threads",
                        str(t), "--fast"], rep, before=lambda o=out: remove(o))
        print(f"  n={n} veldwacht dbscan e2e {t} thread(s): {ours[t].wall:.2f} s wall "
              f"{ours[t].cpu:.2f} s cpu [{ours[t].out.strip()}]", flush=True)
    # The same without the output's R-tree index (not QGIS's output): what the index costs.
    noidx_out = f"{work}/ours_{n}_noindex.gpkg"
    noidx = best([exe["e2e_dbscan_gpkg"], "run", gpkg, noidx_out, *dbscan_args, "--threads", "1",
                  "--spatial-index", "0"], rep, before=lambda: remove(noidx_out))
    print(f"  n={n} veldwacht dbscan e2e 1 thread, no R-tree: {noidx.wall:.2f} s wall "
          f"{noidx.cpu:.2f} s cpu [{noidx.out.strip()}]", flush=True)
    qout, qone = f"{work}/qgis_{n}.gpkg", f"{work}/qgis_1.gpkg"

    def qgis_dbscan(inp, out, star=0):
        return [QGIS, "run", "native:dbscanclustering", "--", f"INPUT={inp}",
                f"MIN_SIZE={MIN_PTS}", f"EPS={EPS:g}", f"DBSCAN*={star}", f"OUTPUT={out}"]

    qstart = best(qgis_dbscan(one, qone), rep, env, before=lambda: remove(qone))
    qgis = best(qgis_dbscan(gpkg, qout), rep, env, a.qgis_timeout, before=lambda: remove(qout))
    print(f"  n={n} qgis dbscan e2e: {'> ' if qgis.stopped else ''}{qgis.wall:.2f} s wall "
          f"{qgis.cpu:.2f} s cpu (start-up {qstart.wall:.2f} s wall {qstart.cpu:.2f} s cpu)",
          flush=True)
    res["dbscan_e2e"] = {"ours": {t: vars_(r) for t, r in ours.items()}, "qgis": vars_(qgis),
                         "qgis_startup": vars_(qstart), "ours_no_index": vars_(noidx)}

    # --- clustering step --------------------------------------------------------------------
    sk_wall, sk_cpu, sk_labels, sk_core = sklearn_step(binf, rep)
    steps = {}
    for t in (1, a.threads):
        lab = f"{work}/step_{n}_t{t}.bin"
        r = timed([exe["e2e_dbscan_gpkg"], "step", binf, *dbscan_args, "--threads", str(t),
                   "--repeat", str(rep), "--labels", lab])
        fields = r.out.split()
        steps[t] = {"wall": float(fields[fields.index("wall") + 1]),
                    "cpu": float(fields[fields.index("cpu") + 1]), "labels": lab}
    print(f"  n={n} step: scikit-learn {sk_wall:.3f} s wall {sk_cpu:.3f} s cpu; veldwacht "
          + ", ".join(f"{t} thread(s) {s['wall']:.3f} s wall {s['cpu']:.3f} s cpu"
                      for t, s in steps.items()), flush=True)
    res["dbscan_step"] = {"sklearn": {"wall": sk_wall, "cpu": sk_cpu},
                          "ours": {t: {"wall": s["wall"], "cpu": s["cpu"]}
                                   for t, s in steps.items()}}

    # --- agreement --------------------------------------------------------------------------
    step1, core1 = step_labels(steps[1]["labels"], n)
    stepT, coreT = step_labels(steps[a.threads]["labels"], n)
    sk_ids = np.where(sk_labels >= 0, sk_labels + 1, -1)  # QGIS and our GeoPackage count from 1
    clusters = int(sk_labels.max()) + 1
    res["clusters"], res["noise"] = clusters, int((sk_labels < 0).sum())
    check("step labels == scikit-learn (1 and T threads)",
          np.array_equal(step1, sk_labels) and np.array_equal(stepT, sk_labels),
          f"{clusters} clusters, {res['noise']} noise")
    check("core points == scikit-learn (1 and T threads)",
          np.array_equal(core1, sk_core) and np.array_equal(coreT, sk_core),
          f"{int(sk_core.sum())} core")
    for t in ours:
        check(f"veldwacht GeoPackage ({t} thread(s)) == scikit-learn",
              np.array_equal(gpkg_labels(f"{work}/ours_{n}_t{t}.gpkg", n), sk_ids))
    check("veldwacht GeoPackage without R-tree == scikit-learn",
          np.array_equal(gpkg_labels(noidx_out, n), sk_ids))
    if not qgis.stopped:
        q = gpkg_labels(qout, n)
        check("QGIS GeoPackage == scikit-learn", np.array_equal(q, sk_ids),
              f"QGIS {int(q.max())} clusters")
        if n <= a.core_check_max:
            star = f"{work}/qgis_star_{n}.gpkg"
            remove(star)
            r = timed(qgis_dbscan(gpkg, star, 1), env, a.qgis_timeout)
            if not r.stopped:
                check("QGIS DBSCAN* non-noise == core points", np.array_equal(
                    gpkg_labels(star, n) >= 0, sk_core))
    else:
        check("QGIS GeoPackage == scikit-learn", True, "not checked: QGIS stopped")

    # --- KDE end to end ---------------------------------------------------------------------
    if not a.skip_kde:
        kde = {}
        for t in (1, a.threads):
            tif = f"{work}/ours_{n}_t{t}.tif"
            kde[t] = best([exe["density_kde_gpkg"], gpkg, tif, str(RADIUS), str(PIXEL), "0",
                           str(t)], rep, before=lambda o=tif: remove(o))
            print(f"  n={n} veldwacht kde e2e {t} thread(s): {kde[t].wall:.2f} s wall "
                  f"{kde[t].cpu:.2f} s cpu [{kde[t].out.strip()}]", flush=True)
        qtif, qtif1 = f"{work}/qgis_{n}.tif", f"{work}/qgis_1.tif"

        def heatmap(inp, out):
            return [QGIS, "run", "qgis:heatmapkerneldensityestimation", "--", f"INPUT={inp}",
                    f"RADIUS={RADIUS}", f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "OUTPUT_VALUE=0",
                    f"OUTPUT={out}"]

        kstart = best(heatmap(one, qtif1), rep, env, before=lambda: remove(qtif1))
        kq = best(heatmap(gpkg, qtif), rep, env, a.qgis_timeout, before=lambda: remove(qtif))
        print(f"  n={n} qgis kde e2e: {'> ' if kq.stopped else ''}{kq.wall:.2f} s wall "
              f"{kq.cpu:.2f} s cpu (start-up {kstart.wall:.2f} s wall {kstart.cpu:.2f} s cpu)",
              flush=True)
        res["kde_e2e"] = {"ours": {t: vars_(r) for t, r in kde.items()}, "qgis": vars_(kq),
                          "qgis_startup": vars_(kstart)}
        first, last = (raster(f"{work}/ours_{n}_t{t}.tif") for t in (1, a.threads))
        check(f"KDE rasters: 1 and {a.threads} threads identical",
              first[0].shape == last[0].shape and np.array_equal(first[0], last[0])
              and first[1] == last[1])
        if not kq.stopped:
            qa, qgt = raster(qtif)
            worst = 0.0
            same = True
            for t in kde:
                oa, ogt = raster(f"{work}/ours_{n}_t{t}.tif")
                same &= qa.shape == oa.shape and np.allclose(qgt, ogt, rtol=0, atol=1e-6)
                if same:
                    worst = max(worst, float(np.abs(qa - oa).max() / max(np.abs(oa).max(),
                                                                          1e-300)))
            res["kde_max_rel_diff"] = worst if same else None
            check("KDE rasters: same grid as QGIS", same, f"{qa.shape[1]} x {qa.shape[0]} px")
            check("KDE rasters: values within tolerance", same and worst <= KDE_TOLERANCE,
                  f"max |diff| / max = {worst:.1e}")
    res["load_after"] = load()
    return res


def vars_(r):
    return {"wall": r.wall, "cpu": r.cpu, "rss_mib": r.rss, "stopped": r.stopped}


def gi_star(exe, repeat):
    out = subprocess.run([exe["hotspots_bench"],
                          "--benchmark_filter=BM_GiStar999Permutations100kCells",
                          f"--benchmark_repetitions={repeat}", "--benchmark_format=json",
                          "--benchmark_report_aggregates_only=false"],
                         check=True, capture_output=True, text=True).stdout
    res = {}
    for b in json.loads(out)["benchmarks"]:
        if b.get("run_type") == "iteration":
            t = int(b["name"].split("/")[1])
            ms = b["real_time"] if b["time_unit"] == "ms" else b["real_time"] / 1e6
            res[t] = min(res.get(t, float("inf")), ms / 1000.0)
            res[f"cpu{t}"] = min(res.get(f"cpu{t}", float("inf")),
                                 (b["cpu_time"] if b["time_unit"] == "ms"
                                  else b["cpu_time"] / 1e6) / 1000.0)
    return res


def fmt_time(r):
    return f"> {r['wall']:.0f} s (stopped)" if r["stopped"] else f"{r['wall']:.2f} s"


def ratio(a, b):
    return "–" if a is None or b is None or a <= 0 or b <= 0 else f"{a / b:.1f}×"


def table(results, gi, info, threads):
    lines = []
    add = lines.append
    add(f"Machine: {info['cpu']}, {info['nproc']} cores, {info['mem_gib']} GiB; {info['qgis']}, "
        f"scikit-learn {info['sklearn']}, GDAL {info['gdal']}; commit {info['commit']}.")
    add(f"Load average (1/5/15 min) at the start {info['load_start']}, at the end "
        f"{info.get('load_end', '?')}.")
    add("")
    add("| Task | n | Veldwacht 1 thread | Veldwacht "
        f"{threads} threads | Anchor | Anchor net of start-up | Ratio 1 thread (wall / net / CPU) "
        f"| Ratio {threads} threads (wall / net) | Peak RSS Veldwacht / anchor |")
    add("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        n = f"{r['n']:,}".replace(",", " ")
        d = r["dbscan_e2e"]
        o1, oT, q, qs = d["ours"][1], d["ours"][threads], d["qgis"], d["qgis_startup"]
        qnet = None if q["stopped"] else q["wall"] - qs["wall"]
        qcpu_net = None if q["stopped"] else q["cpu"] - qs["cpu"]
        lo = "≥ " if q["stopped"] else ""
        add(f"| DBSCAN end to end vs QGIS (wall; CPU) | {n} | {o1['wall']:.2f} s; "
            f"{o1['cpu']:.2f} s | {oT['wall']:.2f} s | {fmt_time(q)}; {q['cpu']:.2f} s | "
            f"{'–' if qnet is None else f'{qnet:.2f} s; {qcpu_net:.2f} s'} | "
            f"{lo}{ratio(q['wall'], o1['wall'])} / {ratio(qnet, o1['wall'])} / "
            f"{ratio(qcpu_net, o1['cpu'])} | {lo}{ratio(q['wall'], oT['wall'])} / "
            f"{ratio(qnet, oT['wall'])} | {o1['rss_mib']:.0f} / {q['rss_mib']:.0f} MiB |")
        o0 = d["ours_no_index"]
        add(f"| DBSCAN end to end, output without R-tree index (not QGIS's output) | {n} | "
            f"{o0['wall']:.2f} s; {o0['cpu']:.2f} s | – | {fmt_time(q)}; {q['cpu']:.2f} s | "
            f"{'–' if qnet is None else f'{qnet:.2f} s; {qcpu_net:.2f} s'} | "
            f"{lo}{ratio(q['wall'], o0['wall'])} / {ratio(qnet, o0['wall'])} / "
            f"{ratio(qcpu_net, o0['cpu'])} | – | {o0['rss_mib']:.0f} / {q['rss_mib']:.0f} MiB |")
        s = r["dbscan_step"]
        add(f"| DBSCAN clustering step vs scikit-learn (in memory; wall; CPU) | {n} | "
            f"{s['ours'][1]['wall']:.3f} s; {s['ours'][1]['cpu']:.3f} s | "
            f"{s['ours'][threads]['wall']:.3f} s | {s['sklearn']['wall']:.3f} s; "
            f"{s['sklearn']['cpu']:.3f} s | – | {ratio(s['sklearn']['wall'], s['ours'][1]['wall'])}"
            f" / – / {ratio(s['sklearn']['cpu'], s['ours'][1]['cpu'])} | "
            f"{ratio(s['sklearn']['wall'], s['ours'][threads]['wall'])} / – | – |")
        if "kde_e2e" in r:
            k = r["kde_e2e"]
            o1, oT, q, qs = k["ours"][1], k["ours"][threads], k["qgis"], k["qgis_startup"]
            qnet = None if q["stopped"] else q["wall"] - qs["wall"]
            qcpu_net = None if q["stopped"] else q["cpu"] - qs["cpu"]
            lo = "≥ " if q["stopped"] else ""
            add(f"| KDE end to end vs QGIS heatmap (500 m, 50 m px; wall; CPU) | {n} | "
                f"{o1['wall']:.2f} s; {o1['cpu']:.2f} s | {oT['wall']:.2f} s | {fmt_time(q)}; "
                f"{q['cpu']:.2f} s | "
                f"{'–' if qnet is None else f'{qnet:.2f} s; {qcpu_net:.2f} s'} | "
                f"{lo}{ratio(q['wall'], o1['wall'])} / {ratio(qnet, o1['wall'])} / "
                f"{ratio(qcpu_net, o1['cpu'])} | {lo}{ratio(q['wall'], oT['wall'])} / "
                f"{ratio(qnet, oT['wall'])} | {o1['rss_mib']:.0f} / {q['rss_mib']:.0f} MiB |")
    if gi:
        add(f"| Gi* 999 permutations, 100k cells (target < 2 s) | 100 000 | {gi[1]:.2f} s; "
            f"CPU {gi['cpu1']:.2f} s | {gi.get(2, float('nan')):.2f} s | – | – | – | – | – |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default="100000,1000000")
    p.add_argument("--build", default=os.path.join(ROOT, "build", "release"))
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--qgis-timeout", type=float, default=600.0)
    p.add_argument("--core-check-max", type=int, default=100000)
    p.add_argument("--skip-kde", action="store_true")
    p.add_argument("--skip-gi", action="store_true")
    p.add_argument("--smoke", action="store_true",
                   help="agreement checks only: --repeat 1, no Gi*, no KDE")
    p.add_argument("--no-build", action="store_true",
                   help="use the executables in --build as they are")
    p.add_argument("--markdown")
    p.add_argument("--json")
    p.add_argument("--work", help="keep the intermediate files here")
    a = p.parse_args()
    if a.smoke:
        a.repeat, a.skip_gi, a.skip_kde = 1, True, True
    sizes = [int(s) for s in a.sizes.split(",") if s]
    build = os.path.abspath(a.build)
    for tool in (QGIS, TIME):
        if not os.access(tool, os.X_OK):
            print(f"missing {tool}", file=sys.stderr)
            sys.exit(77)  # ctest: skipped
    if not a.no_build:
        build_targets(build)
    exe = {t: os.path.join(build, "bench", t) for t in TARGETS}
    info = machine(build)
    print(f"machine: {json.dumps(info)}", flush=True)
    work = a.work or tempfile.mkdtemp(prefix="veldwacht-anchors-")
    os.makedirs(work, exist_ok=True)
    checks, results = [], []
    try:
        for n in sizes:
            results.append(bench_size(n, a, exe, work, checks))
        gi = None if a.skip_gi else gi_star(exe, a.repeat)
        info["load_end"] = load()
    finally:
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
        if _QGIS_ENV:
            shutil.rmtree(os.path.dirname(_QGIS_ENV["HOME"]), ignore_errors=True)
    md = table(results, gi, info, a.threads)
    failed = [c for c in checks if not c[2]]
    md += "\n\nAgreement: " + ("all checks passed" if not failed else "FAILED: " + "; ".join(
        f"n={c[0]} {c[1]} {c[3]}" for c in failed)) + f" ({len(checks)} checks)."
    print("\n" + md)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(md + "\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"machine": info, "results": results, "gi_star": gi,
                       "checks": checks}, f, indent=1, default=str)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
