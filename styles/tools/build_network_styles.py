"""Generate the road-network result styles (styles/results/network_*.qml) with PyQGIS, using the
helpers and palette of build_styles.py (same conventions: Okabe-Ito colours, shapes as a second
cue, Dutch legend labels). Rerun after changing them:

    QT_QPA_PLATFORM=offscreen HOME=$(mktemp -d) /usr/bin/python3 styles/tools/build_network_styles.py

Result tables written by layers/network (network_analyses.h) and their styles:
  <output>_route           network_route        LineString: modus, lengte_m, tijd_s, wegvakken
  <output>_bereik_wegen    network_reach_roads  LineString: base_id, wvk_id, van_m, tot_m
  <output>_bereik_gebied   network_reach_area   MultiPolygon: base_id, bereikt_m
  <output>_bereik_locaties network_reach_sites  Point: site_id, base_id, time_s, length_m,
                                                binnen_limiet (1 within the limit, 0 not)
  <output>_matrix          (a table without geometry: no style)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_styles as b  # noqa: E402
from qgis.core import QgsApplication, QgsPalLayerSettings, QgsSingleSymbolRenderer  # noqa: E402


def style_route():
    lyr = b.mem_layer("LineString", ["modus:string", "lengte_m:double", "tijd_s:double",
                                     "wegvakken:string"])
    sym = b.line(b.OI_BLUE, 1.2)
    lyr.setRenderer(QgsSingleSymbolRenderer(sym))
    b.labels(lyr, "format_number(\"lengte_m\" / 1000, 1) || ' km, ' || "
             "format_number(\"tijd_s\" / 60, 0) || ' min'", 9, colour=b.OI_BLUE, bold=True,
             is_expression=True, placement=QgsPalLayerSettings.Line)
    b.save(lyr, "results/network_route.qml")


def style_reach_roads():
    lyr = b.mem_layer("LineString", ["base_id:string", "wvk_id:integer", "van_m:double",
                                     "tot_m:double"])
    lyr.setRenderer(QgsSingleSymbolRenderer(b.line(b.OI_GREEN, 0.6)))
    b.save(lyr, "results/network_reach_roads.qml")


def style_reach_area():
    lyr = b.mem_layer("MultiPolygon", ["base_id:string", "bereikt_m:double"])
    lyr.setRenderer(QgsSingleSymbolRenderer(b.fill(b.OI_GREEN, 50, b.OI_GREEN, 0.5)))
    b.labels(lyr, "base_id", 9, colour="#1a1a1a", visible_below_scale=100000)
    b.save(lyr, "results/network_reach_area.qml")


def style_reach_sites():
    lyr = b.mem_layer("Point", ["site_id:string", "base_id:string", "time_s:double",
                                "length_m:double", "binnen_limiet:integer"])
    cats = [
        (1, "Binnen de tijdslimiet", b.marker(b.OI_GREEN, "circle", 3.4)),
        (0, "Buiten de tijdslimiet", b.marker(b.OI_VERMILLION, "triangle", 3.8)),
        (None, "Onbekend", b.marker(b.NOISE_GREY, "circle", 2.6)),
    ]
    lyr.setRenderer(b.categorized("binnen_limiet", cats))
    b.save(lyr, "results/network_reach_sites.qml")


def main():
    app = QgsApplication([], False)
    app.initQgis()
    try:
        style_route()
        style_reach_roads()
        style_reach_area()
        style_reach_sites()
    finally:
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
