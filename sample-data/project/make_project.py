#!/usr/bin/python3
"""Build the sample QGIS project (sample-data/project/eemsdelta.qgz) from a Veldwacht store.

    QT_QPA_PLATFORM=offscreen HOME=$(mktemp -d) /usr/bin/python3 sample-data/project/make_project.py \
        [--store sample-data/eemsdelta.gpkg] [--out sample-data/project/eemsdelta.qgz] \
        [--results extra_results.gpkg ...] [--raster density.tif ...] \
        [--pdf FILE] [--png FILE] [--no-export] [--with-basemap]
    ... make_project.py --write-basemap-qlr sample-data/project/pdok_achtergrondkaart.qlr

What it does:
- adds every store layer of docs/schema.md found in the store, styled from styles/layers/, in the
  groups Signalen, Analyses, Partners, Bedrijventerreinen, Panden & VAB, Context (top to bottom =
  drawing order); layers missing from the store are skipped with a note;
- adds result layers to "Analyses" (hidden except, for each kind in --show, default the hulls, the
  first layer of that kind, in the order the analyses ran, plus layers --show names): every
  vector layer in the store that is not a schema or bookkeeping table, every raster file the
  store's veldwacht_resultaten registers, every layer of each --results GeoPackage, and each
  --raster; the style is the registered `stijl`, else by layer name (a styles/results/<kind>.qml
  whose kind starts the name), else by the fields (cluster_id, gi_bin, lisa_type, ...); rasters named
  *dual* get dual_density.qml (absolute log2 scale), others density.qml, pinned to 0..p99;
- puts every plan (`veldwacht demo`'s week_plan: routes, visits, dropped visits, registered with
  the plan_* styles) in a group "Planning" on top, unchecked, so it stays out of the exported
  Kennissessie layout;
- leaves the online PDOK BRT-Achtergrondkaart (grijs) WMTS out: offline, QGIS desktop would stop
  at start with its "unavailable layers" dialog. Users add it when online by dragging
  pdok_achtergrondkaart.qlr (written by --write-basemap-qlr) onto QGIS. --with-basemap puts it
  in Context, unchecked, as before;
- project CRS EPSG:28992, relative paths, the print layout from styles/layouts/kennissessie_a4.qpt
  zoomed to the municipality, with a legend of the visible layers only;
- exports the layout to PDF and PNG (next to --out unless --pdf/--png/--no-export) as a check;
- with --plugin (libveldwachtplugin.so) and a store with public layers (veldwacht publiceer):
  the plugin's own four-page layout "Kennissessie (openbaar)" of the public layers only, made by
  veldwacht:kennissessie on this project (charts, PDF and slides in kennissessie/ next to --out).

Exit code 0 on success, 2 on bad arguments or a store that cannot be opened.
"""

import argparse
import os
import sys

