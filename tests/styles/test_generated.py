#!/usr/bin/python3
"""The committed QML/QPT files are exactly what styles/tools/build_styles.py and build_layout.py
write: nobody edited a generated file by hand, nobody changed a generator without regenerating.
Only meaningful on the QGIS release that wrote them (the files carry its version); skipped (77)
on another one."""

import filecmp
import glob
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_env  # noqa: E402

from qgis.core import Qgis  # noqa: E402

TOOLS = os.path.join(qgis_env.STYLES, "tools")


def committed_version():
    with open(os.path.join(qgis_env.STYLES, "layers", "signalen.qml"), encoding="utf-8") as f:
        m = re.search(r'version="([^"]+)"', f.read(2000))
    return m.group(1) if m else None


class Generated(unittest.TestCase):
    def test_committed_files_equal_a_fresh_generation(self):
        out = os.path.join(qgis_env.tmpdir(), "regenerated")
        for script in ("build_styles.py", "build_layout.py", "build_plan_styles.py",
                       "build_network_styles.py"):
            run = subprocess.run([sys.executable, os.path.join(TOOLS, script), "--out", out],
                                 capture_output=True, text=True, env=dict(os.environ),
                                 timeout=300)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        committed = sorted(os.path.relpath(p, qgis_env.STYLES) for ext in ("qml", "qpt")
                           for p in glob.glob(os.path.join(qgis_env.STYLES, "*", "*." + ext)))
        fresh = sorted(os.path.relpath(p, out) for ext in ("qml", "qpt")
                       for p in glob.glob(os.path.join(out, "*", "*." + ext)))
        self.assertEqual(committed, fresh)
        _, mismatch, errors = filecmp.cmpfiles(qgis_env.STYLES, out, committed, shallow=False)
        self.assertEqual(mismatch + errors, [], "regenerate: styles/tools/build_*.py")


if __name__ == "__main__":
    if committed_version() != Qgis.QGIS_VERSION:
        print("SKIP: styles were written by QGIS {}, this is {}".format(committed_version(),
                                                                        Qgis.QGIS_VERSION))
        sys.exit(qgis_env.SKIP)
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
