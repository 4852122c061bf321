#!/usr/bin/python3
"""Generate styles/layouts/kennissessie_a4.qpt, the A4 landscape print layout for knowledge
sessions, with PyQGIS (QGIS 3.22). Like build_styles.py: QGIS writes the template itself, so the
file is exactly what QGIS reads back. Rerun after changing it:

    QT_QPA_PLATFORM=offscreen HOME=$(mktemp -d) /usr/bin/python3 styles/tools/build_layout.py

Layout (mm, A4 landscape 297 x 210): title and subtitle across the top, the map on the left
(205 x 150), a right column with the legend and the date, and under the map the scale bar, the
source credit and a framed privacy note. Fonts are large enough to read from the back of a room on a projector
(title 22 pt, legend items 9-10 pt). Item ids are a contract (styles/README.md): make_project.py
and the plugin fill `kaart`, `legenda` and `titel` by id.
"""

import os
import sys

# Qt writes XML attributes in hash order; a fixed seed makes regenerated files diff cleanly.
os.environ.setdefault("QT_HASH_SEED", "0")

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsRectangle,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsTextFormat,
    QgsUnitTypes,
    QgsLayoutItemPage,
    QgsScaleBarSettings,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QColor, QFont

STYLES_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from build_styles import stable_uuids  # noqa: E402
OUT = os.path.join(os.path.abspath(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv
                   else STYLES_DIR, "layouts", "kennissessie_a4.qpt")
FONT = "DejaVu Sans"

SOURCE_TEXT = "Bron: CBS / PDOK; synthetische gegevens Veldwacht"
PRIVACY_TEXT = (
    "Vertrouwelijk – kan zachte informatie bevatten (AVG, Wpg). Niet openbaar delen. Publiceer "
    "alleen geaggregeerd (cellen met minder dan 5 meldingen onderdrukt) of gemaskeerd (elk punt "
    "dekt ten minste 8 adressen).")
DATE_EXPR = "Datum: [% format_date(now(), 'd MMMM yyyy', 'nl') %]"
TITLE_EXPR = "[% coalesce(nullif(@project_title, ''), 'Veldwacht – kaart') %]"
SUBTITLE_EXPR = "[% coalesce(@veldwacht_ondertitel, '') %]"


def font(size, bold=False, italic=False):
    f = QFont(FONT)
    f.setPointSizeF(size)
    f.setBold(bold)
    f.setItalic(italic)
    return f


def text_format(size, bold=False, colour="#1a1a1a"):
    fmt = QgsTextFormat()
    fmt.setFont(font(size, bold))
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    fmt.setColor(QColor(colour))
    return fmt


def place(item, x, y, w, h):
    item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters))
    item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))


def label(layout, item_id, text, x, y, w, h, size, bold=False, halign=Qt.AlignLeft,
          valign=Qt.AlignVCenter, colour="#1a1a1a"):
    lab = QgsLayoutItemLabel(layout)
    lab.setId(item_id)
    lab.setText(text)
    lab.setFont(font(size, bold))
    lab.setFontColor(QColor(colour))
    lab.setHAlign(halign)
    lab.setVAlign(valign)
    lab.setMode(QgsLayoutItemLabel.ModeFont)
    layout.addLayoutItem(lab)
    place(lab, x, y, w, h)
    return lab


