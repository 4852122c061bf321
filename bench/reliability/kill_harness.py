#!/usr/bin/python3
"""kill -9 / Ctrl-C harness for the Veldwacht store.

Builds a small store with the `veldwacht` command from sample-data/eemsdelta, then for each
scenario runs N trials: copy the base store (with its result rasters), start the operation, send
SIGKILL or SIGINT after a random (seeded) delay, and check the store:
  - PRAGMA integrity_check = ok; rtreecheck() = ok on every R-tree; every R-tree entry has its
    row and every row with a geometry its entry;
  - every result set is complete-old or complete-new: the registry rows of one prefix
    (veldwacht_resultaten) have one gestart_op, each registered layer exists with the row count
    of the old or of the new run (the same run for all layers of the set), no layer of the set
    is left unregistered; a result raster (GeoTIFF beside the store) counts as a member of its
    set: its registry row and its pixels (GDAL checksum) are the old run's or the new run's,
    never the old row with new pixels. The raster is checked as Veldwacht reads it: the trial
    first runs `veldwacht info`, whose read of the registry finishes a file move that a run
    committed but was killed before doing (docs/reliability.md, "Result rasters"); how often
    that happened is printed ("moves finished by a reader"). Then the scenario runs once more to
    the end, which must leave no temporary file ("*.tmp-*") of the killed run beside the store;
  - an import is there completely (rows and its veldwacht_imports row) or not at all;
  - the next import works.
Prints "scenario <name> signal <SIG> trials N failures F (killed K, finished D)" per scenario and
exits 1 when any trial failed.

  /usr/bin/python3 bench/reliability/kill_harness.py --veldwacht build/dev/cli/veldwacht \
      --trials 50 --seed 1
"""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "sample-data", "eemsdelta")
CONTEXT = ["cbs_wijkenbuurten_2024.gpkg", "bag_light.gpkg", "ibis_bedrijventerreinen.shp",
           "partners.geojson", "partner_werkgebieden.geojson", "vab.geojson", "incidenten.csv"]

# Result sets: scenario -> the members one run writes together: tables of the store and result
# files ("*.tif": the GeoTIFF beside the store, registered in veldwacht_resultaten by file name).
RESULT_SETS = {
    "cluster": ["kh_punten", "kh_clusters"],
    "global": ["kg_globaal", "kg_ripley"],
    "density": ["store_kd.tif"],
    "risk": ["kr_factoren", "store_kr.tif"],
    "route": ["kt_route"],
    "plan": ["kp_routes", "kp_bezoeken", "kp_vervallen"],
}
STORE = "store.gpkg"  # the same name in every folder: result rasters are named after the store


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def must(cmd):
    r = run(cmd)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r


def copy_store(src, dst):
    """Copies the store's folder (the store, its WAL, its result rasters and styles)."""
    src_dir, dst_dir = os.path.dirname(src), os.path.dirname(dst)
    shutil.rmtree(dst_dir, ignore_errors=True)
    shutil.copytree(src_dir, dst_dir, ignore=shutil.ignore_patterns("*.csv"))


def raster_signature(path):
    """The pixels of a result raster (GDAL's checksum of band 1), or None without a file."""
    if not os.path.exists(path):
        return None
    r = run(["gdalinfo", "-checksum", path])
    for line in r.stdout.splitlines():
        if "Checksum=" in line:
            return "checksum " + line.split("Checksum=")[1].strip()
    return "unreadable: %s" % r.stderr.strip()[:200]


def connect(path):
    # The same SQLite library and rules as Veldwacht: WAL is recovered when opened.
    return sqlite3.connect("file:%s?mode=rw" % path, uri=True, timeout=10)


