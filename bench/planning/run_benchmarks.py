#!/usr/bin/python3
"""Runs bench/planning_bench over the public TOP / TOPTW sets and prints the gap to the
reference scores per set (mean, max, instances, above the reference, total time).

    bench/planning/run_benchmarks.py --build build/release [--sets top4,top5,top6,solomon,cordeau]
        [--seconds 2] [--seed 1] [--every 1] [--jobs 1] [--out results.csv] [--wall]

gap = (ref - score) / ref (0 when ref = 0 and score = 0). The reference CSVs say what each
reference is (a published best-known score or a lower bound on it); a negative gap means the
solver beat the reference. --every K runs every K-th instance of each set (a subset; the table
says how many ran). --jobs runs that many instances at once (each solver run uses one thread;
use 1 for timings that mean something on a shared machine).
"""
import argparse
import concurrent.futures
import csv
import os
import subprocess
import sys
import time

DATA = "/work/shared/data/planning-benchmarks"
SETS = {
    "top4": ("reference_top.csv", "top", "Set_100_234", "Chao set 4 (100 points)"),
    "top5": ("reference_top.csv", "top", "Set_66_234", "Chao set 5 (66 points)"),
    "top6": ("reference_top.csv", "top", "Set_64_234", "Chao set 6 (64 points)"),
    "solomon": ("reference_toptw.csv", "toptw", "c_r_rc_100_100", "TOPTW Solomon c1/r1/rc1"),
    "cordeau": ("reference_toptw.csv", "toptw", "pr01_10", "TOPTW Cordeau pr01-10"),
}


def rows_of(data, key):
    csv_name, fmt, folder, _ = SETS[key]
    with open(os.path.join(data, csv_name), newline="") as f:
        for row in csv.DictReader(f):
            if "/" + folder + "/" in row["file"]:
                ref = float(row["ref_score"] if fmt == "top" else row["ref_best"])
                yield row["instance"], os.path.join(data, row["file"]), int(row["m"]), ref, fmt


def run_one(binary, path, fmt, m, seconds, seed, wall):
    cmd = [binary, path, "--format", fmt, "--m", str(m), "--seconds", str(seconds),
           "--seed", str(seed), "--check"] + ([] if wall else ["--cpu"])
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        print(f"FAILED: {' '.join(cmd)}: {out.stderr.strip()}", file=sys.stderr, flush=True)
        return None
    name, mm, score, secs = out.stdout.split()
    return float(score), float(secs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build/release", help="CMake build folder with bench/planning_bench")
    ap.add_argument("--data", default=DATA)
    ap.add_argument("--sets", default="top4,top5,top6,solomon,cordeau")
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--every", type=int, default=1, help="run every K-th instance of a set")
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--out", help="write one CSV row per instance here")
    ap.add_argument("--wall", action="store_true",
                    help="time limit in wall-clock seconds (default: CPU seconds of the solver, "
                         "fair on a shared machine)")
    args = ap.parse_args()
    binary = os.path.join(args.build, "bench", "planning_bench")
    if not os.access(binary, os.X_OK):
        sys.exit(f"no {binary}: build the planning_bench target first")

    results = []
    print(f"{'set':<26} {'n':>4} {'mean gap %':>10} {'max gap %':>9} {'> ref':>5} "
          f"{'= ref':>5} {'mean s':>7} {'total s':>8}")
    for key in args.sets.split(","):
        jobs = list(rows_of(args.data, key))[:: args.every]
        t0 = time.time()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futs = [pool.submit(run_one, binary, p, fmt, m, args.seconds, args.seed, args.wall)
                    for (_, p, m, _, fmt) in jobs]
            outs = [f.result() for f in futs]
        gaps, secs, above, equal = [], [], 0, 0
        failed = sum(o is None for o in outs)
        for (name, _, m, ref, _), o in zip(jobs, outs):
            if o is None:
                continue
            score, s = o
            gap = 0.0 if ref == 0 and score == 0 else (ref - score) / ref if ref else -1.0
            gaps.append(gap)
            secs.append(s)
            above += score > ref
            equal += score == ref
            results.append((key, name, m, ref, score, gap, s))
        n = len(gaps)
        print(f"{SETS[key][3]:<26} {n:>4} {100 * sum(gaps) / n:>10.2f} {100 * max(gaps):>9.2f} "
              f"{above:>5} {equal:>5} {sum(secs) / n:>7.2f} {sum(secs):>8.1f}"
              + (f"  ({failed} failed)" if failed else ""), flush=True)
        del t0
    if args.out:
        with open(args.out, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["set", "instance", "m", "ref", "score", "gap", "seconds"])
            w.writerows(results)


if __name__ == "__main__":
    main()
