#!/usr/bin/python3
"""Generate every QML style under styles/layers and styles/results with PyQGIS.

Why a generator: QML written by QGIS itself is guaranteed to load in the QGIS that wrote it
(3.22 here) and carries every attribute QGIS expects; hand-written QML silently loses parts.
The committed .qml files are the product; rerun this after changing a palette:

    QT_QPA_PLATFORM=offscreen HOME=$(mktemp -d) /usr/bin/python3 styles/tools/build_styles.py

Cartographic choices (projector at a knowledge session, colour-blind viewers in the room):
- qualitative colours from Okabe & Ito (2008, "Color Universal Design") and Paul Tol's muted
  scheme (Tol 2021, SRON/EPS/TN/09-002), and every category also gets its own marker shape, so
  colour is never the only cue;
- sequential/diverging colours from ColorBrewer schemes marked colour-blind safe (Brewer 2003)
  and the perceptually uniform magma ramp (van der Walt & Smith 2015);
- strokes >= 0.3 mm, markers >= 3 mm, label text >= 8 pt with a 1 mm white halo;
- legend labels in Dutch.
"""

import os
import re
import sys
import tempfile
import uuid

# Qt writes XML attributes in hash order; a fixed seed makes regenerated files diff cleanly.
os.environ.setdefault("QT_HASH_SEED", "0")

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsClassificationCustom,
    QgsColorRampLegendNodeSettings,
    QgsColorRampShader,
    QgsFillSymbol,
    QgsGradientColorRamp,
    QgsGradientStop,
    QgsGraduatedSymbolRenderer,
    QgsLineSymbol,
    QgsMapLayer,
    QgsMarkerLineSymbolLayer,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRasterLayer,
    QgsRasterMinMaxOrigin,
    QgsRectangle,
    QgsRasterShader,
    QgsRendererCategory,
    QgsRendererRange,
    QgsRuleBasedRenderer,
    QgsSimpleFillSymbolLayer,
    QgsSimpleLineSymbolLayer,
    QgsSimpleMarkerSymbolLayer,
    QgsSimpleMarkerSymbolLayerBase,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsSymbol,
    QgsSymbolLayer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsLinePatternFillSymbolLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

# Output root: the styles/ folder, or the folder given with --out (the tests regenerate into a
# temporary folder and compare with the committed files).
STYLES_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if "--out" in sys.argv:
    STYLES_DIR = os.path.abspath(sys.argv[sys.argv.index("--out") + 1])
FONT = "DejaVu Sans"

# Okabe-Ito (CUD) colours.
OI_BLACK = "#000000"
OI_ORANGE = "#E69F00"
OI_SKY = "#56B4E9"
OI_GREEN = "#009E73"
OI_YELLOW = "#F0E442"
OI_BLUE = "#0072B2"
OI_VERMILLION = "#D55E00"
OI_PURPLE = "#CC79A7"
# Paul Tol muted, for the two categories beyond Okabe-Ito's eight.
TOL_GREEN = "#117733"
TOL_INDIGO = "#332288"
OUTLINE = "#222222"
NOISE_GREY = "#9E9E9E"
NOT_SIGNIFICANT = "#D9D9D9"  # light grey fill, no outline, for "niet significant" cells

# One colour per cluster id, cycled; the shape changes every 7 ids, so 28 neighbours differ.
CLUSTER_COLOUR_EXPR = (
    "array_get(array('#E69F00','#56B4E9','#009E73','#0072B2','#D55E00','#CC79A7','#F0E442'), "
    "\"cluster_id\" % 7)"
)
CLUSTER_SHAPE_EXPR = (
    "array_get(array('circle','square','diamond','triangle'), floor(\"cluster_id\" / 7) % 4)"
)


def color(hex_code, alpha=255):
    c = QColor(hex_code)
    c.setAlpha(alpha)
    return c


# ----------------------------------------------------------------------------- symbols
def marker(fill, shape="circle", size=3.4, outline=OUTLINE, outline_width=0.3, alpha=255):
    sl = QgsSimpleMarkerSymbolLayer()
    sl.setShape(QgsSimpleMarkerSymbolLayerBase.decodeShape(shape)[0])
    sl.setSize(size)
    sl.setSizeUnit(QgsUnitTypes.RenderMillimeters)
    sl.setColor(color(fill, alpha))
    if outline is None:
        sl.setStrokeStyle(Qt.NoPen)
    else:
        sl.setStrokeColor(QColor(outline))
        sl.setStrokeWidth(outline_width)
        sl.setStrokeWidthUnit(QgsUnitTypes.RenderMillimeters)
    sym = QgsMarkerSymbol()
    sym.changeSymbolLayer(0, sl)
    return sym


# Markers shrink at overview scales so hundreds of points over a whole municipality stay
# readable (600 signals at 1:200 000 overlap at full size); full size from 1:60 000 in.
OVERVIEW_FACTOR = ("CASE WHEN @map_scale > 150000 THEN 0.7 WHEN @map_scale > 60000 THEN 0.85 "
                   "ELSE 1 END")


def scale_aware(sym):
    """Gives every millimetre-sized simple marker layer of `sym` a size that follows
    OVERVIEW_FACTOR (map-unit layers such as the precision ring keep their own size)."""
    for sl in sym.symbolLayers():
        if isinstance(sl, QgsSimpleMarkerSymbolLayer) and \
                sl.sizeUnit() == QgsUnitTypes.RenderMillimeters and \
                not sl.dataDefinedProperties().isActive(QgsSymbolLayer.PropertySize):
            sl.setDataDefinedProperty(
                QgsSymbolLayer.PropertySize,
                QgsProperty.fromExpression("{} * ({})".format(sl.size(), OVERVIEW_FACTOR)))
    return sym