def integrity(path):
    """Problems of the store, as a list of strings (empty = sound)."""
    problems = []
    db = connect(path)
    try:
        ic = db.execute("PRAGMA integrity_check").fetchall()
        if ic != [("ok",)]:
            problems.append("integrity_check: %s" % ic[:3])
        for table, column in db.execute(
                "SELECT table_name, column_name FROM gpkg_extensions "
                "WHERE extension_name = 'gpkg_rtree_index'").fetchall():
            rtree = "rtree_%s_%s" % (table, column)
            exists = db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
            if not exists:
                problems.append("%s registered for a missing table" % rtree)
                continue
            check = db.execute("SELECT rtreecheck(?)", (rtree,)).fetchone()[0]
            if check != "ok":
                problems.append("%s: %s" % (rtree, check))
            orphans = db.execute('SELECT COUNT(*) FROM "%s" WHERE id NOT IN (SELECT fid FROM "%s")'
                                 % (rtree, table)).fetchone()[0]
            if orphans:
                problems.append("%s: %d entries without a row" % (rtree, orphans))
            missing = db.execute('SELECT COUNT(*) FROM "%s" WHERE "%s" IS NOT NULL AND fid NOT IN '
                                 '(SELECT id FROM "%s")' % (table, column, rtree)).fetchone()[0]
            if missing:
                problems.append("%s: %d rows not indexed" % (rtree, missing))
    finally:
        db.close()
    return problems


def state(path):
    """What a trial may change: import rows and result sets."""
    db = connect(path)
    try:
        s = {}
        s["signalen"] = db.execute("SELECT COUNT(*) FROM signalen").fetchone()[0]
        s["imports"] = db.execute(
            "SELECT laag, rijen FROM veldwacht_imports ORDER BY import_id").fetchall()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for prefix, layers in RESULT_SETS.items():
            reg = {}
            for layer in layers:
                rows = db.execute("SELECT gestart_op FROM veldwacht_resultaten WHERE laag = ?",
                                  (layer,)).fetchall()
                if layer.endswith(".tif"):
                    count = raster_signature(os.path.join(os.path.dirname(path), layer))
                else:
                    count = (db.execute('SELECT COUNT(*) FROM "%s"' % layer).fetchone()[0]
                             if layer in tables else None)
                reg[layer] = (tuple(r[0] for r in rows), count)
            s[prefix] = reg
        return s
    finally:
        db.close()


def result_set_problems(prefix, now, old, new):
    """A result set must be exactly the old run's or exactly the new run's."""
    layers = RESULT_SETS[prefix]
    got = now[prefix]
    problems = []
    for layer in layers:
        started, count = got[layer]
        if len(started) > 1:
            problems.append("%s: %d registry rows" % (layer, len(started)))
        if (len(started) == 1) != (count is not None):
            problems.append("%s: layer %s but registry rows %d" %
                            (layer, "exists" if count is not None else "missing", len(started)))
    starts = {got[layer][0] for layer in layers}
    if len(starts) > 1:
        problems.append("%s: layers from different runs %s" % (prefix, sorted(starts)))
    counts = tuple(got[layer][1] for layer in layers)
    old_counts = tuple(old[prefix][layer][1] for layer in layers)
    new_counts = tuple(new[prefix][layer][1] for layer in layers)
    same_as_old = all(got[layer] == old[prefix][layer] for layer in layers)
    if not same_as_old:
        if counts != new_counts:
            problems.append("%s: neither the old %s nor the new %s: %s" %
                            (prefix, old_counts, new_counts, counts))
        # New content under the old run's registry row (e.g. a raster replaced on disk whose
        # registration was not committed) is a mix too.
        for layer in layers:
            if got[layer][0] and got[layer][0] == old[prefix][layer][0]:
                problems.append("%s: %s still registered as the old run's (%s) with content %s" %
                                (prefix, layer, got[layer][0], got[layer][1]))
    return problems


def outcome(kind, now, old, new):
    """'old' or 'new' (or 'mix', which the problem checks report) for the counts."""
    if kind == "import":
        key = lambda s: (s["signalen"], s["imports"])  # noqa: E731
    else:
        key = lambda s: s[kind]  # noqa: E731
    if key(now) == key(old):
        return "old"
    return "new" if kind == "import" and key(now) == key(new) or kind != "import" else "mix"


def import_problems(now, old, new):
    if (now["signalen"], now["imports"]) in ((old["signalen"], old["imports"]),
                                             (new["signalen"], new["imports"])):
        return []
    return ["import: %d signalen, imports %s: neither old nor new" %
            (now["signalen"], now["imports"][len(old["imports"]):])]