from qgis.core import (
    QgsAggregateCalculator,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsExpressionContextUtils,
    QgsLayerTreeGroup,
    QgsLegendRenderer,
    QgsLegendStyle,
    QgsMapLayerLegendUtils,
    QgsLayoutExporter,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsReadWriteContext,
    QgsReferencedRectangle,
    QgsRectangle,
    QgsDateTimeRange,
    QgsVectorLayer,
    QgsVectorLayerTemporalProperties,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QSize, Qt, QTime
from qgis.PyQt.QtXml import QDomDocument

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# (group, [layers top to bottom]), top group drawn last (on top).
STORE_GROUPS = [
    ("Signalen", ["signalen"]),
    ("Analyses", []),
    ("Partners", ["partners", "partner_werkgebieden"]),
    ("Bedrijventerreinen", ["incidenten", "bedrijventerreinen"]),
    ("Panden & VAB", ["vab", "verblijfsobjecten", "panden"]),
    ("Context", ["gemeenten", "wijken", "buurten", "wegvakken", "gewaspercelen"]),
]
# Partners' home bases are personal data: off unless the presenter switches them on.
HIDDEN_STORE_LAYERS = {"buurten", "partners", "partner_werkgebieden", "gewaspercelen"}
LEGEND_SKIP = {"wegvakken", "wijken", "buurten"}
LAYER_TITLES = {
    "signalen": "Signalen",
    "partners": "Partners (thuisbasis)",
    "partner_werkgebieden": "Werkgebieden partners",
    "incidenten": "Incidenten",
    "bedrijventerreinen": "Bedrijventerreinen",
    "vab": "VAB – leegstand",
    "verblijfsobjecten": "Adressen (verblijfsobjecten)",
    "panden": "Panden",
    "gemeenten": "Gemeente",
    "wijken": "Wijken",
    "buurten": "Buurten",
    "wegvakken": "Wegen (NWB)",
    "gewaspercelen": "Gewaspercelen (BRP)",
}
RESULT_TITLES = {
    "clusters_points": "Clusters (signalen)",
    "clusters_hulls": "Clusteromhullingen",
    "grid_counts": "Signalen per cel",
    "hotspots_gi": "Hotspots (Getis-Ord Gi*)",
    "local_moran": "Lokale Moran's I (LISA)",
    "emerging_hotspots": "Opkomende hotspots",
    "parks_incident_rate": "Incidenten per ha bedrijventerrein",
    "density": "Dichtheid signalen (kernel)",
    "dual_density": "Dubbele dichtheid (signalen t.o.v. adressen)",
}
DEFAULT_SHOW = "clusters_hulls"  # result kinds (first layer of each) or layer names checked on
BOOKKEEPING_PREFIXES = ("veldwacht_", "gpkg_", "rtree_", "layer_styles", "sqlite_",
                        "signaal_categorieen")

BRT_URI = (
    "contextualWMSLegend=0&crs=EPSG:28992&dpiMode=7&featureCount=10&format=image/png"
    "&layers=grijs&styles=default&tileMatrixSet=EPSG:28992"
    "&url=https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0?"
    "request%3DGetCapabilities%26service%3DWMTS")
BRT_NAME = "BRT-Achtergrondkaart grijs (PDOK, online)"
BASEMAP_QLR = os.path.join(HERE, "pdok_achtergrondkaart.qlr")

PROJECT_TITLE = "Signalen ondermijning – Eemsdelta"
SUBTITLE = "Kennissessie buitengebied en bedrijventerreinen"


def log(msg):
    print("make_project: " + msg, flush=True)


# ----------------------------------------------------------------------------- styles
def apply_style(layer, qml):
    # loadFromLocalDb=True: take the file even when the GeoPackage has a default style.
    if isinstance(layer, QgsVectorLayer):
        msg, ok = layer.loadNamedStyle(qml, True)
    else:
        msg, ok = layer.loadNamedStyle(qml)
    if not ok:
        log("warning: style {} not applied to {}: {}".format(qml, layer.name(), msg))
    return ok


def robust_top(path, percentile=99.0):
    """The `percentile` of the raster's positive pixels: a KDE's maximum is one extreme peak
    (on the sample, max 70 signals/km² where 99 % of the non-zero pixels stay below 23), and a
    ramp stretched to it leaves almost everything pale. Pixels above it get the darkest colour."""
    import numpy as np
    from osgeo import gdal
    ds = gdal.Open(path)
    band = ds.GetRasterBand(1)
    a = band.ReadAsArray().astype("float64").ravel()
    nodata = band.GetNoDataValue()
    if nodata is not None:
        a = a[a != nodata]
    a = a[np.isfinite(a) & (a > 0)]
    return float(np.percentile(a, percentile)) if a.size else 0.0


def pin_density_ramp(layer):
    """density.qml stretches its ramp over whatever the map shows (adaptive, any unit). For a
    presentation project a fixed stretch is better: 0 .. robust_top() of the raster, so zooming
    in does not recolour the map. Returns False when the style is not the adaptive one."""
    renderer = layer.renderer()
    if renderer is None or renderer.type() != "singlebandpseudocolor":
        return False
    origin = renderer.minMaxOrigin()
    fcn = renderer.shader().rasterShaderFunction()
    if origin.limits() == QgsRasterMinMaxOrigin.None_ or fcn.sourceColorRamp() is None:
        return False
    top = robust_top(layer.source())
    if not top or top != top:  # zero or NaN
        return False
    fcn.setMinimumValue(0.0)
    fcn.setMaximumValue(top)
    fcn.classifyColorRamp(0, -1, QgsRectangle(), None)
    renderer.setClassificationMin(0.0)
    renderer.setClassificationMax(top)
    origin.setLimits(QgsRasterMinMaxOrigin.None_)
    renderer.setMinMaxOrigin(origin)
    return True


RESULT_KINDS = ["parks_incident_rate", "emerging_hotspots", "clusters_points", "clusters_hulls",
                "dual_density", "grid_counts", "hotspots_gi", "local_moran", "density",
                "plan_routes", "plan_bezoeken", "plan_vervallen", "areas_gebieden",
                "network_route", "network_reach_roads", "network_reach_area",
                "network_reach_sites"]


def guess_result_kind(name, layer):
    """Result kind from the layer name, else from its fields (styles/README.md contract)."""
    lname = name.lower()
    for kind in RESULT_KINDS:
        if lname.startswith(kind):
            return kind
    if isinstance(layer, QgsRasterLayer):
        return "dual_density" if "dual" in lname else "density"
    fields = set(layer.fields().names())
    geom = layer.geometryType()
    if "gi_bin" in fields:
        return "hotspots_gi"
    if "lisa_type" in fields:
        return "local_moran"
    if "incidenten_per_ha" in fields:
        return "parks_incident_rate"
    if "cluster_id" in fields:
        return "clusters_points" if geom == QgsWkbTypes.PointGeometry else "clusters_hulls"
    if "categorie" in fields and geom == QgsWkbTypes.PolygonGeometry:
        return "emerging_hotspots"
    if "aantal" in fields and geom == QgsWkbTypes.PolygonGeometry:
        return "grid_counts"
    return None


# ----------------------------------------------------------------------------- layers
def result_registry(store):
    """{layer: style} and [(raster path, style)] from the store's veldwacht_resultaten (the
    results writer records the style kind in `stijl` and a raster's file, relative to the store's
    folder, in `bestand`). Empty when the table or the columns are missing."""
    from osgeo import gdal, ogr
    layers, rasters = {}, []
    ds = ogr.Open(store)
    if ds is None:
        return layers, rasters
    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        sql = ds.ExecuteSQL("SELECT laag, bestand, stijl FROM veldwacht_resultaten")
    finally:
        gdal.PopErrorHandler()
    if sql is None:
        return layers, rasters
    for f in sql:
        laag, bestand, stijl = f.GetField(0), f.GetField(1), f.GetField(2)
        if bestand:
            path = bestand if os.path.isabs(bestand) else \
                os.path.join(os.path.dirname(store), bestand)
            if os.path.exists(path):
                rasters.append((path, stijl))
            else:
                log("warning: registered result file {} not found".format(path))
        elif laag:
            layers[laag] = stijl
    ds.ReleaseResultSet(sql)
    return layers, rasters


def gpkg_layer_names(path):
    from osgeo import ogr
    ds = ogr.Open(path)
    if ds is None:
        return None
    names = []
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayerByIndex(i)
        names.append((lyr.GetName(), lyr.GetGeomType() != ogr.wkbNone))
    return names


def add_vector(project, group, path, name, title, qml, visible=True):
    layer = QgsVectorLayer("{}|layername={}".format(path, name), title, "ogr")
    if not layer.isValid():
        log("warning: cannot open layer {} in {}".format(name, path))
        return None
    if qml and os.path.exists(qml):
        apply_style(layer, qml)
    project.addMapLayer(layer, False)
    node = group.addLayer(layer)
    node.setItemVisibilityChecked(visible)
    node.setExpanded(False)
    return layer


def result_title(project, kind, name):
    """The Dutch title of the kind ("Hotspots (Getis-Ord Gi*)"); the layer's own name is added
    only when a second result of the same kind needs telling apart."""
    title = RESULT_TITLES.get(kind)
    if title is None:
        return name
    taken = {lyr.name() for lyr in project.mapLayers().values()}
    return title if title not in taken else "{} – {}".format(title, name)


def known_kind(styles, kind):
    return kind if kind and os.path.exists(os.path.join(styles, "results", kind + ".qml")) \
        else None


class Show:
    """Which result layers start checked: for each kind in --show the first layer of that kind
    only (the demo writes four cluster-hull layers; all four on top of each other hide the
    signals and fill the legend), and every layer whose own name is in --show."""

    def __init__(self, spec):
        self.wanted = {k.strip() for k in spec.split(",") if k.strip()}
        self.done = set()

    def __call__(self, kind, name):
        if name in self.wanted:
            return True
        if kind in self.wanted and kind not in self.done:
            self.done.add(kind)
            return True
        return False


def add_result_vector(project, group, styles, path, name, show, kind=None):
    probe = QgsVectorLayer("{}|layername={}".format(path, name), name, "ogr")
    if not probe.isValid():
        log("warning: cannot open result layer {} in {}".format(name, path))
        return None
    kind = known_kind(styles, kind) or guess_result_kind(name, probe)
    qml = os.path.join(styles, "results", kind + ".qml") if kind else None
    title = result_title(project, kind, name)
    log("result layer {} -> style {}".format(name, kind or "(none: QGIS default)"))
    return add_vector(project, group, path, name, title, qml, visible=show(kind, name))


PLAN_KINDS = ("plan_routes", "plan_bezoeken", "plan_vervallen")


def add_plan_layers(project, root, styles, store, registered, store_layers):
    """Every plan in the store (the week plan of `veldwacht demo`: routes per partner and shift,
    visits, dropped visits) in its own group "Planning", styled by its registered kind. The
    group starts unchecked: routes of named partners are not for the Kennissessie layout this
    script exports (the route cards are VERTROUWELIJK). Returns the names it added."""
    names = [n for n, kind in registered.items() if kind in PLAN_KINDS and n in store_layers]
    if not names:
        return set()
    group = root.insertGroup(0, "Planning")
    for name in names:
        add_result_vector(project, group, styles, store, name, lambda kind, n: True,
                          registered[name])
    group.setItemVisibilityChecked(False)
    group.setExpanded(False)
    return set(names)


def add_raster(project, group, styles, path, show, kind=None):
    name = os.path.splitext(os.path.basename(path))[0]
    layer = QgsRasterLayer(path, name, "gdal")
    if not layer.isValid():
        log("warning: cannot open raster " + path)
        return None
    kind = known_kind(styles, kind) or guess_result_kind(name, layer)
    layer.setName(result_title(project, kind, name))
    apply_style(layer, os.path.join(styles, "results", kind + ".qml"))
    if kind == "density":
        pin_density_ramp(layer)
    project.addMapLayer(layer, False)
    node = group.addLayer(layer)
    node.setItemVisibilityChecked(show(kind, name))
    node.setExpanded(False)
    return layer


# ----------------------------------------------------------------------------- risk (issue 11)
RISK_GROUP = "Risico (VERTROUWELIJK)"
RISK_TITLES = {
    "risk_relatief": "Relatief risico (risicoterreinmodel)",
    "risk_adreslijst": "Adreslijst – adrescontrole (VERTROUWELIJK)",
}


def add_risk_results(project, root, styles, store, registered, registered_rasters, show):
    """The risk map and the address-check list (`veldwacht risk`, `veldwacht adreslijst`, as
    registered in veldwacht_resultaten with the styles risk_relatief and risk_adreslijst) in
    their own group above Analyses, with Dutch titles and their styles. Both start unchecked
    unless --show names their kind or layer: the list is confidential (every row an address),
    so it is never in the Kennissessie export by default. Takes the entries it adds out of
    `registered` and `registered_rasters`, so the generic result loop does not add them again.
    Returns the names of the store layers it took (for the generic loop to skip)."""
    added = []
    taken = set()
    group = None

    def risk_group():
        nonlocal group
        if group is None:
            analyses = root.findGroup("Analyses")
            index = root.children().index(analyses) if analyses is not None else 0
            group = root.insertGroup(index, RISK_GROUP)
            group.setExpanded(True)
        return group

    for path, kind in list(registered_rasters):
        if kind != "risk_relatief":
            continue
        registered_rasters.remove((path, kind))
        layer = add_raster(project, risk_group(), styles, path, show, kind)
        if layer is not None:
            layer.setName(RISK_TITLES[kind])
            added.append(layer)
    for name, kind in list(registered.items()):
        if kind != "risk_adreslijst":
            continue
        del registered[name]
        taken.add(name)
        layer = add_vector(project, risk_group(), store, name, RISK_TITLES[kind],
                           os.path.join(styles, "results", kind + ".qml"),
                           visible=show(kind, name))
        if layer is not None:
            layer.setAbstract("VERTROUWELIJK: adressen voor een thematische adrescontrole.")
            added.append(layer)
    if group is not None:
        log("risk: {} layer(s) in group {}".format(len(added), RISK_GROUP))
    return taken


def basemap_layer():
    layer = QgsRasterLayer(BRT_URI, BRT_NAME, "wms")
    # Offline the provider never reports its CRS: record RD New explicitly, so a layer written
    # without network still carries it.
    layer.setCrs(QgsCoordinateReferenceSystem("EPSG:28992"))
    return layer


def add_basemap(project, group):
    """--with-basemap: PDOK BRT grijs, unchecked. Offline the provider is invalid: QGIS keeps it
    in the project as an unavailable layer (with its source), so it works again once online, but
    QGIS desktop asks about it at every start."""
    layer = basemap_layer()
    if not layer.isValid():
        log("note: PDOK WMTS not reachable (offline?); basemap kept as an unavailable layer")
    if project.addMapLayer(layer, False) is None:
        log("warning: could not add the basemap layer")
        return None
    node = group.addLayer(layer)
    node.setItemVisibilityChecked(False)
    return layer


def write_basemap_qlr(path):
    """The basemap as a QGIS layer definition (.qlr): dragged onto QGIS (or Layer > Add from
    Layer Definition File) it adds the PDOK layer, checked, to the current project. Written by
    QgsLayerDefinition itself so that QGIS reads it back; works offline too (the source is kept)."""
    from qgis.core import QgsLayerDefinition, QgsLayerTree
    tree = QgsLayerTree()
    layer = basemap_layer()
    tree.addLayer(layer)
    ok, err = QgsLayerDefinition.exportLayerDefinition(path, tree.children())
    if not ok:
        log("error: cannot write {}: {}".format(path, err))
        return 1
    log("wrote " + path)
    return 0


# ----------------------------------------------------------------------------- layout
# Layers the Temporal Controller animates: (start, end) expressions. A signal lasts its
# observation window (an instant when waargenomen_tot is empty); an incident its whole day
# (QGIS shows a feature in a frame when start <= frame end and end > frame start).
TEMPORAL_LAYERS = {
    "signalen": ('"waargenomen_van"', 'coalesce("waargenomen_tot", "waargenomen_van")'),
    "incidenten": ('to_datetime("datum")', 'to_datetime("datum") + to_interval(\'1 day\')'),
}


def as_datetime(value):
    """A QDateTime from what an aggregate returns (QDateTime, QDate or ISO text); None if none."""
    if isinstance(value, QDateTime):
        return value if value.isValid() else None
    if isinstance(value, QDate):
        return QDateTime(value, QTime(0, 0)) if value.isValid() else None
    if isinstance(value, str) and value:
        parsed = QDateTime.fromString(value[:19], Qt.ISODate)
        return parsed if parsed.isValid() else None
    return None


def set_temporal(project, added):
    """Gives the signal and incident layers temporal properties (feature start and end from
    expressions) and sets the project's time range to what they span, so that the Temporal
    Controller animates them from the first to the last."""
    ranges = []
    for name, (start, end) in TEMPORAL_LAYERS.items():
        layer = added.get(name)
        if layer is None:
            continue
        props = layer.temporalProperties()
        props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions)
        props.setStartExpression(start)
        props.setEndExpression(end)
        props.setIsActive(True)
        begin, ok_begin = layer.aggregate(QgsAggregateCalculator.Min, start)
        last, ok_end = layer.aggregate(QgsAggregateCalculator.Max, end)
        begin, last = as_datetime(begin), as_datetime(last)
        if ok_begin and ok_end and begin is not None and last is not None:
            ranges.append(QgsDateTimeRange(begin, last))
    if ranges:
        project.timeSettings().setTemporalRange(QgsDateTimeRange(
            min(r.begin() for r in ranges), max(r.end() for r in ranges)))
    return ranges


