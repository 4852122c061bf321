#!/usr/bin/python3
"""Writes plugin/symbol-order.txt: the functions of libveldwachtplugin.so a qgis_process run calls.

    /usr/bin/python3 scripts/symbol_order.py [--build build/rel] [--work DIR] [--out FILE]
                                             [--profile CALLGRIND_OUT]

Runs the one-point `veldwacht:kde` of bench/qgis_startup.py (qgis_process.bin loads the Python
companion, which loads the .so and registers the provider; the algorithm runs on one point; the
process exits) under `valgrind --tool=callgrind`, and lists every function of the .so that ran, as
its mangled symbol name, in the order callgrind first reports them. The plugin's link
(plugin/CMakeLists.txt, lld) places these functions first and together: the run then touches a few
hundred KiB of the module's code instead of pages spread over all of it, and qgis_process holds
less of it (docs/benchmarks.md, "Session 16: the plugin's code pages").

Regenerate it when the load, registration or exit paths change much (build the plugin, run this,
commit the list, relink). A stale list is harmless: names that no longer exist are skipped
(--no-warn-symbol-ordering), functions missing from it are placed after the listed ones as
before. Takes a few minutes of CPU (QGIS's start-up under valgrind).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
import qgis_inside as qi  # noqa: E402  (make_env(): the throw-away profile)
import qgis_startup as qs  # noqa: E402  (the one-point layer and command)

LIBRARY = "libveldwachtplugin.so"
HEADER = """\
# The functions of libveldwachtplugin.so that a one-point `qgis_process run veldwacht:kde` calls
# (loading, provider registration, the run, exit), as lld's --symbol-ordering-file reads them.
# Written by scripts/symbol_order.py from a run under callgrind; do not edit by hand.
"""


def defined_symbols(library):
    """The names of the functions and objects `library` defines (nm)."""
    out = subprocess.run(["nm", "--defined-only", library], check=True, capture_output=True,
                         text=True).stdout
    return {p[2] for p in (line.split() for line in out.splitlines()) if len(p) == 3}


def callgrind_functions(path, defined):
    """The mangled names of the plugin's functions in a callgrind profile, first seen first.

    Code run while the .so is being loaded (its static initialisers) callgrind files under the
    unknown object "???": those names count when the .so defines them."""
    names, seen, take = [], set(), False
    for line in open(path, errors="replace"):
        if line.startswith("ob="):
            ob = line[3:].rstrip("\n")
            take = ob.endswith("/" + LIBRARY) or ob == "???"
            unknown = ob == "???"
        elif line.startswith("fn=") and take:
            # "fn=<name>" (--compress-strings=no); callgrind marks recursion levels with 'N.
            name = re.sub(r"'\d+$", "", line[3:].strip())
            if unknown and name not in defined:
                continue
            if name and not name.startswith("0x") and name not in seen:
                seen.add(name)
                names.append(name)
    return names


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--build", default=os.path.join(ROOT, "build", "rel"))
    p.add_argument("--work")
    p.add_argument("--out", default=os.path.join(ROOT, "plugin", "symbol-order.txt"))
    p.add_argument("--profile", help="read this callgrind profile of the run instead of running")
    a = p.parse_args()
    build = os.path.abspath(a.build)
    plugin_dir = os.path.join(build, "plugin", "qgis-plugins")
    library = os.path.join(plugin_dir, LIBRARY)
    if not os.path.exists(library):
        sys.exit(f"{library} is missing: build the veldwacht_plugin target first")
    profile = a.profile
    if profile:
        names = callgrind_functions(profile, defined_symbols(library))
    else:
        tmp, work, one = qs.one_point_layer(build, a.work, "veldwacht-symbol-order-")
        try:
            env = qi.make_env(f"{tmp}/ours", plugin_dir)
            profile = f"{work}/callgrind.out"
            out = f"{work}/ours.tif"
            for f in (profile, out):
                if os.path.exists(f):
                    os.remove(f)
            subprocess.run(["valgrind", "--tool=callgrind", "--demangle=no",
                            "--compress-strings=no", "--dump-instr=no",
                            f"--callgrind-out-file={profile}", *qs.kde(one, out)], env=env,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if not os.path.exists(out):
                sys.exit("the run under callgrind wrote no raster")
            # Read before the temporary folder (which holds the profile unless --work) goes.
            names = callgrind_functions(profile, defined_symbols(library))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if not names:
        sys.exit(f"callgrind saw no function of {LIBRARY}")
    with open(a.out, "w") as f:
        f.write(HEADER)
        f.write("".join(n + "\n" for n in names))
    print(f"{a.out}: {len(names)} functions")


if __name__ == "__main__":
    main()