def next_import_csv(directory, trial):
    """Three signalen with ids unique to this trial."""
    src = os.path.join(SAMPLE, "signalen.csv")
    with open(src, encoding="utf-8-sig") as f:
        lines = f.read().splitlines()
    out = [lines[0]]
    for i, line in enumerate(lines[1:4]):
        fields = line.split(";")
        fields[0] = "SIG-H%05d-%d" % (trial, i)
        out.append(";".join(fields))
    path = os.path.join(directory, "next_%d.csv" % trial)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    return path


def build_base(veldwacht, directory, scenarios):
    """import/store.gpkg: context layers only; results/store.gpkg: with signalen, the road
    network and the old results of the scenarios."""
    base = os.path.join(directory, "import", STORE)
    os.makedirs(os.path.dirname(base))
    must([veldwacht, "-q", "init", base])
    must([veldwacht, "-q", "import", base] + [os.path.join(SAMPLE, f) for f in CONTEXT])
    results = os.path.join(directory, "results", STORE)
    copy_store(base, results)
    must([veldwacht, "-q", "import", results, os.path.join(SAMPLE, "signalen.csv"),
          os.path.join(SAMPLE, "nwb_wegvakken.gpkg")])
    for name in scenarios:
        cmd = SCENARIOS[name]
        if cmd["kind"] != "import":
            must([veldwacht, "-q"] + cmd["old"](results))
    return base, results


