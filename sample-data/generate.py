#!/usr/bin/python3
"""Generate the synthetic sample region Eemsdelta (GM1979, Groningen) for Veldwacht.

Everything except the municipality boundary is synthetic. The boundary is the real, generalised
CBS/PDOK boundary of GM1979 (CC BY 4.0, see CREDITS.md), copied into boundary/. The output goes to
eemsdelta/ (or --out DIR) in the real source formats analysts have:

  cbs_wijkenbuurten_2024.gpkg    CBS wijk- en buurtkaart, 2021+ schema (gemeenten, wijken, buurten)
  nwb_wegvakken.gpkg             NWB wegvakken, PDOK lower-case fields, consistent junction ids
  bag_light.gpkg                 BAG light: pand (MultiPolygon), verblijfsobject (Point)
  ibis_bedrijventerreinen.shp    IBIS business parks, upper-case fields (+ .shx .dbf .prj .cpg)
  signalen.csv, incidenten.csv   Veldwacht's own layers as Dutch Excel exports (; , BOM, dd-mm-jjjj)
  vab.geojson, partners.geojson, partner_werkgebieden.geojson
  ground_truth.json              the planted clusters (member ids, centre, radius, time span)

Deterministic: the same seed gives the same feature content (GeoPackage bytes may differ only in
SQLite internals; timestamps are fixed via OGR_CURRENT_DATE). Every part draws from its own
random.Random("<seed>:<part>") so that changing one part does not reshuffle the others.
Only the Python standard library and GDAL's Python bindings (osgeo.ogr/osr) are used.

Usage:  /usr/bin/python3 sample-data/generate.py [--seed 1979] [--out DIR]
        /usr/bin/python3 sample-data/generate.py --refresh-boundary /work/shared/data/nl_gemeenten_2025_rd.geojson
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import random
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
BOUNDARY_FILE = os.path.join(HERE, "boundary", "gemeenten_2025_eemsdelta_en_buren.geojson")
DEFAULT_SEED = 1979
GM_CODE = "GM1979"
GM_NAAM = "Eemsdelta"
NEIGHBOURS = ["GM0014", "GM1895", "GM1952", "GM1966"]
# BAG identificatie = gemeentecode(4) + objecttype(2) + volgnummer(10). Code 9999 belongs to no
# municipality, so these ids can never collide with real BAG objects.
BAG_GM = "9999"
# IBIS RIN numbers 990001.. are not used by IBIS.
RIN_BASE = 990001
# NWB wegvak and junction ids start far above the real ones (real NWB ids are < 700 000 000).
WVK_BASE = 900000001
JTE_BASE = 900000001
# Planted clusters: A = drug-waste dumping at the ends of dead-end roads in a roadless stretch of
# farmland north of Loppersum; B = a group of farms with vacant barns between Meedhuizen and Wagenborgen.
PLANT_A_CENTRE = (246450.0, 598050.0)
PLANT_A_CLEAR_M = 650.0  # no through road comes closer than this to the centre of A
PLANT_B_CENTRE = (257850.0, 588100.0)
# The road network: the N33 x N360 interchange (ramps), farm tracks to sites far from a road, and the
# ground-truth routes (town centre to town centre, shortest by length).
INTERCHANGE = (254850, 593250)
SITE_TRACK_M = 400.0
TRACK_SHORT_M = 60.0
ROUTES = [
    ("Delfzijl", "Appingedam", "auto"),
    ("Appingedam", "Delfzijl", "auto"),
    ("Loppersum", "Delfzijl", "auto"),
    ("'t Zandt", "Termunterzijl", "auto"),
    ("Stedum", "Wagenborgen", "auto"),
    ("Spijk", "Loppersum", "auto"),
    ("Holwierde", "Wagenborgen", "auto"),
    ("Holwierde", "Wagenborgen", "landbouw"),
    ("Bierum", "Meedhuizen", "auto"),
    ("Bierum", "Meedhuizen", "landbouw"),
]
EXPORT_DATE = dt.datetime(2026, 1, 15, 9, 0)  # when the "analyst" exported the register
PERIOD_START = dt.datetime(2023, 1, 1)
PERIOD_END = dt.datetime(2025, 12, 31, 23, 59)

# ----------------------------------------------------------------------------------------------
# The places. Coordinates in EPSG:28992, approximate, rounded; r = radius of the built-up area.
# kind: stad / dorp / gehucht. pc4: a plausible 4-digit postcode. wijk: 2-digit wijk number.
TOWNS = [
    # name,          x,      y,      r,    kind,    pc4,    wijk
    ("Delfzijl", 256984, 594814, 1250, "stad", "9934", "01"),
    ("Appingedam", 253007, 593729, 1050, "stad", "9901", "00"),
    ("Loppersum", 245586, 594919, 620, "dorp", "9919", "05"),
    ("Farmsum", 258878, 593519, 480, "dorp", "9936", "02"),
    ("Wagenborgen", 259300, 587300, 450, "dorp", "9681", "03"),
    ("Woldendorp", 263300, 589000, 330, "dorp", "9946", "03"),
    ("Termunten", 265800, 590000, 260, "dorp", "9948", "03"),
    ("Termunterzijl", 267200, 590600, 220, "gehucht", "9948", "03"),
    ("Meedhuizen", 256000, 590500, 200, "gehucht", "9942", "03"),
    ("Holwierde", 254700, 598700, 320, "dorp", "9917", "04"),
    ("Bierum", 254100, 601300, 300, "dorp", "9906", "04"),
    ("Spijk", 252600, 603300, 330, "dorp", "9909", "04"),
    ("Godlinze", 251300, 601500, 230, "dorp", "9908", "06"),
    ("Leermens", 249500, 599300, 230, "dorp", "9912", "06"),
    ("Zeerijp", 247700, 598200, 280, "dorp", "9914", "06"),
    ("'t Zandt", 245300, 600400, 340, "dorp", "9915", "06"),
    ("Westeremden", 243300, 596600, 240, "dorp", "9918", "07"),
    ("Stedum", 239800, 594500, 420, "dorp", "9921", "07"),
    ("Garrelsweer", 246600, 592200, 300, "dorp", "9923", "08"),
    ("Wirdum", 249300, 592400, 220, "dorp", "9924", "08"),
    ("Marsum", 253500, 596200, 150, "gehucht", "9901", "00"),
    ("Oosterwijtwerd", 247500, 596300, 170, "gehucht", "9914", "05"),
]
WIJKEN = [
    ("00", "Appingedam"),
    ("01", "Delfzijl"),
    ("02", "Farmsum en Oosterhorn"),
    ("03", "Wagenborgen, Woldendorp en Termunten"),
    ("04", "Holwierde, Bierum en Spijk"),
    ("05", "Loppersum"),
    ("06", "'t Zandt, Zeerijp, Leermens en Godlinze"),
    ("07", "Stedum en Westeremden"),
    ("08", "Garrelsweer en Wirdum"),
    ("09", "Eemsoever"),
]
# Extra Voronoi seeds for the wijken, so that the countryside is shared out sensibly.
WIJK_EXTRA_SEEDS = [
    ("02", 261854, 591580), ("02", 260300, 592300), ("03", 261500, 588200), ("03", 257700, 587000),
    ("04", 256000, 600000), ("06", 249000, 602000), ("06", 247800, 600200), ("07", 237500, 596200),
    ("07", 241500, 597600), ("08", 243300, 592300), ("08", 250800, 591300), ("05", 249500, 597000),
    ("00", 251200, 595600), ("01", 256200, 596600),
]
# Town neighbourhoods (buurten within a town's built-up area): town -> [(yy, name, dx, dy)].
TOWN_BUURTEN = {
    "Delfzijl": [("00", "Centrum", 0, 0), ("01", "Delfzijl-Noord", -300, 900), ("02", "Tuikwerd", -700, -700),
                 ("03", "Delfzijl-West", -900, 150), ("04", "Schansen", 700, -300), ("05", "Bornholm", 300, -900)],
    "Appingedam": [("00", "Binnenstad", 0, 0), ("01", "Opwierde", -800, 400), ("02", "Tjamsweer", 800, 200),
                   ("03", "Appingedam-Zuid", 0, -700), ("04", "Noorderpolder", -100, 800)],
    "Loppersum": [("00", "Loppersum-Kom", 0, 0), ("01", "Loppersum-Oost", 450, 0)],
}
# Business parks (IBIS). Polygons are made from these rough outlines and clipped to the land.
PARKS = [
    # name, wijk, WLOC_TYPE, outline
    ("Oosterhorn", "02", "Zeehaventerrein",
     [(259900, 590350), (262300, 589900), (264300, 590500), (264350, 591700), (262500, 592550),
      (260500, 593150), (259900, 592500)]),
    ("Oosterveld", "02", "Gemengd bedrijventerrein",
     [(257500, 591700), (259300, 591650), (259450, 592750), (257700, 592800)]),
    ("Fivelpoort", "00", "Gemengd bedrijventerrein",
     [(254150, 592450), (255250, 592500), (255300, 593500), (254200, 593550)]),
    ("Loppersum-Zuid", "05", "Gemengd bedrijventerrein",
     [(245000, 593550), (245950, 593500), (246000, 594150), (245050, 594200)]),
    ("Wagenborgen-Oost", "03", "Gemengd bedrijventerrein",
     [(259850, 587080), (260550, 587180), (260500, 587650), (259800, 587600)]),
]
PARK_JAAR = {"Oosterhorn": 1968, "Oosterveld": 1975, "Fivelpoort": 1992, "Loppersum-Zuid": 1988,
             "Wagenborgen-Oost": 2001}
# Main roads (N33 is a rijksweg, the others provincial): number, name, frc, fow, waypoints.
MAIN_ROADS = [
    ("033", "Rijksweg", 2, 2, [(256850, 585450), (256300, 588700), (255600, 591500), (254850, 593250),
                               (254500, 595300), (253300, 598400), (252950, 601400), (253100, 603700)]),
    ("360", "Damsterweg", 3, 3, [(242300, 591500), "Garrelsweer", "Wirdum", (251000, 593200), "Appingedam",
                                 (254850, 593250), "Delfzijl"]),
    ("362", "Oosterhornweg", 3, 3, ["Delfzijl", "Farmsum", (259700, 591200), (261000, 589650), "Woldendorp",
                                    "Termunten", "Termunterzijl"]),
    ("993", "Zandtsterweg", 4, 3, ["Loppersum", (245200, 597700), "'t Zandt"]),
    ("996", "Lopsterweg", 4, 3, ["Loppersum", (248300, 594900), (250900, 594300), "Appingedam"]),
    ("997", "Spijksterweg", 4, 3, ["Holwierde", "Bierum", "Spijk"]),
]
STREET_NAMES = [
    "Kerkstraat", "Molenstraat", "Schoolstraat", "Dorpsstraat", "Julianastraat", "Wilhelminastraat",
    "Beatrixlaan", "Oranjelaan", "Lindenlaan", "Eikenlaan", "Berkenlaan", "Esdoornstraat", "Kastanjelaan",
    "Meeuwenlaan", "Zwanenlaan", "Reigerstraat", "Kievitstraat", "Merelstraat", "Lijsterstraat",
    "Havenstraat", "Kanaalstraat", "Dijkstraat", "Zijlstraat", "Wierdestraat", "Borgstraat", "Pastorielaan",
    "Koestraat", "Hoofdstraat", "Stationsweg", "Sportlaan", "Tulpstraat", "Rozenstraat", "Narcisstraat",
    "Vlierstraat", "Populierenlaan", "Wilgenlaan", "Zeemanstraat", "Lodewijkstraat", "Nieuwstraat",
    "Brugstraat", "Voorstraat", "Achterstraat", "Ommelanderstraat", "Fivelstraat", "Eemsstraat",
    "Westerstraat", "Oosterstraat", "Zuiderstraat", "Noorderstraat", "Marktstraat", "Tuinstraat",
    "Prinsesselaan", "Emmastraat", "Gasthuisstraat", "Schepenstraat", "Slingerweg", "Weverstraat",
]
RURAL_NAMES = [
    "Hoofdweg", "Middelweg", "Tilweg", "Wierdeweg", "Molenweg", "Hogeweg", "Dijkweg", "Kanaalweg",
    "Oude Dijk", "Lageweg", "Heerdweg", "Polderweg", "Zandweg", "Kleiweg", "Tochtweg", "Maarweg",
    "Binnenweg", "Buitenweg", "Graanweg", "Kolkweg", "Wadweg", "Eendenweg", "Hooiweg", "Zijlweg",
]
FARM_ROAD_NAMES = [
    "Heerd", "Bouwlust", "Wierde", "Landlust", "Veldzicht", "Nooitgedacht", "Lutjewierde", "Klein Heerd",
    "Akkerlust", "Weidezicht", "Hoogeheerd", "Rustoord", "Oosterheerd", "Westerheerd", "Zuiderheerd",
    "Noorderheerd", "Greunsheerd", "Wolthuis", "Blinkheerd", "Ekenstein",
]
PARK_STREETS = {
    "Oosterhorn": ["Oosterhornweg", "Chemieweg", "Billitonweg", "Zeehavenkade", "Pijpleidingstraat",
                   "Havenweg Oost", "Zoutweg", "Steigerweg"],
    "Oosterveld": ["Oosterveldweg", "Transportweg", "Ambachtsweg", "Handelsweg"],
    "Fivelpoort": ["Fivelpoort", "Koperslagersweg", "Smederij", "Kuipersweg", "Timmerweg"],
    "Loppersum-Zuid": ["Industrieweg", "Werkplaats", "Nijverheidsweg"],
    "Wagenborgen-Oost": ["Bedrijvenweg", "Loodsweg"],
}


# ----------------------------------------------------------------------------------------------
# Small geometry helpers (pure Python + OGR).

def r2(v):
    return round(v, 2)


def wkt_pt(x, y):
    return "POINT (%.2f %.2f)" % (x, y)


def ogr_point(x, y):
    g = ogr.Geometry(ogr.wkbPoint)
    g.AddPoint_2D(x, y)
    return g


def ogr_polygon(pts):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in pts:
        ring.AddPoint_2D(r2(x), r2(y))
    ring.AddPoint_2D(r2(pts[0][0]), r2(pts[0][1]))
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


def ogr_line(pts):
    g = ogr.Geometry(ogr.wkbLineString)
    for x, y in pts:
        g.AddPoint_2D(r2(x), r2(y))
    return g


def to_multipolygon(g):
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    if g is None or g.IsEmpty():
        return out
    name = g.GetGeometryName()
    if name == "POLYGON":
        out.AddGeometry(g)
    elif name in ("MULTIPOLYGON", "GEOMETRYCOLLECTION"):
        for i in range(g.GetGeometryCount()):
            p = g.GetGeometryRef(i)
            if p.GetGeometryName() == "POLYGON" and p.GetArea() > 1.0:
                out.AddGeometry(p)
            elif p.GetGeometryName() == "MULTIPOLYGON":
                for j in range(p.GetGeometryCount()):
                    out.AddGeometry(p.GetGeometryRef(j))
    return out


def round_geom(g):
    """Round all coordinates to centimetres (deterministic output; GEOS results can carry noise)."""
    return ogr.CreateGeometryFromWkt(round_wkt(g))


def round_wkt(g):
    name = g.GetGeometryName()
    if name == "POINT":
        return wkt_pt(g.GetX(), g.GetY())

    def ring(r):
        pts = []
        for x, y in r.GetPoints():
            p = (r2(x), r2(y))
            if not pts or pts[-1] != p:
                pts.append(p)
        return "(" + ",".join("%.2f %.2f" % p for p in pts) + ")"

    def poly(p):
        return "(" + ",".join(ring(p.GetGeometryRef(i)) for i in range(p.GetGeometryCount())) + ")"

    if name == "LINESTRING":
        return "LINESTRING " + ring(g)
    if name == "POLYGON":
        return "POLYGON " + poly(g)
    if name == "MULTIPOLYGON":
        return "MULTIPOLYGON (" + ",".join(poly(g.GetGeometryRef(i)) for i in range(g.GetGeometryCount())) + ")"
    raise ValueError(name)


def clean_polygons(g, min_part=50.0):
    """Rounded, valid MultiPolygon without sliver parts (overlay and rounding can leave both)."""
    mp = round_geom(to_multipolygon(g))
    gdal.PushErrorHandler("CPLQuietErrorHandler")  # IsValid() warns about what MakeValid() repairs
    for _ in range(3):
        if mp.IsValid():
            break
        mp = round_geom(to_multipolygon(mp.MakeValid()))
    gdal.PopErrorHandler()
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    for i in range(mp.GetGeometryCount()):
        p = mp.GetGeometryRef(i)
        if p.GetArea() >= min_part:
            out.AddGeometry(p)
    if not out.IsValid():
        raise SystemExit("could not make a valid polygon")
    return out


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def seg_nearest(p, a, b):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / L2))
    q = (ax + t * dx, ay + t * dy)
    return dist(p, q), q, t


def along(pts, p):
    """Distance along the polyline pts to the point of it nearest to p."""
    best, run, at = None, 0.0, 0.0
    for i in range(len(pts) - 1):
        d, _, t = seg_nearest(p, pts[i], pts[i + 1])
        if best is None or d < best:
            best, at = d, run + t * dist(pts[i], pts[i + 1])
        run += dist(pts[i], pts[i + 1])
    return at


def clip_halfplane(poly, a, b):
    """Keep the part of convex polygon `poly` closer to seed a than to seed b."""
    mx, my = (a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0
    nx, ny = b[0] - a[0], b[1] - a[1]

    def side(p):
        return (p[0] - mx) * nx + (p[1] - my) * ny

    out = []
    n = len(poly)
    for i in range(n):
        p, q = poly[i], poly[(i + 1) % n]
        sp, sq = side(p), side(q)
        if sp <= 0:
            out.append(p)
        if (sp < 0 < sq) or (sq < 0 < sp):
            t = sp / (sp - sq)
            out.append((p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])))
    return out


def voronoi_cells(seeds, bbox):
    """Voronoi cells of `seeds` clipped to bbox (minx, miny, maxx, maxy), by half-plane clipping."""
    x0, y0, x1, y1 = bbox
    cells = []
    for i, s in enumerate(seeds):
        poly = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        for j, t in enumerate(seeds):
            if i != j and poly:
                poly = clip_halfplane(poly, s, t)
        cells.append(ogr_polygon(poly) if len(poly) >= 3 else None)
    return cells


def blob(rng, cx, cy, r, n=28, wobble=0.16):
    """An irregular roundish polygon (built-up area of a village)."""
    p1, p2 = rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi)
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n
        rr = r * (1 + wobble * math.sin(2 * a + p1) + 0.5 * wobble * math.sin(3 * a + p2))
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    return ogr_polygon(pts)


def rect(cx, cy, w, h, ang):
    c, s = math.cos(ang), math.sin(ang)
    pts = []
    for dx, dy in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        pts.append((cx + dx * c - dy * s, cy + dx * s + dy * c))
    return pts


def lines_of(g):
    """List of point lists of the (multi)linestrings in g."""
    out = []
    if g is None or g.IsEmpty():
        return out
    name = g.GetGeometryName()
    if name == "LINESTRING":
        out.append([(x, y) for x, y in g.GetPoints()])
    elif name in ("MULTILINESTRING", "GEOMETRYCOLLECTION"):
        for i in range(g.GetGeometryCount()):
            out.extend(lines_of(g.GetGeometryRef(i)))
    return out


class SegIndex:
    """A grid of line segments for nearest-segment queries."""

    def __init__(self, cell=250.0):
        self.cell = cell
        self.grid = {}
        self.segs = []

    def add(self, pts, tag):
        for i in range(len(pts) - 1):
            a, b = pts[i], pts[i + 1]
            k = len(self.segs)
            self.segs.append((a, b, tag, i))
            x0, x1 = sorted((a[0], b[0]))
            y0, y1 = sorted((a[1], b[1]))
            for gx in range(int(x0 // self.cell), int(x1 // self.cell) + 1):
                for gy in range(int(y0 // self.cell), int(y1 // self.cell) + 1):
                    self.grid.setdefault((gx, gy), []).append(k)

    def nearest(self, p, maxd):
        best = (maxd, None, None)
        gx0, gx1 = int((p[0] - maxd) // self.cell), int((p[0] + maxd) // self.cell)
        gy0, gy1 = int((p[1] - maxd) // self.cell), int((p[1] + maxd) // self.cell)
        seen = set()
        for gx in range(gx0, gx1 + 1):
            for gy in range(gy0, gy1 + 1):
                for k in self.grid.get((gx, gy), ()):
                    if k in seen:
                        continue
                    seen.add(k)
                    a, b, tag, i = self.segs[k]
                    d, q, _ = seg_nearest(p, a, b)
                    if d < best[0]:
                        best = (d, q, (tag, i))
        return best


class PointGrid:
    """Minimum-distance checks between placed objects."""

    def __init__(self, cell=100.0):
        self.cell = cell
        self.grid = {}

    def add(self, p, rad):
        self.grid.setdefault((int(p[0] // self.cell), int(p[1] // self.cell)), []).append((p, rad))

    def free(self, p, rad):
        gx, gy = int(p[0] // self.cell), int(p[1] // self.cell)
        reach = int(math.ceil((rad + 150) / self.cell))
        for ix in range(gx - reach, gx + reach + 1):
            for iy in range(gy - reach, gy + reach + 1):
                for q, qr in self.grid.get((ix, iy), ()):
                    if dist(p, q) < rad + qr:
                        return False
        return True


# ----------------------------------------------------------------------------------------------
# Output helpers.

def srs_rd():
    s = osr.SpatialReference()
    s.ImportFromEPSG(28992)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


FIELD_TYPES = {"str": ogr.OFTString, "int": ogr.OFTInteger, "int64": ogr.OFTInteger64, "real": ogr.OFTReal}


def write_layer(ds, name, gtype, fields, rows, options=None):
    """fields: [(name, type, width)], rows: [(geometry_wkt, {field: value})]."""
    lyr = ds.CreateLayer(name, srs_rd(), gtype, options=options or [])
    for fname, ftype, width in fields:
        fd = ogr.FieldDefn(fname, FIELD_TYPES[ftype])
        if width:
            fd.SetWidth(width)
        if ftype == "real" and width:
            fd.SetPrecision(2)
        lyr.CreateField(fd)
    defn = lyr.GetLayerDefn()
    lyr.StartTransaction()
    for wkt, attrs in rows:
        f = ogr.Feature(defn)
        for fname, _, _ in fields:
            v = attrs.get(fname)
            if v is None:
                f.SetFieldNull(fname)
            else:
                f.SetField(fname, v)
        f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        lyr.CreateFeature(f)
    lyr.CommitTransaction()
    return lyr


def new_gpkg(path):
    if os.path.exists(path):
        os.remove(path)
    return ogr.GetDriverByName("GPKG").CreateDataSource(path)


def write_geojson(path, name, gtype, fields, rows):
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GeoJSON").CreateDataSource(path)
    write_layer(ds, name, gtype, fields, rows, options=["COORDINATE_PRECISION=2", "WRITE_NAME=YES"])
    ds = None


def stedelijkheid(addresses_per_km2):
    """CBS class: 1 zeer sterk (>= 2500 addresses/km2) .. 5 niet stedelijk (< 500)."""
    for cls, lo in ((1, 2500), (2, 1500), (3, 1000), (4, 500)):
        if addresses_per_km2 >= lo:
            return cls
    return 5


def nl_num(v):
    return ("%.2f" % v).replace(".", ",")


def nl_dt(t):
    return t.strftime("%d-%m-%Y %H:%M") if t else ""


def nl_date(t):
    return t.strftime("%d-%m-%Y") if t else ""


def write_excel_csv(path, header, rows):
    """A CSV as Dutch Excel saves it: ';' separated, CRLF, UTF-8 with BOM."""
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if r.get(h) is None else r.get(h) for h in header])


# ----------------------------------------------------------------------------------------------
# The generator.

class Region:
    def __init__(self, seed):
        self.seed = seed
        self.boundary = None  # GM1979 polygon
        self.land = None  # boundary minus the water strip along the Eems
        self.water = None
        self.towns = {}  # name -> dict
        self.parks = []  # dicts
        self.wijken = []
        self.buurten = []
        self.roads = []  # source lines: dict(pts, attrs, prio)
        self.wegvakken = []  # noded: dict(pts, attrs, beg, end, wvk_id)
        self.two_way_pieces = set()  # one-way pieces made two-way (one-way traps): {frozenset(ends)}
        self.panden = []
        self.vbos = []
        self.farms = []
        self.vab = []
        self.signalen = []
        self.incidenten = []
        self.partners = []
        self.werkgebieden = []
        self.truth = []

    def rng(self, part):
        return random.Random("%d:%s" % (self.seed, part))

    # -- boundary --------------------------------------------------------------------------------
    def load_boundary(self):
        ds = ogr.Open(BOUNDARY_FILE)
        lyr = ds.GetLayer(0)
        for f in lyr:
            if f.GetField("statcode") == GM_CODE:
                self.boundary = f.GetGeometryRef().Clone()
        if self.boundary is None:
            raise SystemExit("GM1979 not found in " + BOUNDARY_FILE)
        # The Eems coast of the generalised boundary: a 200 m strip along it is the water buurt.
        coast = [(268138.0, 591453.0), (264314.0, 591909.0), (260362.0, 593663.0), (258063.0, 595179.0),
                 (255534.0, 597632.0), (254836.0, 602112.0), (253887.0, 603436.0)]
        strip = ogr_line(coast).Buffer(200, 8)
        self.water = clean_polygons(self.boundary.Intersection(strip))
        self.land = self.boundary.Difference(strip)
        self.land_inner = self.land.Buffer(-30)
        self._inner = {0: self.land, 30: self.land_inner}

    def in_land(self, x, y, margin=30):
        if margin not in self._inner:
            self._inner[margin] = self.land.Buffer(-margin)
        return self._inner[margin].Contains(ogr_point(x, y))

    # -- places ----------------------------------------------------------------------------------
    def make_towns(self):
        rng = self.rng("towns")
        for name, x, y, r, kind, pc4, wijk in TOWNS:
            poly = blob(rng, x, y, r).Intersection(self.land_inner)
            self.towns[name] = dict(name=name, x=x, y=y, r=r, kind=kind, pc4=pc4, wijk=wijk,
                                    poly=poly, ang=rng.uniform(-0.5, 0.5))
        self.all_towns = ogr.Geometry(ogr.wkbMultiPolygon)
        for t in self.towns.values():
            self.all_towns = self.all_towns.Union(t["poly"])

    def make_parks(self):
        rng = self.rng("parks")
        for k, (name, wijk, wloc, outline) in enumerate(PARKS):
            poly = ogr_polygon(outline).Intersection(self.land_inner).Difference(self.all_towns)
            poly = clean_polygons(poly)
            ha = poly.GetArea() / 1e4
            netto = ha * rng.uniform(0.72, 0.82)
            self.parks.append(dict(name=name, wijk=wijk, wloc=wloc, poly=poly, rin=RIN_BASE + k,
                                   ha_bruto=round(ha, 2), ha_netto=round(netto, 2),
                                   ha_tottuit=round(netto * rng.uniform(0.03, 0.18), 2), jaar=PARK_JAAR[name]))
        self.all_parks = ogr.Geometry(ogr.wkbMultiPolygon)
        for p in self.parks:
            self.all_parks = self.all_parks.Union(p["poly"])

    def town_of(self, x, y):
        """Name of the woonplaats a point belongs to: the town whose centre is nearest (scaled by size)."""
        best, bn = 1e18, None
        for t in self.towns.values():
            d = dist((x, y), (t["x"], t["y"])) / (1.0 + t["r"] / 1500.0)
            if d < best:
                best, bn = d, t["name"]
        return bn

    # -- CBS wijken en buurten ---------------------------------------------------------------------
    def make_cbs(self):
        rng = self.rng("cbs")
        bbox = (230000, 580000, 275000, 610000)
        seeds, labels = [], []
        for t in self.towns.values():
            seeds.append((t["x"], t["y"]))
            labels.append(t["wijk"])
        for wk, x, y in WIJK_EXTRA_SEEDS:
            seeds.append((x, y))
            labels.append(wk)
        cells = voronoi_cells(seeds, bbox)
        wijk_geom = {}
        for cell, wk in zip(cells, labels):
            g = cell.Intersection(self.land)
            wijk_geom[wk] = g if wk not in wijk_geom else wijk_geom[wk].Union(g)
        # Parks belong wholly to their own wijk.
        for p in self.parks:
            for wk in list(wijk_geom):
                if wk == p["wijk"]:
                    wijk_geom[wk] = wijk_geom[wk].Union(p["poly"])
                else:
                    wijk_geom[wk] = wijk_geom[wk].Difference(p["poly"])
        wijk_geom["09"] = self.water
        for wk, wnaam in WIJKEN:
            self.wijken.append(dict(code="WK1979" + wk, naam=wnaam, geom=clean_polygons(wijk_geom[wk]),
                                    water="JA" if wk == "09" else "NEE"))
        # Buurten per wijk: town neighbourhoods, parks, then the countryside shared out by Voronoi.
        for wk, wnaam in WIJKEN:
            W = wijk_geom[wk]
            specs = []  # (name, geom, kind, town)
            if wk == "09":
                specs.append(("Eemsoever en Zeedijk", W, "water", None))
            else:
                towns = [t for t in self.towns.values() if t["wijk"] == wk]
                parks = [p for p in self.parks if p["wijk"] == wk]
                taken = ogr.Geometry(ogr.wkbMultiPolygon)
                park_specs = []
                for p in parks:
                    g = p["poly"].Intersection(W)
                    park_specs.append(("Bedrijventerrein " + p["name"], g, "park", None))
                    taken = taken.Union(g)
                for t in towns:
                    kom = t["poly"].Intersection(W).Difference(taken)
                    sub = TOWN_BUURTEN.get(t["name"])
                    if sub:
                        sseeds = [(t["x"] + dx, t["y"] + dy) for _, _, dx, dy in sub]
                        for (yy, bn, _, _), c in zip(sub, voronoi_cells(sseeds, bbox)):
                            specs.append((bn, c.Intersection(kom), "kom", t))
                    else:
                        specs.append((t["name"], kom, "kom", t))
                    taken = taken.Union(kom)
                specs.extend(park_specs)  # numbered after the town neighbourhoods, as CBS does
                rest = W.Difference(taken)
                bt = [t for t in towns if t["kind"] != "gehucht"] or towns
                bseeds = [(t["x"], t["y"]) for t in bt]
                for t, c in zip(bt, voronoi_cells(bseeds, bbox)):
                    specs.append(("Verspreide huizen " + t["name"], c.Intersection(rest), "buiten", t))
            yy = 0
            for bn, g, kind, t in specs:
                mg = clean_polygons(g)
                if mg.IsEmpty() or mg.GetArea() < 2e4:
                    continue
                self.buurten.append(dict(code="BU1979%s%02d" % (wk, yy), naam=bn, wijkcode="WK1979" + wk,
                                         geom=mg, kind=kind, town=t["name"] if t else None,
                                         water="JA" if kind == "water" else "NEE"))
                yy += 1
        # Population figures: plausible totals (~45 000 inhabitants), suppressed where tiny.
        for b in self.buurten:
            ha = b["geom"].GetArea() / 1e4
            if b["kind"] == "kom":
                dens = 34.0 if self.towns[b["town"]]["kind"] == "stad" else 22.0
                inw = int(ha * dens * rng.uniform(0.7, 1.3))
            elif b["kind"] == "buiten":
                inw = int(ha * rng.uniform(0.12, 0.35))
            elif b["kind"] == "park":
                inw = rng.choice([0, 5, 10, 15])
            else:
                inw = 0
            b["inw"] = inw
            b["hh"] = int(round(inw / rng.uniform(2.0, 2.3))) if inw else 0
            b["ha"] = ha

    # -- roads -------------------------------------------------------------------------------------
    def add_road(self, pts, prio, **attrs):
        self.roads.append(dict(pts=[(r2(x), r2(y)) for x, y in pts], prio=prio, attrs=attrs))

    @staticmethod
    def near_a(pts):
        return min(seg_nearest(PLANT_A_CENTRE, pts[i], pts[i + 1])[0] for i in range(len(pts) - 1)) < PLANT_A_CLEAR_M

    def make_roads(self):
        rng = self.rng("roads")
        # 1. provincial roads
        for num, name, frc, fow, wps in MAIN_ROADS:
            pts = []
            for w in wps:
                if isinstance(w, str):
                    t = self.towns[w]
                    pts.append((t["x"], t["y"]))
                else:
                    pts.append(w)
            for i in range(len(pts) - 1):
                a, b = pts[i], pts[i + 1]
                self.add_road([a, b], 10 - frc, wegbehsrt="R" if num == "033" else "P", wegnummer=num, stt_naam=name, frc=frc, fow=fow,
                              bst_code="", kind="main")
        # 2. a jittered lattice of rural roads
        S = 1500.0
        nodes = {}
        blocked = self.all_towns.Buffer(150).Union(self.all_parks)
        for i in range(0, 24):
            for j in range(0, 14):
                x = 235000 + i * S + rng.uniform(-380, 380)
                y = 584000 + j * S + rng.uniform(-380, 380)
                if self.in_land(x, y, 150) and not blocked.Contains(ogr_point(x, y)):
                    nodes[(i, j)] = (r2(x), r2(y))
        self.lattice_nodes = nodes
        for (i, j), a in nodes.items():
            for di, dj in ((1, 0), (0, 1), (1, 1)):
                b = nodes.get((i + di, j + dj))
                if b is None:
                    continue
                if (di, dj) == (1, 1):
                    if rng.random() > 0.12:
                        continue
                elif rng.random() < 0.22:
                    continue
                m = ((a[0] + b[0]) / 2 + rng.uniform(-120, 120), (a[1] + b[1]) / 2 + rng.uniform(-120, 120))
                if self.near_a([a, m, b]):
                    continue
                wps = self.town_of(*m)
                key = (wps, rng.choice(RURAL_NAMES))
                self.add_road([a, m, b], 3, wegbehsrt="W" if rng.random() < 0.2 else "G", wegnummer="",
                              stt_naam=key[1], frc=6, fow=3, bst_code="", kind="rural")
        # 3. towns: connectors to the lattice and a rotated street grid
        for t in self.towns.values():
            c = (t["x"], t["y"])
            best = {}
            for p in nodes.values():
                d = dist(c, p)
                if d > 2600:
                    continue
                q = int(((math.atan2(p[1] - c[1], p[0] - c[0]) + math.pi) / (math.pi / 2))) % 4
                if q not in best or d < best[q][0]:
                    best[q] = (d, p)
            for q in sorted(best):
                d, p = best[q]
                if rng.random() < 0.85 and not self.near_a([c, p]):
                    nm = t["name"].replace("'t ", "") + ("erweg" if not t["name"].endswith("e") else "rweg")
                    self.add_road([c, p], 4, wegbehsrt="G", wegnummer="", stt_naam=nm, frc=5, fow=3, bst_code="",
                                  kind="connector")
            names = STREET_NAMES[:]
            rng.shuffle(names)
            t["streets"] = []
            sp = 170.0 if t["kind"] == "stad" else 140.0
            ang = t["ang"]
            ca, sa = math.cos(ang), math.sin(ang)
            n = int(t["r"] * 1.3 / sp) + 1
            k = 0
            for axis in (0, 1):
                for m in range(-n, n + 1):
                    off = m * sp + (rng.uniform(-25, 25) if m else 0)
                    L = t["r"] * 1.4
                    if axis == 0:
                        p0, p1 = (-L, off), (L, off)
                    else:
                        p0, p1 = (off, -L), (off, L)
                    pts = [(c[0] + px * ca - py * sa, c[1] + px * sa + py * ca) for px, py in (p0, p1)]
                    if m != 0 and rng.random() < (0.12 if t["kind"] == "stad" else 0.25):
                        continue
                    clip = ogr_line(pts).Intersection(t["poly"])
                    for seg in lines_of(clip):
                        if dist(seg[0], seg[-1]) < 60:
                            continue
                        nm = "Hoofdstraat" if m == 0 and axis == 0 else names[k % len(names)]
                        if not (m == 0 and axis == 0):
                            k += 1
                        rr = "B"
                        if t["kind"] == "stad" and m != 0 and rng.random() < 0.08:
                            rr = rng.choice(["H", "T"])
                        if m == 0 and axis == 0:
                            # The main street runs exactly through the centre, where connectors end.
                            seg = [seg[0], c, seg[-1]]
                        self.add_road(seg, 2 if m else 3, wegbehsrt="G", wegnummer="", stt_naam=nm,
                                      frc=7 if m else 5, fow=3, bst_code="", rijrichtng=rr, kind="street",
                                      town=t["name"])
                        t["streets"].append((seg, nm))
            if t["kind"] == "stad":
                # a couple of cycle paths through the town
                for _ in range(2):
                    a0 = rng.uniform(0, math.pi)
                    L = t["r"] * 0.9
                    pts = [(c[0] - L * math.cos(a0) + 30, c[1] - L * math.sin(a0) + 20),
                           (c[0] + L * math.cos(a0) + 30, c[1] + L * math.sin(a0) + 20)]
                    self.add_road(pts, 1, wegbehsrt="G", wegnummer="", stt_naam="Fietspad", frc=7, fow=3,
                                  bst_code="FP", kind="fietspad", town=t["name"])
        # 4. business-park roads
        for p in self.parks:
            env = p["poly"].GetEnvelope()
            names = PARK_STREETS[p["name"]]
            k = 0
            sp = 450.0 if p["name"] == "Oosterhorn" else 260.0
            p["streets"] = []
            for axis in (0, 1):
                lo, hi = (env[0], env[1]) if axis == 0 else (env[2], env[3])
                v = lo + sp / 2
                while v < hi:
                    pts = [(v, env[2] - 50), (v, env[3] + 50)] if axis == 0 else [(env[0] - 50, v), (env[1] + 50, v)]
                    for seg in lines_of(ogr_line(pts).Intersection(p["poly"].Buffer(40))):
                        if dist(seg[0], seg[-1]) < 80:
                            continue
                        nm = names[k % len(names)]
                        k += 1
                        self.add_road(seg, 2, wegbehsrt="G", wegnummer="", stt_naam=nm, frc=6, fow=3, bst_code="",
                                      kind="parkstreet", park=p["name"])
                        p["streets"].append((seg, nm))
                    v += sp
        # 5. farms, most at the end of a dead-end road
        self.make_farms(rng)

    def make_farms(self, rng):
        idx = SegIndex()
        for k, r in enumerate(self.roads):
            if r["attrs"]["kind"] in ("main", "rural", "connector"):
                idx.add(r["pts"], k)
        avoid = self.all_towns.Buffer(300).Union(self.all_parks.Buffer(200))
        placed = PointGrid(200)
        self.farms = []

        def try_farm(x, y, forced=False, spur=None):
            if not self.in_land(x, y, 120) or avoid.Contains(ogr_point(x, y)):
                return None
            if not placed.free((x, y), 200 if not forced else 120):
                return None
            d, q, tag = idx.nearest((x, y), 1300)
            if q is None or d < 60:
                return None
            k = tag[0]
            road = self.roads[k]
            # the index may hold segments that later dead ends split: look at the road as it is now
            i = min(range(len(road["pts"]) - 1), key=lambda j: seg_nearest((x, y), road["pts"][j], road["pts"][j + 1])[0])
            d, q, _ = seg_nearest((x, y), road["pts"][i], road["pts"][i + 1])
            if d < 140 and not forced:
                f = dict(x=x, y=y, road=road["attrs"]["stt_naam"], access=q, dead_end=None)
            else:
                if not forced and (d > 1100 or rng.random() < 0.1):
                    return None
                # The dead end starts at a new vertex inserted in the road (exact shared coordinate).
                q = (r2(q[0]), r2(q[1]))
                if q in road["pts"]:
                    return None
                road["pts"].insert(i + 1, q)
                ux, uy = (x - q[0]) / d, (y - q[1]) / d
                end = (x - ux * 35, y - uy * 35)
                mid = ((q[0] + end[0]) / 2 + rng.uniform(-40, 40), (q[1] + end[1]) / 2 + rng.uniform(-40, 40))
                nm = rng.choice(FARM_ROAD_NAMES) if rng.random() < 0.6 else road["attrs"]["stt_naam"]
                self.add_road([q, mid, end], 0, wegbehsrt="G", wegnummer="", stt_naam=nm, frc=7, fow=3,
                              bst_code="", kind="dead_end")
                f = dict(x=x, y=y, road=nm, access=end, dead_end=len(self.roads) - 1)
            placed.add((x, y), 200 if not forced else 100)
            f["id"] = len(self.farms)
            f["ang"] = math.atan2(y - f["access"][1], x - f["access"][0])
            self.farms.append(f)
            return f

        # Planted: dead-end roads north of Loppersum (drug-waste dumping, cluster A) ...
        self.plant_a_centre = PLANT_A_CENTRE
        self.plant_a_farms = []
        for ang in (100, 220, 340):
            x = PLANT_A_CENTRE[0] + 150 * math.cos(math.radians(ang))
            y = PLANT_A_CENTRE[1] + 150 * math.sin(math.radians(ang))
            f = try_farm(x, y, forced=True)
            if f is None:
                raise SystemExit("could not plant farm for cluster A at angle %d" % ang)
            self.plant_a_farms.append(f)
        # ... and a group of farms with vacant barns (cluster B).
        self.plant_b_centre = PLANT_B_CENTRE
        self.plant_b_farms = []
        for dx, dy in ((-120, 40), (100, 110), (40, -120)):
            f = try_farm(self.plant_b_centre[0] + dx, self.plant_b_centre[1] + dy, forced=True)
            if f is None:
                raise SystemExit("could not plant farm for cluster B at %s" % ((dx, dy),))
            self.plant_b_farms.append(f)
        env = self.land.GetEnvelope()
        tries = 0
        while len(self.farms) < 135 and tries < 20000:
            tries += 1
            try_farm(rng.uniform(env[0], env[1]), rng.uniform(env[2], env[3]))

    def node_roads(self):
        """Node all road lines with GEOS (union), then give every piece the attributes of its source.

        A one-way source (rijrichtng H/T) keeps its driving direction on every piece: the union may
        digitise a piece against its source, and then H and T swap."""
        self.wegvakken = []
        ml = ogr.Geometry(ogr.wkbMultiLineString)
        srcs = []
        for r in self.roads:
            g = ogr_line(r["pts"]).Intersection(self.land)
            for pts in lines_of(g):
                ml.AddGeometry(ogr_line(pts))
                srcs.append((r, pts))
        first = ml.GetGeometryRef(0).Clone()
        noded = ml.Union(first)
        idx = SegIndex(200)
        for k, (r, pts) in enumerate(srcs):
            idx.add(pts, k)
        pieces = []
        for pts in lines_of(noded):
            pts = [(r2(x), r2(y)) for x, y in pts]
            clean = [pts[0]]
            for p in pts[1:]:
                if p != clean[-1]:
                    clean.append(p)
            if len(clean) < 2:
                continue
            # attribute: the highest-priority source line that the piece's middle lies on
            a, b = clean[len(clean) // 2 - 1] if len(clean) > 2 else clean[0], clean[len(clean) // 2]
            mid = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
            best = None
            for kk in self.near_sources(idx, mid):
                r, spts = srcs[kk]
                if best is None or r["prio"] > best["prio"]:
                    best = r
            if best is None:
                raise SystemExit("road piece without source at %s" % (mid,))
            flip = False
            if best["attrs"].get("rijrichtng", "B") in ("H", "T"):
                flip = along(best["pts"], clean[0]) > along(best["pts"], clean[-1])
            pieces.append(dict(pts=clean, src=best, flip=flip))
        # junction ids by exact end coordinates, in order of first appearance
        jte = {}
        for pc in pieces:
            for end in (pc["pts"][0], pc["pts"][-1]):
                if end not in jte:
                    jte[end] = JTE_BASE + len(jte)
        self.jte = jte
        rng = self.rng("nwb")
        for k, pc in enumerate(pieces):
            a = pc["src"]["attrs"]
            x, y = pc["pts"][len(pc["pts"]) // 2]
            wps = a.get("town") or self.town_of(x, y)
            rr = a.get("rijrichtng", "B")
            if a["kind"] == "fietspad":
                rr = "B"
            if pc["flip"]:
                rr = {"H": "T", "T": "H"}[rr]
            if rr in ("H", "T") and frozenset((pc["pts"][0], pc["pts"][-1])) in self.two_way_pieces:
                rr = "B"
            self.wegvakken.append(dict(
                pts=pc["pts"], wvk_id=WVK_BASE + k, jte_id_beg=jte[pc["pts"][0]], jte_id_end=jte[pc["pts"][-1]],
                wegbehsrt=a["wegbehsrt"], rijrichtng=rr, bst_code=a["bst_code"], stt_naam=a["stt_naam"],
                wpsnaam=wps, gme_id=1979, gme_naam=GM_NAAM, wegnummer=a["wegnummer"] or None,
                frc=a["frc"], fow=a["fow"], kind=a["kind"], src=pc["src"]))
        for w in self.wegvakken:
            if w["rijrichtng"] == "B" and w["kind"] == "street" and rng.random() < 0.02:
                w["rijrichtng"] = "O"

    @staticmethod
    def near_sources(idx, p):
        out = []
        gx, gy = int(p[0] // idx.cell), int(p[1] // idx.cell)
        seen = set()
        for ix in (gx - 1, gx, gx + 1):
            for iy in (gy - 1, gy, gy + 1):
                for k in idx.grid.get((ix, iy), ()):
                    if k in seen:
                        continue
                    seen.add(k)
                    a, b, tag, _ = idx.segs[k]
                    if seg_nearest(p, a, b)[0] < 0.05:
                        out.append(tag)
        return sorted(set(out))

    # -- a network to plan on ----------------------------------------------------------------------
    # Runs after the other layers are made (they were placed along the first road layout and stay
    # as they are): grade-separated ramps at the N33 x N360 interchange, farm tracks to every site
    # farther than SITE_TRACK_M from a road a car may use, and connectors or two-way streets until
    # the car network is one strongly connected component. Then the ground-truth routes.
    def improve_network(self):
        rng = self.rng("network")
        self.add_ramps()
        self.add_site_tracks(rng)
        self.network_fixes = dict(two_way=[], connectors=0, tracks=self.site_tracks)
        for _ in range(8):
            self.node_roads()
            comps, main = self.car_components("auto")
            if len(comps) == 1:
                # tractors, bicycles and walkers may not use the N33: the rest must hold together too
                comps, main = self.car_components("landbouw")
                if len(comps) == 1:
                    break
            self.join_islands(comps, main, rng)
        else:
            raise SystemExit("the car or tractor network is still not strongly connected")
        self.make_routes()

    def add_ramps(self):
        """Four one-way ramps (H, digitised in the driving direction) between the N33 and the N360:
        afritten (AF) from the N33, opritten (OP) onto it, 260 m either side of the crossing."""
        x = INTERCHANGE
        n33 = [r for r in self.roads if r["attrs"].get("wegnummer") == "033" and x in r["pts"]]
        n360 = [r for r in self.roads if r["attrs"].get("wegnummer") == "360" and x in r["pts"]]
        if len(n33) != 2 or len(n360) != 2:
            raise SystemExit("N33 x N360 interchange not found at %s" % (x,))

        def arm(road):
            # a point 260 m from the crossing along the road, inserted as a vertex
            other = road["pts"][0] if road["pts"][-1] == x else road["pts"][-1]
            L = dist(x, other)
            q = (r2(x[0] + (other[0] - x[0]) * 260 / L), r2(x[1] + (other[1] - x[1]) * 260 / L))
            i = 1 if road["pts"][0] == x else len(road["pts"]) - 1
            road["pts"].insert(i, q)
            return q

        s33, n33p = sorted((arm(r) for r in n33), key=lambda q: q[1])  # south, north
        w360, e360 = sorted((arm(r) for r in n360), key=lambda q: q[0])  # west, east

        def ramp(a, b, code, name):
            mid = ((a[0] + b[0]) / 2 + (a[0] + b[0] - 2 * x[0]) * 0.25, (a[1] + b[1]) / 2 + (a[1] + b[1] - 2 * x[1]) * 0.25)
            self.add_road([a, mid, b], 9, wegbehsrt="R", wegnummer="033", stt_naam=name, frc=3, fow=10,
                          bst_code=code, rijrichtng="H", kind="ramp")

        ramp(s33, w360, "AF", "Rijksweg afrit Appingedam")
        ramp(n33p, e360, "AF", "Rijksweg afrit Delfzijl")
        ramp(w360, n33p, "OP", "Rijksweg oprit Appingedam")
        ramp(e360, s33, "OP", "Rijksweg oprit Delfzijl")

    def add_site_tracks(self, rng):
        """A dead-end farm track towards every site (VAB, partner base, signal) that is farther than
        SITE_TRACK_M from a road a car may use; it ends TRACK_SHORT_M before the site."""
        idx = SegIndex(250)
        for k, r in enumerate(self.roads):
            if r["attrs"]["kind"] != "fietspad":
                idx.add(r["pts"], k)
        sites = [(v["vab_id"], v["x"], v["y"]) for v in self.vab]
        sites += [(p["partner_id"], p["x"], p["y"]) for p in self.partners]
        sites += [(s["signaal_id"], s["x"], s["y"]) for s in self.signalen]
        self.site_tracks = []
        for sid, x, y in sites:
            d, q, tag = idx.nearest((x, y), 3000)
            if q is None:
                raise SystemExit("no road within 3 km of %s" % sid)
            if d <= SITE_TRACK_M:
                continue
            road = self.roads[tag[0]]
            i = min(range(len(road["pts"]) - 1), key=lambda j: seg_nearest((x, y), road["pts"][j], road["pts"][j + 1])[0])
            d, q, _ = seg_nearest((x, y), road["pts"][i], road["pts"][i + 1])
            q = (r2(q[0]), r2(q[1]))
            if q not in road["pts"]:
                road["pts"].insert(i + 1, q)
            ux, uy = (x - q[0]) / d, (y - q[1]) / d
            end = (x - ux * TRACK_SHORT_M, y - uy * TRACK_SHORT_M)
            mid = ((q[0] + end[0]) / 2 + rng.uniform(-30, 30), (q[1] + end[1]) / 2 + rng.uniform(-30, 30))
            self.add_road([q, mid, end], 0, wegbehsrt="G", wegnummer="", stt_naam=rng.choice(FARM_ROAD_NAMES),
                          frc=7, fow=3, bst_code="", kind="dead_end")
            idx.add(self.roads[-1]["pts"], len(self.roads) - 1)
            self.site_tracks.append(sid)

    def car_graph(self, mode="auto"):
        """Directed adjacency {jte: [(jte, length, wegvak)]} for auto (no cycle paths) or landbouw
        (also no rijkswegen and ramps)."""
        adj = {}
        for w in self.wegvakken:
            if w["bst_code"] == "FP" or (mode == "landbouw" and w["wegbehsrt"] == "R"):
                continue
            L = sum(dist(w["pts"][i], w["pts"][i + 1]) for i in range(len(w["pts"]) - 1))
            a, b = w["jte_id_beg"], w["jte_id_end"]
            adj.setdefault(a, [])
            adj.setdefault(b, [])
            if w["rijrichtng"] != "T":
                adj[a].append((b, L, w))
            if w["rijrichtng"] != "H":
                adj[b].append((a, L, w))
        return adj

    def car_components(self, mode="auto"):
        """Strongly connected components of the car (or tractor) graph (Kosaraju): list of sets, index
        of the largest."""
        adj = self.car_graph(mode)
        radj = {n: [] for n in adj}
        for n, out in adj.items():
            for m, _, _ in out:
                radj[m].append(n)
        order, seen = [], set()
        for s in sorted(adj):
            if s in seen:
                continue
            seen.add(s)
            stack = [(s, iter(adj[s]))]
            while stack:
                n, it = stack[-1]
                for m, _, _ in it:
                    if m not in seen:
                        seen.add(m)
                        stack.append((m, iter(adj[m])))
                        break
                else:
                    stack.pop()
                    order.append(n)
        comp, comps = {}, []
        for s in reversed(order):
            if s in comp:
                continue
            c = {s}
            comp[s] = len(comps)
            st = [s]
            while st:
                n = st.pop()
                for m in radj[n]:
                    if m not in comp:
                        comp[m] = len(comps)
                        c.add(m)
                        st.append(m)
            comps.append(c)
        main = max(range(len(comps)), key=lambda k: (len(comps[k]), -min(comps[k])))
        return comps, main

    def join_islands(self, comps, main, rng):
        """One-way traps become two-way streets; islands get a connector to the nearest junction of the
        main component (a straight road over land)."""
        xy = {v: k for k, v in self.jte.items()}
        mains = sorted(comps[main])
        for k, c in sorted(enumerate(comps), key=lambda kc: min(kc[1])):
            if k == main:
                continue
            oneway = [w for w in self.wegvakken if w["rijrichtng"] in ("H", "T") and w["bst_code"] != "FP"
                      and w["kind"] != "ramp" and (w["jte_id_beg"] in c or w["jte_id_end"] in c)]
            if oneway:
                # only the pieces at the trap become two-way; the rest of the street stays one-way
                for w in oneway:
                    self.two_way_pieces.add(frozenset((w["pts"][0], w["pts"][-1])))
                    self.network_fixes["two_way"].append(w["wvk_id"])
                continue
            # prefer junctions off the N33, so that a connector never runs along it
            on_r = {j for w in self.wegvakken if w["wegbehsrt"] == "R" for j in (w["jte_id_beg"], w["jte_id_end"])}
            pairs = sorted((a in on_r or b in on_r, dist(xy[a], xy[b]), a, b) for a in sorted(c) for b in mains)
            pairs = [(d, a, b) for _, d, a, b in pairs]
            for d, a, b in pairs:
                if d > 2500:
                    continue
                line = ogr_line([xy[a], xy[b]])
                if self.land.Contains(line):
                    self.add_road([xy[a], xy[b]], 4, wegbehsrt="G", wegnummer="", stt_naam=rng.choice(RURAL_NAMES),
                                  frc=6, fow=3, bst_code="", kind="connector")
                    self.network_fixes["connectors"] += 1
                    break
            else:
                raise SystemExit("island at %s: no junction of the main network within 2.5 km over land" % (
                    xy[min(c)],))

    def make_routes(self):
        """Shortest routes (length) between junctions at real town centres, by plain Dijkstra over the
        wegvakken as written (their lengths in RD metres): the ground truth for veldwacht route."""
        import heapq
        xy = {v: k for k, v in self.jte.items()}
        comps, main = self.car_components()
        main_nodes = comps[main]

        def centre(town):
            t = self.towns[town]
            return min(sorted(main_nodes), key=lambda n: dist(xy[n], (t["x"], t["y"])))

        def dijkstra(adj, s, t):
            best, prev, heap = {s: 0.0}, {}, [(0.0, s)]
            while heap:
                d, n = heapq.heappop(heap)
                if d > best[n]:
                    continue
                if n == t:
                    break
                for m, L, w in adj.get(n, ()):
                    nd = d + L
                    if nd < best.get(m, math.inf):
                        best[m] = nd
                        prev[m] = (n, w)
                        heapq.heappush(heap, (nd, m))
            if t not in best:
                return None, []
            ws, n = [], t
            while n != s:
                n, w = prev[n]
                ws.append(w["wvk_id"])
            return best[t], ws[::-1]

        graphs = {"auto": self.car_graph("auto"), "landbouw": self.car_graph("landbouw")}
        self.routes = []
        for a, b, mode in ROUTES:
            s, t = centre(a), centre(b)
            L, ws = dijkstra(graphs[mode], s, t)
            if L is None:
                raise SystemExit("route %s -> %s (%s) not found" % (a, b, mode))
            self.routes.append(dict(
                id="%s_%s_%s" % (a.replace("'t ", "").lower(), b.replace("'t ", "").lower(), mode),
                van=a, naar=b, from_xy=list(xy[s]), to_xy=list(xy[t]), mode=mode, cost="length",
                length_m=round(L, 3), wegvakken=len(ws),
                via=sorted({w["wegnummer"] for w in self.wegvakken if w["wvk_id"] in set(ws) and w["wegnummer"]})))

    # -- BAG ---------------------------------------------------------------------------------------
    def make_bag(self):
        rng = self.rng("bag")
        self.road_index = SegIndex(150)
        for w in self.wegvakken:
            self.road_index.add(w["pts"], w["wvk_id"])
        placed = PointGrid(60)
        self.next_pand = 1
        self.next_vbo = 1
        self.housenr = {}
        self.street_pc = {}

        def pand_id():
            s = "%s10%010d" % (BAG_GM, self.next_pand)
            self.next_pand += 1
            return s

        def vbo_id():
            s = "%s01%010d" % (BAG_GM, self.next_vbo)
            self.next_vbo += 1
            return s

        def postcode(wps, street, pc4):
            key = (wps, street)
            if key not in self.street_pc:
                letters = "ABCEGHJKLMNPRTVWXZ"
                n = sum(1 for k in self.street_pc if k[0] == wps) + 7
                self.street_pc[key] = "%s%s%s" % (pc4, letters[(n // len(letters)) % len(letters)],
                                                  letters[n % len(letters)])
            return self.street_pc[key]

        def add_pand(x, y, w, h, ang, bouwjaar, status, vbos, kind, wps, street, pc4, extra=None):
            pts = rect(x, y, w, h, ang)
            poly = ogr_polygon(pts)
            if not self.land_inner.Contains(poly):
                return None
            rad = (w + h) / 4 + 1
            if not placed.free((x, y), rad):
                return None
            d, _, _ = self.road_index.nearest((x, y), rad + 5)
            if d < min(w, h) / 2 + 3:
                return None
            placed.add((x, y), rad)
            pid = pand_id()
            p = dict(identificatie=pid, bouwjaar=bouwjaar, status=status, geom=round_wkt(to_multipolygon(poly)),
                     x=x, y=y, w=w, h=h, kind=kind, wps=wps, vbo_ids=[], area=w * h)
            if extra:
                p.update(extra)
            for j, (doel, opp) in enumerate(vbos):
                nr = self.housenr.get((wps, street), 0) + 1 + (1 if rng.random() < 0.15 else 0)
                self.housenr[(wps, street)] = nr
                vx = x + (j - (len(vbos) - 1) / 2.0) * min(w, h) * 0.6 / max(1, len(vbos)) * math.cos(ang)
                vy = y + (j - (len(vbos) - 1) / 2.0) * min(w, h) * 0.6 / max(1, len(vbos)) * math.sin(ang)
                vst = "Verblijfsobject in gebruik"
                if status == "Pand buiten gebruik":
                    vst = "Verblijfsobject buiten gebruik"
                elif status == "Pand in gebruik (niet ingemeten)":
                    vst = "Verblijfsobject in gebruik (niet ingemeten)"
                toev = None
                if len(vbos) > 3:  # a block of flats: one number, toevoeging 1..n
                    if j:
                        nr = self.vbos[-1]["huisnummer"]
                        self.housenr[(wps, street)] = nr
                    toev = str(j + 1)
                v = dict(identificatie=vbo_id(), pand_identificatie=pid, gebruiksdoel=doel, oppervlakte=int(opp),
                         status=vst, openbare_ruimte_naam=street, huisnummer=nr, huisletter=None, toevoeging=toev,
                         postcode=postcode(wps, street, pc4), woonplaats_naam=wps, bouwjaar=bouwjaar,
                         x=r2(vx), y=r2(vy))
                p["vbo_ids"].append(v["identificatie"])
                self.vbos.append(v)
            doelen = sorted(set(d for d, _ in vbos))
            p["gebruiksdoel"] = ",".join(doelen) if doelen else None
            p["oppervlakte_min"] = int(min(o for _, o in vbos)) if vbos else None
            p["oppervlakte_max"] = int(max(o for _, o in vbos)) if vbos else None
            p["aantal_verblijfsobjecten"] = len(vbos)
            self.panden.append(p)
            return p

        # Farms first (so yards get their room): farmhouse + barns.
        self.barns = []
        for f in self.farms:
            wps = self.town_of(f["x"], f["y"])
            pc4 = self.towns[wps]["pc4"]
            a = f["ang"]
            ux, uy = math.cos(a), math.sin(a)
            vx, vy = -uy, ux
            old = rng.random() < 0.7
            by = rng.randint(1860, 1935) if old else rng.randint(1950, 1985)
            house = add_pand(f["x"] - ux * 5, f["y"] - uy * 5, 13, 17, a, by, "Pand in gebruik",
                             [("woonfunctie", rng.randint(120, 260))], "farmhouse", wps, f["road"], pc4,
                             extra=dict(farm=f["id"]))
            f["house"] = house["identificatie"] if house else None
            nb = rng.choice([1, 2, 2, 2, 3, 3, 3, 4])
            if f in self.plant_b_farms:
                nb = max(nb, 2)
            f["barns"] = []
            for k in range(nb):
                w, h = rng.uniform(20, 34), rng.uniform(38, 80)
                side = (k - (nb - 1) / 2.0) * (w + 14)
                bj = rng.choice([rng.randint(1890, 1940), rng.randint(1950, 1995), rng.randint(1960, 1990)])
                st = "Pand in gebruik"
                u = rng.random()
                if u < 0.06:
                    st = "Pand buiten gebruik"
                elif u < 0.08:
                    st = "Sloopvergunning verleend"
                u = rng.random()
                if u < 0.7:
                    vb = []
                elif u < 0.88:
                    vb = [("industriefunctie", w * h * rng.uniform(0.8, 0.95))]
                else:
                    vb = [("overige gebruiksfunctie", w * h * rng.uniform(0.8, 0.95))]
                b = None
                for attempt in range(4):  # shift further back into the yard when the spot is taken
                    along = 35 + k * 12 + h / 2 + attempt * 45
                    bx = f["x"] + ux * along + vx * side * (1 - 0.3 * attempt) + rng.uniform(-4, 4)
                    byy = f["y"] + uy * along + vy * side * (1 - 0.3 * attempt) + rng.uniform(-4, 4)
                    b = add_pand(bx, byy, w, h, a, bj, st, vb, "barn", wps, f["road"], pc4,
                                 extra=dict(farm=f["id"]))
                    if b:
                        break
                if b:
                    f["barns"].append(b["identificatie"])
                    self.barns.append(b)
        # Business parks.
        for p in self.parks:
            big = p["name"] == "Oosterhorn"
            for seg, nm in p["streets"]:
                L = sum(dist(seg[i], seg[i + 1]) for i in range(len(seg) - 1))
                a = math.atan2(seg[-1][1] - seg[0][1], seg[-1][0] - seg[0][0])
                ux, uy = math.cos(a), math.sin(a)
                s = 40.0
                while s < L - 40:
                    for sidev in (-1, 1):
                        if rng.random() < (0.8 if big else 0.9):
                            continue
                        w = rng.uniform(30, 70) if big else rng.uniform(18, 40)
                        h = rng.uniform(40, 110) if big else rng.uniform(25, 55)
                        off = h / 2 + 18
                        x = seg[0][0] + ux * s - uy * off * sidev
                        y = seg[0][1] + uy * s + ux * off * sidev
                        if not p["poly"].Contains(ogr_point(x, y)):
                            continue
                        doel = rng.choice(["industriefunctie"] * 5 + ["kantoorfunctie", "winkelfunctie"]
                                          if not big else ["industriefunctie"] * 6 + ["kantoorfunctie"])
                        vbs = [(doel, w * h * rng.uniform(0.7, 0.95))]
                        if rng.random() < 0.25:
                            vbs.append(("kantoorfunctie", rng.uniform(80, 400)))
                        bj = rng.randint(p["jaar"], 2022)
                        add_pand(x, y, w, h, a, bj, "Pand in gebruik", vbs, "bedrijf", self.town_of(x, y), nm,
                                 self.towns[self.town_of(x, y)]["pc4"], extra=dict(park=p["name"], rin=p["rin"]))
                    s += rng.uniform(60, 120) if big else rng.uniform(40, 70)
        # Houses along town streets, thinned to a sample.
        for t in self.towns.values():
            keep = 0.055 if t["kind"] == "stad" else 0.09  # a thinned sample of the real density
            for seg, nm in t["streets"]:
                for i in range(len(seg) - 1):
                    a0, b0 = seg[i], seg[i + 1]
                    L = dist(a0, b0)
                    a = math.atan2(b0[1] - a0[1], b0[0] - a0[0])
                    ux, uy = math.cos(a), math.sin(a)
                    s = rng.uniform(8, 20)
                    while s < L - 8:
                        for sidev in (-1, 1):
                            if rng.random() > keep:
                                continue
                            centre = dist((a0[0] + ux * s, a0[1] + uy * s), (t["x"], t["y"]))
                            flat = t["kind"] == "stad" and rng.random() < 0.06
                            shop = centre < t["r"] * 0.25 and rng.random() < 0.3
                            w, h = (rng.uniform(14, 22), rng.uniform(30, 50)) if flat else (rng.uniform(7, 10),
                                                                                             rng.uniform(9, 13))
                            off = h / 2 + rng.uniform(7, 12)
                            x = a0[0] + ux * s - uy * off * sidev
                            y = a0[1] + uy * s + ux * off * sidev
                            if flat:
                                n = rng.randint(4, 12)
                                vbs = [("woonfunctie", rng.uniform(50, 90)) for _ in range(n)]
                                bj = rng.randint(1958, 1978)
                            elif shop:
                                vbs = [(rng.choice(["winkelfunctie", "winkelfunctie", "kantoorfunctie",
                                                    "bijeenkomstfunctie"]), rng.uniform(60, 300)),
                                       ("woonfunctie", rng.uniform(60, 120))]
                                bj = rng.randint(1880, 1990)
                            else:
                                vbs = [("woonfunctie", rng.uniform(70, 170))]
                                bj = rng.choice([rng.randint(1900, 1940), rng.randint(1950, 1985),
                                                 rng.randint(1986, 2023)])
                            st = "Pand in gebruik"
                            if bj >= 2023:
                                st = "Pand in gebruik (niet ingemeten)"
                            elif rng.random() < 0.01:
                                st = "Sloopvergunning verleend"
                            add_pand(x, y, w, h, a, bj, st, vbs, "flat" if flat else ("winkel" if shop else "woning"),
                                     t["name"], nm, t["pc4"])
                        s += rng.uniform(14, 24)

    # -- VAB ----------------------------------------------------------------------------------------
    def make_vab(self):
        rng = self.rng("vab")
        stopped = []
        barn_by_id = {b["identificatie"]: b for b in self.barns}
        for f in self.farms:
            if f in self.plant_b_farms or f in self.plant_a_farms:
                stopped.append(f)
            elif rng.random() < 0.36:
                stopped.append(f)
        n = 0
        for f in stopped:
            for bid in f["barns"]:
                b = barn_by_id[bid]
                planted = f in self.plant_b_farms
                if planted:
                    leeg = "leeg"
                else:
                    leeg = rng.choices(["leeg", "deels_leeg", "anders_in_gebruik", "gesloopt", "onbekend"],
                                       [30, 25, 27, 5, 13])[0]
                n += 1
                stop = rng.randint(1995, 2024)
                bezoek = None
                if rng.random() < 0.6 or planted:
                    bezoek = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 1090))
                self.vab.append(dict(
                    vab_id="VAB-1979-%04d" % n, bag_pand_id=b["identificatie"], oppervlakte_m2=round(b["area"], 1),
                    voormalig_gebruik=rng.choices(["melkvee", "akkerbouw", "varkens", "pluimvee", "glastuinbouw",
                                                   "overig"], [35, 30, 15, 10, 3, 7])[0],
                    leegstand=leeg, jaar_stop_agrarisch=stop,
                    eigenaar_type=rng.choices(["particulier", "agrarisch", "bedrijf", "overheid", "onbekend"],
                                              [45, 25, 15, 3, 12])[0],
                    herkomst=rng.choices(["inventarisatie provincie", "BAG-afleiding", "veldwaarneming"],
                                         [60, 30, 10])[0],
                    laatste_bezoek=bezoek.isoformat() if bezoek else None, x=r2(b["x"]), y=r2(b["y"]),
                    farm=f["id"]))
                if b["status"] == "Pand in gebruik" and leeg == "leeg" and rng.random() < 0.4:
                    b["status"] = "Pand buiten gebruik"
                elif leeg == "gesloopt" and rng.random() < 0.5:  # the rest: BAG not yet updated
                    b["status"] = "Sloopvergunning verleend"

    # -- signals ------------------------------------------------------------------------------------
    def make_signalen(self):
        rng = self.rng("signalen")
        sigs = []
        SRC = {
            "DRUGSAFVAL": (["boer", "jager", "loonbedrijf", "waterschap", "burger", "boa", "omgevingsdienst"],
                           [25, 18, 15, 12, 15, 10, 5]),
            "DRUGSLAB": (["burger", "boer", "politie", "mma", "netbeheerder"], [25, 20, 25, 20, 10]),
            "HENNEP": (["burger", "netbeheerder", "politie", "mma", "boa"], [35, 20, 20, 20, 5]),
            "VERHUUR": (["boer", "burger", "ondernemer", "mma", "politie"], [30, 20, 15, 20, 15]),
            "ACTIVITEIT": (["boer", "jager", "burger", "loonbedrijf", "boa", "politie", "mma"],
                           [25, 15, 25, 10, 10, 10, 5]),
            "OPSLAG": (["politie", "boa", "burger", "ondernemer", "mma"], [30, 15, 20, 15, 20]),
            "HUISVESTING": (["burger", "boa", "ondernemer", "politie"], [45, 30, 10, 15]),
            "INTIMIDATIE": (["boer", "loonbedrijf", "ondernemer", "politie"], [45, 20, 20, 15]),
            "MILIEU": (["omgevingsdienst", "waterschap", "boer", "burger", "boa", "jager"], [25, 20, 15, 20, 15, 5]),
            "BEDRIJFSPAND": (["ondernemer", "politie", "boa", "burger", "mma"], [45, 20, 15, 10, 10]),
        }
        TEXT = {
            "DRUGSAFVAL": ["Vaten met chemische lucht in de berm", "Jerrycans in sloot, dode vegetatie langs de kant",
                           "IBC-container gedumpt aan einde van doodlopende weg", "Anijslucht bij perceelrand",
                           "Blauwe vaten achtergelaten bij inrit weiland", "Lekkende vaten in greppel, vissterfte"],
            "DRUGSLAB": ["Anijslucht rond schuur, 's nachts busjes", "Ramen afgeplakt, aggregaat draait",
                         "Acetonlucht, bestelbus achteruit tegen schuurdeur"],
            "HENNEP": ["Hennepgeur en zoemende ventilatoren", "Ramen dichtgemaakt, hoog stroomverbruik",
                       "Geen sneeuw op het dak", "Stroomaansluiting lijkt omgelegd"],
            "VERHUUR": ["Schuur verhuurd aan onbekende huurder, contant betaald", "Huurder wil geen contract",
                        "Tussenpersoon biedt hoge huur voor lege loods", "Nieuwe bv huurt schuur, niemand bekend"],
            "ACTIVITEIT": ["'s Nachts af- en aanrijden bij lege schuur", "Dure auto's met buitenlands kenteken",
                           "Camera's opgehangen bij leegstaande boerderij", "Licht in lege schuur na middernacht"],
            "OPSLAG": ["Pallets met onbekende vaten opgeslagen", "Vrachtwagen lost 's nachts in loods",
                       "Opslag van vermoedelijk gestolen materieel"],
            "HUISVESTING": ["Veel arbeidsmigranten in een woning", "Busjes halen 's ochtends mensen op",
                            "Matrassen in bijgebouw"],
            "INTIMIDATIE": ["Boer onder druk gezet om schuur te verhuren", "Medewerker bedreigd na weigering",
                            "Onbekenden dringen aan op gebruik van erf"],
            "MILIEU": ["Afval gestort op perceel", "Mest uitgereden buiten seizoen", "Asbestplaten in sloot",
                       "Olie op het water van de maar"],
            "BEDRIJFSPAND": ["Snelle wisseling van huurders in bedrijfsunit", "Inbraak in bedrijfspand",
                             "Pand afgeschermd, weinig zichtbare activiteit", "Onbekend bedrijf zonder naam op gevel"],
        }
        REL = {"politie": "A", "boa": "AB", "omgevingsdienst": "AB", "waterschap": "B", "netbeheerder": "AB",
               "boer": "BC", "jager": "BC", "loonbedrijf": "BC", "ondernemer": "BC", "burger": "BCD", "mma": "CD"}
        PREC = {"politie": (5, 15), "boa": (10, 30), "omgevingsdienst": (10, 30), "waterschap": (15, 50),
                "netbeheerder": (5, 15), "boer": (25, 100), "jager": (25, 150), "loonbedrijf": (25, 100),
                "ondernemer": (10, 50), "burger": (25, 250), "mma": (100, 500)}

        env = self.land.GetEnvelope()
        buiten = self.land_inner.Difference(self.all_towns.Buffer(100)).Difference(self.all_parks)

        def rand_buiten(near_road=True):
            while True:
                x, y = rng.uniform(env[0], env[1]), rng.uniform(env[2], env[3])
                if not buiten.Contains(ogr_point(x, y)):
                    continue
                if near_road:
                    d, q, _ = self.road_index.nearest((x, y), 400)
                    if q is None:
                        continue
                    x, y = q[0] + rng.uniform(-25, 25), q[1] + rng.uniform(-25, 25)
                    if not buiten.Contains(ogr_point(x, y)):
                        continue
                return x, y

        woningen = [p for p in self.panden if p["kind"] in ("woning", "flat", "winkel")]
        farmhouses = [p for p in self.panden if p["kind"] == "farmhouse"]
        bedrijf = [p for p in self.panden if p["kind"] == "bedrijf"]
        vab_barns = [v for v in self.vab]
        span = (PERIOD_END - PERIOD_START).total_seconds()

        def rand_time(night=False):
            t = PERIOD_START + dt.timedelta(seconds=rng.uniform(0, span))
            if night:
                h = rng.choice([21, 22, 23, 0, 1, 2, 3, 4, 5])
            else:
                h = rng.choice(range(7, 23))
            return t.replace(hour=h, minute=rng.choice(range(0, 60, 5)), second=0, microsecond=0)

        def mk(cat, x, y, t, pand=None, src=None, window=None, tag=None):
            t = t.replace(second=0, microsecond=0)
            if src is None:
                src = rng.choices(*SRC[cat])[0]
            lo, hi = PREC[src]
            prec = float(rng.choice([v for v in (5, 10, 15, 25, 50, 100, 150, 250, 500) if lo <= v <= hi] or [lo]))
            rel = rng.choice(REL[src])
            van, tot = t, None
            if window is None:
                window = rng.random() < (0.7 if cat == "DRUGSAFVAL" else 0.25)
            if window:
                if cat == "DRUGSAFVAL":  # found at t; dumped since the last time someone passed
                    van = (t - dt.timedelta(hours=rng.randint(8, 30))).replace(minute=0)
                    tot = t
                else:
                    tot = t + dt.timedelta(days=rng.randint(1, 21), hours=rng.randint(0, 6))
            gemeld = (tot or van) + dt.timedelta(hours=rng.randint(1, 24 * rng.choice([1, 2, 5, 14])))
            if gemeld > EXPORT_DATE:  # nothing is reported after the export
                gemeld = EXPORT_DATE - dt.timedelta(hours=2)
                tot = min(tot, gemeld) if tot else None
            age = (EXPORT_DATE - gemeld).days
            if age < 45:
                status = rng.choice(["nieuw", "nieuw", "in_behandeling"])
            elif age < 200:
                status = rng.choices(["in_behandeling", "doorgezet", "afgesloten", "ongegrond"], [35, 25, 30, 10])[0]
            else:
                status = rng.choices(["in_behandeling", "doorgezet", "afgesloten", "ongegrond"], [6, 24, 56, 14])[0]
            if tag and status in ("nieuw", "ongegrond"):
                status = "doorgezet"
            tk = status in ("doorgezet", "afgesloten", "ongegrond") and rng.random() < 0.55
            tk_op = (gemeld + dt.timedelta(days=rng.randint(7, 90))).date() if tk else None
            if tk_op and tk_op > EXPORT_DATE.date():
                tk_op = EXPORT_DATE.date()
            sigs.append(dict(categorie=cat, brontype=src, betrouwbaarheid=rel, waargenomen_van=van,
                             waargenomen_tot=tot, gemeld_op=gemeld, locatie_precisie_m=prec, status=status,
                             terugkoppeling="ja" if tk else "nee", terugkoppeling_op=tk_op,
                             omschrijving=rng.choice(TEXT[cat]), bag_pand_id=pand, x=r2(x), y=r2(y), tag=tag))

        # Planted cluster A: drug-waste dumping at the ends of three dead-end roads, autumn 2024.
        a_pts = []
        for f in self.plant_a_farms:
            r = self.roads[f["dead_end"]]["pts"]
            a_pts.append(r)
        a_start, a_end = dt.datetime(2024, 9, 2), dt.datetime(2024, 11, 29)
        for k in range(14):
            pts = a_pts[k % 3]
            end, prev = pts[-1], pts[-2]
            s = rng.uniform(0.0, 110.0) / dist(end, prev)  # within ~110 m of the end, in berm or ditch
            x = end[0] + (prev[0] - end[0]) * s + rng.uniform(-30, 30)
            y = end[1] + (prev[1] - end[1]) * s + rng.uniform(-30, 30)
            t = a_start + dt.timedelta(seconds=rng.uniform(0, (a_end - a_start).total_seconds()))
            t = t.replace(hour=rng.choice([6, 7, 8, 9]), minute=rng.choice(range(0, 60, 5)))
            mk("DRUGSAFVAL", x, y, t, src=rng.choice(["boer", "boer", "jager", "loonbedrijf", "waterschap"]),
               window=True, tag="A")
        # Planted cluster B: suspicious rental and activity around a group of vacant barns.
        b_barns = [v for v in self.vab if self.farms[v["farm"]] in self.plant_b_farms]
        b_start, b_end = dt.datetime(2024, 3, 1), dt.datetime(2025, 6, 30)
        for k, cat in enumerate(["VERHUUR"] * 4 + ["ACTIVITEIT"] * 6 + ["OPSLAG"] * 2 + ["DRUGSLAB"] * 2):
            v = b_barns[k % len(b_barns)]
            x, y = v["x"] + rng.uniform(-30, 30), v["y"] + rng.uniform(-30, 30)
            t = b_start + dt.timedelta(seconds=rng.uniform(0, (b_end - b_start).total_seconds()))
            t = t.replace(hour=rng.choice([20, 21, 22, 23, 0, 1, 2]) if cat == "ACTIVITEIT" else rng.randint(8, 18))
            mk(cat, x, y, t, pand=v["bag_pand_id"] if rng.random() < 0.65 else None, tag="B")
        # Planted cluster C: cannabis nurseries in one part of Bierum.
        bierum = self.towns["Bierum"]
        cc = (bierum["x"] + 80, bierum["y"] - 60)
        houses = [p for p in woningen if p["wps"] == "Bierum" and dist((p["x"], p["y"]), cc) < 230]
        houses.sort(key=lambda p: p["identificatie"])
        rng.shuffle(houses)
        c_start, c_end = dt.datetime(2023, 10, 1), dt.datetime(2025, 3, 31)
        self.plant_c_centre = cc
        for k in range(9):
            p = houses[k % len(houses)]
            t = c_start + dt.timedelta(seconds=rng.uniform(0, (c_end - c_start).total_seconds()))
            t = t.replace(hour=rng.randint(9, 22))
            mk("HENNEP", p["x"] + rng.uniform(-6, 6), p["y"] + rng.uniform(-6, 6), t,
               pand=p["identificatie"] if rng.random() < 0.75 else None, tag="C")
        # Background noise everywhere, ~560 signals.
        cats = ["DRUGSAFVAL", "DRUGSLAB", "HENNEP", "VERHUUR", "ACTIVITEIT", "OPSLAG", "HUISVESTING", "INTIMIDATIE",
                "MILIEU", "BEDRIJFSPAND"]
        weights = [9, 4, 12, 8, 15, 6, 10, 4, 17, 15]
        while len(sigs) < 600:
            cat = rng.choices(cats, weights)[0]
            pand = None
            if cat in ("HENNEP", "HUISVESTING"):
                p = rng.choice(woningen if rng.random() < 0.85 else farmhouses)
                x, y = p["x"] + rng.uniform(-8, 8), p["y"] + rng.uniform(-8, 8)
                pand = p["identificatie"] if rng.random() < 0.55 else None
            elif cat in ("DRUGSLAB", "VERHUUR", "ACTIVITEIT", "OPSLAG"):
                if rng.random() < 0.6:
                    pool = vab_barns if rng.random() < 0.7 else self.barns
                    p = rng.choice(pool)
                    x, y = p["x"] + rng.uniform(-40, 40), p["y"] + rng.uniform(-40, 40)
                    pand = (p.get("bag_pand_id") or p.get("identificatie")) if rng.random() < 0.45 else None
                elif rng.random() < 0.5:
                    p = rng.choice(bedrijf)
                    x, y = p["x"] + rng.uniform(-20, 20), p["y"] + rng.uniform(-20, 20)
                    pand = p["identificatie"] if rng.random() < 0.4 else None
                else:
                    x, y = rand_buiten()
            elif cat == "INTIMIDATIE":
                p = rng.choice(farmhouses)
                x, y = p["x"] + rng.uniform(-30, 30), p["y"] + rng.uniform(-30, 30)
            elif cat == "BEDRIJFSPAND":
                p = rng.choice(bedrijf)
                x, y = p["x"] + rng.uniform(-25, 25), p["y"] + rng.uniform(-25, 25)
                pand = p["identificatie"] if rng.random() < 0.5 else None
            else:  # DRUGSAFVAL, MILIEU
                if rng.random() < 0.75:
                    x, y = rand_buiten()
                else:
                    # Around the planted area at any time: a purely spatial method picks some of these
                    # up with cluster A, a space-time method should not.
                    while True:
                        a, r = rng.uniform(0, 2 * math.pi), 1800 * math.sqrt(rng.random())
                        x, y = self.plant_a_centre[0] + r * math.cos(a), self.plant_a_centre[1] + r * math.sin(a)
                        if buiten.Contains(ogr_point(x, y)) and r > 250:
                            break
            if not self.in_land(x, y, 0):
                continue
            mk(cat, x, y, rand_time(night=cat in ("DRUGSAFVAL", "ACTIVITEIT", "DRUGSLAB")), pand=pand)
        # Sort by report date and number them as the reporting system would.
        sigs.sort(key=lambda s: (s["gemeld_op"], s["x"], s["y"]))
        per_year = {}
        for s in sigs:
            y = s["gemeld_op"].year
            per_year[y] = per_year.get(y, 0) + 1
            s["signaal_id"] = "SIG-%d-%04d" % (y, per_year[y])
        self.signalen = sigs

    # -- incidents ------------------------------------------------------------------------------------
    def make_incidenten(self):
        rng = self.rng("incidenten")
        CODES = [("2.5.1", "Diefstal/inbraak bedrijven en instellingen", 26),
                 ("2.2.1", "Vernieling c.q. zaakbeschadiging", 14),
                 ("1.2.1", "Diefstal uit/vanaf motorvoertuigen", 10),
                 ("1.2.5", "Diefstal af/uit/van overige voertuigen", 6),
                 ("1.6.2", "Overige vermogensdelicten", 6),
                 ("2.5.2", "Winkeldiefstal", 5),
                 ("2.6.4", "Afval", 6),
                 ("2.6.1", "Inrichting Wet milieubeheer", 4),
                 ("2.6.8", "Transport gevaarlijke stoffen", 3),
                 ("3.1.1", "Drugshandel", 5),
                 ("1.6.1", "Brand/ontploffing", 4),
                 ("1.4.4", "Bedreiging", 4),
                 ("3.9.3", "Fraude (overig)", 3),
                 ("1.2.2", "Diefstal van motorvoertuigen", 4)]
        TEXT = {"2.5.1": "Inbraak in bedrijfshal", "2.2.1": "Hek en camera vernield", "1.2.1": "Gereedschap uit bus gestolen",
                "1.2.5": "Koper en accu's van materieel gestolen", "1.6.2": "Brandstof afgetapt",
                "2.5.2": "Diefstal uit winkel", "2.6.4": "Afval gedumpt op kavel", "2.6.1": "Overtreding vergunning",
                "2.6.8": "Onjuist vervoer gevaarlijke stoffen", "3.1.1": "Verdachte overdracht op parkeerterrein",
                "1.6.1": "Brand in container", "1.4.4": "Beveiliger bedreigd", "3.9.3": "Valse facturen",
                "1.2.2": "Vrachtwagen gestolen"}
        codes = [(c, o) for c, o, _ in CODES]
        weights = [w for _, _, w in CODES]
        by_park = {p["name"]: [b for b in self.panden if b.get("park") == p["name"]] for p in self.parks}
        span_days = (PERIOD_END.date() - PERIOD_START.date()).days
        incs = []
        # Planted cluster D: an emerging hot spot on Oosterhorn, rising every quarter.
        oost = next(p for p in self.parks if p["name"] == "Oosterhorn")
        dc = (261300.0, 591250.0)
        self.plant_d_centre = dc
        near = [b for b in by_park["Oosterhorn"] if dist((b["x"], b["y"]), dc) < 380]
        near.sort(key=lambda b: b["identificatie"])
        for q in range(12):  # 12 quarters 2023Q1..2025Q4: 1, 1, 2, 2, 3, ..., 16 incidents
            n = [1, 1, 2, 2, 3, 4, 5, 6, 8, 10, 13, 16][q]
            for _ in range(n):
                d0 = dt.date(2023 + q // 4, 3 * (q % 4) + 1, 1)
                d = d0 + dt.timedelta(days=rng.randint(0, 89))
                b = rng.choice(near)
                c, o = rng.choices(codes, weights)[0]
                if rng.random() < 0.6:  # at a building
                    x, y = b["x"] + rng.uniform(-30, 30), b["y"] + rng.uniform(-30, 30)
                else:  # on the street, a car park, a fence
                    a, r = rng.uniform(0, 2 * math.pi), 320 * math.sqrt(rng.random())
                    x, y = dc[0] + r * math.cos(a), dc[1] + r * math.sin(a)
                    b = None
                if not oost["poly"].Contains(ogr_point(x, y)):
                    b = b or near[0]
                    x, y = b["x"], b["y"]
                incs.append(dict(datum=d, misdrijf_code=c, misdrijf_omschrijving=o, rin_nummer=str(oost["rin"]),
                                 bag_pand_id=b["identificatie"] if b and rng.random() < 0.6 else None,
                                 omschrijving=TEXT[c], x=r2(x), y=r2(y), tag="D"))
        # Background: all parks, uniform in time.
        share = [("Oosterhorn", 40), ("Oosterveld", 20), ("Fivelpoort", 25), ("Loppersum-Zuid", 8),
                 ("Wagenborgen-Oost", 7)]
        while len(incs) < 250:
            pn = rng.choices([s for s, _ in share], [w for _, w in share])[0]
            p = next(pp for pp in self.parks if pp["name"] == pn)
            c, o = rng.choices(codes, weights)[0]
            if rng.random() < 0.7 and by_park[pn]:
                b = rng.choice(by_park[pn])
                x, y = b["x"] + rng.uniform(-35, 35), b["y"] + rng.uniform(-35, 35)
                pid = b["identificatie"] if rng.random() < 0.45 else None
            else:
                env = p["poly"].GetEnvelope()
                x, y = rng.uniform(env[0], env[1]), rng.uniform(env[2], env[3])
                pid = None
            if not p["poly"].Contains(ogr_point(x, y)):
                continue
            d = PERIOD_START.date() + dt.timedelta(days=rng.randint(0, span_days))
            incs.append(dict(datum=d, misdrijf_code=c, misdrijf_omschrijving=o,
                             rin_nummer=str(p["rin"]) if rng.random() < 0.95 else None, bag_pand_id=pid,
                             omschrijving=TEXT[c], x=r2(x), y=r2(y), tag=None))
        incs.sort(key=lambda i: (i["datum"], i["x"], i["y"]))
        per_year = {}
        for i in incs:
            per_year[i["datum"].year] = per_year.get(i["datum"].year, 0) + 1
            i["incident_id"] = "INC-%d-%04d" % (i["datum"].year, per_year[i["datum"].year])
        self.incidenten = incs

    # -- partners -------------------------------------------------------------------------------------
    def make_partners(self):
        T = self.towns
        P = [
            ("P01", "Jager WBE Noord", "jager_wbe", "WBE Eemsdelta-Noord (fictief)", 1, 1, "signaleren", 5.0,
             (T["'t Zandt"]["x"] + 900, T["'t Zandt"]["y"] - 600)),
            ("P02", "Jager WBE Zuid", "jager_wbe", "WBE Eemsdelta-Zuid (fictief)", 1, 1, "signaleren", 5.0,
             (T["Wagenborgen"]["x"] - 900, T["Wagenborgen"]["y"] + 700)),
            ("P03", "Jager WBE West", "jager_wbe", "WBE Eemsdelta-West (fictief)", 1, 1, "signaleren", 5.0,
             (T["Stedum"]["x"] + 1200, T["Stedum"]["y"] + 900)),
            ("P04", "Akkerbouwer Zeerijp", "boer", "LTO-afdeling Eemsdelta (fictief)", 1, 0, "signaleren", 3.0,
             (T["Zeerijp"]["x"] + 700, T["Zeerijp"]["y"] + 800)),
            ("P05", "Melkveehouder Meedhuizen", "boer", "LTO-afdeling Eemsdelta (fictief)", 1, 0, "signaleren", 3.0,
             (T["Meedhuizen"]["x"] + 900, T["Meedhuizen"]["y"] - 900)),
            ("P06", "Loonbedrijf Garrelsweer", "loonbedrijf", "Loonbedrijf Fivelboord (fictief)", 1, 0,
             "signaleren", 8.0, (T["Garrelsweer"]["x"] + 350, T["Garrelsweer"]["y"] + 150)),
            ("P07", "BOA-team Eemsdelta", "boa", "Gemeente Eemsdelta (fictief team)", 1, 1,
             "signaleren,schouwen,handhaven", 14.0, (T["Delfzijl"]["x"] - 150, T["Delfzijl"]["y"] + 100)),
            ("P08", "BOA Buitengebied", "boa", "Gemeente Eemsdelta (fictief team)", 1, 0,
             "signaleren,schouwen,handhaven", 10.0, (T["Loppersum"]["x"] + 120, T["Loppersum"]["y"] - 80)),
            ("P09", "Wijkagent Loppersum", "wijkagent", "Politie basisteam Fivelingo (fictief)", 1, 0,
             "signaleren,adrescontrole,opsporen", 8.0, (T["Loppersum"]["x"] - 100, T["Loppersum"]["y"] + 60)),
            ("P10", "Wijkagent Delfzijl-Oosterhorn", "wijkagent", "Politie basisteam Fivelingo (fictief)", 1, 0,
             "signaleren,adrescontrole,opsporen", 6.0, (T["Farmsum"]["x"] + 60, T["Farmsum"]["y"] + 40)),
            ("P11", "Gebiedsbeheerder Oosterhorn", "gebiedsbeheerder", "Havenbeheer Oosterhorn (fictief)", 1, 1,
             "signaleren,schouwen", 4.0, (261700.0, 591200.0)),
            ("P12", "Politie basisteam Fivelingo", "politie", "Politie Noord-Nederland (fictief team)", 1, 1,
             "signaleren,schouwen,handhaven,adrescontrole,opsporen", 20.0,
             (T["Appingedam"]["x"] + 200, T["Appingedam"]["y"] - 150)),
        ]
        wijk_geom = {w["code"]: w["geom"] for w in self.wijken}
        for pid, naam, typ, org, dag, nacht, bev, km, (x, y) in P:
            if not self.in_land(x, y):
                raise SystemExit("partner %s outside the land" % pid)
            self.partners.append(dict(partner_id=pid, naam=naam, partner_type=typ, organisatie=org,
                                      beschikbaar_dag=dag, beschikbaar_nacht=nacht, bevoegdheden=bev,
                                      werkgebied_km=km, x=r2(x), y=r2(y)))
            if typ == "wijkagent":
                codes = ["WK197905", "WK197906", "WK197907", "WK197908"] if "Loppersum" in naam else \
                    ["WK197901", "WK197902"]
                g = ogr.Geometry(ogr.wkbMultiPolygon)
                for c in codes:
                    g = g.Union(wijk_geom[c])
                wnaam = "Wijken " + ", ".join(c[-2:] for c in codes)
            elif typ in ("boa", "politie") and km >= 14:
                g = self.land
                wnaam = "Gemeente Eemsdelta"
            else:
                g = ogr_point(x, y).Buffer(km * 1000.0, 16).Intersection(self.land)
                wnaam = "%g km rond thuisbasis" % km
            self.werkgebieden.append(dict(partner_id=pid, naam=wnaam, geom=round_wkt(clean_polygons(g))))

    # -- ground truth ---------------------------------------------------------------------------------
    def make_truth(self):
        def summary(members, xy, times):
            cx = sum(p[0] for p in xy) / len(xy)
            cy = sum(p[1] for p in xy) / len(xy)
            rad = max(dist((cx, cy), p) for p in xy)
            return [r2(cx), r2(cy)], round(rad, 1), min(times), max(times)

        for tag, cid, cat, kind, desc in [
            ("A", "A_drugsafval_loppersum_noord", "DRUGSAFVAL", "space-time",
             "Drugsafval gedumpt aan het einde van drie doodlopende wegen ten noorden van Loppersum, herfst 2024."),
            ("B", "B_verhuur_activiteit_lege_schuren", "VERHUUR,ACTIVITEIT,OPSLAG,DRUGSLAB", "space",
             "Verdachte verhuur en nachtelijke activiteit rond een groep leegstaande schuren tussen Meedhuizen en "
             "Wagenborgen, 2024-2025."),
            ("C", "C_hennep_bierum", "HENNEP", "space",
             "Hennepkwekerijen in een deel van de kom van Bierum, 2023-2025."),
        ]:
            ms = [s for s in self.signalen if s["tag"] == tag]
            c, rad, t0, t1 = summary(ms, [(s["x"], s["y"]) for s in ms], [s["waargenomen_van"] for s in ms])
            entry = dict(id=cid, layer="signalen", file="signalen.csv", id_field="signaal_id", category=cat,
                         kind=kind, description=desc, centre=c, radius_m=rad,
                         time_from=t0.strftime("%Y-%m-%dT%H:%M:%S"), time_to=t1.strftime("%Y-%m-%dT%H:%M:%S"),
                         member_ids=[s["signaal_id"] for s in ms],
                         expected=dict(dbscan=dict(eps_m=[250, 400], min_pts=5), gi_star_cell_m=500))
            if tag == "A":
                entry["related"] = dict(wegvakken_dead_ends=sorted(
                    w["wvk_id"] for w in self.wegvakken
                    if w["kind"] == "dead_end" and any(w["src"] is self.roads[f["dead_end"]] for f in self.plant_a_farms)))
                entry["expected"]["st_dbscan"] = dict(eps_m=350, eps_days=45, min_pts=5)
            if tag == "B":
                entry["related"] = dict(vab_ids=[v["vab_id"] for v in self.vab if self.farms[v["farm"]] in
                                                 self.plant_b_farms],
                                        bag_pand_ids=[v["bag_pand_id"] for v in self.vab
                                                      if self.farms[v["farm"]] in self.plant_b_farms])
            self.truth.append(entry)
        ms = [i for i in self.incidenten if i["tag"] == "D"]
        c, rad, t0, t1 = summary(ms, [(i["x"], i["y"]) for i in ms], [i["datum"] for i in ms])
        per_q = {}
        for i in ms:
            k = "%dQ%d" % (i["datum"].year, (i["datum"].month - 1) // 3 + 1)
            per_q[k] = per_q.get(k, 0) + 1
        self.truth.append(dict(
            id="D_incidenten_oosterhorn_opkomend", layer="incidenten", file="incidenten.csv", id_field="incident_id",
            category="incidenten bedrijventerrein", kind="emerging-hotspot",
            description="Incidenten geconcentreerd op een deel van Oosterhorn, elk kwartaal meer (opkomende hotspot).",
            centre=c, radius_m=rad, time_from=t0.isoformat(), time_to=t1.isoformat(),
            member_ids=[i["incident_id"] for i in ms], per_quarter=dict(sorted(per_q.items())),
            rin_nummer=str(next(p["rin"] for p in self.parks if p["name"] == "Oosterhorn")),
            expected=dict(dbscan=dict(eps_m=[250, 400], min_pts=5), gi_star_cell_m=500,
                          emerging_hotspot=dict(cell_m=500, step="quarter", trend="stijgend"))))

    # -- writing --------------------------------------------------------------------------------------
    def write(self, out):
        os.makedirs(out, exist_ok=True)
        gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-15T00:00:00Z")
        gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "DELETE")
        self.write_cbs(os.path.join(out, "cbs_wijkenbuurten_2024.gpkg"))
        self.write_nwb(os.path.join(out, "nwb_wegvakken.gpkg"))
        self.write_bag(os.path.join(out, "bag_light.gpkg"))
        self.write_ibis(os.path.join(out, "ibis_bedrijventerreinen.shp"))
        self.write_own(out)
        with open(os.path.join(out, "ground_truth.json"), "w", encoding="utf-8", newline="\n") as fh:
            json.dump(dict(region="Eemsdelta", gemeentecode=GM_CODE, crs="EPSG:28992", seed=self.seed,
                           generator="sample-data/generate.py", clusters=self.truth, routes=self.routes), fh, indent=1,
                      ensure_ascii=False)
            fh.write("\n")

    def write_cbs(self, path):
        ds = new_gpkg(path)
        rng = self.rng("cbs-write")
        common = [("jrstatcode", "str", 16), ("gemeentecode", "str", 6), ("gemeentenaam", "str", 60),
                  ("water", "str", 3), ("omgevingsadressendichtheid", "int", 0),
                  ("stedelijkheid_adressen_per_km2", "int", 0), ("bevolkingsdichtheid_inwoners_per_km2", "int", 0),
                  ("aantal_inwoners", "int", 0), ("mannen", "int", 0), ("vrouwen", "int", 0),
                  ("percentage_personen_0_tot_15_jaar", "int", 0), ("percentage_personen_65_jaar_en_ouder", "int", 0),
                  ("aantal_huishoudens", "int", 0), ("gemiddelde_huishoudsgrootte", "real", 0),
                  ("oppervlakte_totaal_in_ha", "int", 0), ("oppervlakte_land_in_ha", "int", 0),
                  ("oppervlakte_water_in_ha", "int", 0)]

        def stats(inw, hh, ha_tot, ha_water, suppress):
            land = max(0, int(round(ha_tot - ha_water)))
            d = dict(aantal_inwoners=inw, aantal_huishoudens=hh, oppervlakte_totaal_in_ha=int(round(ha_tot)),
                     oppervlakte_land_in_ha=land, oppervlakte_water_in_ha=int(round(ha_water)))
            if suppress:
                for k in ("mannen", "vrouwen", "percentage_personen_0_tot_15_jaar",
                          "percentage_personen_65_jaar_en_ouder", "gemiddelde_huishoudsgrootte",
                          "bevolkingsdichtheid_inwoners_per_km2", "omgevingsadressendichtheid",
                          "stedelijkheid_adressen_per_km2"):
                    d[k] = -99997
                d["aantal_inwoners"] = inw if inw >= 50 else -99997
                d["aantal_huishoudens"] = hh if inw >= 50 else -99997
            else:
                m = int(round(inw * rng.uniform(0.48, 0.51)))
                d.update(mannen=m, vrouwen=inw - m, percentage_personen_0_tot_15_jaar=rng.randint(11, 16),
                         percentage_personen_65_jaar_en_ouder=rng.randint(22, 32),
                         gemiddelde_huishoudsgrootte=round(inw / hh, 1) if hh else -99997,
                         bevolkingsdichtheid_inwoners_per_km2=int(inw / max(land, 1) * 100),
                         omgevingsadressendichtheid=int(hh / max(land, 1) * 100 * rng.uniform(0.8, 1.2)),
                         stedelijkheid_adressen_per_km2=stedelijkheid(hh / max(land, 1) * 100 * 1.1))
            return d

        rows = []
        for b in self.buurten:
            ha = b["geom"].GetArea() / 1e4
            wat = ha if b["water"] == "JA" else ha * (0.01 if b["kind"] == "kom" else 0.025)
            supp = b["inw"] < 100 or b["kind"] in ("park", "water")
            a = dict(jrstatcode="2024" + b["code"], buurtcode=b["code"], buurtnaam=b["naam"], wijkcode=b["wijkcode"],
                     gemeentecode=GM_CODE, gemeentenaam=GM_NAAM, water=b["water"],
                     meest_voorkomende_postcode=(self.towns[b["town"]]["pc4"] if b["town"] else None),
                     indelingswijziging_wijken_en_buurten=1, synthetisch=None)
            a.update(stats(b["inw"], b["hh"], ha, wat, supp))
            rows.append((round_wkt(b["geom"]), a))
        fields_b = [("buurtcode", "str", 10), ("buurtnaam", "str", 80), ("wijkcode", "str", 8)] + common + \
                   [("meest_voorkomende_postcode", "str", 4), ("indelingswijziging_wijken_en_buurten", "int", 0)]
        wrows = []
        for w in self.wijken:
            bs = [b for b in self.buurten if b["wijkcode"] == w["code"]]
            inw = sum(b["inw"] for b in bs)
            hh = sum(b["hh"] for b in bs)
            ha = w["geom"].GetArea() / 1e4
            a = dict(jrstatcode="2024" + w["code"], wijkcode=w["code"], wijknaam=w["naam"], gemeentecode=GM_CODE,
                     gemeentenaam=GM_NAAM, water=w["water"], indelingswijziging_wijken_en_buurten=1)
            a.update(stats(inw, hh, ha, ha if w["water"] == "JA" else ha * 0.02, inw < 100))
            wrows.append((round_wkt(w["geom"]), a))
        fields_w = [("wijkcode", "str", 8), ("wijknaam", "str", 80)] + common + \
                   [("indelingswijziging_wijken_en_buurten", "int", 0)]
        inw = sum(b["inw"] for b in self.buurten)
        hh = sum(b["hh"] for b in self.buurten)
        ha = self.boundary.GetArea() / 1e4
        g = dict(jrstatcode="2024" + GM_CODE, gemeentecode=GM_CODE, gemeentenaam=GM_NAAM, water="NEE")
        g.update(stats(inw, hh, ha, self.water.GetArea() / 1e4, False))
        grows = [(round_wkt(to_multipolygon(self.boundary)), g)]
        fields_g = common
        write_layer(ds, "gemeenten", ogr.wkbMultiPolygon, fields_g, grows)
        write_layer(ds, "wijken", ogr.wkbMultiPolygon, fields_w, wrows)
        write_layer(ds, "buurten", ogr.wkbMultiPolygon, fields_b, rows)
        ds = None

    def write_nwb(self, path):
        ds = new_gpkg(path)
        fields = [("wvk_id", "int64", 0), ("wvk_begdat", "str", 10), ("jte_id_beg", "int64", 0),
                  ("jte_id_end", "int64", 0), ("wegbehsrt", "str", 1), ("wegnummer", "str", 5),
                  ("wegdeelltr", "str", 1), ("rijrichtng", "str", 1), ("stt_naam", "str", 80), ("wpsnaam", "str", 40),
                  ("gme_id", "int", 0), ("gme_naam", "str", 40), ("bst_code", "str", 5), ("frc", "int", 0),
                  ("fow", "int", 0), ("wegbehcode", "str", 5), ("wegbehnaam", "str", 60), ("admrichtng", "str", 1),
                  ("routeltr", "str", 2), ("routenr", "int", 0)]
        rows = []
        beh = {"R": ("0", "Rijkswaterstaat"), "P": ("20", "Provincie Groningen"), "G": ("1979", GM_NAAM),
               "W": ("56", "Waterschap Noorderzijlvest")}
        for w in self.wegvakken:
            a = dict(w)
            a["wvk_begdat"] = "2015-01-01"
            a["wegdeelltr"] = "#" if w["wegnummer"] else None
            a["bst_code"] = w["bst_code"] or None
            a["wegbehcode"], a["wegbehnaam"] = beh[w["wegbehsrt"]]
            a["admrichtng"] = w["rijrichtng"] if w["wegnummer"] and w["rijrichtng"] in ("H", "T") else None
            a["routeltr"] = "N" if w["wegnummer"] else None
            a["routenr"] = int(w["wegnummer"]) if w["wegnummer"] else None
            rows.append(("LINESTRING (" + ",".join("%.2f %.2f" % p for p in w["pts"]) + ")", a))
        write_layer(ds, "wegvakken", ogr.wkbLineString, fields, rows)
        ds = None

    def write_bag(self, path):
        ds = new_gpkg(path)
        pf = [("identificatie", "str", 16), ("bouwjaar", "int", 0), ("status", "str", 40),
              ("gebruiksdoel", "str", 200), ("oppervlakte_min", "int", 0), ("oppervlakte_max", "int", 0),
              ("aantal_verblijfsobjecten", "int", 0)]
        write_layer(ds, "pand", ogr.wkbMultiPolygon, pf, [(p["geom"], p) for p in self.panden])
        vf = [("identificatie", "str", 16), ("pand_identificatie", "str", 16), ("gebruiksdoel", "str", 200),
              ("oppervlakte", "int", 0), ("status", "str", 60), ("bouwjaar", "int", 0),
              ("openbare_ruimte_naam", "str", 80), ("huisnummer", "int", 0), ("huisletter", "str", 1),
              ("toevoeging", "str", 4), ("postcode", "str", 6), ("woonplaats_naam", "str", 40)]
        write_layer(ds, "verblijfsobject", ogr.wkbPoint, vf, [(wkt_pt(v["x"], v["y"]), v) for v in self.vbos])
        ds = None

    def write_ibis(self, path):
        drv = ogr.GetDriverByName("ESRI Shapefile")
        if os.path.exists(path):
            drv.DeleteDataSource(path)
        ds = drv.CreateDataSource(path)
        fields = [("RIN_NUMMER", "int", 9), ("PLAN_NAAM", "str", 60), ("GEM_CODES", "str", 20), ("JAAR", "int", 4),
                  ("HA_BRUTO", "real", 12), ("HA_NETTO", "real", 12), ("HA_TOTTUIT", "real", 12),
                  ("WLOC_TYPE", "str", 40)]
        rows = [(round_wkt(p["poly"]), dict(RIN_NUMMER=p["rin"], PLAN_NAAM=p["name"], GEM_CODES="1979", JAAR=2024,
                                            HA_BRUTO=p["ha_bruto"], HA_NETTO=p["ha_netto"],
                                            HA_TOTTUIT=p["ha_tottuit"], WLOC_TYPE=p["wloc"]))
                for p in self.parks]
        write_layer(ds, "ibis_bedrijventerreinen", ogr.wkbMultiPolygon, fields, rows, options=["ENCODING=UTF-8"])
        ds = None

    def write_own(self, out):
        sh = ["signaal_id", "categorie", "brontype", "betrouwbaarheid", "waargenomen_van", "waargenomen_tot",
              "gemeld_op", "locatie_precisie_m", "status", "terugkoppeling", "terugkoppeling_op", "omschrijving",
              "bag_pand_id", "x", "y", "synthetisch"]
        rows = []
        for s in self.signalen:
            rows.append(dict(s, waargenomen_van=nl_dt(s["waargenomen_van"]), waargenomen_tot=nl_dt(s["waargenomen_tot"]),
                             gemeld_op=nl_dt(s["gemeld_op"]), terugkoppeling_op=nl_date(s["terugkoppeling_op"]),
                             locatie_precisie_m=("%g" % s["locatie_precisie_m"]).replace(".", ","),
                             x=nl_num(s["x"]), y=nl_num(s["y"]), synthetisch=1))
        write_excel_csv(os.path.join(out, "signalen.csv"), sh, rows)
        ih = ["incident_id", "datum", "misdrijf_code", "misdrijf_omschrijving", "rin_nummer", "bag_pand_id",
              "omschrijving", "x", "y", "synthetisch"]
        rows = [dict(i, datum=nl_date(i["datum"]), x=nl_num(i["x"]), y=nl_num(i["y"]), synthetisch=1)
                for i in self.incidenten]
        write_excel_csv(os.path.join(out, "incidenten.csv"), ih, rows)
        vf = [("vab_id", "str", 0), ("bag_pand_id", "str", 16), ("oppervlakte_m2", "real", 0),
              ("voormalig_gebruik", "str", 0), ("leegstand", "str", 0), ("jaar_stop_agrarisch", "int", 0),
              ("eigenaar_type", "str", 0), ("herkomst", "str", 0), ("laatste_bezoek", "str", 0),
              ("synthetisch", "int", 0)]
        write_geojson(os.path.join(out, "vab.geojson"), "vab", ogr.wkbPoint, vf,
                      [(wkt_pt(v["x"], v["y"]), dict(v, synthetisch=1)) for v in self.vab])
        pf = [("partner_id", "str", 0), ("naam", "str", 0), ("partner_type", "str", 0), ("organisatie", "str", 0),
              ("beschikbaar_dag", "int", 0), ("beschikbaar_nacht", "int", 0), ("bevoegdheden", "str", 0),
              ("werkgebied_km", "real", 0), ("synthetisch", "int", 0)]
        write_geojson(os.path.join(out, "partners.geojson"), "partners", ogr.wkbPoint, pf,
                      [(wkt_pt(p["x"], p["y"]), dict(p, synthetisch=1)) for p in self.partners])
        wf = [("partner_id", "str", 0), ("naam", "str", 0), ("synthetisch", "int", 0)]
        write_geojson(os.path.join(out, "partner_werkgebieden.geojson"), "partner_werkgebieden", ogr.wkbMultiPolygon,
                      wf, [(w["geom"], dict(w, synthetisch=1)) for w in self.werkgebieden])


def refresh_boundary(src):
    """Copy GM1979 and its neighbours from the national file (which lacks a crs member) into boundary/."""
    with open(src, encoding="utf-8") as fh:
        data = json.load(fh)
    feats = [f for f in data["features"] if f["properties"]["statcode"] in [GM_CODE] + NEIGHBOURS]
    out = dict(type="FeatureCollection", name="gemeenten_2025_eemsdelta_en_buren",
               crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}, features=feats)
    os.makedirs(os.path.dirname(BOUNDARY_FILE), exist_ok=True)
    with open(BOUNDARY_FILE, "w", encoding="utf-8", newline="\n") as fh:
        json.dump(out, fh, ensure_ascii=False, separators=(",", ":"))
        fh.write("\n")
    print("wrote %s (%d features)" % (BOUNDARY_FILE, len(feats)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", default=os.path.join(HERE, "eemsdelta"))
    ap.add_argument("--refresh-boundary", metavar="NL_GEMEENTEN_GEOJSON")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    if args.refresh_boundary:
        refresh_boundary(args.refresh_boundary)
        return 0
    R = Region(args.seed)
    R.load_boundary()
    R.make_towns()
    R.make_parks()
    R.make_cbs()
    R.make_roads()
    R.node_roads()
    R.make_bag()
    R.make_vab()
    R.make_signalen()
    R.make_incidenten()
    R.make_partners()
    R.improve_network()
    R.make_truth()
    R.write(args.out)
    if not args.quiet:
        print("eemsdelta (seed %d) -> %s" % (args.seed, args.out))
        print("  wijken %d, buurten %d, wegvakken %d, junctions %d, panden %d (schuren %d), "
              "verblijfsobjecten %d, bedrijventerreinen %d" % (
                  len(R.wijken), len(R.buurten), len(R.wegvakken), len(R.jte), len(R.panden), len(R.barns),
                  len(R.vbos), len(R.parks)))
        print("  signalen %d, vab %d, incidenten %d, partners %d, clusters %d" % (
            len(R.signalen), len(R.vab), len(R.incidenten), len(R.partners), len(R.truth)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
