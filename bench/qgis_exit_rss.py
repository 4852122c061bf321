#!/usr/bin/python3
"""Where the Veldwacht plugin's baseline memory inside qgis_process.bin is (issue 8).

    /usr/bin/python3 bench/qgis_exit_rss.py [--build build/rel] [--runs 2] [--work DIR]
                                            [--library SO] [--top 20]

The one-point runs of bench/qgis_startup.py (`veldwacht:kde` in the Veldwacht profile,
`qgis:heatmapkerneldensityestimation` in a profile without the plugin), each under gdb, stopped at
the exit_group system call: a one-point run's peak RSS is reached there (VmHWM = VmRSS), after
every library's destructors. Prints VmHWM per run, then the resident KiB per mapped file
(/proc/PID/smaps) where the two sides differ, and the plugin's own segments. `--library` points
the companion at another build of libveldwachtplugin.so (VELDWACHT_PLUGIN_LIBRARY).
"""
import collections
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_inside as qi  # noqa: E402  (make_env(): the throw-away profiles)
import qgis_startup as qs  # noqa: E402  (the one-point commands)

GDB_SCRIPT = """set pagination off
set auto-solib-add off
set startup-with-shell off
catch syscall exit_group
run
python import shutil; shutil.copy("/proc/%d/smaps" % gdb.selected_inferior().pid, "{out}")
kill
quit
"""


def smaps_at_exit(cmd, env, out):
    """Runs `cmd` under gdb; the smaps at exit_group as {(file, 'permissions @offset'): [rss, size]} KiB."""
    script = out + ".gdb"
    with open(script, "w") as f:
        f.write(GDB_SCRIPT.format(out=out))
    subprocess.run(["gdb", "-q", "-batch", "-x", script, "--args", *cmd], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    maps, key = collections.defaultdict(lambda: [0, 0]), None
    for line in open(out):
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            parts = line.split(None, 5)
            key = (parts[5].strip() if len(parts) > 5 else "[anon]", f"{parts[1]} @{parts[2]}")
        elif line.startswith("Rss:"):
            maps[key][0] += int(line.split()[1])
        elif line.startswith("Size:"):
            maps[key][1] += int(line.split()[1])
    return maps


def per_file(maps):
    files = collections.Counter()
    for (name, _), (rss, _) in maps.items():
        files[name] += rss
    return files


def main():
    p = qs.one_point_parser(__doc__, 2)
    p.add_argument("--library")
    p.add_argument("--top", type=int, default=20)
    a = p.parse_args()
    build = os.path.abspath(a.build)
    tmp, work, one = qs.one_point_layer(build, a.work, "veldwacht-qgis-exit-")
    ours_env = qi.make_env(f"{tmp}/ours", os.path.join(build, "plugin", "qgis-plugins"))
    if a.library:
        ours_env["VELDWACHT_PLUGIN_LIBRARY"] = os.path.abspath(a.library)
    sides = {"ours": (qs.kde, ours_env), "qgis": (qs.heatmap, qi.make_env(f"{tmp}/qgis"))}
    last = {}
    for i in range(a.runs):
        for side, (fn, env) in sides.items():
            out = f"{work}/{side}.tif"
            if os.path.exists(out):
                os.remove(out)
            last[side] = smaps_at_exit(fn(one, out), env, f"{work}/{side}_{i}.smaps")
            total = sum(rss for rss, _ in last[side].values())
            print(f"run {i + 1} {side:5s}: RSS at exit_group {total} KiB ({total / 1024:.1f} MiB)")
    ours, qgis = per_file(last["ours"]), per_file(last["qgis"])
    print(f"\nresident KiB at exit_group, last run: ours - qgis = "
          f"{sum(ours.values()) - sum(qgis.values()):+d}")
    names = sorted(set(ours) | set(qgis), key=lambda k: -abs(ours[k] - qgis[k]))
    for name in [n for n in names if ours[n] != qgis[n]][:a.top]:
        print(f"{ours[name] - qgis[name]:+7d} {qgis[name]:8d} {ours[name]:8d}  {name}")
    print("\nthe plugin's segments (resident / mapped KiB):")
    for (name, segment), (rss, size) in last["ours"].items():
        if name.endswith("libveldwachtplugin.so"):
            print(f"  {segment:18s} {rss:6d} / {size:6d}")


if __name__ == "__main__":
    main()
