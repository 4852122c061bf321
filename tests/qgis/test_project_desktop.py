#!/usr/bin/python3
"""The sample project opens in the real QGIS desktop (qgis.bin under xvfb-run) with no dialog in
the way, offline: `veldwacht demo` builds the store, sample-data/project/make_project.py builds
the project from it, and desktop_open_project.py (run by QGIS via --code) opens it, records every
modal dialog, takes a screenshot and quits. The same project built with --with-basemap is the
control: offline its PDOK layer must bring up QGIS's "Handle Unavailable Layers" dialog, which
shows that the check sees a blocking dialog when there is one. A third run drops
sample-data/project/pdok_achtergrondkaart.qlr onto the opened project, as a user adding the
basemap does.

    /usr/bin/python3 tests/qgis/test_project_desktop.py --veldwacht build/cli/veldwacht \
        [--screenshot-dir DIR]

Screenshots: DIR/qgis_desktop_project.png (default project), DIR/qgis_desktop_with_basemap*.png,
DIR/qgis_desktop_drop_qlr.png.
Exit 77 (ctest SKIP_RETURN_CODE) without PyQGIS, qgis.bin or xvfb-run."""

import json
import os
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "styles"))
import qgis_env  # noqa: E402  (temp HOME/XDG_RUNTIME_DIR, exit 77 without PyQGIS)

HERE = os.path.dirname(os.path.abspath(__file__))
MAKE_PROJECT = os.path.join(qgis_env.REPO, "sample-data", "project", "make_project.py")
QLR = os.path.join(qgis_env.REPO, "sample-data", "project", "pdok_achtergrondkaart.qlr")
GUI_SCRIPT = os.path.join(HERE, "desktop_open_project.py")
QGIS_BIN = shutil.which("qgis.bin") or "/usr/bin/qgis.bin"
XVFB_RUN = shutil.which("xvfb-run")
VELDWACHT = None
SHOT_DIR = os.getcwd()


def open_in_desktop(project, name, drop=None, timeout=180):
    """Runs QGIS desktop on `project` (then drops the file `drop` onto it); returns (what the
    in-QGIS script saw, seconds)."""
    root = os.path.join(qgis_env.tmpdir(), "desktop-" + name)
    os.makedirs(root, exist_ok=True)
    result = os.path.join(root, "result.json")
    env = dict(os.environ, VW_PROJECT=project, VW_RESULT=result,
               VW_SHOT=os.path.join(SHOT_DIR, name + ".png"),
               VW_SHOT_DIALOG=os.path.join(SHOT_DIR, name + "_dialog.png"))
    if drop:
        env["VW_DROP"] = drop
    env.pop("QT_QPA_PLATFORM", None)  # the real xcb platform on Xvfb
    t = time.time()
    run = subprocess.run([XVFB_RUN, "-a", "-s", "-screen 0 1600x1000x24", QGIS_BIN,
                          "--profiles-path", os.path.join(root, "profiles"), "--nologo",
                          "--noversioncheck", "--code", GUI_SCRIPT],
                         capture_output=True, text=True, env=env, timeout=timeout)
    seconds = time.time() - t
    if not os.path.exists(result):
        raise AssertionError("QGIS wrote no result (rc {}):\n{}{}".format(
            run.returncode, run.stdout[-3000:], run.stderr[-3000:]))
    with open(result, encoding="utf-8") as f:
        return json.load(f), seconds


def make_project(store, out, *extra):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, MAKE_PROJECT, "--store", store, "--out", out,
                          "--no-export"] + list(extra),
                         capture_output=True, text=True, env=env, timeout=300)
    if run.returncode != 0:
        raise AssertionError(run.stdout + run.stderr)