def set_start_view(project, extent_layers):
    """A project written without a map canvas has no saved view: QGIS would open it at 1:1 on
    an empty map. The default view (and "zoom full") is the municipality plus 5 %."""
    extent = QgsRectangle()
    for lyr in extent_layers:
        if lyr is not None and lyr.isValid() and not lyr.extent().isEmpty():
            extent.combineExtentWith(lyr.extent())
    if extent.isEmpty():
        return
    extent.scale(1.05)
    view = QgsReferencedRectangle(extent, project.crs())
    project.viewSettings().setDefaultViewExtent(view)
    project.viewSettings().setPresetFullExtent(view)


def build_layout(project, template, extent_layers, legend_skip):
    layout = QgsPrintLayout(project)
    doc = QDomDocument()
    with open(template, "rb") as f:
        if not doc.setContent(f.read()):
            raise RuntimeError("cannot parse " + template)
    _, ok = layout.loadFromTemplate(doc, QgsReadWriteContext())
    if not ok:
        raise RuntimeError("cannot load template " + template)
    layout.setName("Kennissessie A4")
    m = layout.itemById("kaart")
    m.setCrs(project.crs())
    extent = QgsRectangle()
    for lyr in extent_layers:
        if lyr is not None and lyr.isValid() and not lyr.extent().isEmpty():
            extent.combineExtentWith(lyr.extent())
    if not extent.isEmpty():
        extent.scale(1.05)
        m.zoomToExtent(extent)  # keeps the item's size (setExtent() would change its height)

    legend = layout.itemById("legenda")
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.clear()
    # Only what is visible on the map, grouped as in the layer tree, without self-explanatory
    # context (roads, district outlines, basemap) so the legend fits an A4 column at 9 pt.
    for group in project.layerTreeRoot().children():
        if not isinstance(group, QgsLayerTreeGroup):
            continue
        visible = [n for n in group.findLayers() if n.isVisible() and n.layer() is not None
                   and n.layer().isValid() and n.layer().id() not in legend_skip]
        if len(visible) == 1:
            # A one-layer group: the layer's title is the heading.
            node = root.addLayer(visible[0].layer())
            QgsLegendRenderer.setNodeLegendStyle(node, QgsLegendStyle.Group)
            continue
        if not visible:
            continue
        target = root.addGroup(group.name())
        for n in visible:
            target.addLayer(n.layer())
    shorten_legend_labels(legend)
    legend.setLegendFilterByMapEnabled(True)
    legend.updateLegend()
    fit_legend(legend)
    project.layoutManager().addLayout(layout)
    return layout


