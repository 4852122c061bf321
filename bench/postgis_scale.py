#!/usr/bin/python3
"""The same work on a GeoPackage store and on a PostGIS store, at scale (issue 14).

    /usr/bin/python3 bench/postgis_scale.py [--rows 10000000] [--build build/rel]
                                            [--work DIR] [--keep]
                                            [--markdown FILE] [--json FILE] [--smoke]

One seeded signals CSV in Veldwacht's own import format (`import_bench --write-signals N CSV`:
spread over the Netherlands in EPSG:28992, 2021-2024, a fifth of the rows in 2000 hotspots) is
worked on by the `veldwacht` CLI, once per backend: a GeoPackage file and a PostGIS store on a
temporary PostgreSQL 15 cluster (unix socket in the work folder, started here and stopped at the
end, also on failure or Ctrl-C). Per backend, each step a separate process under /usr/bin/time:
  1. init      `veldwacht init STORE`
  2. import    `veldwacht import STORE signals.csv` (one transaction)
  3. filter    `veldwacht cluster STORE --bbox CITY --where "<one quarter>"`: a bbox (10 x 10 km)
               and a time filter, read through the spatial index (R-tree / GiST) with the time
               condition in the same SQL; DBSCAN on the few hundred rows it selects
  4. cluster   `veldwacht cluster STORE --bbox PROVINCE --method dbscan --eps 50 --min-pts 10`:
               a region of a few hundred thousand points
Printed per step and backend: wall seconds, CPU seconds of the veldwacht process (user + sys),
its peak RSS, the PostgreSQL server's CPU seconds over the step (the postmaster's own time, that
of its exited children -- the backend that served the step -- and of its live children, from
/proc), and the rows. Checked: both backends selected exactly the rows the CSV says lie in each
bbox and time window (counted here from the file), and gave the same cluster of every point
(bron_id, cluster_id); the exit status is 1 when a check fails, 77 when PostgreSQL 15 or PostGIS
is not installed (ctest skips).

The machine may be shared: wall time then includes waiting for a core, CPU time does not. The
load average is printed before and after.
"""
import argparse
import csv
import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PG_BIN = "/usr/lib/postgresql/15/bin"
TIME = "/usr/bin/time"  # Debian package `time`
CITY = (130000, 450000, 140000, 460000)  # 10 x 10 km around Utrecht
PROVINCE = (110000, 430000, 170000, 480000)  # 60 x 50 km, roughly the province of Utrecht
# --smoke: few rows, so wider boxes (100 x 100 km; the whole country)
SMOKE_CITY, SMOKE_PROVINCE = (100000, 400000, 200000, 500000), (13000, 306000, 278000, 619000)
QUARTER = ("2023-01-01", "2023-04-01")  # waargenomen_van in [from, to)
EPS, MIN_PTS = 50, 10


def bbox_text(b):
    return ",".join(str(v) for v in b)


def load_average():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