class SampleProjectInQgisDesktop(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        qgis_env.start()
        cls.dir = os.path.join(qgis_env.tmpdir(), "demo")
        demo = subprocess.run([VELDWACHT, "demo", cls.dir], capture_output=True, text=True,
                              timeout=600)
        if demo.returncode != 0:
            raise AssertionError(demo.stdout + demo.stderr)
        store = os.path.join(cls.dir, "eemsdelta.gpkg")
        cls.project = os.path.join(cls.dir, "project", "eemsdelta.qgz")
        cls.with_basemap = os.path.join(cls.dir, "project-basemap", "eemsdelta.qgz")
        make_project(store, cls.project)
        make_project(store, cls.with_basemap, "--with-basemap")
        cls.plain, t1 = open_in_desktop(cls.project, "qgis_desktop_project")
        cls.control, t2 = open_in_desktop(cls.with_basemap, "qgis_desktop_with_basemap")
        cls.dropped, t3 = open_in_desktop(cls.project, "qgis_desktop_drop_qlr", drop=QLR)
        print("QGIS desktop runs: {:.1f} s, {:.1f} s, {:.1f} s; screenshot {}".format(
            t1, t2, t3, os.path.join(SHOT_DIR, "qgis_desktop_project.png")))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def test_default_project_opens_without_any_dialog(self):
        self.assertEqual(self.plain["errors"], [])
        self.assertEqual(self.plain["dialogs"], [])
        self.assertTrue(self.plain["loaded"])

    def test_default_project_has_every_layer_valid_and_local(self):
        self.assertEqual(self.plain["invalid"], [])
        self.assertEqual(self.plain["providers"], ["gdal", "ogr"])
        self.assertGreaterEqual(self.plain["layers"], 25)  # 12 store layers + results
        self.assertEqual(self.plain["crs"], "EPSG:28992")
        self.assertEqual(self.plain["layouts"], ["Kennissessie A4"])

    def test_one_hull_layer_is_on_the_first_the_demo_registered(self):
        import sqlite3
        con = sqlite3.connect(os.path.join(self.dir, "eemsdelta.gpkg"))
        hulls = [r[0] for r in con.execute(
            "SELECT laag FROM veldwacht_resultaten WHERE stijl = 'clusters_hulls' ORDER BY rowid")]
        con.close()
        self.assertGreater(len(hulls), 1)  # else this test proves nothing
        self.assertEqual(self.plain["checked_results"], hulls[:1])

    def test_desktop_shows_the_municipality_not_an_empty_map(self):
        self.assertGreater(self.plain["canvas_layers"], 0)
        xmin, ymin, xmax, ymax = self.plain["canvas_extent"]
        # Eemsdelta lies around x 235-270 km, y 583-607 km (RD New)
        self.assertTrue(200000 < xmin < xmax < 300000 and 550000 < ymin < ymax < 650000,
                        self.plain["canvas_extent"])
        from qgis.PyQt.QtGui import QImage
        img = QImage(os.path.join(SHOT_DIR, "qgis_desktop_project.png"))
        self.assertEqual((img.width(), img.height()), (1600, 1000))
        # The map is drawn: many distinct colours in the middle of the screen.
        colours = {img.pixel(x, y) for x in range(600, 1400, 7) for y in range(300, 800, 7)}
        self.assertGreater(len(colours), 50)

    def test_dropping_the_basemap_qlr_adds_pdok_under_the_data_without_a_dialog(self):
        self.assertEqual(self.dropped["errors"], [])
        self.assertEqual(self.dropped["dialogs"], [])  # even offline
        self.assertEqual(self.dropped["layers"], self.plain["layers"] + 1)
        bottom = self.dropped["tree"][-1]  # last in the tree = drawn first, under the data
        self.assertEqual(bottom.get("provider"), "wms")
        self.assertTrue(bottom["checked"])
        self.assertEqual(bottom["crs"], "EPSG:28992")
        for part in ("service.pdok.nl/brt/achtergrondkaart/wmts/v2_0", "layers=grijs",
                     "tileMatrixSet=EPSG:28992", "format=image/png"):
            self.assertIn(part, bottom["source"])
        self.assertEqual(self.dropped["tree"][:-1], self.plain["tree"])

    def test_control_with_offline_basemap_is_seen_blocking(self):
        """Proves the check can fail: --with-basemap, offline, asks about the PDOK layer."""
        classes = [d["class"] for d in self.control["dialogs"]]
        self.assertIn("QgsHandleBadLayers", classes)
        self.assertEqual(self.control["invalid"], ["BRT-Achtergrondkaart grijs (PDOK, online)"])


if __name__ == "__main__":
    args = sys.argv[1:]
    for flag in ("--veldwacht", "--screenshot-dir"):
        if flag in args:
            i = args.index(flag)
            if flag == "--veldwacht":
                VELDWACHT = args[i + 1]
            else:
                SHOT_DIR = os.path.abspath(args[i + 1])
            del args[i:i + 2]
    if not VELDWACHT or not os.access(VELDWACHT, os.X_OK):
        print("usage: test_project_desktop.py --veldwacht PATH/TO/veldwacht [--screenshot-dir D]")
        sys.exit(2)
    if not XVFB_RUN or not os.access(QGIS_BIN, os.X_OK):
        print("SKIP: needs xvfb-run and qgis.bin (QGIS desktop)")
        sys.exit(qgis_env.SKIP)
    os.makedirs(SHOT_DIR, exist_ok=True)
    result = unittest.main(argv=[sys.argv[0]] + args, exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