def add_public_kennissessie(project, store, folder, title, subtitle, plugin_library):
    """The plugin's own Kennissessie layout, "Kennissessie (openbaar)": four A4 landscape pages
    (overview with the counts per buurt, hot spots of the masked points, trend per category,
    follow-up of reports) of the store's public layers only. Not rebuilt here: the native
    plugin's veldwacht:kennissessie runs with KEEP_LAYOUT on this project, so the layout is the
    one the plugin builds (plugin/ui/kennissessie.cpp). It adds the two layers its maps draw in
    an unchecked group of the layout's name, and writes its charts, kennissessie.pdf and the
    slides into `folder`; the export is recorded in the store's audit log, as every export is.

    Needs libveldwachtplugin.so (--plugin or $VELDWACHT_PLUGIN_LIBRARY) and the store's public
    layers (`veldwacht publiceer`); without either the project gets no such layout (a note).
    Returns the layout or None."""
    if not plugin_library or not os.path.exists(plugin_library):
        log("note: no Veldwacht plugin library (--plugin): no 'Kennissessie (openbaar)' layout")
        return None
    if not any(n.startswith("openbaar_") for n, has_geom in gpkg_layer_names(store) or []
               if has_geom):
        log("note: the store has no public layers (veldwacht publiceer): no 'Kennissessie "
            "(openbaar)' layout")
        return None
    import ctypes

    from qgis.core import QgsProcessingContext, QgsProcessingFeedback

    registry = QgsApplication.processingRegistry()
    if registry.algorithmById("veldwacht:kennissessie") is None:
        lib = ctypes.CDLL(plugin_library, mode=ctypes.RTLD_GLOBAL)
        lib.veldwacht_register_provider.restype = ctypes.c_int
        lib.veldwacht_register_provider()
    alg = registry.createAlgorithmById("veldwacht:kennissessie")
    if alg is None:
        log("error: " + plugin_library + " has no algorithm veldwacht:kennissessie")
        return None
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    params = {"STORE": store, "TITLE": title, "SUBTITLE": subtitle, "KEEP_LAYOUT": True,
              "OUTPUT_FOLDER": folder}
    results, ok = alg.run(params, context, feedback)
    if not ok:
        log("error: veldwacht:kennissessie failed: " + feedback.textLog().strip())
        return None
    log("Kennissessie (openbaar): {} pages, layers {}".format(results["PAGES"],
                                                               results["LAYERS"]))
    return project.layoutManager().layoutByName("Kennissessie (openbaar)")


