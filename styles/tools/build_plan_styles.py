#!/usr/bin/python3
"""Generate the planning result styles with PyQGIS, using the helpers of build_styles.py:
results/plan_routes.qml (categorised per partner), results/plan_bezoeken.qml (day/night),
results/plan_vervallen.qml (mandatory or not) and results/areas_gebieden.qml (per area).

    QT_QPA_PLATFORM=offscreen HOME=$(mktemp -d) /usr/bin/python3 styles/tools/build_plan_styles.py

Partners get the Okabe-Ito colours and Paul Tol's muted scheme by their number (P01..P12 of the
sample region, and any id ending in the same digits), with a dash pattern changing every eight so
colour is never the only cue; other ids get a neutral grey.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_styles as bs  # noqa: E402

from qgis.core import QgsApplication, QgsRuleBasedRenderer  # noqa: E402
from qgis.PyQt.QtCore import Qt  # noqa: E402

PARTNER_COLOURS = [bs.OI_ORANGE, bs.OI_SKY, bs.OI_GREEN, bs.OI_BLUE, bs.OI_VERMILLION,
                   bs.OI_PURPLE, "#332288", "#117733", "#882255", "#44AA99", "#999933", "#AA4499"]


def style_plan_routes():
    lyr = bs.mem_layer("LineString", ["partner_id:string", "dienst:string", "n_bezoeken:integer"])
    cats = []
    for i, colour in enumerate(PARTNER_COLOURS):
        pid = "P{:02d}".format(i + 1)
        style = Qt.SolidLine if i < 8 else Qt.DashLine
        cats.append((pid, "Partner " + pid, bs.line(colour, width=1.0, style=style)))
    cats.append((None, "Andere partner", bs.line("#7F7F7F", width=1.0, style=Qt.DotLine)))
    lyr.setRenderer(bs.categorized("partner_id", cats))
    bs.save(lyr, "results/plan_routes.qml")


def style_plan_bezoeken():
    lyr = bs.mem_layer("Point", ["dag_nacht:string", "volgorde:integer", "partner_id:string"])
    cats = [("dag", "Bezoek overdag", bs.marker(bs.OI_YELLOW, "circle", 3.6)),
            ("nacht", "Bezoek in het donker", bs.marker("#1B2A49", "square", 3.4,
                                                         outline="#FFFFFF")),
            (None, "Anders", bs.marker("#9E9E9E", "circle", 3.0))]
    lyr.setRenderer(bs.categorized("dag_nacht", cats))
    bs.labels(lyr, "volgorde", 8)
    bs.save(lyr, "results/plan_bezoeken.qml")


def style_plan_vervallen():
    lyr = bs.mem_layer("Point", ["verplicht:integer", "reden:string", "site_id:string"])
    root = QgsRuleBasedRenderer.Rule(None)
    for expr, label, sym in [
            ('if("verplicht", 1, 0) = 1', "Verplicht bezoek vervallen",
             bs.marker(bs.OI_VERMILLION, "cross_fill", 4.2)),
            ('if("verplicht", 1, 0) = 0', "Bezoek vervallen",
             bs.marker("#8C8C8C", "cross_fill", 3.2))]:
        root.appendChild(QgsRuleBasedRenderer.Rule(sym, 0, 0, expr, label))
    lyr.setRenderer(QgsRuleBasedRenderer(root))
    bs.save(lyr, "results/plan_vervallen.qml")


def style_areas_gebieden():
    lyr = bs.mem_layer("MultiPolygon", ["gebied:integer", "partner_id:string",
                                        "afwijking_pct:double"])
    cats = [(str(i + 1), "Gebied {} (en elk 8e verder)".format(i + 1),
             bs.fill(colour, 90, "#333333", 0.5))
            for i, colour in enumerate(PARTNER_COLOURS[:8])]
    lyr.setRenderer(bs.categorized('to_string(("gebied" - 1) % 8 + 1)', cats))
    bs.labels(lyr, "partner_id", 9, bold=True)
    bs.save(lyr, "results/areas_gebieden.qml")


def main():
    app = QgsApplication([], False)
    app.initQgis()
    try:
        style_plan_routes()
        style_plan_bezoeken()
        style_plan_vervallen()
        style_areas_gebieden()
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
