#!/usr/bin/python3
"""The store that `veldwacht demo` writes opens in plain QGIS (PyQGIS, no Veldwacht plugin) with
every layer: valid, EPSG:28992, the store's own row count, and the default style that the store
embeds in `layer_styles` applied on open; the registered GeoTIFF results open with their sidecar
QML. The file itself passes SQLite's integrity and foreign-key checks and GDAL's GeoPackage
validator (osgeo_utils/samples/validate_gpkg.py, when installed).

    /usr/bin/python3 tests/qgis/test_store_in_qgis.py --veldwacht build/cli/veldwacht
    (add --demo-dir DIR to check a folder an earlier `veldwacht demo DIR` wrote: a Debug build
    under load can take longer than the 600 s the demo is given here)

Exit 77 (ctest SKIP_RETURN_CODE) when this interpreter has no qgis module."""

import os
import shutil
import sqlite3
import subprocess
import sys
import time
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "styles"))
import qgis_env  # noqa: E402  (temp HOME/XDG_RUNTIME_DIR, offscreen, exit 77 without PyQGIS)

from qgis.core import (  # noqa: E402
    QgsProviderRegistry,
    QgsRasterLayer,
    QgsRenderContext,
    QgsVectorLayer,
)

VELDWACHT = None  # set from --veldwacht in __main__
DEMO_DIR = None  # --demo-dir: check a folder `veldwacht demo` already wrote (slow machines)
STYLES = qgis_env.STYLES
# QGIS lists every table of gpkg_contents as a layer except its own style table.
QGIS_HIDDEN = {"layer_styles"}


def sql_rows(db, query, args=()):
    con = sqlite3.connect("file:{}?mode=ro".format(db), uri=True)
    try:
        return con.execute(query, args).fetchall()
    finally:
        con.close()


def qml_summary(qml_text):
    """What a QML says the renderer must look like: type, class attribute, number of
    categories / ranges / rules, the single symbol's layer class and properties, labels on or
    off; for a raster the renderer type and the colour-ramp colours."""
    root = ET.fromstring(qml_text)
    s = {"labels": root.get("labelsEnabled", "0") == "1"}
    r = root.find("renderer-v2")
    if r is not None:
        s["type"] = r.get("type")
        s["attr"] = r.get("attr")
        if s["type"] == "categorizedSymbol":
            s["classes"] = len(r.findall("categories/category"))
        elif s["type"] == "graduatedSymbol":
            s["classes"] = len(r.findall("ranges/range"))
        elif s["type"] == "RuleRenderer":
            s["classes"] = len(r.findall(".//rule"))
        elif s["type"] == "singleSymbol":
            layer = r.find("symbols/symbol/layer")
            s["symbol_layer"] = (layer.get("class"),
                                 {o.get("name"): o.get("value")
                                  for o in layer.findall("Option/Option")} or
                                 {p.get("k"): p.get("v") for p in layer.findall("prop")})
        return s
    rr = root.find("pipe/rasterrenderer")
    if rr is not None:
        s["type"] = rr.get("type")
        s["ramp"] = [i.get("color").lower() for i in rr.findall(".//colorrampshader/item")]
    return s


def style_mismatches(layer, want):
    """How the layer's renderer and labelling differ from the QML summary `want` ([] = same)."""
    renderer = layer.renderer()
    diffs = []

    def check(what, have, expected):
        if have != expected:
            diffs.append("{}: {!r} != {!r}".format(what, have, expected))

    check("renderer", renderer.type(), want["type"])
    check("labels", layer.labelsEnabled(), want["labels"])
    if diffs:
        return diffs
    if want["type"] == "categorizedSymbol":
        check("attribute", renderer.classAttribute(), want["attr"])
        check("categories", len(renderer.categories()), want["classes"])
    elif want["type"] == "graduatedSymbol":
        check("attribute", renderer.classAttribute(), want["attr"])
        check("ranges", len(renderer.ranges()), want["classes"])
    elif want["type"] == "RuleRenderer":  # every rule below the root
        check("rules", len(renderer.rootRule().descendants()), want["classes"])
    elif want["type"] == "singleSymbol":
        # QGIS's own default is a single symbol too, in a random colour: compare the symbol
        # layer's class and every property the QML sets.
        sl = renderer.symbols(QgsRenderContext())[0].symbolLayer(0)
        cls, props = want["symbol_layer"]
        check("symbol layer", sl.layerType(), cls)
        have = sl.properties()
        check("symbol properties", {k: have.get(k) for k in props}, props)
    return diffs