RASTER_LEGEND_TITLES = {
    "density": "relatieve dichtheid",
    "dual_density": "signalen t.o.v. adressen",
}


def shorten_legend_labels(legend, max_chars=28):
    """Layout legend only: drop a long label's parenthesis ("Nieuwe hotspot (New Hot Spot)" ->
    "Nieuwe hotspot") so it fits the 70 mm column, and replace a raster's band name ("Band 1
    (Gray)") by what the ramp means. The layer panel keeps the full labels of the QML."""
    model = legend.model()
    for node in model.rootGroup().findLayers():
        layer = node.layer()
        nodes = model.layerLegendNodes(node, True)
        for i, legend_node in enumerate(nodes):
            text = legend_node.data(Qt.DisplayRole)
            if isinstance(layer, QgsRasterLayer) and i == 0 and isinstance(text, str):
                kind = guess_result_kind(os.path.basename(layer.source()), layer)
                QgsMapLayerLegendUtils.setLegendNodeUserLabel(
                    node, i, RASTER_LEGEND_TITLES.get(kind, text))
            elif isinstance(text, str) and len(text) > max_chars and " (" in text:
                QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, i, text.split(" (")[0])
        model.refreshLayerLegend(node)


LEGEND_STEPS = [  # (item pt, layer/group heading pt, symbol height mm), largest first
    (9, 11, 3.8), (8.5, 10.5, 3.5), (8, 10, 3.2), (7.5, 9.5, 3.0), (7, 9, 2.8)]


