#!/usr/bin/python3
"""sample-data/project/make_project.py on a stand-in store: the project it writes opens in QGIS
with every layer styled and grouped, relative paths (it still opens after moving the folder),
project CRS EPSG:28992, no online layer unless --with-basemap (then the PDOK basemap, unchecked
and harmless offline), the shipped basemap layer definition (.qlr), the print layout, and
non-empty PDF/PNG exports."""

import os
import shutil
import subprocess
import sys
import time
import unittest
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_env  # noqa: E402
import standin_store  # noqa: E402

from qgis.core import (  # noqa: E402
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsVectorLayerTemporalContext,
    QgsVectorLayerTemporalProperties,
    QgsLayerDefinition,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime  # noqa: E402
from qgis.PyQt.QtGui import QImage  # noqa: E402

SCRIPT = os.path.join(qgis_env.REPO, "sample-data", "project", "make_project.py")
QLR = os.path.join(qgis_env.REPO, "sample-data", "project", "pdok_achtergrondkaart.qlr")
BRT_PARTS = ("service.pdok.nl/brt/achtergrondkaart/wmts/v2_0", "layers=grijs",
             "tileMatrixSet=EPSG:28992", "format=image/png", "crs=EPSG:28992")
GROUPS = ["Signalen", "Analyses", "Partners", "Bedrijventerreinen", "Panden & VAB", "Context"]


def qml_renderer_type(path):
    root = ET.parse(path).getroot()
    node = root.find("renderer-v2")
    return node.get("type") if node is not None else root.find("pipe/rasterrenderer").get("type")


def layername(layer):
    src = layer.source()
    return src.split("layername=")[1].split("|")[0] if "layername=" in src else None


class MakeProject(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        qgis_env.start()
        cls.root = os.path.join(qgis_env.tmpdir(), "proj-test")
        data = os.path.join(cls.root, "data")
        cls.store, cls.results, cls.rasters = standin_store.build_all(data)
        cls.out = os.path.join(cls.root, "project", "eemsdelta.qgz")
        cls.png = os.path.join(cls.root, "check.png")
        cls.pdf = os.path.join(cls.root, "check.pdf")
        t = time.time()
        cls.proc = subprocess.run(
            [sys.executable, SCRIPT, "--store", cls.store, "--out", cls.out,
             "--results", cls.results, "--raster", cls.rasters[0], "--raster", cls.rasters[1],
             "--show", "clusters_hulls,hotspots_gi", "--png", cls.png, "--pdf", cls.pdf],
            capture_output=True, text=True, env=dict(os.environ), timeout=300)
        cls.seconds = time.time() - t
        print("make_project.py took {:.2f} s".format(cls.seconds))

        cls.project = QgsProject.instance()
        cls.read_ok = cls.proc.returncode == 0 and cls.project.read(cls.out)

    @classmethod
    def tearDownClass(cls):
        QgsProject.instance().clear()

    def setUp(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stdout + self.proc.stderr)
        self.assertTrue(self.read_ok)

    def test_groups_in_order_and_project_crs(self):
        self.assertEqual(self.project.crs().authid(), "EPSG:28992")
        names = [n.name() for n in self.project.layerTreeRoot().children()
                 if isinstance(n, QgsLayerTreeGroup)]
        self.assertEqual(names, GROUPS)

    def test_every_store_layer_is_valid_and_styled_from_its_qml(self):
        found = set()
        for layer in self.project.mapLayers().values():
            name = layername(layer)
            if name is None or not layer.source().startswith(self.store):
                continue
            found.add(name)
            with self.subTest(layer=name):
                self.assertTrue(layer.isValid())
                qml = os.path.join(qgis_env.STYLES, "layers", name + ".qml")
                self.assertEqual(layer.renderer().type(), qml_renderer_type(qml))
        for group, members in (("Signalen", {"signalen"}), ("Panden & VAB",
                               {"panden", "verblijfsobjecten", "vab"})):
            node = self.project.layerTreeRoot().findGroup(group)
            self.assertEqual({layername(n.layer()) for n in node.findLayers()}, members)
        self.assertEqual(len(found), 13)

    def test_result_layers_get_the_style_of_their_kind(self):
        analyses = self.project.layerTreeRoot().findGroup("Analyses")
        kinds = {}
        for node in analyses.findLayers():
            layer = node.layer()
            key = layername(layer) or os.path.splitext(os.path.basename(layer.source()))[0]
            kinds[key] = layer
        self.assertEqual(set(kinds), set(standin_store.RESULT_LAYERS) |
                         {"density", "dual_density"})
        for key, layer in kinds.items():
            with self.subTest(result=key):
                qml = os.path.join(qgis_env.STYLES, "results", key + ".qml")
                self.assertEqual(layer.renderer().type(), qml_renderer_type(qml))

    def test_only_the_results_asked_for_are_checked(self):
        analyses = self.project.layerTreeRoot().findGroup("Analyses")
        checked = {layername(n.layer()) or os.path.basename(n.layer().source())
                   for n in analyses.findLayers() if n.itemVisibilityChecked()}
        self.assertEqual(checked, {"clusters_hulls", "hotspots_gi"})

    def test_layout_legend_lists_visible_layers_without_context_clutter(self):
        legend = self.project.layoutManager().layoutByName("Kennissessie A4").itemById("legenda")
        in_legend = {layername(n.layer()) or n.layer().name()
                     for n in legend.model().rootGroup().findLayers()}
        visible = {layername(n.layer()) or n.layer().name()
                   for n in self.project.layerTreeRoot().findLayers() if n.isVisible()}
        self.assertTrue(in_legend <= visible)
        self.assertIn("signalen", in_legend)
        self.assertIn("hotspots_gi", in_legend)
        for absent in ("wegvakken", "wijken", "partners"):  # context / hidden personal data
            self.assertNotIn(absent, in_legend)
        self.assertTrue(legend.legendFilterByMapEnabled())

    def test_density_is_pinned_to_the_raster_range_and_dual_density_stays_absolute(self):
        seen = set()
        for layer in self.project.mapLayers().values():
            if not isinstance(layer, QgsRasterLayer) or layer.providerType() != "gdal":
                continue
            items = layer.renderer().shader().rasterShaderFunction().colorRampItemList()
            name = os.path.basename(layer.source())
            seen.add(name)
            with self.subTest(raster=name):
                if name.startswith("dual"):
                    self.assertEqual((items[0].value, items[-1].value), (-4.0, 4.0))
                else:
                    # 0 .. the 99th percentile of the positive pixels (brute force here)
                    from osgeo import gdal
                    a = sorted(v for row in gdal.Open(layer.source()).ReadAsArray().tolist()
                               for v in row if v > 0)
                    k = (len(a) - 1) * 0.99
                    p99 = a[int(k)] + (a[min(int(k) + 1, len(a) - 1)] - a[int(k)]) * (k - int(k))
                    self.assertAlmostEqual(items[0].value, 0.0)
                    self.assertAlmostEqual(items[-1].value, p99, delta=1e-4 * p99)
                    self.assertEqual(layer.renderer().minMaxOrigin().limits(),
                                     QgsRasterMinMaxOrigin.None_)
        self.assertEqual(seen, {"density.tif", "dual_density.tif"})

    def test_project_has_no_online_layer_by_default(self):
        # Offline, QGIS desktop would stop at start with its "unavailable layers" dialog.
        online = [lyr.name() for lyr in self.project.mapLayers().values()
                  if lyr.providerType() not in ("ogr", "gdal")]
        self.assertEqual(online, [])
        with zipfile.ZipFile(self.out) as z:
            qgs = [n for n in z.namelist() if n.endswith(".qgs")][0]
            self.assertNotIn("service.pdok.nl", z.read(qgs).decode("utf-8"))

    def test_with_basemap_adds_pdok_brt_grijs_in_rd_unchecked(self):
        out = os.path.join(self.root, "with-basemap", "p.qgz")
        run = subprocess.run([sys.executable, SCRIPT, "--store", self.store, "--out", out,
                              "--with-basemap", "--no-export"], capture_output=True, text=True,
                             env=dict(os.environ), timeout=300)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        p = QgsProject()
        self.assertTrue(p.read(out))
        wms = [lyr for lyr in p.mapLayers().values() if lyr.providerType() == "wms"]
        self.assertEqual(len(wms), 1)
        for part in BRT_PARTS:
            self.assertIn(part, wms[0].source())
        node = p.layerTreeRoot().findLayer(wms[0].id())
        self.assertFalse(node.itemVisibilityChecked())
        self.assertEqual(node.parent().name(), "Context")
        legend = p.layoutManager().layoutByName("Kennissessie A4").itemById("legenda")
        in_legend = {n.layerId() for n in legend.model().rootGroup().findLayers()}
        self.assertNotIn(wms[0].id(), in_legend)
        p.clear()

    def test_shipped_basemap_qlr_adds_pdok_grijs_below_the_data(self):
        """sample-data/project/pdok_achtergrondkaart.qlr, as QGIS loads a dragged .qlr: one WMTS
        layer, RD New, checked, appended at the bottom of the layer tree (drawn under the data).
        It is also what --write-basemap-qlr writes now (regenerated = same layer)."""
        for qlr in (QLR, os.path.join(self.root, "regenerated.qlr")):
            with self.subTest(qlr=os.path.basename(qlr)):
                if qlr != QLR:
                    run = subprocess.run([sys.executable, SCRIPT, "--write-basemap-qlr", qlr],
                                         capture_output=True, text=True, env=dict(os.environ),
                                         timeout=120)
                    self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
                p = QgsProject()
                self.assertTrue(p.read(self.out))
                before = len(p.mapLayers())
                ok, err = QgsLayerDefinition.loadLayerDefinition(qlr, p, p.layerTreeRoot())
                self.assertTrue(ok, err)
                self.assertEqual(len(p.mapLayers()), before + 1)
                last = p.layerTreeRoot().children()[-1]
                layer = last.layer()
                self.assertIsNotNone(layer)
                self.assertEqual(layer.providerType(), "wms")
                for part in BRT_PARTS:
                    self.assertIn(part, layer.source())
                self.assertEqual(layer.crs().authid(), "EPSG:28992")
                self.assertTrue(last.itemVisibilityChecked())
                p.clear()

    def test_paths_are_relative_and_survive_moving_the_folder(self):
        with zipfile.ZipFile(self.out) as z:
            qgs = [n for n in z.namelist() if n.endswith(".qgs")][0]
            xml = z.read(qgs).decode("utf-8")
        self.assertNotIn(self.root, xml)
        self.assertIn("../data/store.gpkg", xml)
        moved = os.path.join(qgis_env.tmpdir(), "moved")
        shutil.rmtree(moved, ignore_errors=True)
        shutil.copytree(self.root, moved)
        p = QgsProject()
        self.assertTrue(p.read(os.path.join(moved, "project", "eemsdelta.qgz")))
        vector = [lyr for lyr in p.mapLayers().values() if lyr.providerType() == "ogr"]
        self.assertGreater(len(vector), 12)
        for lyr in vector:
            self.assertTrue(lyr.isValid(), lyr.name())
            self.assertIn(moved, lyr.source())
        p.clear()

    def test_layout_is_in_the_project_zoomed_to_the_municipality(self):
        layout = self.project.layoutManager().layoutByName("Kennissessie A4")
        self.assertIsNotNone(layout)
        extent = layout.itemById("kaart").extent()
        gm = [lyr for lyr in self.project.mapLayers().values() if layername(lyr) == "gemeenten"]
        self.assertTrue(extent.contains(gm[0].extent()))
        self.assertLess(extent.width(), 2 * gm[0].extent().width())

    def test_qgis_opens_on_the_municipality_not_at_1_to_1(self):
        view = self.project.viewSettings().defaultViewExtent()
        gm = [lyr for lyr in self.project.mapLayers().values() if layername(lyr) == "gemeenten"]
        self.assertEqual(view.crs().authid(), "EPSG:28992")
        self.assertTrue(view.contains(gm[0].extent()))
        self.assertLess(view.width(), 1.2 * gm[0].extent().width())

    def test_exports_are_non_empty_and_show_the_map(self):
        with open(self.pdf, "rb") as f:
            head = f.read(5)
        self.assertEqual(head, b"%PDF-")
        self.assertGreater(os.path.getsize(self.pdf), 10000)
        img = QImage(self.png)
        self.assertFalse(img.isNull())
        # A4 at 150 dpi
        self.assertAlmostEqual(img.width(), 1754, delta=2)
        self.assertAlmostEqual(img.height(), 1240, delta=2)
        # Inside the map frame (10..215 x 28..178 mm) saturated colours = drawn symbols.
        px = 150 / 25.4
        saturated = 0
        for y in range(int(30 * px), int(176 * px), 3):
            for x in range(int(12 * px), int(213 * px), 3):
                c = img.pixelColor(x, y)
                if max(c.red(), c.green(), c.blue()) - min(c.red(), c.green(), c.blue()) > 60:
                    saturated += 1
        self.assertGreater(saturated, 300)

    def test_styles_come_from_the_stores_result_registry_first(self):
        reg_dir = os.path.join(self.root, "registry")
        store, results, rasters = standin_store.build_all(reg_dir)
        registered = standin_store.add_registered_results(store, results, rasters)
        out = os.path.join(reg_dir, "p.qgz")
        run = subprocess.run([sys.executable, SCRIPT, "--store", store, "--out", out,
                              "--no-export"], capture_output=True, text=True,
                             env=dict(os.environ), timeout=300)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        p = QgsProject()
        self.assertTrue(p.read(out))
        found = {}
        for lyr in p.mapLayers().values():
            key = layername(lyr) or os.path.basename(lyr.source())
            if key in registered:
                found[key] = lyr
        self.assertEqual(set(found), set(registered))
        self.assertEqual(found["dbscan_punten"].renderer().type(), "RuleRenderer")
        self.assertEqual(found["raster_cellen"].renderer().classAttribute(), "aantal")
        items = found["verhouding.tif"].renderer().shader().rasterShaderFunction() \
            .colorRampItemList()
        self.assertEqual((items[0].value, items[-1].value), (-4.0, 4.0))
        p.clear()

    def test_signals_and_incidents_animate_in_the_temporal_controller(self):
        by_name = {layername(lyr): lyr for lyr in self.project.mapLayers().values()}
        mode = QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions
        for name in ("signalen", "incidenten"):
            props = by_name[name].temporalProperties()
            self.assertTrue(props.isActive(), name)
            self.assertEqual(props.mode(), mode, name)
        for name in ("gemeenten", "verblijfsobjecten"):
            self.assertFalse(by_name[name].temporalProperties().isActive(), name)
        # The stand-in store: every signal seen 2024-03-01 22:00, every incident on 2024-05-01
        # (which lasts until midnight).
        rng = self.project.timeSettings().temporalRange()
        self.assertEqual(rng.begin(), QDateTime(QDate(2024, 3, 1), QTime(22, 0)))
        self.assertEqual(rng.end(), QDateTime(QDate(2024, 5, 2), QTime(0, 0)))
        # A frame on 2024-03-01 shows the signals and not the incidents, and one in May the reverse.
        march = QgsDateTimeRange(QDateTime(QDate(2024, 3, 1), QTime(0, 0)),
                                 QDateTime(QDate(2024, 3, 2), QTime(0, 0)))
        may = QgsDateTimeRange(QDateTime(QDate(2024, 5, 1), QTime(0, 0)),
                               QDateTime(QDate(2024, 5, 2), QTime(0, 0)))
        for name, shown_in in (("signalen", march), ("incidenten", may)):
            props = by_name[name].temporalProperties()
            for frame in (march, may):
                flt = props.createFilterString(QgsVectorLayerTemporalContext(), frame)
                req = QgsFeatureRequest().setFilterExpression(flt)
                n = sum(1 for _ in by_name[name].getFeatures(req))
                self.assertEqual(n > 0, frame is shown_in, (name, flt, n))

    def test_missing_store_is_an_error_not_a_project(self):
        out = os.path.join(self.root, "nope", "x.qgz")
        run = subprocess.run([sys.executable, SCRIPT, "--store", "/nonexistent/store.gpkg",
                              "--out", out, "--no-export"], capture_output=True, text=True,
                             env=dict(os.environ), timeout=120)
        self.assertEqual(run.returncode, 2)
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
