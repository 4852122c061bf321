#!/usr/bin/env python3
"""QGIS anchor for the travel-time matrix (docs/benchmarks.md, "Road network").

QGIS has no layer-to-layer matrix; the nearest is native:shortestpathlayertopoint, one run per
destination (all 300 origins to one point). This runs it for the first K destinations of the
matrix that `network_bench --export DIR` wrote (same roads, same speeds, same 300 junctions),
times each qgis_process run (wall and the child's CPU), checks QGIS's costs against ours, and
extrapolates to the 300 runs a full 300 x 300 matrix takes.

    build/rel/bench/network/network_bench --no-reach --export /tmp/nwq
    python3 bench/network/qgis_loop.py /tmp/nwq --runs 3 --ours-cpu 0.044

QGIS measures on the ellipsoid (the RD lengths it sees come out about 6e-5 longer here), so
costs agree to about 1e-4, not to the last digit.
"""
import argparse
import csv
import json
import os
import resource
import subprocess
import tempfile
import time

QGIS_PROCESS = "/usr/bin/qgis_process.bin"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--ours-cpu", type=float, default=None,
                    help="CPU seconds of our 300 x 300 matrix query (from network_bench)")
    ap.add_argument("--ours-wall", type=float, default=None)
    args = ap.parse_args()
    d = os.path.abspath(args.dir)
    ours = {}
    targets = {}
    with open(os.path.join(d, "ours.csv")) as f:
        for r in csv.DictReader(f):
            ours[(int(r["from"]), int(r["to"]))] = float(r["time_s"])
            targets[int(r["to"])] = (r["x_to"], r["y_to"])
    with open(os.path.join(d, "p.qgs"), "w") as f:
        f.write("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis projectname=\"\" "
                "version=\"3.22.16\"><projectCrs><spatialrefsys><authid>EPSG:28992</authid>"
                "</spatialrefsys></projectCrs></qgis>\n")
    home = tempfile.mkdtemp(prefix="nwq_home_")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=home, XDG_RUNTIME_DIR=home)
    # QGIS's embedded Python must find the system's PyQGIS, not a pyenv/venv interpreter.
    for k in ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV"):
        env.pop(k, None)
    env["PATH"] = ":".join(x for x in env.get("PATH", "").split(":")
                           if ".pyenv" not in x and "venv" not in x)
    walls, cpus, worst = [], [], 0.0
    compared = 0
    for j in range(args.runs):
        x, y = targets[j]
        out = os.path.join(d, "qgis_to_%d.gpkg" % j)
        if os.path.exists(out):
            os.remove(out)
        cmd = [QGIS_PROCESS, "--json", "run", "native:shortestpathlayertopoint",
               "--PROJECT_PATH=" + os.path.join(d, "p.qgs"), "--",
               "INPUT=" + os.path.join(d, "roads.gpkg"), "STRATEGY=1",
               "DIRECTION_FIELD=rijrichtng", "VALUE_FORWARD=H", "VALUE_BACKWARD=T",
               "VALUE_BOTH=B", "DEFAULT_DIRECTION=2", "SPEED_FIELD=snelheid", "DEFAULT_SPEED=50",
               "TOLERANCE=0", "START_POINTS=" + os.path.join(d, "points.gpkg"),
               "END_POINT=%s,%s [EPSG:28992]" % (x, y), "OUTPUT=" + out]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.monotonic() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if p.returncode != 0:
            print("qgis_process failed:", p.stderr[-2000:])
            return 1
        json.loads(p.stdout)
        table = subprocess.run(["ogr2ogr", "-f", "CSV", "/vsistdout/", out],
                               stdout=subprocess.PIPE, text=True, check=True).stdout
        for row in csv.DictReader(table.splitlines()):
            if not row.get("id") or not row.get("cost"):
                continue
            i, cost = int(row["id"]), float(row["cost"])
            mine = ours[(i, j)]
            theirs = cost * 3600.0  # hours
            if mine > 0:
                worst = max(worst, abs(theirs - mine) / mine)
            compared += 1
        walls.append(wall)
        cpus.append(cpu)
        print("destination %d: %.2f s wall, %.2f s CPU (qgis_process incl. start-up)" % (j, wall, cpu))
    mw, mc = sum(walls) / len(walls), sum(cpus) / len(cpus)
    print("QGIS shortestpathlayertopoint: %d run(s), mean %.2f s wall, %.2f s CPU per destination"
          % (len(walls), mw, mc))
    print("%d QGIS costs vs ours: largest relative difference %.2e" % (compared, worst))
    print("extrapolated 300 runs (300 x 300): %.0f s wall, %.0f s CPU" % (300 * mw, 300 * mc))
    if args.ours_cpu:
        print("ratio QGIS loop / ours (hierarchy query), CPU: %.0fx" % (300 * mc / args.ours_cpu))
    if args.ours_wall:
        print("ratio QGIS loop / ours (hierarchy query), wall: %.0fx" % (300 * mw / args.ours_wall))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