def fit_legend(legend):
    """Shrinks the legend's type one step at a time until it fits its frame (9 pt down to 7 pt),
    so many visible analyses do not run off the page; warns when even 7 pt is too tall."""
    frame = legend.sizeWithUnits()
    # QGIS sizes a legend to its contents only after it has been painted once (it needs the
    # map's scale and the filter-by-map result): paint a small preview first.
    QgsLayoutExporter(legend.layout()).renderPageToImage(0, QSize(400, 283))
    for item_pt, head_pt, symbol_h in LEGEND_STEPS:
        for style, size in ((QgsLegendStyle.Group, head_pt), (QgsLegendStyle.Subgroup, item_pt + 1),
                            (QgsLegendStyle.SymbolLabel, item_pt)):
            f = legend.styleFont(style)
            f.setPointSizeF(size)
            legend.setStyleFont(style, f)
        legend.setSymbolHeight(symbol_h)
        legend.setResizeToContents(True)
        legend.adjustBoxSize()
        needed = legend.sizeWithUnits().height()
        legend.setResizeToContents(False)
        legend.attemptResize(frame)
        if needed <= frame.height():
            return item_pt
    log("warning: the legend needs {:.0f} mm, the frame has {:.0f} mm; hide a layer or split "
        "the map".format(needed, frame.height()))
    return LEGEND_STEPS[-1][0]