class TempPostgres:
    """A throw-away PostgreSQL 15 cluster on a unix socket in `parent` (docs POSTGRES.md)."""

    def __init__(self, parent):
        self.dir = tempfile.mkdtemp(prefix="pg_", dir=parent)
        self.as_postgres = os.geteuid() == 0
        self.started = False
        self.children = set()
        if self.as_postgres:
            shutil.chown(self.dir, user="postgres")
            os.chmod(self.dir, 0o755)
        self._server("initdb", "-D", self.dir + "/data", "-A", "trust", "-U", "postgres",
                     "--no-sync")
        self._server("pg_ctl", "-D", self.dir + "/data", "-o",
                     f"-k {self.dir} -c listen_addresses=''", "-l", self.dir + "/log", "-w",
                     "start")
        self.started = True

    def _server(self, binary, *args):
        cmd = [f"{PG_BIN}/{binary}", *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)

    def psql(self, db, sql):
        out = subprocess.run(["psql", "-h", self.dir, "-U", "postgres", "-d", db, "-v",
                              "ON_ERROR_STOP=1", "-At", "-c", sql], check=True,
                             capture_output=True, text=True)
        return out.stdout

    def create_database(self, name):
        self.psql("postgres", f"CREATE DATABASE {name}")
        self.psql(name, "CREATE EXTENSION postgis")
        return f"postgresql://postgres@/{name}?host={self.dir}"

    def postmaster_pid(self):
        with open(self.dir + "/data/postmaster.pid") as f:
            return int(f.readline())

    def child_pids(self):
        pm = self.postmaster_pid()
        pids = set()
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        if int(f.read().rsplit(")", 1)[1].split()[1]) == pm:
                            pids.add(int(entry))
                except (FileNotFoundError, ProcessLookupError, IndexError):
                    pass
        return pids

    def cpu_seconds(self):
        """The server's CPU so far: the postmaster's own and its reaped children's time (a backend
        that served a finished client) plus that of its live children."""
        tick = os.sysconf("SC_CLK_TCK")
        pm = self.postmaster_pid()

        def stat(pid):
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            # after the name: state ppid ... utime(12) stime(13) cutime(14) cstime(15)
            return int(fields[1]), [int(v) for v in fields[11:15]]

        # A backend's time reaches the postmaster's cutime when it has been reaped: wait (up to
        # 10 s) until no child is left that was not there before the step (self.children).
        for _ in range(100):
            if self.child_pids() <= self.children:
                break
            time.sleep(0.1)
        total = sum(stat(pm)[1])
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == pm:
                continue
            try:
                ppid, t = stat(int(entry))
            except (FileNotFoundError, ProcessLookupError, IndexError):
                continue
            if ppid == pm:
                total += t[0] + t[1]
        return total / tick

    def stop(self):
        if self.started:
            self._server("pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop")
            self.started = False
        shutil.rmtree(self.dir, ignore_errors=True)


def expected_counts(path):
    """Rows of the CSV in the city bbox and quarter, and in the province bbox (edges included,
    as the spatial index selects points), straight from the file."""
    city = province = 0
    lo, hi = QUARTER
    with open(path, newline="") as f:
        rows = csv.reader(f, delimiter=";")
        header = next(rows)
        ix, iy, it = header.index("x"), header.index("y"), header.index("waargenomen_van")
        for r in rows:
            x, y = float(r[ix]), float(r[iy])
            if PROVINCE[0] <= x <= PROVINCE[2] and PROVINCE[1] <= y <= PROVINCE[3]:
                province += 1
            if CITY[0] <= x <= CITY[2] and CITY[1] <= y <= CITY[3]:
                d, m, rest = r[it].split("-", 2)  # DD-MM-YYYY HH:MM
                iso = f"{rest[:4]}-{m}-{d}"
                if lo <= iso < hi:
                    city += 1
    return city, province


def timed(cmd, log, env=None):
    """Runs cmd under /usr/bin/time; wall s, cpu s (user + sys), peak RSS MiB, stdout."""
    tfile = log + ".time"
    start = time.monotonic()
    with open(log, "w") as out:
        rc = subprocess.run([TIME, "-f", "%e %U %S %M", "-o", tfile] + cmd, stdout=out,
                            stderr=subprocess.STDOUT, env=env).returncode
    wall = time.monotonic() - start
    with open(tfile) as f:
        _, user, sys_, rss = f.read().split()[-4:]
    with open(log) as f:
        text = f.read()
    if rc != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({rc}):\n{text[-3000:]}")
    return wall, float(user) + float(sys_), int(rss) / 1024.0, text


def labels_of(rows):
    """(sha256 of the sorted (bron_id, cluster_id) pairs, points, clusters, noise, sha256 of the
    partition: each cluster named by its smallest bron_id, so that only numbering may differ)."""
    rows = sorted((str(k), int(c)) for k, c in rows)
    h = hashlib.sha256("\n".join(f"{k}\t{c}" for k, c in rows).encode()).hexdigest()
    first = {}
    for k, c in rows:
        first.setdefault(c, k)
    p = hashlib.sha256("\n".join(f"{k}\t{first[c] if c >= 0 else '-'}"
                                 for k, c in rows).encode()).hexdigest()
    clusters = len({c for _, c in rows if c >= 0})
    return h, len(rows), clusters, sum(1 for _, c in rows if c < 0), p


def gpkg_labels(store, table):
    with sqlite3.connect(store) as db:
        return labels_of(db.execute(f'SELECT bron_id, cluster_id FROM "{table}"').fetchall())


