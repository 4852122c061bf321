#!/usr/bin/python3
"""`veldwacht sync` of a BAG-size register: CPU and peak RSS of the client (issue 14).

    /usr/bin/python3 bench/sync_scale.py --veldwacht BIN [--veldwacht BIN2 ...] [--rows 1000000]
                                         [--work DIR] [--changed 1000] [--max-rss MIB]

A PostGIS store on a temporary PostgreSQL 15 cluster (bench/postgis_scale.py's TempPostgres) gets
ROWS verblijfsobjecten (bag_id 16 digits, address fields, a point on a 100 m grid) by one INSERT
... SELECT generate_series on the server. Then, per binary given (e.g. one built before a change
and one after), on a fresh laptop GeoPackage, each a separate process under /usr/bin/time:
  1. first    `veldwacht sync LAPTOP URL`: every row comes down
  2. again    the same: nothing to do, every row compared
  3. changed  after CHANGED rows changed on the server: those come down
Printed per step: wall s, CPU s of the veldwacht process (user + sys), its peak RSS, the server's
CPU s over the step, and the rows the laptop holds afterwards (checked: ROWS, and the changed
street name on the changed rows; with --max-rss, each sync's peak RSS). Exit 1 when a check
fails, 77 without PostgreSQL 15/PostGIS.
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from postgis_scale import PG_BIN, TempPostgres, load_average, timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--veldwacht", action="append", required=True)
    ap.add_argument("--rows", type=int, default=1000000)
    ap.add_argument("--changed", type=int, default=1000)
    ap.add_argument("--work", default=None)
    ap.add_argument("--max-rss", type=float, default=None,
                    help="fail (exit 1) when a sync's peak RSS exceeds this many MiB")
    args = ap.parse_args()
    if not os.path.exists(PG_BIN + "/initdb") or not os.path.exists(
            "/usr/share/postgresql/15/extension/postgis.control"):
        print("PostgreSQL 15 + PostGIS not installed")
        return 77
    work = args.work or tempfile.mkdtemp(prefix="vw_sync_scale_")
    os.makedirs(work, exist_ok=True)
    os.chmod(work, 0o755)  # the server runs as postgres when this runs as root
    print(f"rows {args.rows}, load {load_average()}")
    pg = TempPostgres(work)
    failed = False
    try:
        url = pg.create_database("sync")
        subprocess.run([args.veldwacht[-1], "-q", "init", url], check=True)
        pg.psql("sync", f"""
            INSERT INTO verblijfsobjecten (bag_id, bag_pand_id, gebruiksdoel, oppervlakte_m2,
                status, openbare_ruimte_naam, huisnummer, postcode, woonplaats_naam, geom)
            SELECT lpad(i::text, 16, '0'), lpad((i / 4)::text, 16, '1'), 'woonfunctie',
                   50 + i % 200, 'Verblijfsobject in gebruik', 'Straat ' || (i % 5000),
                   1 + i % 300, (1000 + i % 9000)::text || 'AB', 'Plaats ' || (i % 400),
                   ST_SetSRID(ST_MakePoint(100000 + (i % 2000) * 100, 300000 + (i / 2000) * 100),
                              28992)
            FROM generate_series(1, {args.rows}) i;
            ANALYZE verblijfsobjecten;""")
        print(f"{'binary':<40} {'step':<8} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} "
              f"{'server cpu s':>12} {'laptop rows':>11}")
        for round_, exe in enumerate(args.veldwacht):
            laptop = os.path.join(work, f"laptop{round_}.gpkg")
            subprocess.run([exe, "-q", "init", laptop], check=True)
            for step in ("first", "again", "changed"):
                if step == "changed":
                    pg.psql("sync", f"UPDATE verblijfsobjecten SET openbare_ruimte_naam = "
                                    f"'Nieuwe straat {round_}' WHERE fid % "
                                    f"{max(1, args.rows // args.changed)} = 0")
                pg.children = pg.child_pids()
                before = pg.cpu_seconds()
                wall, cpu, rss, _ = timed([exe, "-q", "sync", laptop, url],
                                          os.path.join(work, f"sync{round_}_{step}.log"))
                server = pg.cpu_seconds() - before
                with sqlite3.connect(laptop) as db:
                    n = db.execute("SELECT count(*) FROM verblijfsobjecten").fetchone()[0]
                    renamed = db.execute("SELECT count(*) FROM verblijfsobjecten WHERE "
                                         "openbare_ruimte_naam = ?",
                                         (f"Nieuwe straat {round_}",)).fetchone()[0]
                ok = n == args.rows and (step != "changed" or renamed == args.rows //
                                         max(1, args.rows // args.changed))
                small = args.max_rss is None or rss <= args.max_rss
                failed = failed or not ok or not small
                print(f"{exe[-40:]:<40} {step:<8} {wall:>8.1f} {cpu:>8.1f} {rss:>9.0f} "
                      f"{server:>12.1f} {n:>11}{'' if ok else '  WRONG ROWS'}"
                      f"{'' if small else f'  OVER {args.max_rss:.0f} MiB'}", flush=True)
    finally:
        pg.stop()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"load {load_average()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
