#!/usr/bin/python3
"""Generate the two context sources of schema version 4 for the sample region Eemsdelta (GM1979).

Reads the files generate.py wrote (it never changes them) and adds to eemsdelta/ (or --out DIR):

  brp_gewaspercelen.gpkg            synthetic BRP Gewaspercelen 2024 in PDOK's layout (layer
                                    brpgewas: category, gewas, gewascode, jaar, status; polygons)
  politie_misdrijven_per_buurt.csv  synthetic police figures per buurt in CBS StatLine's layout
                                    (typed data set of table 47022NED as CSV: ID, SoortMisdrijf,
                                    WijkenEnBuurten, Perioden, GeregistreerdeMisdrijven_1)

Parcels lie in the rural buurten ("Verspreide huizen ...", CBS stedelijkheid 5), away from BAG
panden (40 m), NWB wegvakken (10 m) and IBIS bedrijventerreinen, and do not overlap each other.
Crime counts are Poisson draws from rates per inhabitant (per ha on business parks), 2024 per
month; a few cells are "." (StatLine: not available). Everything is synthetic.

Deterministic: each part draws from its own random.Random("<seed>:<part>"); the GeoPackage's
timestamps are fixed via OGR_CURRENT_DATE. Only the standard library and osgeo.ogr/osr are used.

Usage:  /usr/bin/python3 sample-data/generate_context.py [--seed 1979] [--out DIR]
"""

import argparse
import math
import os
import random

from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2024

# BRP gewascode, gewas (as the BRP spells it), category, share of the parcels in the region.
CROPS = [
    (265, "Grasland, blijvend", "Grasland", 0.34),
    (266, "Grasland, tijdelijk", "Grasland", 0.08),
    (233, "Tarwe, winter-", "Bouwland", 0.24),
    (236, "Gerst, zomer-", "Bouwland", 0.05),
    (256, "Bieten, suiker-", "Bouwland", 0.10),
    (2014, "Aardappelen, consumptie", "Bouwland", 0.10),
    (259, "Maïs, snij-", "Bouwland", 0.09),
]

# Police classification (SoortMisdrijf), the share of all registered crimes in the countryside
# and in built-up buurten. 0.0.0 (total) is the sum of these and all other kinds.
CRIMES = [
    ("1.1.1", "Diefstal/inbraak woning", 0.06, 0.07),
    ("1.1.2", "Diefstal/inbraak box/garage/schuur", 0.08, 0.04),
    ("2.2.1", "Vernieling c.q. zaakbeschadiging", 0.10, 0.11),
    ("2.5.1", "Diefstal/inbraak bedrijven en instellingen", 0.05, 0.03),
    ("2.6.4", "Afval", 0.04, 0.01),
    ("3.1.1", "Drugshandel", 0.02, 0.03),
]
TOTAL = "0.0.0"


def srs_rd():
    s = osr.SpatialReference()
    s.ImportFromEPSG(28992)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def read_layer(path, layer):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    out = []
    for f in lyr:
        out.append((f.items(), f.GetGeometryRef().Clone()))
    return out