def export(layout, pdf, png):
    exporter = QgsLayoutExporter(layout)
    results = {}
    if pdf:
        s = QgsLayoutExporter.PdfExportSettings()
        s.rasterizeWholeImage = False
        results[pdf] = exporter.exportToPdf(pdf, s)
    if png:
        s = QgsLayoutExporter.ImageExportSettings()
        s.dpi = 150
        results[png] = exporter.exportToImage(png, s)
    ok = True
    for path, res in results.items():
        if res != QgsLayoutExporter.Success:
            log("error: export to {} failed ({})".format(path, res))
            ok = False
        else:
            log("exported " + path)
    return ok


# ----------------------------------------------------------------------------- main
def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--store", default=os.path.join(REPO, "sample-data", "eemsdelta.gpkg"))
    p.add_argument("--out", default=os.path.join(HERE, "eemsdelta.qgz"))
    p.add_argument("--styles", default=os.path.join(REPO, "styles"))
    p.add_argument("--template", default=None,
                   help="default: STYLES/layouts/kennissessie_a4.qpt")
    p.add_argument("--results", action="append", default=[],
                   help="extra GeoPackage with result layers (repeatable)")
    p.add_argument("--raster", action="append", default=[],
                   help="density raster (repeatable); names containing 'dual' = dual density")
    p.add_argument("--show", default=DEFAULT_SHOW,
                   help="comma-separated result kinds (the first layer of each is checked on) "
                        "and/or result layer names (default: %(default)s)")
    p.add_argument("--hide", default="",
                   help="comma-separated store layers to start unchecked, e.g. signalen to "
                        "let a density surface speak")
    p.add_argument("--title", default=PROJECT_TITLE)
    p.add_argument("--subtitle", default=SUBTITLE)
    p.add_argument("--pdf", default=None, help="default: next to --out, *_kennissessie.pdf")
    p.add_argument("--png", default=None, help="default: next to --out, *_kennissessie.png")
    p.add_argument("--no-export", action="store_true")
    p.add_argument("--plugin", default=os.environ.get("VELDWACHT_PLUGIN_LIBRARY"),
                   help="libveldwachtplugin.so: adds the plugin's 'Kennissessie (openbaar)' "
                        "layout of the store's public layers (default $VELDWACHT_PLUGIN_LIBRARY)")
    p.add_argument("--with-basemap", action="store_true",
                   help="add the online PDOK basemap (unchecked) to the project; offline, QGIS "
                        "desktop then asks about an unavailable layer at start")
    p.add_argument("--write-basemap-qlr", metavar="QLR", nargs="?", const=BASEMAP_QLR,
                   help="only write the basemap layer definition (default %(const)s) and exit")
    return p.parse_args(argv)


