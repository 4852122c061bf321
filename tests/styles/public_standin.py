"""Stand-ins for the public-layer styles (styles/results/openbaar_*.qml): counts per buurt, wijk
and gemeente in one layer as layers/privacy writes them (niveau, code, naam, hoort_bij, aantal
NULL = suppressed, onderdrukt), and masked points carrying only the category. Used by
test_qml.py."""

import os
import random

from osgeo import ogr, osr

import standin_store

CATEGORIES = ["DRUGSAFVAL", "DRUGSLAB", "HENNEP", "VERHUUR", "ACTIVITEIT", "OPSLAG",
              "HUISVESTING", "INTIMIDATIE", "MILIEU", "BEDRIJFSPAND", "ONBEKEND"]

# buurt counts on a 4 x 2 grid; None = suppressed (a small count, or its complement)
BUURT_COUNTS = [0, 7, None, 12, 25, None, 64, 9]


def _multi(wkt):
    return ogr.ForceToMultiPolygon(ogr.CreateGeometryFromWkt(wkt))


def build(outdir, seed=17):
    rnd = random.Random(seed)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(28992)
    path = os.path.join(outdir, "public_results.gpkg")
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    areas = ds.CreateLayer("openbaar_per_gebied", srs, ogr.wkbMultiPolygon)
    for name, kind in (("niveau", ogr.OFTString), ("code", ogr.OFTString),
                       ("naam", ogr.OFTString), ("hoort_bij", ogr.OFTString),
                       ("aantal", ogr.OFTInteger), ("onderdrukt", ogr.OFTInteger)):
        areas.CreateField(ogr.FieldDefn(name, kind))
    x0, y0 = standin_store.X0, standin_store.Y0
    size = 1000.0

    def add(niveau, code, parent, count, wkt):
        f = ogr.Feature(areas.GetLayerDefn())
        f.SetField("niveau", niveau)
        f.SetField("code", code)
        f.SetField("naam", code)
        if parent:
            f.SetField("hoort_bij", parent)
        if count is not None:
            f.SetField("aantal", count)
        f.SetField("onderdrukt", 1 if count is None else 0)
        f.SetGeometry(_multi(wkt))
        areas.CreateFeature(f)

    box = standin_store._box
    for i, count in enumerate(BUURT_COUNTS):
        col, row = i % 4, i // 4
        add("buurt", "BU0000{:04d}".format(i), "WK00000{}".format(col // 2), count,
            box(x0 + col * size, y0 + row * size, x0 + (col + 1) * size, y0 + (row + 1) * size))
    for w in range(2):
        add("wijk", "WK00000{}".format(w), "GM0000", None,
            box(x0 + 2 * w * size, y0, x0 + 2 * (w + 1) * size, y0 + 2 * size))
    add("gemeente", "GM0000", None, sum(c for c in BUURT_COUNTS if c is not None) + 11,
        box(x0, y0, x0 + 4 * size, y0 + 2 * size))
    points = ds.CreateLayer("openbaar_gemaskeerd", srs, ogr.wkbPoint)
    points.CreateField(ogr.FieldDefn("categorie", ogr.OFTString))
    for i in range(80):
        f = ogr.Feature(points.GetLayerDefn())
        f.SetField("categorie", CATEGORIES[i % len(CATEGORIES)])
        f.SetGeometry(ogr.CreateGeometryFromWkt("POINT({} {})".format(
            rnd.uniform(x0, x0 + 4 * size), rnd.uniform(y0, y0 + 2 * size))))
        points.CreateFeature(f)
    ds = None
    return {"public_results": path}