def line(stroke, width=0.4, style=Qt.SolidLine, alpha=255):
    sl = QgsSimpleLineSymbolLayer(color(stroke, alpha), width, style)
    sl.setWidthUnit(QgsUnitTypes.RenderMillimeters)
    sl.setPenCapStyle(Qt.RoundCap)
    sl.setPenJoinStyle(Qt.RoundJoin)
    sym = QgsLineSymbol()
    sym.changeSymbolLayer(0, sl)
    return sym


def fill(fill_hex, fill_alpha, stroke, stroke_width=0.3, stroke_style=Qt.SolidLine,
         brush=Qt.SolidPattern):
    sl = QgsSimpleFillSymbolLayer()
    if fill_hex is None:
        sl.setColor(QColor(0, 0, 0, 0))
        sl.setBrushStyle(Qt.NoBrush)
    else:
        sl.setColor(color(fill_hex, fill_alpha))
        sl.setBrushStyle(brush)
    if stroke is None:
        sl.setStrokeStyle(Qt.NoPen)
    else:
        sl.setStrokeColor(QColor(stroke))
        sl.setStrokeWidth(stroke_width)
        sl.setStrokeWidthUnit(QgsUnitTypes.RenderMillimeters)
        sl.setStrokeStyle(stroke_style)
    sl.setPenJoinStyle(Qt.RoundJoin)
    sym = QgsFillSymbol()
    sym.changeSymbolLayer(0, sl)
    return sym


def add_hatch(sym, hex_code, angle, distance=1.6, width=0.35):
    """Adds a line hatch over a fill: a second, non-colour cue between categories."""
    hatch = QgsLinePatternFillSymbolLayer()
    hatch.setLineAngle(angle)
    hatch.setDistance(distance)
    hatch.setDistanceUnit(QgsUnitTypes.RenderMillimeters)
    hatch.setLineWidth(width)
    hatch.setLineWidthUnit(QgsUnitTypes.RenderMillimeters)
    hatch.setColor(QColor(hex_code))
    hatch.subSymbol().symbolLayer(0).setWidth(width)
    hatch.subSymbol().symbolLayer(0).setColor(QColor(hex_code))
    sym.appendSymbolLayer(hatch)
    return sym


def text_format(size_pt, colour="#1a1a1a", bold=False, italic=False, halo_mm=1.0):
    fmt = QgsTextFormat()
    font = QFont(FONT)
    font.setBold(bold)
    font.setItalic(italic)
    fmt.setFont(font)
    fmt.setSize(size_pt)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor(colour))
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setSize(halo_mm)
    buf.setSizeUnit(QgsUnitTypes.RenderMillimeters)
    buf.setColor(QColor(255, 255, 255, 230))
    fmt.setBuffer(buf)
    return fmt


def labels(layer, expression, size_pt, colour="#1a1a1a", bold=False, italic=False,
           visible_below_scale=None, is_expression=False, placement=None):
    s = QgsPalLayerSettings()
    s.fieldName = expression
    s.isExpression = is_expression
    s.enabled = True
    s.setFormat(text_format(size_pt, colour, bold, italic))
    if placement is not None:
        s.placement = placement
    elif layer.geometryType() == 2:
        s.placement = QgsPalLayerSettings.OverPoint
    if visible_below_scale:
        s.scaleVisibility = True
        s.minimumScale = visible_below_scale  # most zoomed-out scale that still shows labels
        s.maximumScale = 1
    layer.setLabeling(QgsVectorLayerSimpleLabeling(s))
    layer.setLabelsEnabled(True)


def categorized(attr, cats):
    """cats: list of (value, label, symbol). value None = 'all other values'."""
    items = [QgsRendererCategory(v if v is not None else "", s, lab, True) for v, lab, s in cats]
    return QgsCategorizedSymbolRenderer(attr, items)


def graduated(attr, ranges):
    items = [QgsRendererRange(lo, hi, s, lab, True) for lo, hi, lab, s in ranges]
    r = QgsGraduatedSymbolRenderer(attr, items)
    r.setClassificationMethod(QgsClassificationCustom())
    return r


# ----------------------------------------------------------------------------- layers
def mem_layer(geom, fields):
    spec = "{}?crs=EPSG:28992&{}".format(geom, "&".join("field={}".format(f) for f in fields))
    lyr = QgsVectorLayer(spec, "tmp", "memory")
    assert lyr.isValid(), spec
    return lyr


SAVE_CATEGORIES = QgsMapLayer.Symbology | QgsMapLayer.Labeling | QgsMapLayer.Rendering


