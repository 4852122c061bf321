#!/usr/bin/python3
"""Every QML under styles/ loads in QGIS onto a layer of the right geometry and fields, and is
the renderer it claims to be (QGIS loads an unknown renderer "successfully"); the styles honour
the field contract of styles/README.md and the value lists of docs/schema.md; the Gi* palette
stays distinguishable under simulated colour blindness."""

import glob
import math
import os
import re
import sys
import unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qgis_env  # noqa: E402  (sets the environment, exits 77 without PyQGIS)
import standin_store  # noqa: E402
import risk_standin  # noqa: E402
import public_standin  # noqa: E402

from qgis.core import (  # noqa: E402
    QgsCoordinateReferenceSystem,
    QgsExpression,
    QgsExpressionContext,
    QgsExpressionContextScope,
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRasterBandStats,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRectangle,
    QgsRenderContext,
    QgsSymbol,
    QgsSymbolLayer,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize, Qt  # noqa: E402
from qgis.PyQt.QtCore import NULL  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

STYLES = qgis_env.STYLES
SCHEMA_MD = os.path.join(qgis_env.REPO, "docs", "schema.md")

# style -> (layer in the stand-in store/results, renderer type the file must produce)
EXPECTED = {
    "layers/signalen": ("store", "signalen", "categorizedSymbol"),
    "layers/panden": ("store", "panden", "categorizedSymbol"),
    "layers/verblijfsobjecten": ("store", "verblijfsobjecten", "singleSymbol"),
    "layers/vab": ("store", "vab", "categorizedSymbol"),
    "layers/bedrijventerreinen": ("store", "bedrijventerreinen", "singleSymbol"),
    "layers/incidenten": ("store", "incidenten", "singleSymbol"),
    "layers/partners": ("store", "partners", "categorizedSymbol"),
    "layers/partner_werkgebieden": ("store", "partner_werkgebieden", "singleSymbol"),
    "layers/gemeenten": ("store", "gemeenten", "singleSymbol"),
    "layers/wijken": ("store", "wijken", "singleSymbol"),
    "layers/buurten": ("store", "buurten", "singleSymbol"),
    "layers/wegvakken": ("store", "wegvakken", "RuleRenderer"),
    "layers/gewaspercelen": ("store", "gewaspercelen", "categorizedSymbol"),
    "results/clusters_points": ("results", "clusters_points", "RuleRenderer"),
    "results/clusters_hulls": ("results", "clusters_hulls", "RuleRenderer"),
    "results/grid_counts": ("results", "grid_counts", "graduatedSymbol"),
    "results/hotspots_gi": ("results", "hotspots_gi", "categorizedSymbol"),
    "results/local_moran": ("results", "local_moran", "categorizedSymbol"),
    "results/emerging_hotspots": ("results", "emerging_hotspots", "categorizedSymbol"),
    "results/parks_incident_rate": ("results", "parks_incident_rate", "graduatedSymbol"),
    "results/plan_routes": ("results", "plan_routes", "categorizedSymbol"),
    "results/plan_bezoeken": ("results", "plan_bezoeken", "categorizedSymbol"),
    "results/plan_vervallen": ("results", "plan_vervallen", "RuleRenderer"),
    "results/areas_gebieden": ("results", "areas_gebieden", "categorizedSymbol"),
    "results/network_route": ("results", "network_route", "singleSymbol"),
    "results/network_reach_roads": ("results", "network_reach_roads", "singleSymbol"),
    "results/network_reach_area": ("results", "network_reach_area", "singleSymbol"),
    "results/network_reach_sites": ("results", "network_reach_sites", "categorizedSymbol"),
    "results/density": ("raster", "density", "singlebandpseudocolor"),
    "results/dual_density": ("raster", "dual_density", "singlebandpseudocolor"),
    "results/risk_relatief": ("raster", "risk_relatief", "singlebandpseudocolor"),
    "results/risk_adreslijst": ("risk_results", "risk_adreslijst", "graduatedSymbol"),
    "results/openbaar_per_gebied": ("public_results", "openbaar_per_gebied", "RuleRenderer"),
    "results/openbaar_gemaskeerd": ("public_results", "openbaar_gemaskeerd", "categorizedSymbol"),
}

# ArcGIS Emerging Hot Spot Analysis pattern names (documentation of the tool), typed here
# independently of the generator.
ARCGIS_PATTERNS = {
    "New Hot Spot", "Consecutive Hot Spot", "Intensifying Hot Spot", "Persistent Hot Spot",
    "Diminishing Hot Spot", "Sporadic Hot Spot", "Oscillating Hot Spot", "Historical Hot Spot",
    "New Cold Spot", "Consecutive Cold Spot", "Intensifying Cold Spot", "Persistent Cold Spot",
    "Diminishing Cold Spot", "Sporadic Cold Spot", "Oscillating Cold Spot",
    "Historical Cold Spot", "No Pattern Detected"}

SYMBOL_FOR_GEOMETRY = {QgsWkbTypes.PointGeometry: QgsSymbol.Marker,
                       QgsWkbTypes.LineGeometry: QgsSymbol.Line,
                       QgsWkbTypes.PolygonGeometry: QgsSymbol.Fill}

DATA = {}
KEEP = []


def tearDownModule():
    KEEP.clear()
    QgsProject.instance().clear()


def setUpModule():
    qgis_env.start()
    out = os.path.join(qgis_env.tmpdir(), "standin")
    store, results, rasters = standin_store.build_all(out)
    DATA.update(store=store, results=results, density=rasters[0], dual_density=rasters[1])
    DATA.update(risk_standin.build(out))
    DATA.update(public_standin.build(out))


def schema_text():
    with open(SCHEMA_MD, encoding="utf-8") as f:
        return f.read()


def schema_spatial_layers():
    text = schema_text()
    layers = {}
    for name, geom in re.findall(r"^### (\w+) — (\w+)", text, re.M):
        if geom.lower() != "no":
            layers[name] = geom
    for names, geom in re.findall(r"^- \*\*([\w, ]+)\*\* — (\w+)", text, re.M):
        for n in names.split(","):
            layers[n.strip()] = geom
    return layers


def schema_values(pattern):
    m = re.search(pattern, schema_text(), re.S)
    assert m, pattern
    return {v.strip() for v in m.group(1).replace("\n", " ").split(",") if v.strip()}


def open_layer(kind, name):
    if kind == "raster":
        lyr = QgsRasterLayer(DATA[name], name, "gdal")
    else:
        lyr = QgsVectorLayer("{}|layername={}".format(DATA[kind], name), name, "ogr")
    assert lyr.isValid(), (kind, name)
    return lyr


def load(style):
    kind, name, _ = EXPECTED[style]
    lyr = open_layer(kind, name)
    path = os.path.join(STYLES, style + ".qml")
    if isinstance(lyr, QgsVectorLayer):
        msg, ok = lyr.loadNamedStyle(path, True)
    else:
        msg, ok = lyr.loadNamedStyle(path)
    assert ok, (style, msg)
    KEEP.append(lyr)  # renderers and symbols handed out below must not outlive their layer
    return lyr


def categories(lyr):
    cats = {str(c.value()): c for c in lyr.renderer().categories()}
    KEEP.append(cats)  # the copies own their symbols
    return cats


# ----------------------------------------------------------------------------- colour maths
def _lin(c):
    c /= 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


MACHADO = {  # Machado, Oliveira & Fernandes (2009), severity 1.0, on linear RGB
    "protan": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
               (-0.003882, -0.048116, 1.051998)),
    "deutan": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
               (-0.011820, 0.042940, 0.968881)),
    "tritan": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
               (0.004733, 0.691367, 0.303900)),
}