SCENARIOS = {
    "import": {"kind": "import", "base": "import",
               "new": lambda store: ["import", store, os.path.join(SAMPLE, "signalen.csv")]},
    "cluster": {"kind": "cluster", "base": "results",
                "old": lambda store: ["cluster", store, "-o", "kh", "--eps", "400",
                                      "--min-pts", "4"],
                "new": lambda store: ["cluster", store, "-o", "kh", "--eps", "250",
                                      "--min-pts", "5"]},
    "global": {"kind": "global", "base": "results",
               "old": lambda store: ["hotspots", store, "-m", "global", "-o", "kg",
                                     "--simulations", "9"],
               "new": lambda store: ["hotspots", store, "-m", "global", "-o", "kg",
                                     "--simulations", "19"]},
    # A result raster (GeoTIFF beside the store + its registry row) replacing an older one.
    "density": {"kind": "density", "base": "results",
                "old": lambda store: ["density", store, "--layer", "signalen", "-o", "kd",
                                      "--radius", "500", "--pixel-size", "50"],
                "new": lambda store: ["density", store, "--layer", "signalen", "-o", "kd",
                                      "--radius", "300", "--pixel-size", "50"]},
    # A factor table and a relative-risk raster written by one run.
    "risk": {"kind": "risk", "base": "results",
             "old": lambda store: ["risk", store, "-o", "kr", "--cell-size", "250"],
             "new": lambda store: ["risk", store, "-o", "kr", "--cell-size", "200"]},
    # A shortest route over the imported NWB road network.
    "route": {"kind": "route", "base": "results",
              "old": lambda store: ["route", store, "--from-xy", "256984,594814",
                                    "--to-xy", "253007,593729", "--mode", "auto", "-o", "kt"],
              "new": lambda store: ["route", store, "--from-xy", "245586,594919",
                                    "--to-xy", "256984,594814", "--mode", "auto", "-o", "kt"]},
    # A patrol plan: routes, visits and dropped sites of one run.
    "plan": {"kind": "plan", "base": "results",
             "old": lambda store: ["plan", store, "-o", "kp", "--period",
                                   "2026-12-07/2026-12-08"],
             "new": lambda store: ["plan", store, "-o", "kp", "--period",
                                   "2026-12-07/2026-12-09"]},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--veldwacht", default=os.path.join(ROOT, "build", "dev", "cli", "veldwacht"))
    ap.add_argument("--trials", type=int, default=10, help="trials per scenario and signal")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenarios", default="import,cluster,global,density,risk,route,plan")
    ap.add_argument("--signals", default="KILL,INT")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    veldwacht = os.path.abspath(args.veldwacht)
    if not os.access(veldwacht, os.X_OK):
        sys.exit("no veldwacht at %s (build the target veldwacht first)" % veldwacht)
    rng = random.Random(args.seed)
    work = tempfile.mkdtemp(prefix="veldwacht-kill-")
    env = dict(os.environ, VELDWACHT_STYLES_DIR=os.path.join(ROOT, "styles"))
    total_failures = 0
    try:
        scenarios = args.scenarios.split(",")
        base_import, base_results = build_base(veldwacht, work, scenarios)
        for name in scenarios:
            sc = SCENARIOS[name]
            base = base_import if sc["base"] == "import" else base_results
            trial_store = os.path.join(work, "trial", STORE)
            old = state(base)
            # One clean run: the "new" state and how long the operation takes.
            copy_store(base, trial_store)
            t0 = time.monotonic()
            must([veldwacht, "-q"] + sc["new"](trial_store))
            duration = time.monotonic() - t0
            new = state(trial_store)
            for sig_name in args.signals.split(","):
                sig = getattr(signal, "SIG" + sig_name)
                failures = killed = finished = reader_moves = 0
                outcomes = {"old": 0, "new": 0, "mix": 0}
                for trial in range(args.trials):
                    copy_store(base, trial_store)
                    delay = rng.uniform(0.0, duration * 1.1)
                    p = subprocess.Popen([veldwacht, "-q"] + sc["new"](trial_store),
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         env=env, text=True)
                    time.sleep(delay)
                    if p.poll() is None:
                        p.send_signal(sig)
                        killed += 1
                    else:
                        finished += 1
                    out, err = p.communicate()
                    problems = []
                    if sig == signal.SIGINT and p.returncode not in (0, 130, -signal.SIGINT):
                        problems.append("exit %s after Ctrl-C: %s" % (p.returncode, err.strip()))
                    try:
                        if any(m.endswith(".tif") for m in RESULT_SETS.get(sc["kind"], [])):
                            raw = state(trial_store)
                            r = run([veldwacht, "-q", "info", trial_store], env=env)
                            if r.returncode != 0:
                                problems.append("info failed: %s" % r.stderr.strip())
                            if state(trial_store) != raw:
                                reader_moves += 1
                        problems += integrity(trial_store)
                        now = state(trial_store)
                        outcomes[outcome(sc["kind"], now, old, new)] += 1
                        if sc["kind"] == "import":
                            problems += import_problems(now, old, new)
                        else:
                            problems += result_set_problems(sc["kind"], now, old, new)
                            for other in RESULT_SETS:  # the other set is untouched
                                if other != sc["kind"] and now[other] != old[other]:
                                    problems.append("%s changed by %s" % (other, name))
                        r = run([veldwacht, "-q", "import", trial_store,
                                 next_import_csv(work, trial)], env=env)
                        if r.returncode != 0:
                            problems.append("next import failed: %s" % r.stderr.strip())
                        else:
                            problems += integrity(trial_store)
                        if any(m.endswith(".tif") for m in RESULT_SETS.get(sc["kind"], [])):
                            # The next run of the same result removes what the killed one left.
                            r = run([veldwacht, "-q"] + sc["new"](trial_store), env=env)
                            left = [f for f in os.listdir(os.path.dirname(trial_store))
                                    if ".tmp-" in f]
                            if r.returncode != 0:
                                problems.append("the next run failed: %s" % r.stderr.strip())
                            elif left:
                                problems.append("left after the next run: %s" % ", ".join(left))
                    except sqlite3.Error as e:
                        problems.append("cannot check: %s" % e)
                    if problems:
                        failures += 1
                        print("  %s %s trial %d (delay %.3f s, exit %s): %s" %
                              (name, sig_name, trial, delay, p.returncode, "; ".join(problems)))
                print("scenario %s signal %s trials %d failures %d (killed %d, finished %d; "
                      "left old %d, new %d; moves finished by a reader %d; clean run %.2f s)" %
                      (name, sig_name, args.trials, failures, killed, finished, outcomes["old"],
                       outcomes["new"], reader_moves, duration), flush=True)
                total_failures += failures
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