class DemoStoreInQgis(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        qgis_env.start()
        cls.dir = os.path.join(qgis_env.tmpdir(), "demo")
        if DEMO_DIR:
            shutil.copytree(DEMO_DIR, cls.dir)
            cls.demo = subprocess.CompletedProcess([], 0, "", "")
        else:
            t = time.time()
            cls.demo = subprocess.run([VELDWACHT, "demo", cls.dir], capture_output=True,
                                      text=True, timeout=600)
            print("veldwacht demo took {:.1f} s".format(time.time() - t))
        cls.gpkg = os.path.join(cls.dir, "eemsdelta.gpkg")
        cls.contents = {}
        if cls.demo.returncode == 0:
            cls.contents = dict(sql_rows(cls.gpkg,
                                         "SELECT table_name, data_type FROM gpkg_contents"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir, ignore_errors=True)

    def setUp(self):
        self.assertEqual(self.demo.returncode, 0, self.demo.stdout + self.demo.stderr)

    def count(self, table):
        quoted = '"{}"'.format(table.replace('"', '""'))
        return sql_rows(self.gpkg, "SELECT COUNT(*) FROM " + quoted)[0][0]

    def default_style(self, table):
        rows = sql_rows(self.gpkg, "SELECT styleQML FROM layer_styles WHERE f_table_name = ? "
                        "AND useAsDefault", (table,))
        self.assertLessEqual(len(rows), 1, "more than one default style for " + table)
        return rows[0][0] if rows else None

    def registered(self):
        return sql_rows(self.gpkg, "SELECT laag, bestand, stijl FROM veldwacht_resultaten")

    # ------------------------------------------------------------------ the file
    def test_sqlite_integrity_and_foreign_keys(self):
        self.assertEqual(sql_rows(self.gpkg, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(sql_rows(self.gpkg, "PRAGMA foreign_key_check"), [])

    def test_gdal_geopackage_validator(self):
        try:
            from osgeo_utils.samples import validate_gpkg
        except ImportError:
            self.skipTest("osgeo_utils.samples.validate_gpkg not installed")
        # The validator opens the file with sqlite3 itself; all errors, not only the first.
        errors = validate_gpkg.check(self.gpkg, abort_at_first_error=False, warning_msg=False)
        self.assertEqual(errors, [], "\n".join(str(e) for e in errors))

    def test_demo_wrote_schema_layers_and_results(self):
        # The point of the test is "every layer": make sure there are many to check.
        for name in ("signalen", "panden", "gemeenten", "wegvakken", "veldwacht_resultaten"):
            self.assertIn(name, self.contents)
        results = [laag for laag, bestand, _ in self.registered() if not bestand]
        rasters = [bestand for _, bestand, _ in self.registered() if bestand]
        self.assertGreaterEqual(len(results), 10)
        self.assertGreaterEqual(len(rasters), 2)

    # ------------------------------------------------------------------ layers in QGIS
    def test_qgis_lists_every_table_of_the_store(self):
        listed = {d.name() for d in QgsProviderRegistry.instance().querySublayers(self.gpkg)}
        self.assertEqual(listed, set(self.contents) - QGIS_HIDDEN)

    def test_every_layer_is_valid_with_the_stores_row_count_and_crs(self):
        for name, data_type in sorted(self.contents.items()):
            with self.subTest(layer=name):
                layer = QgsVectorLayer("{}|layername={}".format(self.gpkg, name), name, "ogr")
                self.assertTrue(layer.isValid())
                self.assertEqual(layer.featureCount(), self.count(name))
                self.assertEqual(sum(1 for _ in layer.getFeatures()), self.count(name))
                if data_type == "features":
                    self.assertTrue(layer.isSpatial())
                    self.assertEqual(layer.crs().authid(), "EPSG:28992")
                else:
                    self.assertFalse(layer.isSpatial())

    def test_every_styled_layer_opens_with_its_default_style_from_layer_styles(self):
        styled = 0
        for name, data_type in sorted(self.contents.items()):
            if data_type != "features":
                continue
            qml = self.default_style(name)
            with self.subTest(layer=name):
                self.assertIsNotNone(qml, "no default style in layer_styles")
                layer = QgsVectorLayer("{}|layername={}".format(self.gpkg, name), name, "ogr")
                self.assertTrue(layer.isValid())
                self.assertEqual(style_mismatches(layer, qml_summary(qml)), [])
                styled += 1
        self.assertGreaterEqual(styled, 20)

    def test_control_without_layer_styles_every_layer_gets_qgis_defaults(self):
        """The check above can fail: in a copy of the store without layer_styles, QGIS falls
        back to its own default (a single symbol in a random colour) and every layer differs."""
        copy = os.path.join(self.dir, "zonder_stijlen.gpkg")
        shutil.copy(self.gpkg, copy)
        con = sqlite3.connect(copy)
        wanted = {n: qml_summary(q) for n, q in
                  con.execute("SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault")}
        con.execute("DELETE FROM layer_styles")
        con.commit()
        con.close()
        self.assertGreaterEqual(len(wanted), 20)
        for name, want in sorted(wanted.items()):
            with self.subTest(layer=name):
                layer = QgsVectorLayer("{}|layername={}".format(copy, name), name, "ogr")
                self.assertTrue(layer.isValid())
                self.assertNotEqual(style_mismatches(layer, want), [])

    def test_default_styles_are_the_repositorys_qml(self):
        """layer_styles holds styles/layers/<layer>.qml for schema layers and
        styles/results/<stijl>.qml for the registered results, not some other style."""
        expected = {}
        for name in self.contents:
            path = os.path.join(STYLES, "layers", name + ".qml")
            if os.path.exists(path):
                expected[name] = path
        for laag, bestand, stijl in self.registered():
            if not bestand and stijl:
                expected[laag] = os.path.join(STYLES, "results", stijl + ".qml")
        self.assertGreaterEqual(len(expected), 20)
        for name, path in sorted(expected.items()):
            with self.subTest(layer=name):
                stored = self.default_style(name)
                self.assertIsNotNone(stored)
                with open(path, encoding="utf-8") as f:
                    self.assertEqual(qml_summary(stored), qml_summary(f.read()))

    def test_public_layers_open_with_their_public_style(self):
        """The demo's public layer set (layers/privacy): both openbaar_* layers, classified
        openbaar, registered with the public styles and drawn by them in QGIS."""
        styles = {laag: stijl for laag, _, stijl in self.registered()}
        classified = dict(sql_rows(self.gpkg, "SELECT laag, klasse FROM veldwacht_classificatie"))
        for name, style, rtype in (("openbaar_signalen_per_gebied", "openbaar_per_gebied",
                                    "RuleRenderer"),
                                   ("openbaar_signalen_gemaskeerd", "openbaar_gemaskeerd",
                                    "categorizedSymbol")):
            with self.subTest(layer=name):
                self.assertIn(name, self.contents)
                self.assertEqual(styles.get(name), style)
                self.assertEqual(classified.get(name), "openbaar")
                layer = QgsVectorLayer("{}|layername={}".format(self.gpkg, name), name, "ogr")
                self.assertTrue(layer.isValid())
                self.assertEqual(layer.renderer().type(), rtype)
                if rtype == "RuleRenderer":
                    labels = [r.label() for r in layer.renderer().rootRule().children()]
                    self.assertTrue(any(lab.startswith("Niet getoond") for lab in labels), labels)

    def test_registered_rasters_open_with_their_sidecar_style(self):
        rasters = [(bestand, stijl) for _, bestand, stijl in self.registered() if bestand]
        for bestand, stijl in rasters:
            with self.subTest(raster=bestand):
                path = os.path.join(self.dir, bestand)
                sidecar = os.path.splitext(path)[0] + ".qml"
                self.assertTrue(os.path.exists(sidecar))
                with open(sidecar, encoding="utf-8") as f:
                    want = qml_summary(f.read())
                self.assertEqual(want["type"], "singlebandpseudocolor")
                layer = QgsRasterLayer(path, bestand)
                self.assertTrue(layer.isValid())
                self.assertEqual(layer.crs().authid(), "EPSG:28992")
                self.assertEqual(layer.renderer().type(), "singlebandpseudocolor")
                items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
                self.assertEqual([i.color.name() for i in items], want["ramp"])

    def test_control_a_raster_without_its_sidecar_is_not_pseudocolour(self):
        bestand = [b for _, b, _ in self.registered() if b][0]
        copy = os.path.join(self.dir, "zonder_qml.tif")
        shutil.copy(os.path.join(self.dir, bestand), copy)
        layer = QgsRasterLayer(copy, "zonder_qml")
        self.assertTrue(layer.isValid())
        self.assertNotEqual(layer.renderer().type(), "singlebandpseudocolor")


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--veldwacht" in args:
        i = args.index("--veldwacht")
        VELDWACHT = args[i + 1]
        del args[i:i + 2]
    if "--demo-dir" in args:
        i = args.index("--demo-dir")
        DEMO_DIR = args[i + 1]
        del args[i:i + 2]
    if not VELDWACHT or not os.access(VELDWACHT, os.X_OK):
        print("usage: test_store_in_qgis.py --veldwacht PATH/TO/veldwacht")
        sys.exit(2)
    result = unittest.main(argv=[sys.argv[0]] + args, exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
