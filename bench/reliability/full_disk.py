#!/usr/bin/python3
"""A real full disk: a small tmpfs (needs root; exits 77 = skipped when mount is refused).

1. `veldwacht init` on a tmpfs with too little room: exit 1, a short message saying the disk is
   full, no file left behind.
2. `veldwacht import` of signalen.csv into a store on a tmpfs that fills up during the import:
   exit 1 (not 3: no row is blamed), "disk full" and "nothing was changed"; the store passes
   integrity_check and rtreecheck and holds exactly what it held before; copied to a disk with
   room, the next import works.

  /usr/bin/python3 bench/reliability/full_disk.py --veldwacht build/dev/cli/veldwacht
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kill_harness as kh  # noqa: E402


def mount_tmpfs(directory, size_kb):
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dk" % size_kb, "tmpfs", directory],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return r.returncode == 0


def umount(directory):
    subprocess.run(["umount", directory], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--veldwacht", default=os.path.join(kh.ROOT, "build", "dev", "cli", "veldwacht"))
    args = ap.parse_args()
    veldwacht = os.path.abspath(args.veldwacht)
    work = tempfile.mkdtemp(prefix="veldwacht-full-")
    small = os.path.join(work, "small")
    os.mkdir(small)
    failures = []
    try:
        if not mount_tmpfs(small, 64):
            print("skipped: cannot mount a tmpfs (not root?)")
            return 77
        # 1. init on a nearly full disk
        r = kh.run([veldwacht, "init", os.path.join(small, "s.gpkg")])
        left = sorted(os.listdir(small))
        print("init on a 64 KB tmpfs: exit %d, %d chars: %s" % (r.returncode, len(r.stderr),
                                                                  r.stderr.strip()))
        if r.returncode != 1:
            failures.append("init: exit %d" % r.returncode)
        if "disk full" not in r.stderr or len(r.stderr) > 400:
            failures.append("init: message %r" % r.stderr[:400])
        if left:
            failures.append("init left %s" % left)
        umount(small)

        # 2. an import that fills the disk
        base = os.path.join(work, "base.gpkg")
        kh.must([veldwacht, "-q", "init", base])
        kh.must([veldwacht, "-q", "import", base] +
                [os.path.join(kh.SAMPLE, f) for f in ("partners.geojson", "vab.geojson")])
        size_kb = os.path.getsize(base) // 1024 + 96  # room for the WAL of a few pages only
        if not mount_tmpfs(small, size_kb):
            print("skipped: cannot mount a tmpfs")
            return 77
        store = os.path.join(small, "s.gpkg")
        shutil.copyfile(base, store)
        before = kh.state(store)
        r = kh.run([veldwacht, "import", store, os.path.join(kh.SAMPLE, "signalen.csv")])
        print("import on a %d KB tmpfs: exit %d: %s" % (size_kb, r.returncode, r.stderr.strip()))
        if r.returncode != 1:
            failures.append("import: exit %d (1 expected)" % r.returncode)
        if "disk full" not in r.stderr or "nothing was changed" not in r.stderr:
            failures.append("import: message %r" % r.stderr[:400])
        if "row " in r.stderr or "rollback" in r.stderr:
            failures.append("import: message blames a row or a rollback: %r" % r.stderr[:400])
        # copy_store copies the store's whole folder (WAL, rasters) into the copy's folder, which
        # it empties first: a folder of its own, never `work` (it holds the tmpfs mount).
        umount_copy = os.path.join(work, "after", os.path.basename(store))
        kh.copy_store(store, umount_copy)
        umount(small)
        failures += kh.integrity(umount_copy)
        if kh.state(umount_copy) != before:
            failures.append("import: the store changed")
        r = kh.run([veldwacht, "-q", "import", umount_copy,
                    os.path.join(kh.SAMPLE, "signalen.csv")])
        if r.returncode != 0:
            failures.append("next import failed: %s" % r.stderr.strip())
        failures += kh.integrity(umount_copy)
    finally:
        umount(small)
        shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print("FAILED: " + f)
    print("full-disk checks failures %d" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