def build_project(args):
    store = os.path.abspath(args.store)
    names = gpkg_layer_names(store) if os.path.exists(store) else None
    if names is None:
        log("error: cannot open store " + store)
        return 2
    styles = os.path.abspath(args.styles)
    template = args.template or os.path.join(styles, "layouts", "kennissessie_a4.qpt")
    out = os.path.abspath(args.out)
    os.makedirs(os.path.dirname(out), exist_ok=True)

    project = QgsProject.instance()
    project.clear()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:28992"))
    project.setTitle(args.title)
    project.writeEntry("Paths", "/Absolute", False)
    QgsExpressionContextUtils.setProjectVariable(project, "veldwacht_ondertitel", args.subtitle)
    # The project file must be next to its data for relative paths: set the name first.
    project.setFileName(out)

    root = project.layerTreeRoot()
    hidden = HIDDEN_STORE_LAYERS | {k.strip() for k in args.hide.split(",") if k.strip()}
    store_layers = {n for n, has_geom in names if has_geom}
    known = {lyr for _, layers in STORE_GROUPS for lyr in layers}
    groups = {}
    added = {}
    for gname, layers in STORE_GROUPS:
        group = root.addGroup(gname)
        groups[gname] = group
        for name in layers:
            if name not in store_layers:
                log("note: store has no layer " + name)
                continue
            added[name] = add_vector(project, group, store, name, LAYER_TITLES.get(name, name),
                                     os.path.join(styles, "layers", name + ".qml"),
                                     visible=name not in hidden)
    analyses = groups["Analyses"]
    show = Show(args.show)
    registered, registered_rasters = result_registry(store)
    risk_layers = add_risk_results(project, root, styles, store, registered, registered_rasters,
                                   show)
    # Registered results in the order the analyses ran (the first DBSCAN before the variants),
    # then any other result layer by name.
    planned = add_plan_layers(project, root, styles, store, registered, store_layers)
    results = [n for n in registered if n in store_layers and n not in planned] + \
        sorted(n for n in store_layers - known if n not in registered)
    results = [n for n in results if n not in risk_layers]
    for name in results:
        if not name.startswith(BOOKKEEPING_PREFIXES):
            add_result_vector(project, analyses, styles, store, name, show,
                              registered.get(name))
    for path, kind in registered_rasters:
        add_raster(project, analyses, styles, path, show, kind)
    for path in args.results:
        for name, has_geom in gpkg_layer_names(os.path.abspath(path)) or []:
            if has_geom and not name.startswith(BOOKKEEPING_PREFIXES):
                add_result_vector(project, analyses, styles, os.path.abspath(path), name, show)
    for path in args.raster:
        add_raster(project, analyses, styles, os.path.abspath(path), show)
    basemap = add_basemap(project, groups["Context"]) if args.with_basemap else None
    for gname, group in groups.items():
        group.setExpanded(gname in ("Signalen", "Analyses"))
        if not group.children():
            root.removeChildNode(group)

    extent_layers = [added.get("gemeenten")] if added.get("gemeenten") is not None else \
        [lyr for lyr in added.values() if lyr is not None]
    legend_skip = {lyr.id() for name, lyr in added.items()
                   if lyr is not None and name in LEGEND_SKIP}
    if basemap is not None:
        legend_skip.add(basemap.id())
    set_temporal(project, added)
    set_start_view(project, extent_layers)
    layout = build_layout(project, template, extent_layers, legend_skip)
    add_public_kennissessie(project, store, os.path.join(os.path.dirname(out), "kennissessie"),
                            "Kennissessie", args.subtitle, args.plugin)
    if not project.write(out):
        log("error: cannot write " + out)
        return 1
    log("wrote {} ({} layers)".format(out, len(project.mapLayers())))
    ok = True
    if not args.no_export:
        stem = os.path.splitext(out)[0] + "_kennissessie"
        ok = export(layout, args.pdf or stem + ".pdf", args.png or stem + ".png")
    return 0 if ok else 1


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        rc = write_basemap_qlr(os.path.abspath(args.write_basemap_qlr)) \
            if args.write_basemap_qlr else build_project(args)
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
    return rc


if __name__ == "__main__":
    sys.exit(main())
