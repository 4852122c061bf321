#!/usr/bin/python3
"""One round of `veldwacht:kde` from two plugin builds against `qgis:heatmapkerneldensityestimation`,
each its own qgis_process.bin run under /usr/bin/time -v (CPU = user + sys, peak RSS), the load
before each; the same work and profiles as bench/qgis_inside.py (quartic, raw, r 500 m, 50 m px,
THREADS=1, QGIS's placement; GeoPackage -> GeoTIFF).

    /usr/bin/python3 bench/qgis_kde_pair.py WORK BEFORE_PLUGIN_DIR AFTER_PLUGIN_DIR [N] [ORDER]

WORK holds points_N.gpkg (`e2e_dbscan_gpkg points N WORK/points_N.gpkg`); a plugin dir is a copy
of <build>/plugin/qgis-plugins; ORDER e.g. before,after,qgis (default). `start` in ORDER runs the
AFTER plugin's KDE on WORK/points_1.gpkg: QGIS's start-up and exit with our plugin and next to no
work. With it the round ends with the ratio, our net work (after - start) and the ceiling
qgis / start: the ratio a KDE that took no time at all would reach in this round.

    ... [N] [ORDER] [ROUNDS]

ROUNDS > 1 repeats the round, every second one in the reverse order (a run that directly follows
QGIS's long run is measured slower: docs/benchmarks.md, session 17), and ends with the median,
least and greatest ratio over the rounds.

    ... [N] [ORDER] [ROUNDS] [ALGO]

ALGO `dbscan` runs the DBSCAN pair of bench/qgis_inside.py instead (eps 50 m, minPts 10,
GeoPackage -> GeoPackage, THREADS=1): `veldwacht:dbscan` against `native:dbscanclustering`, and
`start` as `veldwacht:dbscan` on points_1.gpkg. Timing only: bench/qgis_inside.py checks that the
cluster ids agree.
"""
import os, re, subprocess, sys, tempfile
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_inside as qi  # noqa: E402  (make_env, QGIS)
W = sys.argv[1]
plugins = {"before": sys.argv[2], "after": sys.argv[3]}
sys.argv = sys.argv[3:]
envs = {k: qi.make_env(tempfile.mkdtemp(prefix=f"veldwacht-kde-{k}-"), v) for k, v in plugins.items()}
envs["qgis"] = qi.make_env(tempfile.mkdtemp(prefix="veldwacht-kde-qgis-"))
n = sys.argv[1] if len(sys.argv) > 1 else "1000000"
order = sys.argv[2].split(",") if len(sys.argv) > 2 else ["before", "after", "qgis"]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 1
algo = sys.argv[4] if len(sys.argv) > 4 else "kde"
if algo not in ("kde", "dbscan"):
    sys.exit(f"ALGO must be kde or dbscan, not {algo!r}")
ratios = []


def one_round(order):
    walls = {}
    for k in order:
        pts = "1" if k == "start" else n
        out = f"{W}/{k}_{pts}." + ("gpkg" if algo == "dbscan" else "tif")
        if os.path.exists(out): os.remove(out)
        ours, theirs = (qi.ours_dbscan, qi.qgis_dbscan) if algo == "dbscan" else (qi.ours_kde, qi.heatmap)
        cmd = theirs(f"{W}/points_{n}.gpkg", out) if k == "qgis" else ours(f"{W}/points_{pts}.gpkg", out)
        load = open("/proc/loadavg").read().split()[0]
        env = envs["after" if k == "start" else k]
        r = subprocess.run(["/usr/bin/time", "-v", *cmd], env=env, capture_output=True, text=True)
        e = r.stderr
        g = lambda pat: float(re.search(pat, e).group(1))
        user, sys_ = g(r"User time \(seconds\): ([\d.]+)"), g(r"System time \(seconds\): ([\d.]+)")
        rss = g(r"Maximum resident set size \(kbytes\): (\d+)") / 1024
        wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", e).group(1)
        h, m, sec = ([0, 0] + wall.split(":"))[-3:]
        walls[k] = 3600 * float(h) + 60 * float(m) + float(sec)
        print(f"{k:7s} n={pts} rc={r.returncode} wall {wall} cpu {user + sys_:.2f} s ({user:.2f} + {sys_:.2f}) peak {rss:.1f} MiB load {load}", flush=True)
    if {"after", "qgis", "start"} <= walls.keys():
        a, q, st = walls["after"], walls["qgis"], walls["start"]
        print(f"ratio {q / a:.2f}x  net work {a - st:.2f} s  ceiling (qgis / start) {q / st:.2f}x", flush=True)
        ratios.append(q / a)


for r in range(rounds):
    one_round(order if r % 2 == 0 else order[::-1])
if rounds > 1 and ratios:
    ratios.sort()
    mid = len(ratios) // 2
    med = ratios[mid] if len(ratios) % 2 else (ratios[mid - 1] + ratios[mid]) / 2
    print(f"{len(ratios)} rounds: median ratio {med:.2f}x, least {ratios[0]:.2f}x, greatest "
          f"{ratios[-1]:.2f}x", flush=True)
