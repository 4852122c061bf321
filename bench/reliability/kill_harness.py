#!/usr/bin/python3
"""kill -9 / Ctrl-C harness for the Veldwacht store.

Builds a small store with the `veldwacht` command from sample-data/eemsdelta, then for each
scenario runs N trials: copy the base store, start the operation, send SIGKILL or SIGINT after a
random (seeded) delay, and check the store:
  - PRAGMA integrity_check = ok; rtreecheck() = ok on every R-tree; every R-tree entry has its
    row and every row with a geometry its entry;
  - every result set is complete-old or complete-new: the registry rows of one prefix
    (veldwacht_resultaten) have one gestart_op, each registered layer exists with the row count
    of the old or of the new run (the same run for all layers of the set), no layer of the set
    is left unregistered;
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

# Result sets: prefix -> layers written together by one run.
RESULT_SETS = {
    "cluster": ["kh_punten", "kh_clusters"],
    "global": ["kg_globaal", "kg_ripley"],
}


def run(cmd, **kw):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def must(cmd):
    r = run(cmd)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r


def copy_store(src, dst):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(dst + suffix):
            os.remove(dst + suffix)
        if os.path.exists(src + suffix):
            shutil.copyfile(src + suffix, dst + suffix)


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
    if not same_as_old and counts != new_counts:
        problems.append("%s: neither the old %s nor the new %s: %s" %
                        (prefix, old_counts, new_counts, counts))
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


def build_base(veldwacht, directory):
    """base_import.gpkg: context layers only; base_results.gpkg: with signalen and old results."""
    base = os.path.join(directory, "base_import.gpkg")
    must([veldwacht, "-q", "init", base])
    must([veldwacht, "-q", "import", base] + [os.path.join(SAMPLE, f) for f in CONTEXT])
    results = os.path.join(directory, "base_results.gpkg")
    copy_store(base, results)
    must([veldwacht, "-q", "import", results, os.path.join(SAMPLE, "signalen.csv")])
    for cmd in SCENARIOS.values():
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
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--veldwacht", default=os.path.join(ROOT, "build", "dev", "cli", "veldwacht"))
    ap.add_argument("--trials", type=int, default=10, help="trials per scenario and signal")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--scenarios", default="import,cluster,global")
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
        base_import, base_results = build_base(veldwacht, work)
        for name in args.scenarios.split(","):
            sc = SCENARIOS[name]
            base = base_import if sc["base"] == "import" else base_results
            trial_store = os.path.join(work, "trial.gpkg")
            old = state(base)
            # One clean run: the "new" state and how long the operation takes.
            copy_store(base, trial_store)
            t0 = time.monotonic()
            must([veldwacht, "-q"] + sc["new"](trial_store))
            duration = time.monotonic() - t0
            new = state(trial_store)
            for sig_name in args.signals.split(","):
                sig = getattr(signal, "SIG" + sig_name)
                failures = killed = finished = 0
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
                    except sqlite3.Error as e:
                        problems.append("cannot check: %s" % e)
                    if problems:
                        failures += 1
                        print("  %s %s trial %d (delay %.3f s, exit %s): %s" %
                              (name, sig_name, trial, delay, p.returncode, "; ".join(problems)))
                print("scenario %s signal %s trials %d failures %d (killed %d, finished %d; "
                      "left old %d, new %d; clean run %.2f s)" %
                      (name, sig_name, args.trials, failures, killed, finished, outcomes["old"],
                       outcomes["new"], duration), flush=True)
                total_failures += failures
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