class GridIndex:
    """Geometries binned by their envelopes into square cells, for quick candidate look-ups."""

    def __init__(self, cell=1000.0):
        self.cell, self.bins = cell, {}

    def _cells(self, env):
        minx, maxx, miny, maxy = env
        for i in range(int(minx // self.cell), int(maxx // self.cell) + 1):
            for j in range(int(miny // self.cell), int(maxy // self.cell) + 1):
                yield i, j

    def add(self, geom):
        for c in self._cells(geom.GetEnvelope()):
            self.bins.setdefault(c, []).append(geom)

    def intersects(self, geom):
        seen = set()
        for c in self._cells(geom.GetEnvelope()):
            for g in self.bins.get(c, ()):
                if id(g) not in seen:
                    seen.add(id(g))
                    if g.Intersects(geom):
                        return True
        return False


def rectangle(cx, cy, length, width, angle):
    ca, sa = math.cos(angle), math.sin(angle)
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for dx, dy in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)):
        x, y = dx * length / 2, dy * width / 2
        ring.AddPoint_2D(round(cx + x * ca - y * sa, 2), round(cy + x * sa + y * ca, 2))
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def make_parcels(src, seed, target=320):
    rng = random.Random(f"{seed}:gewaspercelen")
    buurten = [(a, g) for a, g in read_layer(os.path.join(src, "cbs_wijkenbuurten_2024.gpkg"), "buurten")
               if a["buurtnaam"].startswith("Verspreide huizen")]
    buurten.sort(key=lambda b: b[0]["buurtcode"])
    blocked = GridIndex()
    for _, g in read_layer(os.path.join(src, "bag_light.gpkg"), "pand"):
        blocked.add(g.Buffer(40, 4))
    for _, g in read_layer(os.path.join(src, "nwb_wegvakken.gpkg"), "wegvakken"):
        blocked.add(g.Buffer(10, 2))
    for _, g in read_layer(os.path.join(src, "ibis_bedrijventerreinen.shp"), None):
        blocked.add(g.Buffer(25, 4))
    # Each buurt keeps its own field pattern: one main direction, parcels turned by 0 or 90 deg.
    angles = {a["buurtcode"]: rng.uniform(0, math.pi) for a, _ in buurten}
    weights = [g.GetArea() for _, g in buurten]
    taken = GridIndex()
    shares = [c[3] for c in CROPS]
    parcels, attempts = [], 0
    while len(parcels) < target and attempts < 60000:
        attempts += 1
        attrs, bgeom = rng.choices(buurten, weights)[0]
        minx, maxx, miny, maxy = bgeom.GetEnvelope()
        cx, cy = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        ha = min(20.0, max(1.0, rng.lognormvariate(math.log(5.5), 0.6)))
        ratio = rng.uniform(1.6, 4.5)  # Groningen's long clay parcels
        width = math.sqrt(ha * 10000 / ratio)
        length = ha * 10000 / width
        angle = angles[attrs["buurtcode"]] + rng.choice((0, math.pi / 2)) + rng.gauss(0, 0.04)
        p = rectangle(cx, cy, length, width, angle)
        if not bgeom.Contains(p) or blocked.intersects(p) or taken.intersects(p.Buffer(6, 1)):
            continue
        taken.add(p)
        code, gewas, cat, _ = rng.choices(CROPS, shares)[0]
        parcels.append((p, code, gewas, cat))
    return parcels


def write_parcels(path, parcels):
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    lyr = ds.CreateLayer("brpgewas", srs_rd(), ogr.wkbPolygon)
    for name, ftype, width in (("category", ogr.OFTString, 0), ("gewas", ogr.OFTString, 0),
                               ("gewascode", ogr.OFTInteger, 0), ("jaar", ogr.OFTInteger, 0),
                               ("status", ogr.OFTString, 0)):
        fd = ogr.FieldDefn(name, ftype)
        if width:
            fd.SetWidth(width)
        lyr.CreateField(fd)
    defn = lyr.GetLayerDefn()
    lyr.StartTransaction()
    for geom, code, gewas, cat in parcels:
        f = ogr.Feature(defn)
        f.SetField("category", cat)
        f.SetField("gewas", gewas)
        f.SetField("gewascode", code)
        f.SetField("jaar", YEAR)
        f.SetField("status", "Definitief")
        f.SetGeometry(geom)
        lyr.CreateFeature(f)
    lyr.CommitTransaction()
    ds = None


def poisson(rng, lam):
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def make_figures(src, seed):
    rng = random.Random(f"{seed}:misdrijven")
    buurten = sorted(read_layer(os.path.join(src, "cbs_wijkenbuurten_2024.gpkg"), "buurten"),
                     key=lambda b: b[0]["buurtcode"])
    # Planted cluster A (drugs waste dumped north of Loppersum, autumn 2024) shows in "2.6.4 Afval".
    dumping = ogr.CreateGeometryFromWkt("POINT (246463.12 598138.67)")
    rows = []  # (soort, regiocode, periode, value)
    for attrs, geom in buurten:
        code, inwoners = attrs["buurtcode"], attrs["aantal_inwoners"]
        rural = attrs["buurtnaam"].startswith("Verspreide huizen")
        if inwoners is None or inwoners < 0:  # business park or water: per ha of land
            per_year = 0.06 * max(0, attrs["oppervlakte_land_in_ha"] or 0)
        else:
            per_year = inwoners * (0.028 if rural else 0.045)
        counts = {}
        for month in range(1, 13):
            season = 1.0 + 0.25 * math.cos((month - 1) / 12 * 2 * math.pi)  # darker months busier
            lam = per_year / 12 * season
            kinds = {}
            for soort, _, share_rural, share_town in CRIMES:
                kinds[soort] = poisson(rng, lam * (share_rural if rural else share_town))
            if geom.Contains(dumping) and month in (9, 10, 11):
                kinds["2.6.4"] += 2 + rng.randrange(3)
            other = poisson(rng, lam * (1 - sum(c[2 if rural else 3] for c in CRIMES)))
            kinds[TOTAL] = sum(kinds.values()) + other
            counts[month] = kinds
        for month, kinds in counts.items():
            for soort, n in kinds.items():
                rows.append((soort, code, f"{YEAR}MM{month:02d}", n))
    # StatLine writes "." where a figure is not available: a handful of cells, never the total.
    for i in rng.sample([i for i, r in enumerate(rows) if r[0] != TOTAL], 12):
        rows[i] = rows[i][:3] + (None,)
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows


def write_figures(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write('"ID";"SoortMisdrijf";"WijkenEnBuurten";"Perioden";"GeregistreerdeMisdrijven_1"\r\n')
        for i, (soort, regio, periode, n) in enumerate(rows):
            value = "." if n is None else str(n)
            f.write(f'{i};"{soort:<8}";"{regio:<10}";"{periode}";{value}\r\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1979)
    ap.add_argument("--out", default=os.path.join(HERE, "eemsdelta"))
    args = ap.parse_args()
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-15T00:00:00Z")
    gdal.SetConfigOption("OGR_SQLITE_JOURNAL", "DELETE")
    parcels = make_parcels(args.out, args.seed)
    write_parcels(os.path.join(args.out, "brp_gewaspercelen.gpkg"), parcels)
    rows = make_figures(args.out, args.seed)
    write_figures(os.path.join(args.out, "politie_misdrijven_per_buurt.csv"), rows)
    ha = sum(p[0].GetArea() for p in parcels) / 10000
    print(f"brp_gewaspercelen.gpkg: {len(parcels)} parcels, {ha:.0f} ha")
    print(f"politie_misdrijven_per_buurt.csv: {len(rows)} rows")


if __name__ == "__main__":
    main()
