#!/usr/bin/python3
"""Where the peak memory of one `qgis_process.bin run` lies: VmRSS sampled every 20 ms beside the
run's own output (progress percentages), printed as a short timeline.

    /usr/bin/python3 bench/qgis_inside_rss.py --plugin-dir BUILD/plugin/qgis-plugins -- \
        run veldwacht:kde -- INPUT=points_1000000.gpkg RADIUS=500 ... OUTPUT=out.tif
    /usr/bin/python3 bench/qgis_inside_rss.py -- run qgis:heatmapkerneldensityestimation -- ...

Without --plugin-dir the run gets a throw-away profile without the Veldwacht provider (QGIS's own
algorithms), as bench/qgis_inside.py does. Prints: the RSS after start-up (when the first
progress line appears), the peak, the time of the peak and what the run printed last before it,
and the RSS at every 10 % of progress.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_inside as qi  # noqa: E402  (make_env, QGIS)


def rss_kib(pid):
    """(VmRSS, RssAnon) in KiB, or None."""
    rss = None
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("RssAnon:") and rss is not None:
                    return rss, int(line.split()[1])
    except OSError:
        return None
    return None


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--plugin-dir", help="<build>/plugin/qgis-plugins: run with the provider")
    p.add_argument("--interval", type=float, default=0.02)
    p.add_argument("args", nargs=argparse.REMAINDER, help="-- and the qgis_process arguments")
    a = p.parse_args()
    args = a.args[1:] if a.args[:1] == ["--"] else a.args
    tmp = tempfile.mkdtemp(prefix="veldwacht-rss-")
    env = qi.make_env(tmp, os.path.abspath(a.plugin_dir) if a.plugin_dir else None)
    samples, lines = [], []  # (t, rss kib, anon kib), (t, text)
    t0 = time.perf_counter()
    proc = subprocess.Popen(["stdbuf", "-oL", qi.QGIS, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env, text=True, bufsize=1)

    def reader():
        for line in proc.stdout:
            lines.append((time.perf_counter() - t0, line.rstrip()))

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    while proc.poll() is None:
        k = rss_kib(proc.pid)
        if k is not None:
            samples.append((time.perf_counter() - t0, *k))
        time.sleep(a.interval)
    th.join()
    if proc.returncode != 0:
        print("\n".join(t for _, t in lines[-30:]))
        sys.exit(proc.returncode)
    if not samples:
        sys.exit("no samples")

    def last_line(t):
        before = [s for tt, s in lines if tt <= t and s.strip()]
        return before[-1][:70] if before else ""

    peak_t, peak, peak_anon = max(samples, key=lambda s: s[1])
    first = next((tt for tt, s in lines if "%" in s or "..." in s), None)
    at_start = max((k for t, k, _ in samples if first is not None and t <= first), default=0)
    print(f"samples {len(samples)}, run {samples[-1][0]:.2f} s")
    print(f"peak RSS {peak / 1024:.1f} MiB (anonymous {peak_anon / 1024:.1f}) at {peak_t:.2f} s, "
          f"after: {last_line(peak_t)!r}")
    if first is not None:
        print(f"RSS peak before the first progress line ({first:.2f} s): {at_start / 1024:.1f} MiB")
    # The RSS when each line was printed.
    for tt, s in lines:
        if s.strip() and len(s) < 80:
            _, k, anon = next((x for x in reversed(samples) if x[0] <= tt), (0, 0, 0))  # then
            print(f"  {tt:7.2f} s  {k / 1024:7.1f} MiB (anon {anon / 1024:6.1f})  {s[:50]}")


if __name__ == "__main__":
    main()