def lab(qcolor, cvd=None):
    """CIE L*a*b* of the colour as seen over a white page (alpha composited), optionally through
    a simulated colour-vision deficiency."""
    a = qcolor.alpha() / 255.0
    seen = [a * c + (1 - a) * 255 for c in (qcolor.red(), qcolor.green(), qcolor.blue())]
    rgb = [_lin(c) for c in seen]
    if cvd:
        m = MACHADO[cvd]
        rgb = [min(1.0, max(0.0, sum(m[i][j] * rgb[j] for j in range(3)))) for i in range(3)]
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def delta_e(a, b):
    return math.sqrt(sum((p - q) ** 2 for p, q in zip(a, b)))


# ----------------------------------------------------------------------------- tests
class EveryStyleLoads(unittest.TestCase):
    def test_every_qml_on_disk_is_expected_and_vice_versa(self):
        on_disk = {os.path.relpath(p, STYLES)[:-4]
                   for p in glob.glob(os.path.join(STYLES, "*", "*.qml"))}
        self.assertEqual(on_disk, set(EXPECTED))

    def test_every_spatial_store_layer_of_schema_md_has_a_style(self):
        layers = schema_spatial_layers()
        self.assertGreaterEqual(len(layers), 12)  # the parser found the schema's layers
        for name in layers:
            self.assertTrue(os.path.exists(os.path.join(STYLES, "layers", name + ".qml")),
                            name)

    def test_root_is_qgis_and_renderer_type_matches_the_file_and_the_contract(self):
        for style, (_, _, rtype) in EXPECTED.items():
            with self.subTest(style=style):
                root = ET.parse(os.path.join(STYLES, style + ".qml")).getroot()
                self.assertEqual(root.tag, "qgis")
                node = root.find("renderer-v2") if rtype != "singlebandpseudocolor" \
                    else root.find("pipe/rasterrenderer")
                self.assertIsNotNone(node)
                self.assertEqual(node.get("type"), rtype)
                lyr = load(style)
                self.assertEqual(lyr.renderer().type(), rtype)

    def test_symbols_match_geometry_and_fields_exist(self):
        for style, (kind, _, _) in EXPECTED.items():
            if kind == "raster":
                continue
            with self.subTest(style=style):
                lyr = load(style)
                ctx = QgsRenderContext()
                for sym in lyr.renderer().symbols(ctx):
                    self.assertEqual(sym.type(), SYMBOL_FOR_GEOMETRY[lyr.geometryType()])
                fields = set(lyr.fields().names())
                used = set()
                for a in lyr.renderer().usedAttributes(ctx):
                    if a == QgsFeatureRequest.ALL_ATTRIBUTES:
                        continue  # an aggregate asks for every field: nothing to check
                    # a categorized renderer's "attribute" may be an expression
                    used |= {a} if a in fields else QgsExpression(a).referencedColumns()
                missing = used - fields
                self.assertFalse(missing, "renderer uses fields the layer lacks")
                if lyr.labelsEnabled():
                    s = lyr.labeling().settings()
                    exp = s.fieldName if s.isExpression else '"{}"'.format(s.fieldName)
                    cols = QgsExpression(exp).referencedColumns()
                    self.assertFalse(cols - set(lyr.fields().names()), "label fields missing")

    def test_every_vector_style_draws_something_on_the_standin(self):
        for style, (kind, _, _) in EXPECTED.items():
            with self.subTest(style=style):
                lyr = load(style)
                QgsProject.instance().addMapLayer(lyr)  # aggregates look layers up by id
                ext = lyr.extent()
                if lyr.hasScaleBasedVisibility():  # e.g. addresses only at <= 1:25 000
                    c = ext.center()
                    f = next(lyr.getFeatures(QgsFeatureRequest().setLimit(1)))
                    c = f.geometry().asPoint() if lyr.geometryType() == 0 else c
                    ext = QgsRectangle(c.x() - 500, c.y() - 400, c.x() + 500, c.y() + 400)
                ms = QgsMapSettings()
                ms.setLayers([lyr])
                ms.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:28992"))
                ms.setOutputSize(QSize(400, 320))
                ms.setExtent(ext)
                ms.setBackgroundColor(QColor(255, 255, 255))
                job = QgsMapRendererSequentialJob(ms)
                job.start()
                job.waitForFinished()
                img = job.renderedImage()
                drawn = sum(1 for y in range(img.height()) for x in range(img.width())
                            if img.pixel(x, y) & 0xFFFFFF != 0xFFFFFF)
                self.assertGreater(drawn, 0)
                QgsProject.instance().removeMapLayer(lyr.id())