def stable_uuids(path, relpath):
    """Replaces the random {uuid}s QGIS writes (rule keys, item ids) by name-based ones, the same
    old uuid always by the same new one, so references inside the file stay intact and a rerun
    of the generator only shows real changes in `git diff`."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    mapping = {}

    def repl(m):
        if m.group(0) not in mapping:
            mapping[m.group(0)] = "{%s}" % uuid.uuid5(uuid.NAMESPACE_URL,
                                                      "veldwacht:%s:%d" % (relpath, len(mapping)))
        return mapping[m.group(0)]

    text = re.sub(r"\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}",
                  repl, text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def save(layer, relpath):
    path = os.path.join(STYLES_DIR, relpath)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    msg, ok = layer.saveNamedStyle(path, SAVE_CATEGORIES)
    if not ok:
        raise RuntimeError("could not save {}: {}".format(path, msg))
    stable_uuids(path, relpath)
    print("wrote", path)


SIGNAL_CATEGORIES = [
    # code, Dutch legend label, colour, shape, size
    ("DRUGSAFVAL", "Drugsafval (dumping, lozing)", OI_VERMILLION, "triangle", 3.8),
    ("DRUGSLAB", "Drugslab", OI_BLACK, "star", 5.0),
    ("HENNEP", "Hennepkwekerij", OI_GREEN, "diamond", 3.8),
    ("VERHUUR", "Verdachte verhuur", OI_ORANGE, "square", 3.2),
    ("ACTIVITEIT", "Activiteit bij leeg pand", OI_SKY, "circle", 3.4),
    ("OPSLAG", "Opslag / transport", OI_BLUE, "cross_fill", 3.8),
    ("HUISVESTING", "Huisvesting arbeidsmigranten", OI_YELLOW, "pentagon", 3.6),
    ("INTIMIDATIE", "Intimidatie / bedreiging", OI_PURPLE, "hexagon", 3.6),
    ("MILIEU", "Milieucriminaliteit", TOL_GREEN, "octagon", 3.6),
    ("BEDRIJFSPAND", "Signaal bedrijfspand", TOL_INDIGO, "square_with_corners", 3.4),
]

# Opacity follows the reliability grade: A and B solid, C and D fainter.
RELIABILITY_OPACITY = (
    "CASE WHEN \"betrouwbaarheid\" = 'A' THEN 100 WHEN \"betrouwbaarheid\" = 'B' THEN 90 "
    "WHEN \"betrouwbaarheid\" = 'C' THEN 65 ELSE 50 END"
)


def precision_ring():
    """A thin dashed circle of radius locatie_precisie_m (map units): where the spot may lie."""
    ring = QgsSimpleMarkerSymbolLayer()
    ring.setShape(QgsSimpleMarkerSymbolLayerBase.Circle)
    ring.setSize(0)
    ring.setSizeUnit(QgsUnitTypes.RenderMapUnits)
    ring.setColor(QColor(0, 0, 0, 0))
    ring.setStrokeColor(QColor(60, 60, 60, 170))
    ring.setStrokeWidth(0.25)
    ring.setStrokeWidthUnit(QgsUnitTypes.RenderMillimeters)
    ring.setStrokeStyle(Qt.DashLine)
    ring.setDataDefinedProperty(
        QgsSymbolLayer.PropertySize,
        QgsProperty.fromExpression("2 * coalesce(\"locatie_precisie_m\", 0)"))
    # Only where it adds something: a ring larger than the marker itself.
    ring.setDataDefinedProperty(
        QgsSymbolLayer.PropertyLayerEnabled,
        QgsProperty.fromExpression(
            "@map_scale <= 30000 AND "
            "coalesce(\"locatie_precisie_m\", 0) * 2 / @map_scale * 1000 > 4"))
    return ring


def style_signalen():
    lyr = mem_layer("Point", ["signaal_id:string", "categorie:string", "betrouwbaarheid:string",
                              "locatie_precisie_m:double", "status:string"])
    cats = []
    for code, label, col, shape, size in SIGNAL_CATEGORIES:
        outline = "#FFFFFF" if col == OI_BLACK else OUTLINE
        sym = marker(col, shape, size, outline=outline, outline_width=0.35)
        scale_aware(sym)
        sym.insertSymbolLayer(0, precision_ring())
        sym.setDataDefinedProperty(QgsSymbol.PropertyOpacity,
                                   QgsProperty.fromExpression(RELIABILITY_OPACITY))
        cats.append((code, label, sym))
    other = scale_aware(marker(NOISE_GREY, "circle", 3.0))
    other.setDataDefinedProperty(QgsSymbol.PropertyOpacity,
                                 QgsProperty.fromExpression(RELIABILITY_OPACITY))
    cats.append((None, "Overige / onbekende categorie", other))
    lyr.setRenderer(categorized("categorie", cats))
    save(lyr, "layers/signalen.qml")


def style_panden():
    lyr = mem_layer("MultiPolygon", ["bag_id:string", "is_schuur:integer", "status:string"])
    # An expression, not the raw field: GeoPackage BOOLEAN reads as bool or int depending on the
    # driver path, and categories match on the value's text ("true" vs "1").
    attr = "CASE WHEN \"is_schuur\" THEN 'schuur' ELSE 'overig' END"
    cats = [
        ("schuur", "Schuur / agrarisch gebouw", fill(OI_ORANGE, 200, "#8A5A00", 0.35)),
        ("overig", "Overig pand", fill("#D0D0D0", 220, "#8C8C8C", 0.2)),
    ]
    lyr.setRenderer(categorized(attr, cats))
    save(lyr, "layers/panden.qml")


def style_verblijfsobjecten():
    lyr = mem_layer("Point", ["bag_id:string", "gebruiksdoel:string"])
    sym = marker("#5A5A5A", "circle", 1.2, outline=None, alpha=160)
    lyr.setRenderer(QgsSingleSymbolRenderer(sym))
    # Addresses are a denominator, not a message: only drawn when zoomed in.
    lyr.setScaleBasedVisibility(True)
    lyr.setMinimumScale(25000)
    lyr.setMaximumScale(1)
    save(lyr, "layers/verblijfsobjecten.qml")


def style_vab():
    lyr = mem_layer("Point", ["vab_id:string", "leegstand:string"])
    cats = [
        ("leeg", "Leeg", marker(OI_VERMILLION, "square", 3.6)),
        ("deels_leeg", "Deels leeg", marker(OI_ORANGE, "half_square", 3.6)),
        ("anders_in_gebruik", "Anders in gebruik", marker(OI_BLUE, "diamond", 3.4)),
        ("gesloopt", "Gesloopt", marker("#7F7F7F", "cross2", 3.0, outline="#555555",
                                         outline_width=0.5)),
        ("onbekend", "Onbekend", marker("#FFFFFF", "square", 3.2, outline="#555555",
                                         outline_width=0.4)),
        (None, "Overige waarde", marker(NOISE_GREY, "circle", 2.6)),
    ]
    lyr.setRenderer(categorized("leegstand", [(v, lab, scale_aware(sym)) for v, lab, sym in cats]))
    save(lyr, "layers/vab.qml")


def style_bedrijventerreinen():
    lyr = mem_layer("MultiPolygon", ["rin_nummer:string", "plan_naam:string"])
    sym = fill(OI_BLUE, 40, OI_BLUE, 0.6)
    lyr.setRenderer(QgsSingleSymbolRenderer(sym))
    labels(lyr, "plan_naam", 9, colour="#00436B", italic=True, visible_below_scale=80000)
    save(lyr, "layers/bedrijventerreinen.qml")


def style_incidenten():
    lyr = mem_layer("Point", ["incident_id:string", "datum:date", "misdrijf_code:string"])
    halo = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Cross2, 3.2)
    halo.setStrokeColor(QColor("#FFFFFF"))
    halo.setStrokeWidth(1.0)
    top = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Cross2, 3.2)
    top.setStrokeColor(QColor("#1A1A1A"))
    top.setStrokeWidth(0.5)
    sym = QgsMarkerSymbol()
    sym.changeSymbolLayer(0, halo)
    sym.appendSymbolLayer(top)
    lyr.setRenderer(QgsSingleSymbolRenderer(scale_aware(sym)))
    save(lyr, "layers/incidenten.qml")


PARTNER_TYPES = [
    ("jager_wbe", "Jager / WBE", OI_GREEN, "triangle"),
    ("boer", "Boer", OI_ORANGE, "square"),
    ("loonbedrijf", "Loonbedrijf", OI_YELLOW, "pentagon"),
    ("boa", "BOA", OI_SKY, "diamond"),
    ("wijkagent", "Wijkagent", OI_BLUE, "circle"),
    ("gebiedsbeheerder", "Gebiedsbeheerder", OI_PURPLE, "hexagon"),
    ("politie", "Politie", TOL_INDIGO, "star"),
]


def style_partners():
    lyr = mem_layer("Point", ["partner_id:string", "naam:string", "partner_type:string"])
    cats = []
    for code, label, col, shape in PARTNER_TYPES:
        # A white ring round a dark outline: a "home base" reads differently from a signal.
        base = marker(col, shape, 4.0 if shape == "star" else 3.6, outline=OUTLINE,
                      outline_width=0.45)
        ring = QgsSimpleMarkerSymbolLayer(QgsSimpleMarkerSymbolLayerBase.Circle, 5.2)
        ring.setColor(QColor(255, 255, 255, 200))
        ring.setStrokeColor(QColor("#444444"))
        ring.setStrokeWidth(0.25)
        base.insertSymbolLayer(0, ring)
        cats.append((code, label, scale_aware(base)))
    cats.append((None, "Overige partner", marker(NOISE_GREY, "circle", 3.0)))
    lyr.setRenderer(categorized("partner_type", cats))
    save(lyr, "layers/partners.qml")


def style_partner_werkgebieden():
    lyr = mem_layer("MultiPolygon", ["partner_id:string", "naam:string"])
    sym = fill(OI_GREEN, 25, "#00704F", 0.5, Qt.DashLine)
    lyr.setRenderer(QgsSingleSymbolRenderer(sym))
    save(lyr, "layers/partner_werkgebieden.qml")


def style_gewaspercelen():
    # Context under the domain layers: faint fills by BRP category, no outlines to speak of.
    lyr = mem_layer("MultiPolygon", ["gewascode:integer", "gewas:string", "categorie:string"])
    cats = [
        ("Grasland", "Grasland", fill(TOL_GREEN, 45, TOL_GREEN, 0.1)),
        ("Bouwland", "Bouwland", fill(OI_YELLOW, 60, "#9C9000", 0.1)),
        ("Natuurterrein", "Natuurterrein", fill(OI_GREEN, 35, OI_GREEN, 0.1)),
        (None, "Overig (sloot, landschapselement, ...)", fill("#BDBDBD", 40, "#9E9E9E", 0.1)),
    ]
    lyr.setRenderer(categorized("categorie", cats))
    save(lyr, "layers/gewaspercelen.qml")


def style_admin(name, stroke, width, style, label_pt, bold, label_scale):
    lyr = mem_layer("MultiPolygon", ["code:string", "naam:string"])
    lyr.setRenderer(QgsSingleSymbolRenderer(fill(None, 0, stroke, width, style)))
    labels(lyr, "naam", label_pt, colour="#262626", bold=bold, visible_below_scale=label_scale)
    save(lyr, "layers/{}.qml".format(name))


ROAD_CLASSES = [
    # wegbehsrt, label, colour, width (mm)
    ("R", "Rijksweg", "#7A7A7A", 1.4),
    ("P", "Provinciale weg", "#8F8F8F", 1.0),
    ("G", "Gemeentelijke weg", "#ADADAD", 0.5),
    ("W", "Waterschapsweg", "#ADADAD", 0.45),
]


def dead_end_expr(end_field):
    """True when the junction at this end of the road segment occurs once in the whole layer.

    The concatenation of every junction id is an aggregate without @parent, so QGIS computes
    it once per render and caches it; each feature then only counts occurrences of its own
    ",id," in that string (ids are wrapped in commas on both sides so 12 never matches 112).
    """
    return (
        "try(with_variable('j', ',' || \"{f}\" || ',', "
        "with_variable('s', aggregate(layer:=@layer_id, aggregate:='concatenate', "
        "expression:=',' || \"jte_id_beg\" || ',,' || \"jte_id_end\" || ',', concatenator:=''), "
        "(length(@s) - length(replace(@s, @j, ''))) / length(@j) = 1)), false)"
    ).format(f=end_field)


def style_wegvakken():
    lyr = mem_layer("LineString", ["wvk_id:integer", "jte_id_beg:integer", "jte_id_end:integer",
                                   "wegbehsrt:string", "frc:string", "bst_code:string",
                                   "stt_naam:string"])
    root = QgsRuleBasedRenderer.Rule(None)
    # Bicycle/foot paths (bst_code FP, VP, ...) thin and dashed, whatever their road authority.
    cycle = QgsRuleBasedRenderer.Rule(
        line("#C4C4C4", 0.3, Qt.DashLine), 0, 0,
        "\"bst_code\" IN ('FP','VP','RP','BU','BUS','OVB','VDV','VDF','VZ')",
        "Fiets-/voetpad, busbaan")
    root.appendChild(cycle)
    for code, label, col, width in ROAD_CLASSES:
        sym = line(col, width)
        if code == "W":
            sym.symbolLayer(0).setPenStyle(Qt.DashDotLine)
        r = QgsRuleBasedRenderer.Rule(sym, 0, 0, "\"wegbehsrt\" = '{}'".format(code), label)
        root.appendChild(r)
    root.appendChild(QgsRuleBasedRenderer.Rule(line("#BDBDBD", 0.35), 0, 0, "ELSE",
                                               "Overige weg"))
    # Dead ends: where dumpings happen. A vermillion dot on the loose end, at local scales only.
    dot = marker(OI_VERMILLION, "circle", 2.0, outline="#FFFFFF", outline_width=0.35)
    ends = QgsLineSymbol()
    ends.deleteSymbolLayer(0)
    for placement, field in ((Qgis.MarkerLinePlacement.FirstVertex
                              if hasattr(Qgis, "MarkerLinePlacement")
                              else QgsMarkerLineSymbolLayer.FirstVertex, "jte_id_beg"),
                             (Qgis.MarkerLinePlacement.LastVertex
                              if hasattr(Qgis, "MarkerLinePlacement")
                              else QgsMarkerLineSymbolLayer.LastVertex, "jte_id_end")):
        ml = QgsMarkerLineSymbolLayer()
        ml.setPlacement(placement)
        ml.setSubSymbol(dot.clone())
        ml.setDataDefinedProperty(QgsSymbolLayer.PropertyLayerEnabled,
                                  QgsProperty.fromExpression(dead_end_expr(field)))
        ends.appendSymbolLayer(ml)
    dead = QgsRuleBasedRenderer.Rule(ends, 0, 30000, "", "Doodlopend wegeinde")
    root.appendChild(dead)
    lyr.setRenderer(QgsRuleBasedRenderer(root))
    labels(lyr, "stt_naam", 8, colour="#333333", visible_below_scale=15000,
           placement=QgsPalLayerSettings.Curved)
    save(lyr, "layers/wegvakken.qml")


# ----------------------------------------------------------------------------- results
def style_parks_incident_rate():
    lyr = mem_layer("MultiPolygon", ["rin_nummer:string", "plan_naam:string",
                                     "incidenten_per_ha:double"])
    # ColorBrewer OrRd 5 (colour-blind safe, sequential).
    ramp = ["#FEF0D9", "#FDCC8A", "#FC8D59", "#E34A33", "#B30000"]
    bounds = [(0, 0.1, "0 – 0,1"), (0.1, 0.25, "0,1 – 0,25"), (0.25, 0.5, "0,25 – 0,5"),
              (0.5, 1.0, "0,5 – 1"), (1.0, 1e9, "meer dan 1")]
    ranges = [(lo, hi, "{} incidenten per ha".format(lab), fill(c, 230, "#404040", 0.4))
              for (lo, hi, lab), c in zip(bounds, ramp)]
    lyr.setRenderer(graduated("incidenten_per_ha", ranges))
    labels(lyr, "plan_naam", 9, colour="#262626", italic=True, visible_below_scale=80000)
    save(lyr, "results/parks_incident_rate.qml")


def style_clusters_points():
    lyr = mem_layer("Point", ["cluster_id:integer"])
    root = QgsRuleBasedRenderer.Rule(None)
    noise = marker(NOISE_GREY, "circle", 2.0, outline=None, alpha=190)
    root.appendChild(QgsRuleBasedRenderer.Rule(noise, 0, 0, "\"cluster_id\" = -1 OR \"cluster_id\" IS NULL",
                                               "Ruis (geen cluster)"))
    sym = marker(OI_ORANGE, "circle", 3.4, outline=OUTLINE, outline_width=0.3)
    sl = sym.symbolLayer(0)
    sl.setDataDefinedProperty(QgsSymbolLayer.PropertyFillColor,
                              QgsProperty.fromExpression(CLUSTER_COLOUR_EXPR))
    sl.setDataDefinedProperty(QgsSymbolLayer.PropertyName,
                              QgsProperty.fromExpression(CLUSTER_SHAPE_EXPR))
    root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, "\"cluster_id\" >= 0",
                                               "In cluster (kleur/vorm per cluster)"))
    lyr.setRenderer(QgsRuleBasedRenderer(root))
    save(lyr, "results/clusters_points.qml")


def style_clusters_hulls():
    lyr = mem_layer("Polygon", ["cluster_id:integer"])
    sym = fill(OI_ORANGE, 45, OI_ORANGE, 0.6)
    sl = sym.symbolLayer(0)
    sl.setDataDefinedProperty(
        QgsSymbolLayer.PropertyFillColor,
        QgsProperty.fromExpression("set_color_part({}, 'alpha', 50)".format(CLUSTER_COLOUR_EXPR)))
    sl.setDataDefinedProperty(QgsSymbolLayer.PropertyStrokeColor,
                              QgsProperty.fromExpression(CLUSTER_COLOUR_EXPR))
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, "\"cluster_id\" >= 0",
                                               "Clusteromhulling"))
    lyr.setRenderer(QgsRuleBasedRenderer(root))
    labels(lyr, "'Cluster ' || \"cluster_id\"", 9, colour="#1a1a1a", bold=True,
           is_expression=True, visible_below_scale=100000)
    save(lyr, "results/clusters_hulls.qml")


def style_grid_counts():
    lyr = mem_layer("Polygon", ["aantal:integer"])
    # ColorBrewer YlOrRd 5. Zero cells fall in no class: not drawn, not in the legend.
    ramp = ["#FFFFB2", "#FECC5C", "#FD8D3C", "#F03B20", "#BD0026"]
    bounds = [(0.5, 4.5, "1 – 4 (niet publiceren: < 5)"), (4.5, 9.5, "5 – 9"),
              (9.5, 19.5, "10 – 19"), (19.5, 49.5, "20 – 49"), (49.5, 1e9, "50 of meer")]
    ranges = [(lo, hi, lab, fill(c, 200, "#FFFFFF", 0.15)) for (lo, hi, lab), c in zip(bounds, ramp)]
    r = graduated("aantal", ranges)
    lyr.setRenderer(r)
    save(lyr, "results/grid_counts.qml")


GI_BINS = [
    # gi_bin, label, ColorBrewer RdBu 7 (colour-blind safe diverging)
    (-3, "Coldspot 99% betrouwbaarheid", "#2166AC"),
    (-2, "Coldspot 95% betrouwbaarheid", "#67A9CF"),
    (-1, "Coldspot 90% betrouwbaarheid", "#D1E5F0"),
    (0, "Niet significant", "#F7F7F7"),
    (1, "Hotspot 90% betrouwbaarheid", "#FDDBC7"),
    (2, "Hotspot 95% betrouwbaarheid", "#EF8A62"),
    (3, "Hotspot 99% betrouwbaarheid", "#B2182B"),
]


def style_hotspots_gi():
    lyr = mem_layer("Polygon", ["gi_z:double", "gi_p:double", "gi_bin:integer"])
    cats = []
    for b, lab, col in GI_BINS:
        if b == 0:
            # No outline: a mesh of empty cells over the whole grid is noise on a projector.
            sym = fill(NOT_SIGNIFICANT, 80, None)
        else:
            sym = fill(col, 215, "#FFFFFF" if abs(b) < 3 else "#404040", 0.2)
        cats.append((b, lab, sym))
    lyr.setRenderer(categorized("gi_bin", cats))
    save(lyr, "results/hotspots_gi.qml")


LISA = [
    ("HH", "Hoog-Hoog (hotspot)", "#B2182B"),
    ("LL", "Laag-Laag (coldspot)", "#2166AC"),
    ("HL", "Hoog-Laag (uitschieter)", "#F4A582"),
    ("LH", "Laag-Hoog (uitschieter)", "#92C5DE"),
    ("NS", "Niet significant", "#F0F0F0"),
]


def style_local_moran():
    lyr = mem_layer("Polygon", ["lisa_type:string", "lisa_i:double", "lisa_p:double"])
    cats = []
    for code, lab, col in LISA:
        sym = fill(NOT_SIGNIFICANT, 80, None) if code == "NS" else fill(col, 215, "#FFFFFF", 0.2)
        if code in ("HL", "LH"):
            # Outliers get a hatch so they differ from the clusters by more than lightness.
            add_hatch(sym, "#B2182B" if code == "HL" else "#2166AC", 45 if code == "HL" else 135)
        cats.append((code, lab, sym))
    lyr.setRenderer(categorized("lisa_type", cats))
    save(lyr, "results/local_moran.qml")


# ArcGIS Emerging Hot Spot Analysis pattern names (the PATTERN field), in the order ArcGIS lists
# them. Value written to `categorie` = the English name exactly.
EMERGING_PATTERNS = [
    ("New", "Nieuwe"),
    ("Consecutive", "Opeenvolgende"),
    ("Intensifying", "Toenemende"),
    ("Persistent", "Aanhoudende"),
    ("Diminishing", "Afnemende"),
    ("Sporadic", "Sporadische"),
    ("Oscillating", "Wisselende"),
    ("Historical", "Historische"),
]
# Within a family (reds for hot, blues for cold, ColorBrewer Reds/Blues) darker = more current and
# more persistent; the later patterns also get a hatch so no two categories share fill and pattern.
HOT_FILLS = ["#FC9272", "#FB6A4A", "#DE2D26", "#A50F15", "#FC9272", "#FCBBA1", "#FB6A4A", "#FEE0D2"]
COLD_FILLS = ["#9ECAE1", "#6BAED6", "#3182BD", "#08519C", "#9ECAE1", "#C6DBEF", "#6BAED6", "#DEEBF7"]
PATTERN_HATCH = [None, None, None, None, 45, 135, "cross", 0]


def style_emerging_hotspots():
    lyr = mem_layer("Polygon", ["categorie:string"])
    cats = []
    for family, fills, dark, nl in (("Hot Spot", HOT_FILLS, "#67000D", "hotspot"),
                                    ("Cold Spot", COLD_FILLS, "#08306B", "coldspot")):
        for (en, nl_adj), col, hatch in zip(EMERGING_PATTERNS, fills, PATTERN_HATCH):
            value = "{} {}".format(en, family)
            sym = fill(col, 225, "#FFFFFF", 0.2)
            if hatch == "cross":
                add_hatch(sym, dark, 45, 2.0, 0.3)
                add_hatch(sym, dark, 135, 2.0, 0.3)
            elif hatch is not None:
                add_hatch(sym, dark, hatch, 1.8, 0.35)
            cats.append((value, "{} {} ({})".format(nl_adj, nl, value), sym))
    cats.append(("No Pattern Detected", "Geen patroon (No Pattern Detected)",
                 fill(NOT_SIGNIFICANT, 80, None)))
    lyr.setRenderer(categorized("categorie", cats))
    save(lyr, "results/emerging_hotspots.qml")


# Raster ramps.
# density.qml is adaptive: the magma ramp (reversed, high = dark; lowest 5 % transparent) is
# stretched over the min..max of what the map shows (QGIS "min/max, updated canvas"), so it fits
# any KDE unit (raw, QGIS-scaled, per km²) and works as the sidecar .qml next to a GeoTIFF.
# dual_density.qml is absolute: layers/analyses writes log2(ratio / regional ratio) clamped to
# [-4, 4], so 0 = as the addresses predict, ±1 = twice/half, ±4 = 16x.
DENSITY_RAMP = [  # position 0..1, colour, alpha
    (0.0, "#FCFDBF", 0), (0.05, "#FCFDBF", 0), (0.1, "#FCFDBF", 150), (0.3, "#FE9F6D", 180),
    (0.55, "#DE4968", 200), (0.8, "#8C2981", 215), (1.0, "#3B0F70", 225)]
DUAL_STOPS = [  # log2 ratio, ColorBrewer RdBu colour, alpha. "Fewer than expected" is fainter:
    # at a knowledge session the places with MORE signals than the addresses explain matter, and
    # empty countryside (log2 clamped to -4) would otherwise flood the map blue.
    (-4.0, "#2166AC", 140), (-2.0, "#67A9CF", 110), (-1.0, "#D1E5F0", 70),
    (-0.3, "#F7F7F7", 0), (0.3, "#F7F7F7", 0),
    (1.0, "#FDDBC7", 140), (2.0, "#EF8A62", 200), (4.0, "#B2182B", 230),
]


def tiny_raster():
    from osgeo import gdal
    path = os.path.join(tempfile.mkdtemp(), "r.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 4, 4, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((250000, 100, 0, 600000, 0, -100))
    ds.GetRasterBand(1).Fill(0.5)
    ds.GetRasterBand(1).SetNoDataValue(-9999)
    ds = None
    lyr = QgsRasterLayer(path, "r", "gdal")
    assert lyr.isValid()
    return lyr


def style_density():
    lyr = tiny_raster()
    (_, c1, a1), (_, c2, a2) = DENSITY_RAMP[0], DENSITY_RAMP[-1]
    ramp = QgsGradientColorRamp(color(c1, a1), color(c2, a2), False,
                                [QgsGradientStop(t, color(c, a)) for t, c, a in DENSITY_RAMP[1:-1]])
    fcn = QgsColorRampShader(0.0, 1.0, ramp, QgsColorRampShader.Interpolated,
                             QgsColorRampShader.Continuous)
    fcn.classifyColorRamp(0, -1, QgsRectangle(), None)
    fcn.setClip(False)
    legend = QgsColorRampLegendNodeSettings()
    legend.setUseContinuousLegend(True)
    legend.setMinimumLabel("laag")
    legend.setMaximumLabel("hoog")
    fcn.setLegendSettings(legend)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(fcn)
    r = QgsSingleBandPseudoColorRenderer(lyr.dataProvider(), 1, shader)
    origin = QgsRasterMinMaxOrigin()
    origin.setLimits(QgsRasterMinMaxOrigin.MinMax)
    origin.setExtent(QgsRasterMinMaxOrigin.UpdatedCanvas)
    origin.setStatAccuracy(QgsRasterMinMaxOrigin.Estimated)
    r.setMinMaxOrigin(origin)
    r.setClassificationMin(0.0)
    r.setClassificationMax(1.0)
    lyr.setRenderer(r)
    save(lyr, "results/density.qml")


def style_dual_density():
    lyr = tiny_raster()
    fcn = QgsColorRampShader(DUAL_STOPS[0][0], DUAL_STOPS[-1][0])
    fcn.setColorRampType(QgsColorRampShader.Interpolated)
    fcn.setClip(False)
    items = [QgsColorRampShader.ColorRampItem(v, color(c, a), "") for v, c, a in DUAL_STOPS]
    fcn.setColorRampItemList(items)
    legend = QgsColorRampLegendNodeSettings()
    legend.setUseContinuousLegend(True)  # one compact ramp, labelled at both ends
    legend.setMinimumLabel("16x minder signalen dan gemiddeld")
    legend.setMaximumLabel("16x meer")
    fcn.setLegendSettings(legend)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(fcn)
    r = QgsSingleBandPseudoColorRenderer(lyr.dataProvider(), 1, shader)
    r.setClassificationMin(DUAL_STOPS[0][0])
    r.setClassificationMax(DUAL_STOPS[-1][0])
    lyr.setRenderer(r)
    save(lyr, "results/dual_density.qml")


# Risk terrain (layers/risk): the relative-risk map is absolute, the product of the relative
# risk values of the factors present (1 = no factor, e.g. 4 = four times the signals of a cell
# without factors), in classes that double; cells at or below 1 are not drawn.
RISK_CLASSES = [  # upper bound, legend label, ColorBrewer OrRd 5, alpha
    (1.0, "1 of lager (geen risicofactor)", "#FEF0D9", 0),
    (2.0, "1 – 2 x zoveel signalen", "#FDCC8A", 150),
    (4.0, "2 – 4 x", "#FC8D59", 190),
    (8.0, "4 – 8 x", "#E34A33", 215),
    (1e9, "8 x of meer", "#B30000", 235)]


def style_risk_relatief():
    lyr = tiny_raster()
    fcn = QgsColorRampShader(0.0, 16.0)
    fcn.setColorRampType(QgsColorRampShader.Discrete)
    fcn.setClip(False)
    fcn.setColorRampItemList([QgsColorRampShader.ColorRampItem(v, color(c, a), lab)
                              for v, lab, c, a in RISK_CLASSES])
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(fcn)
    r = QgsSingleBandPseudoColorRenderer(lyr.dataProvider(), 1, shader)
    r.setClassificationMin(0.0)
    r.setClassificationMax(16.0)
    lyr.setRenderer(r)
    save(lyr, "results/risk_relatief.qml")


def style_risk_adreslijst():
    """The address-check list (VERTROUWELIJK): points graduated by score, the top 20 labelled
    with their rank so a coordinator can read the order off the map."""
    lyr = mem_layer("Point", ["rang:integer", "score:double", "adres:string"])
    ramp = ["#FDCC8A", "#FC8D59", "#E34A33", "#B30000"]
    bounds = [(0, 3, "score < 3", 3.0), (3, 5, "3 – 5", 3.8), (5, 8, "5 – 8", 4.6),
              (8, 1e9, "8 of meer", 5.4)]
    ranges = [(lo, hi, lab, marker(c, "diamond", size, outline="#202020", outline_width=0.4))
              for (lo, hi, lab, size), c in zip(bounds, ramp)]
    lyr.setRenderer(graduated("score", ranges))
    labels(lyr, 'CASE WHEN "rang" <= 20 THEN "rang" END', 8, colour="#202020", bold=True,
           is_expression=True)
    save(lyr, "results/risk_adreslijst.qml")


# ----------------------------------------------------------------------------- public layers
# The public face of a store (layers/privacy/public_layers.h), shown at knowledge sessions:
# large, legible classes; a suppressed count is visibly "not shown", never blank or zero.
PUBLIC_COUNT_CLASSES = [
    # lower, upper (exclusive), legend, ColorBrewer YlOrRd (the 5+ part of grid_counts)
    (5, 10, "5 – 9 signalen", "#FECC5C"),
    (10, 20, "10 – 19 signalen", "#FD8D3C"),
    (20, 50, "20 – 49 signalen", "#F03B20"),
    (50, None, "50 of meer signalen", "#BD0026"),
]


def style_openbaar_per_gebied():
    """Counts per buurt, wijk and gemeente in one layer (field `niveau`): the buurten are filled
    by class and labelled with their count, suppressed buurten are grey and hatched ("minder dan
    5 of afgeschermd"), wijk and gemeente are drawn as outlines only (their counts are in the
    attribute table), so the three levels never stack their fills."""
    lyr = mem_layer("MultiPolygon", ["niveau:string", "code:string", "naam:string",
                                     "hoort_bij:string", "aantal:integer", "onderdrukt:integer"])
    root = QgsRuleBasedRenderer.Rule(None)
    buurt = "\"niveau\" = 'buurt'"
    root.appendChild(QgsRuleBasedRenderer.Rule(
        fill("#FFFFF0", 255, "#9A9A9A", 0.25), 0, 0,
        "{} AND \"aantal\" = 0".format(buurt), "Geen signalen"))
    for lo, hi, label, colour in PUBLIC_COUNT_CLASSES:
        expr = "{} AND \"aantal\" >= {}".format(buurt, lo)
        if hi is not None:
            expr += " AND \"aantal\" < {}".format(hi)
        root.appendChild(QgsRuleBasedRenderer.Rule(fill(colour, 220, "#FFFFFF", 0.25), 0, 0,
                                                   expr, label))
    hidden = add_hatch(fill("#D9D9D9", 255, "#9A9A9A", 0.25), "#7F7F7F", 45)
    root.appendChild(QgsRuleBasedRenderer.Rule(
        hidden, 0, 0, "{} AND \"aantal\" IS NULL".format(buurt),
        "Niet getoond (minder dan 5, of afgeschermd)"))
    root.appendChild(QgsRuleBasedRenderer.Rule(
        fill(None, 0, "#3C3C3C", 0.6, Qt.DashLine), 0, 0, "\"niveau\" = 'wijk'", "Wijkgrens"))
    root.appendChild(QgsRuleBasedRenderer.Rule(
        fill(None, 0, "#1A1A1A", 1.2), 0, 0, "\"niveau\" = 'gemeente'", "Gemeentegrens"))
    lyr.setRenderer(QgsRuleBasedRenderer(root))
    labels(lyr, "CASE WHEN \"niveau\" = 'buurt' THEN coalesce(to_string(\"aantal\"), '–') END",
           10, colour="#1a1a1a", bold=True, is_expression=True, visible_below_scale=120000)
    save(lyr, "results/openbaar_per_gebied.qml")


def style_openbaar_gemaskeerd():
    """Masked points: the signal categories' colours and shapes (so the room reads them as the
    same categories), one size, no reliability opacity and no precision ring (the layer carries
    only the category: a masked point has no exact spot)."""
    lyr = mem_layer("Point", ["categorie:string"])
    cats = []
    for code, label, col, shape, size in SIGNAL_CATEGORIES:
        outline = "#FFFFFF" if col == OI_BLACK else OUTLINE
        cats.append((code, label, scale_aware(marker(col, shape, size, outline=outline,
                                                     outline_width=0.35))))
    cats.append((None, "Overige / onbekende categorie",
                 scale_aware(marker(NOISE_GREY, "circle", 3.0))))
    lyr.setRenderer(categorized("categorie", cats))
    save(lyr, "results/openbaar_gemaskeerd.qml")


def main():
    app = QgsApplication([], False)
    app.initQgis()
    try:
        style_signalen()
        style_panden()
        style_verblijfsobjecten()
        style_vab()
        style_bedrijventerreinen()
        style_incidenten()
        style_partners()
        style_partner_werkgebieden()
        style_gewaspercelen()
        # Boundaries darker than the (light grey) roads, so the two never read alike.
        style_admin("gemeenten", "#2E2E2E", 1.1, Qt.SolidLine, 12, True, None)
        style_admin("wijken", "#3C3C3C", 0.6, Qt.DashLine, 9, False, 100000)
        style_admin("buurten", "#5A5A5A", 0.35, Qt.DotLine, 8, False, 40000)
        style_wegvakken()
        style_parks_incident_rate()
        style_clusters_points()
        style_clusters_hulls()
        style_grid_counts()
        style_hotspots_gi()
        style_local_moran()
        style_emerging_hotspots()
        style_density()
        style_dual_density()
        style_risk_relatief()
        style_risk_adreslijst()
        style_openbaar_per_gebied()
        style_openbaar_gemaskeerd()
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
