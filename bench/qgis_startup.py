#!/usr/bin/python3
"""Start-up cost of the Veldwacht plugin inside qgis_process.bin, repeated (issue 8).

    /usr/bin/python3 bench/qgis_startup.py [--build build/rel] [--runs 10] [--work DIR]
                                           [--json FILE] [--library SIDE=SO ...]

The same one-point runs as bench/qgis_inside.py (its profiles, make_env(), and its commands), each
R times, interleaved so that load changes hit every side alike:
  * ours:        `veldwacht:kde` in the profile with the Veldwacht companion on;
  * qgis:        `qgis:heatmapkerneldensityestimation` in a profile without it;
  * qgis+plugin: `qgis:heatmapkerneldensityestimation` in the Veldwacht profile: what only loading
                 the plugin (companion, .so, provider registration) costs QGIS's own run;
  * SIDE (--library SIDE=SO): `veldwacht:kde` in the Veldwacht profile with another build of the
                 .so (VELDWACHT_PLUGIN_LIBRARY), to compare builds in the same rounds.
Per side: median, min and max of CPU (user + sys, /usr/bin/time) and peak RSS, and the load
average before and after. Nothing is built: build veldwacht_plugin and e2e_dbscan_gpkg first.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_inside as qi  # noqa: E402  (make_env(): the throw-away profiles)
import run_anchors as ra  # noqa: E402  (timed(), load())

RADIUS, PIXEL = ra.RADIUS, ra.PIXEL


def kde(inp, out):
    """qgis_inside.py's veldwacht:kde command (its enum indices, 1 thread)."""
    return [ra.QGIS, "run", "veldwacht:kde", "--", f"INPUT={inp}", f"RADIUS={RADIUS}",
            f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "SCALING=1", "PLACEMENT=1", "METHOD=0",
            "THREADS=1", f"OUTPUT={out}"]


def heatmap(inp, out):
    return [ra.QGIS, "run", "qgis:heatmapkerneldensityestimation", "--", f"INPUT={inp}",
            f"RADIUS={RADIUS}", f"PIXEL_SIZE={PIXEL}", "KERNEL=0", "OUTPUT_VALUE=0",
            f"OUTPUT={out}"]


def summary(runs):
    cpu = [r.cpu for r in runs]
    rss = [r.rss for r in runs]
    return {"n": len(runs), "cpu_median": statistics.median(cpu), "cpu_min": min(cpu),
            "cpu_max": max(cpu), "rss_median": statistics.median(rss), "rss": rss,
            "wall_median": statistics.median([r.wall for r in runs]), "cpu": cpu}


def one_point_parser(doc, runs):
    """The options of every one-point benchmark: --build, --runs, --work."""
    p = argparse.ArgumentParser(description=doc.split("\n")[0])
    p.add_argument("--build", default=os.path.join(ra.ROOT, "build", "release"))
    p.add_argument("--runs", type=int, default=runs)
    p.add_argument("--work")
    return p


def one_point_layer(build, work, prefix):
    """(a fresh temporary folder, the work folder, its one-point GeoPackage, made if missing)."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    work = work or f"{tmp}/work"
    os.makedirs(work, exist_ok=True)
    one = f"{work}/points_1.gpkg"
    if not os.path.exists(one):
        subprocess.run([os.path.join(build, "bench", "e2e_dbscan_gpkg"), "points", "1", one],
                       check=True, stdout=subprocess.DEVNULL)
    return tmp, work, one


def main():
    p = one_point_parser(__doc__, 10)
    p.add_argument("--json")
    p.add_argument("--sides", default="ours,qgis,qgis+plugin")
    p.add_argument("--library", action="append", default=[], metavar="SIDE=SO",
                   help="one more side: `veldwacht:kde` with this build of libveldwachtplugin.so "
                        "(VELDWACHT_PLUGIN_LIBRARY), in the same rounds; repeatable")
    a = p.parse_args()
    build = os.path.abspath(a.build)
    plugin_dir = os.path.join(build, "plugin", "qgis-plugins")
    tmp, work, one = one_point_layer(build, a.work, "veldwacht-qgis-startup-")
    try:
        envs = {"ours": qi.make_env(f"{tmp}/ours", plugin_dir), "qgis": qi.make_env(f"{tmp}/qgis")}
        sides = {"ours": (kde, envs["ours"]), "qgis": (heatmap, envs["qgis"]),
                 "qgis+plugin": (heatmap, envs["ours"])}
        chosen = [s for s in a.sides.split(",") if s]
        for spec in a.library:
            side, so = spec.split("=", 1)
            sides[side] = (kde, dict(envs["ours"], VELDWACHT_PLUGIN_LIBRARY=os.path.abspath(so)))
            chosen.append(side)
        runs = {s: [] for s in chosen}
        load_start = ra.load()
        for i in range(a.runs):
            for s in chosen:
                fn, env = sides[s]
                out = f"{work}/{s.replace('+', '_')}.tif"
                ra.remove(out)
                r = ra.timed(fn(one, out), env)
                if r.stopped or not os.path.exists(out):
                    sys.exit(f"{s}: the run failed:\n{r.out[-2000:]}")
                runs[s].append(r)
            print(f"round {i + 1}/{a.runs}: " + ", ".join(
                f"{s} {runs[s][-1].cpu:.2f} s" for s in chosen) + f"; load {ra.load()}",
                flush=True)
        load_end = ra.load()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    res = {s: summary(runs[s]) for s in chosen}
    print(f"load (1/5/15 min) at the start {load_start}, at the end {load_end}")
    for s in chosen:
        r = res[s]
        print(f"{s:12s}: CPU median {r['cpu_median']:.2f} s (min {r['cpu_min']:.2f}, max "
              f"{r['cpu_max']:.2f}; {r['n']} runs), wall median {r['wall_median']:.2f} s, peak "
              f"RSS median {r['rss_median']:.1f} MiB (min {min(r['rss']):.1f}, max "
              f"{max(r['rss']):.1f})")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"load_start": load_start, "load_end": load_end, "sides": res}, f, indent=1)


if __name__ == "__main__":
    main()