class Contract(unittest.TestCase):
    def test_signal_categories_cover_the_schema_codes_each_with_own_colour_and_shape(self):
        codes = schema_values(r"\| categorie\* \|[^|]*\|([^|]*)\|")
        self.assertEqual(len(codes), 10)
        cats = categories(load("layers/signalen"))
        self.assertTrue(codes <= set(cats), codes - set(cats))
        looks = set()
        for code in codes:
            sl = cats[code].symbol().symbolLayers()[-1]
            looks.add((sl.color().name(), sl.shape()))
            self.assertNotEqual(cats[code].label(), code)  # a Dutch label, not the code
        self.assertEqual(len(looks), len(codes))

    def test_signal_opacity_follows_reliability(self):
        lyr = load("layers/signalen")
        sym = categories(lyr)["DRUGSLAB"].symbol()
        prop = sym.dataDefinedProperties().property(QgsSymbol.PropertyOpacity)
        self.assertTrue(prop.isActive())
        # Layer scopes give the context the layer's fields, which preparing an expression needs.
        ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
        values = {}
        for grade in "ABCD":
            f = next(lyr.getFeatures())
            f["betrouwbaarheid"] = grade
            ctx.setFeature(f)
            values[grade] = prop.valueAsDouble(ctx, 100)[0]
        self.assertEqual(values["A"], 100)
        self.assertTrue(values["A"] >= values["B"] > values["C"] > values["D"] > 0)

    def test_point_markers_shrink_at_overview_scales_only(self):
        for style in ("layers/signalen", "layers/vab", "layers/partners", "layers/incidenten"):
            with self.subTest(style=style):
                lyr = load(style)
                sym = lyr.renderer().symbols(QgsRenderContext())[0]
                sl = [x for x in sym.symbolLayers()
                      if x.sizeUnit() == QgsUnitTypes.RenderMillimeters][-1]
                prop = sl.dataDefinedProperties().property(QgsSymbolLayer.PropertySize)
                sizes = {}
                for scale in (10000, 60000, 200000):
                    ctx = QgsExpressionContext(
                        QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
                    scope = QgsExpressionContextScope()
                    scope.setVariable("map_scale", scale)
                    ctx.appendScope(scope)
                    sizes[scale] = prop.valueAsDouble(ctx, -1)[0]
                self.assertAlmostEqual(sizes[10000], sl.size())
                self.assertAlmostEqual(sizes[60000], sl.size())
                self.assertTrue(0.5 * sl.size() < sizes[200000] < sl.size())

    def test_vab_and_partner_values_of_the_schema_all_have_a_category(self):
        for style, pattern in (("layers/vab", r"leegstand\*\s*\(([^)]*)\)"),
                               ("layers/partners", r"partner_type\*\s*\(([^)]*)\)")):
            with self.subTest(style=style):
                values = schema_values(pattern)
                self.assertGreaterEqual(len(values), 5)
                self.assertTrue(values <= set(categories(load(style))))

    def test_barns_are_drawn_differently_from_other_buildings(self):
        lyr = load("layers/panden")
        r = lyr.renderer()
        ctx = QgsRenderContext()
        ctx.setExpressionContext(QgsExpressionContext(
            QgsExpressionContextUtils.globalProjectLayerScopes(lyr)))
        r.startRender(ctx, lyr.fields())
        colours = {}
        for f in lyr.getFeatures():
            ctx.expressionContext().setFeature(f)
            colours.setdefault(bool(f["is_schuur"]), set()).add(
                r.symbolForFeature(f, ctx).color().name())
        r.stopRender(ctx)
        self.assertEqual(len(colours[True]), 1)
        self.assertTrue(colours[True].isdisjoint(colours[False]))

    def test_dead_end_markers_mark_exactly_the_loose_road_ends(self):
        lyr = load("layers/wegvakken")
        QgsProject.instance().addMapLayer(lyr)
        rule = [r for r in lyr.renderer().rootRule().children()
                if r.label() == "Doodlopend wegeinde"]
        self.assertEqual(len(rule), 1)
        exprs = [sl.dataDefinedProperties().property(QgsSymbolLayer.PropertyLayerEnabled)
                 for sl in rule[0].symbol().symbolLayers()]
        ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
        counts = [0, 0]
        for f in lyr.getFeatures():
            ctx.setFeature(f)
            for i, p in enumerate(exprs):
                counts[i] += bool(p.valueAsBool(ctx, False)[0])
        # The stand-in grid has degree >= 2 everywhere except the far end of each spur.
        self.assertEqual(counts, [0, standin_store.N_SPURS])
        QgsProject.instance().removeMapLayer(lyr.id())

    def test_cluster_colours_differ_between_neighbouring_ids_and_noise_is_grey(self):
        lyr = load("results/clusters_points")
        rules = lyr.renderer().rootRule().children()
        noise = [r for r in rules if "-1" in r.filterExpression()]
        self.assertEqual(len(noise), 1)
        c = noise[0].symbol().color()
        self.assertTrue(abs(c.red() - c.green()) < 10 and abs(c.green() - c.blue()) < 10)
        cl = [r for r in rules if r is not noise[0]][0].symbol().symbolLayer(0)
        fill = cl.dataDefinedProperties().property(QgsSymbolLayer.PropertyFillColor)
        shape = cl.dataDefinedProperties().property(QgsSymbolLayer.PropertyName)
        looks = set()
        ctx = QgsExpressionContext(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
        f = next(lyr.getFeatures())
        for cid in range(28):
            f["cluster_id"] = cid
            ctx.setFeature(f)
            looks.add((fill.valueAsColor(ctx, QColor())[0].name(), shape.valueAsString(ctx)[0]))
        self.assertEqual(len(looks), 28)

    def test_grid_counts_do_not_draw_empty_cells_and_flag_small_counts(self):
        renderer = load("results/grid_counts").renderer()
        self.assertIsNone(renderer.symbolForValue(0))
        for n in (1, 4, 5, 9, 10, 19, 20, 49, 50, 1000):
            self.assertIsNotNone(renderer.symbolForValue(n), n)
        small = renderer.rangeForValue(4)
        self.assertEqual(small.label(), renderer.rangeForValue(1).label())
        self.assertNotEqual(small.label(), renderer.rangeForValue(5).label())
        self.assertIn("< 5", small.label())

    def test_gi_bins_are_minus3_to_3_with_dutch_labels(self):
        cats = categories(load("results/hotspots_gi"))
        self.assertEqual(set(cats), {str(b) for b in range(-3, 4)})
        self.assertIn("Hotspot 99%", cats["3"].label())
        self.assertIn("Coldspot 95%", cats["-2"].label())
        self.assertIn("Niet significant", cats["0"].label())

    def test_gi_palette_reads_as_diverging_also_for_colour_blind_viewers(self):
        cats = categories(load("results/hotspots_gi"))
        for cvd in (None, "protan", "deutan", "tritan"):
            with self.subTest(cvd=cvd):
                L = {b: lab(cats[str(b)].symbol().color(), cvd) for b in range(-3, 4)}
                # Lightness falls monotonically away from "not significant" on both sides...
                for k in (1, 2, 3):
                    self.assertLess(L[k][0], L[k - 1][0])
                    self.assertLess(L[-k][0], L[-k + 1][0])
                # ...and a hot and a cold bin of equal strength never look alike.
                for k in (1, 2, 3):
                    self.assertGreater(delta_e(L[k], L[-k]), 8.0)

    def test_local_moran_types(self):
        cats = categories(load("results/local_moran"))
        self.assertEqual(set(cats), {"HH", "LL", "HL", "LH", "NS"})
        self.assertIn("Niet significant", cats["NS"].label())

    def test_emerging_hotspots_has_the_17_arcgis_patterns_with_dutch_and_english_labels(self):
        cats = categories(load("results/emerging_hotspots"))
        self.assertEqual(set(cats), ARCGIS_PATTERNS)
        for value, cat in cats.items():
            self.assertIn(value, cat.label())  # English name kept
            self.assertNotEqual(value, cat.label())  # plus a Dutch one
        looks = {tuple(sl.color().name() for sl in c.symbol().symbolLayers()) +
                 tuple(getattr(sl, "lineAngle", lambda: None)() for sl in c.symbol().symbolLayers())
                 for c in cats.values()}
        self.assertEqual(len(looks), 17)

    def test_density_ramp_adapts_to_any_unit_and_hides_the_lowest_values(self):
        lyr = load("results/density")
        self.assertEqual(lyr.renderer().minMaxOrigin().extent(),
                         QgsRasterMinMaxOrigin.UpdatedCanvas)
        stats = lyr.dataProvider().bandStatistics(1, QgsRasterBandStats.All)
        ms = QgsMapSettings()
        ms.setLayers([lyr])
        ms.setExtent(lyr.extent())
        ms.setOutputSize(QSize(200, 150))
        job = QgsMapRendererSequentialJob(ms)
        job.start()
        job.waitForFinished()
        items = lyr.renderer().shader().rasterShaderFunction().colorRampItemList()
        # restretched from the style's 0..1 to this raster's range (about 0..5 signals)
        self.assertAlmostEqual(items[-1].value, stats.maximumValue, delta=0.05 * stats.range)
        self.assertLess(items[0].value, 0.05 * stats.maximumValue)
        low = [i for i in items if i.value <= items[0].value + 0.05 * stats.range]
        self.assertTrue(low and all(i.color.alpha() == 0 for i in low))
        self.assertGreater(items[-1].color.alpha(), 200)

    def test_dual_density_is_on_the_absolute_log2_scale(self):
        fcn = load("results/dual_density").renderer().shader().rasterShaderFunction()
        items = {i.value: i for i in fcn.colorRampItemList()}
        self.assertEqual(min(items), -4.0)  # layers/analyses clamps log2(ratio) to [-4, 4]
        self.assertEqual(max(items), 4.0)
        # transparent around "as expected" (|log2| <= 0.3), visible from a factor 2 on
        self.assertTrue(all(i.color.alpha() == 0 for v, i in items.items() if abs(v) <= 0.3))
        self.assertTrue(all(i.color.alpha() > 50 for v, i in items.items() if abs(v) >= 1))
        # blue below, red above; excess more prominent than deficit
        self.assertGreater(items[-4.0].color.blue(), items[-4.0].color.red())
        self.assertGreater(items[4.0].color.red(), items[4.0].color.blue())
        self.assertGreater(items[4.0].color.alpha(), items[-4.0].color.alpha())
        settings = fcn.legendSettings()
        self.assertIn("16x", settings.minimumLabel())
        self.assertIn("16x", settings.maximumLabel())


class PublicLayers(unittest.TestCase):
    """The public face (layers/privacy): a suppressed count is drawn as "not shown", never as a
    class or a zero; a count below 5 has no class to fall in; the masked points look like the
    signal categories but carry nothing else."""

    def symbols_and_label(self, lyr, feature):
        ctx = QgsRenderContext()
        ec = QgsExpressionContext()
        ec.appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(lyr))
        ec.setFeature(feature)
        ctx.setExpressionContext(ec)
        renderer = lyr.renderer()
        renderer.startRender(ctx, lyr.fields())
        syms = [s.clone() for s in renderer.symbolsForFeature(feature, ctx)]
        renderer.stopRender(ctx)
        KEEP.append(syms)
        s = lyr.labeling().settings()
        label = QgsExpression(s.fieldName).evaluate(ec)
        return syms, label

    def test_counts_per_area(self):
        lyr = load("results/openbaar_per_gebied")
        rules = {r.label(): r for r in lyr.renderer().rootRule().children()}
        hidden = [lab for lab in rules if lab.startswith("Niet getoond")]
        self.assertEqual(len(hidden), 1)
        seen = 0
        for f in lyr.getFeatures():
            niveau, aantal = f["niveau"], f["aantal"]
            syms, label = self.symbols_and_label(lyr, f)
            with self.subTest(code=f["code"]):
                self.assertEqual(len(syms), 1)  # exactly one class per area
                layers = syms[0].symbolLayers()
                if niveau != "buurt":
                    self.assertIsNone(label)  # only buurten are labelled
                    self.assertEqual(layers[0].brushStyle(), Qt.NoBrush)  # outline only
                    continue
                seen += 1
                if aantal is None or aantal == NULL:
                    self.assertEqual(label, "–")
                    self.assertEqual(len(layers), 2)  # fill + hatch
                    self.assertEqual(layers[1].layerType(), "LinePatternFill")
                else:
                    self.assertEqual(label, str(aantal))
                    self.assertEqual(len(layers), 1)
        self.assertEqual(seen, len(public_standin.BUURT_COUNTS))
        # A count 1..4 falls in no rule (it should never be published; if it were, not drawn).
        for n in range(1, 5):
            f = next(lyr.getFeatures())
            f["niveau"], f["aantal"] = "buurt", n
            syms, _ = self.symbols_and_label(lyr, f)
            self.assertEqual(syms, [], n)

    def test_masked_points_use_the_signal_categories_without_reliability(self):
        masked = categories(load("results/openbaar_gemaskeerd"))
        signals = categories(load("layers/signalen"))
        self.assertEqual(set(masked), set(signals))
        for code, cat in masked.items():
            with self.subTest(code=code):
                want = [sl for sl in signals[code].symbol().symbolLayers()
                        if sl.sizeUnit() == QgsUnitTypes.RenderMillimeters]
                have = cat.symbol().symbolLayers()
                self.assertEqual(len(have), 1)  # no precision ring
                self.assertEqual(have[0].color().name(), want[0].color().name())
                self.assertEqual(have[0].shape(), want[0].shape())
                self.assertFalse(cat.symbol().dataDefinedProperties().isActive(
                    QgsSymbol.PropertyOpacity))


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=2).result
    sys.exit(0 if result.wasSuccessful() else 1)
