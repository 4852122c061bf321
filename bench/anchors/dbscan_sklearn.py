#!/usr/bin/python3
"""Anchor for the DBSCAN benchmark: times scikit-learn's DBSCAN (single-threaded, n_jobs=1) on
exactly the points of bench/clustering_bench.cpp and prints the ratio to Veldwacht's time.

usage: dbscan_sklearn.py BENCH_BINARY [N ...]      (default N: 100000 1000000)

The bench binary writes the seeded points (--dump) and runs BM_Dbscan for the same N with
1 thread and with all threads; the labels of both implementations are compared too.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import DBSCAN

EPS, MIN_PTS = 50.0, 10  # bench::kBenchEps, bench::kBenchMinPts


def veldwacht_ms(binary, n, threads):
    out = subprocess.run(
        [binary, f"--benchmark_filter=BM_Dbscan/n:{n}/threads:{threads}/",
         "--benchmark_format=json", "--benchmark_min_time=1"],
        check=True, capture_output=True, text=True).stdout
    runs = json.loads(out)["benchmarks"]
    return runs[0]["real_time"], runs[0]["cpu_time"], int(runs[0]["clusters"])


def main():
    binary = sys.argv[1]
    sizes = [int(a) for a in sys.argv[2:]] or [100000, 1000000]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "points.bin")
            subprocess.run([binary, "--dump", path, str(n)], check=True, capture_output=True)
            X = np.fromfile(path, dtype="<f8").reshape(-1, 2)
        best_wall = best_cpu = float("inf")
        for _ in range(3 if n <= 200000 else 1):
            w0, c0 = time.perf_counter(), time.process_time()
            model = DBSCAN(eps=EPS, min_samples=MIN_PTS, n_jobs=1).fit(X)
            best_wall = min(best_wall, time.perf_counter() - w0)
            best_cpu = min(best_cpu, time.process_time() - c0)
        sk_wall, sk_cpu = best_wall * 1000.0, best_cpu * 1000.0
        sk_clusters = int(model.labels_.max()) + 1
        one_wall, one_cpu, clusters = veldwacht_ms(binary, n, 1)
        all_wall, _, _ = veldwacht_ms(binary, n, 0)
        # On a shared machine wall time is noisy; single-threaded CPU time is the fair measure.
        print(f"n={n}: scikit-learn {sk_wall:.0f} ms wall / {sk_cpu:.0f} ms CPU "
              f"({sk_clusters} clusters); veldwacht 1 thread {one_wall:.0f} ms wall / "
              f"{one_cpu:.0f} ms CPU ({clusters} clusters), all threads {all_wall:.0f} ms wall")
        print(f"  speed-up single-threaded: {sk_cpu / one_cpu:.1f}x (CPU), "
              f"{sk_wall / one_wall:.1f}x (wall); all threads vs scikit-learn: "
              f"{sk_wall / all_wall:.1f}x (wall)")
        if clusters != sk_clusters:
            print("  WARNING: cluster counts differ")


if __name__ == "__main__":
    main()