def pg_labels(pg, db, table):
    out = pg.psql(db, f'SELECT bron_id, cluster_id FROM "{table}"')
    return labels_of(line.split("|") for line in out.splitlines() if line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "rel"))
    ap.add_argument("--work", default=tempfile.gettempdir(),
                    help="folder for the run's files and the cluster (short: a unix socket path "
                    "holds at most 107 bytes)")
    ap.add_argument("--keep", action="store_true", help="keep the CSV and the GeoPackage")
    ap.add_argument("--markdown")
    ap.add_argument("--json")
    ap.add_argument("--smoke", action="store_true",
                    help="20 000 rows, a wider radius (ctest, label postgis)")
    ap.add_argument("--csv", help="use this signals file (written by `import_bench "
                    "--write-signals N CSV` with N = --rows) instead of writing one")
    ap.add_argument("--backends", default="gpkg,postgis",
                    help="which stores, in this order (gpkg, postgis); both for the checks")
    ap.add_argument("--eps", type=float, default=EPS)
    ap.add_argument("--min-pts", type=int, default=MIN_PTS)
    a = ap.parse_args()
    global CITY, PROVINCE
    if a.smoke:
        a.rows, a.eps, a.min_pts = 20000, 2000.0, 5
        CITY, PROVINCE = SMOKE_CITY, SMOKE_PROVINCE
    veldwacht = os.path.join(a.build, "cli", "veldwacht")
    generator = os.path.join(a.build, "bench", "import_bench")
    for exe in (veldwacht, generator):
        if not os.access(exe, os.X_OK):
            sys.exit(f"missing {exe}: cmake --build {a.build} --target veldwacht import_bench")
    if not os.path.exists(TIME):
        print("skipped: /usr/bin/time is missing (Debian package time)")
        sys.exit(77)
    if not (os.path.exists(PG_BIN + "/initdb") and
            os.path.exists("/usr/share/postgresql/15/extension/postgis.control")):
        print("skipped: PostgreSQL 15 with PostGIS is not installed (scripts/setup.sh)")
        sys.exit(77)

    os.makedirs(a.work, exist_ok=True)
    work = tempfile.mkdtemp(prefix="run_", dir=a.work)
    os.chmod(work, 0o755)  # as root the server runs as postgres, which must reach its folder
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    print(f"postgis_scale: {a.rows} rows, commit {commit}, work {work}")
    print(f"load average before: {load_average()}", flush=True)

    if a.csv:
        csv_path = os.path.abspath(a.csv)
    else:
        csv_path = os.path.join(work, f"signalen_{a.rows}.csv")
        t0 = time.monotonic()
        subprocess.run([generator, "--write-signals", str(a.rows), csv_path], check=True)
        print(f"generated {csv_path} in {time.monotonic() - t0:.1f} s", flush=True)
    want_city, want_province = expected_counts(csv_path)
    print(f"the file: {want_city} rows in bbox {bbox_text(CITY)} and {QUARTER[0]}..{QUARTER[1]}, "
          f"{want_province} in bbox {bbox_text(PROVINCE)}", flush=True)

    pg = None
    results = []
    labels = {}
    failures = []
    env = dict(os.environ, VELDWACHT_STYLES_DIR=os.path.join(ROOT, "styles"))

    def stop(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    try:
        pg = TempPostgres(work)
        known = {"gpkg": ("GeoPackage", os.path.join(work, "store.gpkg")),
                 "postgis": ("PostGIS", pg.create_database("vw"))}
        stores = [known[b] for b in a.backends.split(",")]
        where = f"waargenomen_van >= '{QUARTER[0]}' AND waargenomen_van < '{QUARTER[1]}'"
        steps = [
            ("init", ["init", "{store}"], None),
            ("import", ["-q", "import", "{store}", csv_path], a.rows),
            (f"filter: bbox {(CITY[2] - CITY[0]) // 1000} x {(CITY[3] - CITY[1]) // 1000} km "
             "+ one quarter",
             ["cluster", "{store}", "--bbox", bbox_text(CITY), "--where", where, "--method",
              "dbscan", "--eps", str(a.eps), "--min-pts", str(a.min_pts), "-o", "stad"],
             want_city),
            (f"cluster: bbox {(PROVINCE[2] - PROVINCE[0]) // 1000} x "
             f"{(PROVINCE[3] - PROVINCE[1]) // 1000} km, DBSCAN eps {a.eps:g} m, "
             f"minPts {a.min_pts}",
             ["cluster", "{store}", "--bbox", bbox_text(PROVINCE), "--method", "dbscan",
              "--eps", str(a.eps), "--min-pts", str(a.min_pts), "-o", "regio"],
             want_province),
        ]
        for backend, store in stores:
            for name, args, want in steps:
                cmd = [veldwacht] + [x.replace("{store}", store) for x in args]
                load = load_average().split()[0]
                if backend == "PostGIS":
                    pg.children = pg.child_pids()
                server0 = pg.cpu_seconds() if backend == "PostGIS" else None
                log = os.path.join(work, f"{backend}_{name.split(':')[0]}.log")
                wall, cpu, rss, text = timed(cmd, log, env)
                server = pg.cpu_seconds() - server0 if server0 is not None else None
                rows = None
                if name.startswith(("filter", "cluster")):
                    table = "stad_punten" if name.startswith("filter") else "regio_punten"
                    got = (gpkg_labels(store, table) if backend == "GeoPackage" else
                           pg_labels(pg, "vw", table))
                    labels[(backend, table)] = got
                    rows = got[1]
                    extra = f"{got[2]} clusters, {got[3]} noise, labels sha256 {got[0][:12]}"
                elif name == "import":
                    rows = (sqlite3.connect(store).execute("SELECT COUNT(*) FROM signalen")
                            .fetchone()[0] if backend == "GeoPackage" else
                            int(pg.psql("vw", "SELECT COUNT(*) FROM signalen")))
                    extra = ""
                else:
                    extra = ""
                if want is not None and rows != want:
                    failures.append(f"{backend} {name}: {rows} rows, the file has {want}")
                r = dict(backend=backend, step=name, wall=wall, cpu=cpu, rss=rss,
                         server_cpu=server, rows=rows, note=extra, load=load)
                results.append(r)
                print(f"{backend:<10} {name:<48} wall {wall:8.2f} s  cpu {cpu:8.2f} s  "
                      f"peak {rss:8.1f} MiB  server cpu "
                      f"{'-' if server is None else f'{server:.2f} s':>9}  rows {rows}  {extra}"
                      f"  (load {load})", flush=True)
        for table in ("stad_punten", "regio_punten"):
            if len(stores) < 2:
                break
            g, p = labels[("GeoPackage", table)], labels[("PostGIS", table)]
            if g != p:
                same = "the same" if g[4] == p[4] else "different"
                failures.append(f"{table}: GeoPackage {g[1:4]} ({g[0][:12]}) != PostGIS "
                                f"{p[1:4]} ({p[0][:12]}); {same} clusters as sets of points")
            else:
                print(f"{table}: the same cluster for every point on both backends "
                      f"({g[1]} points, {g[2]} clusters, {g[3]} noise; sha256 {g[0][:12]})")
        if "postgis" in a.backends:
            print("PostGIS table size: " + pg.psql(
                "vw", "SELECT pg_size_pretty(pg_total_relation_size('signalen'))").strip())
        if "gpkg" in a.backends:
            print("GeoPackage file size: %.0f MiB" % (os.path.getsize(known["gpkg"][1]) / 2**20))
    finally:
        if pg is not None:
            pg.stop()
        if not a.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"load average after: {load_average()}")

    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write("| backend | step | wall s | CPU s (veldwacht) | peak MiB | CPU s (server) "
                    "| rows | load |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n")
            for r in results:
                server = "–" if r["server_cpu"] is None else f"{r['server_cpu']:.2f}"
                rows = "" if r["rows"] is None else f"{r['rows']:,}".replace(",", " ")
                note = f" ({r['note']})" if r["note"] else ""
                f.write(f"| {r['backend']} | {r['step']} | {r['wall']:.2f} | {r['cpu']:.2f} | "
                        f"{r['rss']:.1f} | {server} | {rows}{note} | {r['load']} |\n")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(dict(rows=a.rows, commit=commit, results=results, failures=failures), f,
                      indent=1)
    for msg in failures:
        print("FAILED: " + msg)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt as e:
        sys.exit(f"stopped ({e})")