def build(project):
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName("Kennissessie A4")
    page = layout.pageCollection().page(0)
    page.setPageSize("A4", QgsLayoutItemPage.Landscape)

    label(layout, "titel", TITLE_EXPR, 10, 6, 240, 12, 22, bold=True)
    label(layout, "ondertitel", SUBTITLE_EXPR, 10, 18, 240, 8, 12, colour="#404040")

    m = QgsLayoutItemMap(layout)
    m.setId("kaart")
    m.setFrameEnabled(True)
    m.setFrameStrokeWidth(QgsLayoutMeasurement(0.4, QgsUnitTypes.LayoutMillimeters))
    m.setFrameStrokeColor(QColor("#404040"))
    m.setBackgroundColor(QColor("#FFFFFF"))
    # RD New and the Eemsdelta sample region as a default; code zooms to its own data. Order
    # matters: a map item needs a size before setExtent() (else its extent stays empty/NaN), and
    # setExtent() changes the height to the extent's aspect, so resize again and zoomToExtent().
    eemsdelta = QgsRectangle(243000, 585000, 265000, 601000)
    layout.addLayoutItem(m)
    place(m, 10, 28, 205, 150)
    m.setCrs(QgsCoordinateReferenceSystem.fromEpsgId(28992))
    m.setExtent(eemsdelta)
    place(m, 10, 28, 205, 150)
    m.zoomToExtent(eemsdelta)

    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("noordpijl")
    arrow.setPicturePath("/usr/share/qgis/svg/arrows/NorthArrow_02.svg")
    arrow.setLinkedMap(m)
    arrow.setNorthMode(QgsLayoutItemPicture.GridNorth)
    arrow.setResizeMode(QgsLayoutItemPicture.Zoom)
    layout.addLayoutItem(arrow)
    place(arrow, 200, 31, 12, 16)

    legend = QgsLayoutItemLegend(layout)
    legend.setId("legenda")
    legend.setTitle("Legenda")
    legend.setLinkedMap(m)
    legend.setResizeToContents(False)
    legend.setColumnCount(1)
    legend.setSplitLayer(True)
    legend.setWrapString("")
    legend.setSymbolWidth(6)
    legend.setSymbolHeight(3.8)
    for style, size, bold in ((QgsLegendStyle.Title, 13, True), (QgsLegendStyle.Group, 11, True),
                              (QgsLegendStyle.Subgroup, 10, True),
                              (QgsLegendStyle.SymbolLabel, 9, False)):
        legend.setStyleFont(style, font(size, bold))
    legend.rstyle(QgsLegendStyle.Group).setMargin(QgsLegendStyle.Top, 2.5)
    legend.rstyle(QgsLegendStyle.Subgroup).setMargin(QgsLegendStyle.Top, 1.5)
    legend.rstyle(QgsLegendStyle.Symbol).setMargin(QgsLegendStyle.Top, 0.9)
    legend.rstyle(QgsLegendStyle.SymbolLabel).setMargin(QgsLegendStyle.Top, 0.9)
    legend.setBoxSpace(2)
    legend.setFrameEnabled(False)
    layout.addLayoutItem(legend)
    place(legend, 220, 28, 70, 164)

    privacy = label(layout, "privacy", PRIVACY_TEXT, 80, 188, 135, 14, 8, colour="#7A0000",
                    valign=Qt.AlignTop)
    privacy.setMarginX(2)
    privacy.setMarginY(1.5)
    privacy.setFrameEnabled(True)
    privacy.setFrameStrokeColor(QColor("#B2182B"))
    privacy.setFrameStrokeWidth(QgsLayoutMeasurement(0.3, QgsUnitTypes.LayoutMillimeters))
    privacy.setBackgroundEnabled(True)
    privacy.setBackgroundColor(QColor("#FFF5F0"))

    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("schaalbalk")
    bar.setStyle("Single Box")
    bar.setLinkedMap(m)
    bar.setUnits(QgsUnitTypes.DistanceKilometers)
    bar.setUnitLabel("km")
    # Not 1000: with units = km QGIS converts from the map's metres itself; this factor is an
    # extra multiplier (1000 here would label 2 km as "0.002").
    bar.setMapUnitsPerScaleBarUnit(1)
    bar.setNumberOfSegments(4)
    bar.setNumberOfSegmentsLeft(0)
    bar.setUnitsPerSegment(1)
    bar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFitWidth)
    bar.setMinimumBarWidth(35)
    bar.setMaximumBarWidth(60)
    bar.setHeight(2.5)
    bar.setTextFormat(text_format(9))
    bar.fillSymbol().setColor(QColor("#1a1a1a"))
    bar.alternateFillSymbol().setColor(QColor("#FFFFFF"))
    layout.addLayoutItem(bar)
    place(bar, 10, 181, 65, 13)

    label(layout, "bron", SOURCE_TEXT, 80, 180, 135, 7, 8, halign=Qt.AlignRight,
          colour="#404040")
    label(layout, "datum", DATE_EXPR, 220, 194, 70, 8, 10)
    return layout


def main():
    app = QgsApplication([], False)
    app.initQgis()
    try:
        project = QgsProject()
        layout = build(project)
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        if not layout.saveAsTemplate(OUT, QgsReadWriteContext()):
            raise RuntimeError("could not write " + OUT)
        stable_uuids(OUT, "layouts/kennissessie_a4.qpt")
        print("wrote", OUT)
        del layout
        del project
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
