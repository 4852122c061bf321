#!/usr/bin/python3
"""The store-side items of issue 7 item 8, through the `veldwacht` command (exit codes and
messages as a user sees them). Prints "cli-checks N failures F"; exits 1 on a failure.

  /usr/bin/python3 bench/reliability/cli_checks.py --veldwacht build/dev/cli/veldwacht
"""
import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kill_harness as kh  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--veldwacht", default=os.path.join(kh.ROOT, "build", "dev", "cli", "veldwacht"))
    args = ap.parse_args()
    v = os.path.abspath(args.veldwacht)
    work = tempfile.mkdtemp(prefix="veldwacht-cli-")
    checks = []

    def check(name, ok, detail=""):
        checks.append((name, ok))
        print("%s %s%s" % ("ok  " if ok else "FAIL", name, "" if ok else ": " + detail))

    try:
        signalen = os.path.join(kh.SAMPLE, "signalen.csv")
        with open(signalen, encoding="utf-8-sig") as f:
            lines = f.read().splitlines()
        header = os.path.join(work, "header.csv")
        with open(header, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n")
        bad = os.path.join(work, "bad.csv")
        with open(bad, "w", encoding="utf-8") as f:
            f.write(lines[0] + "\n" + lines[1].replace(";HENNEP;", ";ONBEKEND;", 1) + "\n")

        # A refused import into a store that did not exist leaves no store behind.
        new = os.path.join(work, "new.gpkg")
        r = kh.run([v, "import", new, bad])
        check("refused import into a new store: exit 3", r.returncode == 3, r.stderr)
        left = [f for f in os.listdir(work) if f.startswith("new.gpkg")]
        check("refused import into a new store: no store left", not left, str(left))

        # A header-only CSV records no 0-row import.
        store = os.path.join(work, "s.gpkg")
        kh.must([v, "-q", "init", store])
        r = kh.run([v, "import", store, header])
        check("header-only CSV: exit 3, 'no rows to import'",
              r.returncode == 3 and "no rows to import" in r.stderr, r.stderr)
        db = sqlite3.connect(store)
        n = db.execute("SELECT COUNT(*) FROM veldwacht_imports").fetchone()[0]
        db.close()
        check("header-only CSV: no veldwacht_imports row", n == 0, "%d rows" % n)

        # Schema versions that are not whole numbers are invalid.
        for bad_version in ("99999999999", "2junk"):
            copy = os.path.join(work, "v.gpkg")
            shutil.copyfile(store, copy)
            db = sqlite3.connect(copy)
            db.execute("UPDATE veldwacht_meta SET value = ? WHERE key = 'schema_version'",
                       (bad_version,))
            db.commit()
            db.close()
            r = kh.run([v, "info", copy])
            check("schema version %s refused as invalid" % bad_version,
                  r.returncode == 1 and "invalid schema version '%s'" % bad_version in r.stderr,
                  r.stderr)

        # A damaged (truncated) store is reported as damaged, not as read-only WAL.
        kh.must([v, "-q", "import", store, signalen])
        damaged = os.path.join(work, "d.gpkg")
        shutil.copyfile(store, damaged)
        with open(damaged, "r+b") as f:
            f.truncate(os.path.getsize(damaged) // 3)
        r = kh.run([v, "info", damaged])
        check("truncated store: 'not a Veldwacht store or is damaged'",
              r.returncode == 1 and "is damaged" in r.stderr and "read-only" not in r.stderr,
              r.stderr)

        # A lock held by another program: the analysis waits (busy timeout 5 s), then fails
        # with a clear message (exit 1), no raw SQL.
        db = sqlite3.connect(store, isolation_level=None)
        db.execute("BEGIN IMMEDIATE")
        t0 = time.monotonic()
        r = kh.run([v, "cluster", store, "-o", "lock", "--eps", "250", "--min-pts", "5"])
        waited = time.monotonic() - t0
        db.execute("ROLLBACK")
        db.close()
        check("locked store: cluster waits >= 4.5 s", waited >= 4.5, "%.1f s" % waited)
        check("locked store: exit 1 'another program is writing', no SQL",
              r.returncode == 1 and "another program is writing" in r.stderr and
              "SQL failed" not in r.stderr and "DELETE" not in r.stderr, r.stderr)
        check("locked store: integrity afterwards", not kh.integrity(store), "")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failures = sum(1 for _, ok in checks if not ok)
    print("cli-checks %d failures %d" % (len(checks), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
