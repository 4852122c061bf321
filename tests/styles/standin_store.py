#!/usr/bin/python3
"""Build a small synthetic stand-in for the Veldwacht store (docs/schema.md layer and field
names, EPSG:28992) plus a results GeoPackage and two density rasters, to develop and test the
styles and the sample project against. It is NOT the sample store: the integrator generates
sample-data/eemsdelta.gpkg with the real importers.

    /usr/bin/python3 tests/styles/standin_store.py OUTDIR   ->  OUTDIR/store.gpkg,
        OUTDIR/results.gpkg, OUTDIR/density.tif, OUTDIR/dual_density.tif

Everything is generated from a fixed seed around Delfzijl/Appingedam (Eemsdelta, GM1979).
"""

import math
import os
import random
import sys

from osgeo import gdal, ogr, osr

gdal.UseExceptions()

X0, Y0, X1, Y1 = 244000.0, 586000.0, 264000.0, 600000.0  # Eemsdelta-ish box (RD New)
N_SPURS = 12  # dead-end road segments: each ends in a junction id used nowhere else

SIGNAL_CODES = ["DRUGSAFVAL", "DRUGSLAB", "HENNEP", "VERHUUR", "ACTIVITEIT", "OPSLAG",
                "HUISVESTING", "INTIMIDATIE", "MILIEU", "BEDRIJFSPAND"]
PARTNER_TYPES = ["jager_wbe", "boer", "loonbedrijf", "boa", "wijkagent", "gebiedsbeheerder",
                 "politie"]
LEEGSTAND = ["leeg", "deels_leeg", "anders_in_gebruik", "gesloopt", "onbekend"]

T, I, R, B, D = (ogr.OFTString, ogr.OFTInteger, ogr.OFTReal, "bool", ogr.OFTDate)

# layer -> (geometry type, [(field, type)])
STORE_LAYERS = {
    "signalen": (ogr.wkbPoint, [
        ("signaal_id", T), ("categorie", T), ("brontype", T), ("betrouwbaarheid", T),
        ("waargenomen_van", T), ("waargenomen_tot", T), ("gemeld_op", T),
        ("locatie_precisie_m", R), ("status", T), ("terugkoppeling", B),
        ("terugkoppeling_op", D), ("omschrijving", T), ("bag_pand_id", T)]),
    "panden": (ogr.wkbMultiPolygon, [
        ("bag_id", T), ("bouwjaar", I), ("status", T), ("gebruiksdoel", T),
        ("oppervlakte_m2", R), ("aantal_verblijfsobjecten", I), ("is_schuur", B)]),
    "verblijfsobjecten": (ogr.wkbPoint, [
        ("bag_id", T), ("bag_pand_id", T), ("gebruiksdoel", T), ("oppervlakte_m2", R),
        ("status", T), ("openbare_ruimte_naam", T), ("huisnummer", I), ("huisletter", T),
        ("toevoeging", T), ("postcode", T), ("woonplaats_naam", T)]),
    "vab": (ogr.wkbPoint, [
        ("vab_id", T), ("bag_pand_id", T), ("oppervlakte_m2", R), ("voormalig_gebruik", T),
        ("leegstand", T), ("jaar_stop_agrarisch", I), ("eigenaar_type", T), ("herkomst", T),
        ("laatste_bezoek", D)]),
    "bedrijventerreinen": (ogr.wkbMultiPolygon, [
        ("rin_nummer", T), ("plan_naam", T), ("gem_codes", T), ("jaar", I), ("ha_bruto", R),
        ("ha_netto", R), ("ha_tottuit", R), ("wloc_type", T)]),
    "incidenten": (ogr.wkbPoint, [
        ("incident_id", T), ("datum", D), ("misdrijf_code", T), ("misdrijf_omschrijving", T),
        ("rin_nummer", T), ("bag_pand_id", T), ("omschrijving", T)]),
    "partners": (ogr.wkbPoint, [
        ("partner_id", T), ("naam", T), ("partner_type", T), ("organisatie", T),
        ("beschikbaar_dag", B), ("beschikbaar_nacht", B), ("bevoegdheden", T),
        ("werkgebied_km", R)]),
    "partner_werkgebieden": (ogr.wkbMultiPolygon, [("partner_id", T), ("naam", T)]),
    "gemeenten": (ogr.wkbMultiPolygon, [
        ("code", T), ("naam", T), ("gemeentecode", T), ("water", B), ("aantal_inwoners", I),
        ("aantal_huishoudens", I), ("oppervlakte_land_ha", R)]),
    "wijken": (ogr.wkbMultiPolygon, [
        ("code", T), ("naam", T), ("gemeentecode", T), ("wijkcode", T), ("water", B),
        ("aantal_inwoners", I), ("aantal_huishoudens", I), ("oppervlakte_land_ha", R)]),
    "buurten": (ogr.wkbMultiPolygon, [
        ("code", T), ("naam", T), ("gemeentecode", T), ("wijkcode", T), ("water", B),
        ("aantal_inwoners", I), ("aantal_huishoudens", I), ("oppervlakte_land_ha", R)]),
    "gewaspercelen": (ogr.wkbMultiPolygon, [
        ("gewascode", I), ("gewas", T), ("categorie", T), ("jaar", I), ("status", T)]),
    "wegvakken": (ogr.wkbLineString, [
        ("wvk_id", I), ("jte_id_beg", I), ("jte_id_end", I), ("wegbehsrt", T),
        ("rijrichtng", T), ("bst_code", T), ("stt_naam", T), ("wpsnaam", T), ("gme_naam", T),
        ("wegnummer", T), ("frc", T), ("fow", T)]),
}

for _g, _fields in STORE_LAYERS.values():
    _fields += [("synthetisch", B), ("import_id", I)]

RESULT_LAYERS = {
    "clusters_points": (ogr.wkbPoint, [("signaal_id", T), ("cluster_id", I)]),
    "clusters_hulls": (ogr.wkbPolygon, [("cluster_id", I), ("aantal", I)]),
    "grid_counts": (ogr.wkbPolygon, [("cel_id", I), ("aantal", I)]),
    "hotspots_gi": (ogr.wkbPolygon, [("cel_id", I), ("aantal", I), ("gi_z", R), ("gi_p", R),
                                     ("gi_bin", I)]),
    "local_moran": (ogr.wkbPolygon, [("cel_id", I), ("lisa_type", T), ("lisa_i", R),
                                     ("lisa_p", R)]),
    "emerging_hotspots": (ogr.wkbPolygon, [("cel_id", I), ("categorie", T)]),
    "parks_incident_rate": (ogr.wkbMultiPolygon, [("rin_nummer", T), ("plan_naam", T),
                                                  ("incidenten_per_ha", R)]),
    "plan_routes": (ogr.wkbLineString, [("partner_id", T), ("dienst", T), ("n_bezoeken", I)]),
    "plan_bezoeken": (ogr.wkbPoint, [("partner_id", T), ("volgorde", I), ("dag_nacht", T)]),
    "plan_vervallen": (ogr.wkbPoint, [("site_id", T), ("verplicht", B), ("reden", T)]),
    "areas_gebieden": (ogr.wkbMultiPolygon, [("gebied", I), ("partner_id", T),
                                             ("afwijking_pct", R)]),
    "network_route": (ogr.wkbLineString, [("modus", T), ("lengte_m", R), ("tijd_s", R)]),
    "network_reach_roads": (ogr.wkbLineString, [("base_id", T)]),
    "network_reach_area": (ogr.wkbMultiPolygon, [("base_id", T)]),
    "network_reach_sites": (ogr.wkbPoint, [("site_id", T), ("base_id", T), ("binnen_limiet", I)]),
}

EMERGING_VALUES = [p + " " + f for f in ("Hot Spot", "Cold Spot") for p in
                   ("New", "Consecutive", "Intensifying", "Persistent", "Diminishing", "Sporadic",
                    "Oscillating", "Historical")] + ["No Pattern Detected"]


def _srs():
    s = osr.SpatialReference()
    s.ImportFromEPSG(28992)
    return s


def _create(ds, name, geom_type, fields):
    lyr = ds.CreateLayer(name, _srs(), geom_type, ["FID=fid", "GEOMETRY_NAME=geom"])
    for fname, ftype in fields:
        if ftype == B:
            fd = ogr.FieldDefn(fname, ogr.OFTInteger)
            fd.SetSubType(ogr.OFSTBoolean)
        else:
            fd = ogr.FieldDefn(fname, ftype)
        lyr.CreateField(fd)
    return lyr


def _add(lyr, wkt, **values):
    f = ogr.Feature(lyr.GetLayerDefn())
    g = ogr.CreateGeometryFromWkt(wkt)
    gt = lyr.GetGeomType()
    if gt == ogr.wkbMultiPolygon and g.GetGeometryType() == ogr.wkbPolygon:
        g = ogr.ForceToMultiPolygon(g)
    f.SetGeometry(g)
    for k, v in values.items():
        if v is not None:
            f.SetField(k, v)
    lyr.CreateFeature(f)


def _box(x0, y0, x1, y1):
    return "POLYGON(({0} {1},{2} {1},{2} {3},{0} {3},{0} {1}))".format(x0, y0, x1, y1)


def _circle(x, y, r, n=24):
    pts = ["{} {}".format(x + r * math.cos(2 * math.pi * i / n), y + r * math.sin(2 * math.pi * i / n))
           for i in range(n)]
    return "POLYGON(({}, {}))".format(", ".join(pts), pts[0])


PARKS = [  # rin, name, centre, half-size
    ("1979A001", "Oosterhorn", (261854, 591580), (1600, 1100)),
    ("1979A002", "Farmsum", (258878, 593300), (600, 400)),
    ("1979A003", "Appingedam Oost", (254100, 593200), (450, 300)),
]


def build_store(path, seed=7):
    rnd = random.Random(seed)
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    L = {name: _create(ds, name, g, f) for name, (g, f) in STORE_LAYERS.items()}
    cat = ds.CreateLayer("signaal_categorieen", None, ogr.wkbNone)
    for n in ("code", "naam", "indicatoren"):
        cat.CreateField(ogr.FieldDefn(n, T))
    fd = ogr.FieldDefn("actief", ogr.OFTInteger)
    fd.SetSubType(ogr.OFSTBoolean)
    cat.CreateField(fd)
    for c in SIGNAL_CODES:
        f = ogr.Feature(cat.GetLayerDefn())
        f.SetField("code", c)
        f.SetField("naam", c.title())
        f.SetField("actief", 1)
        cat.CreateFeature(f)

    # Municipality, 2x2 districts, 4x4 neighbourhoods.
    outline = "POLYGON(({0} {1},{2} {1},{2} {3},{4} {5},{0} {3},{0} {1}))".format(
        X0, Y0, X1, Y1 - 3000, X1 - 5000, Y1)
    _add(L["gemeenten"], outline, code="GM1979", naam="Eemsdelta", gemeentecode="GM1979",
         water=0, aantal_inwoners=45000)
    gm = ogr.CreateGeometryFromWkt(outline)
    w = 0
    for i in range(2):
        for j in range(2):
            cell = ogr.CreateGeometryFromWkt(_box(X0 + i * 10000, Y0 + j * 7000,
                                                  X0 + (i + 1) * 10000, Y0 + (j + 1) * 7000))
            part = cell.Intersection(gm)
            _add(L["wijken"], part.ExportToWkt(), code="WK1979%02d" % w, naam="Wijk %d" % (w + 1),
                 gemeentecode="GM1979", wijkcode="WK1979%02d" % w, water=0)
            for a in range(2):
                for b in range(2):
                    sub = ogr.CreateGeometryFromWkt(_box(
                        X0 + i * 10000 + a * 5000, Y0 + j * 7000 + b * 3500,
                        X0 + i * 10000 + (a + 1) * 5000, Y0 + j * 7000 + (b + 1) * 3500))
                    bp = sub.Intersection(gm)
                    if not bp.IsEmpty():
                        code = "BU1979%02d%02d" % (w, a * 2 + b)
                        _add(L["buurten"], bp.ExportToWkt(), code=code,
                             naam="Buurt %d-%d" % (w + 1, a * 2 + b + 1), gemeentecode="GM1979",
                             wijkcode="WK1979%02d" % w, water=0)
            w += 1

    # Road grid (junction ids on a lattice) plus dead-end spurs.
    wvk = 1
    step = 2500
    nx, ny = int((X1 - X0) / step), int((Y1 - Y0 - 3000) / step)
    jid = lambda i, j: 1000 + i * 100 + j  # noqa: E731
    for i in range(nx + 1):
        for j in range(ny + 1):
            x, y = X0 + i * step, Y0 + j * step
            for di, dj in ((1, 0), (0, 1)):
                if i + di > nx or j + dj > ny:
                    continue
                beh = "P" if j == 2 and dj == 0 else ("R" if i == 4 and di == 0 and False else "G")
                if i == 6 and dj == 1:
                    beh = "R"
                _add(L["wegvakken"], "LINESTRING({} {}, {} {})".format(
                    x, y, x + di * step, y + dj * step), wvk_id=wvk, jte_id_beg=jid(i, j),
                    jte_id_end=jid(i + di, j + dj), wegbehsrt=beh, rijrichtng="B",
                    stt_naam="Weg %d" % wvk, gme_naam="Eemsdelta",
                    frc="2" if beh == "R" else "5", fow="3")
                wvk += 1
    spur_j = 9000
    for k in range(N_SPURS):
        i, j = rnd.randint(0, nx), rnd.randint(0, ny)
        x, y = X0 + i * step, Y0 + j * step
        ang = rnd.random() * 2 * math.pi
        _add(L["wegvakken"], "LINESTRING({} {}, {} {})".format(
            x, y, x + 700 * math.cos(ang), y + 700 * math.sin(ang)), wvk_id=wvk,
            jte_id_beg=jid(i, j), jte_id_end=spur_j, wegbehsrt="W" if k % 3 == 0 else "G",
            bst_code="FP" if k % 5 == 0 else None, stt_naam="Doodlopende weg %d" % k, frc="7")
        wvk += 1
        spur_j += 1

    # BRP parcels: a row of fields south of the town, three categories.
    for k, (code, gewas, cat) in enumerate([(265, "Grasland, blijvend", "Grasland"),
                                            (259, "Mais, snij-", "Bouwland"),
                                            (233, "Tarwe, winter-", "Bouwland"),
                                            (331, "Natuurterrein", "Natuurterrein"),
                                            (372, "Rand, grenzend aan blijvend grasland",
                                             "Landschapselement")]):
        x = X0 + 1000 + 450 * k
        _add(L["gewaspercelen"], _box(x, Y0 + 300, x + 400, Y0 + 900), gewascode=code,
             gewas=gewas, categorie=cat, jaar=2024, status="Definitief")

    for rin, name, (cx, cy), (hx, hy) in PARKS:
        _add(L["bedrijventerreinen"], _box(cx - hx, cy - hy, cx + hx, cy + hy), rin_nummer=rin,
             plan_naam=name, gem_codes="GM1979", jaar=2024, ha_bruto=4 * hx * hy / 1e4)

    # Buildings: 80 houses/barns, each with 0..3 addresses.
    pand_ids = []
    for k in range(80):
        x, y = rnd.uniform(X0 + 500, X1 - 500), rnd.uniform(Y0 + 500, Y1 - 3500)
        schuur = k % 3 == 0
        s = 60 if schuur else 25
        bid = "1979100000%06d" % k
        pand_ids.append((bid, x, y, schuur))
        _add(L["panden"], _box(x, y, x + s, y + s * 0.7), bag_id=bid, bouwjaar=1950 + k,
             status="Pand in gebruik", is_schuur=int(schuur), oppervlakte_m2=s * s * 0.7)
        for a in range(0 if schuur else rnd.randint(1, 3)):
            _add(L["verblijfsobjecten"], "POINT({} {})".format(x + 5 + a * 5, y + 5),
                 bag_id="1979010000%06d" % (k * 4 + a), bag_pand_id=bid, gebruiksdoel="woonfunctie")
    for k, (bid, x, y, _) in enumerate([p for p in pand_ids if p[3]][:15]):
        _add(L["vab"], "POINT({} {})".format(x + 30, y + 20), vab_id="VAB-%03d" % k, bag_pand_id=bid,
             leegstand=LEEGSTAND[k % len(LEEGSTAND)], voormalig_gebruik="melkvee")

    # Signals: clumped around a few centres plus background.
    centres = [(252000, 596000), (258000, 592500), (247000, 590000)]
    for k in range(120):
        if k < 75:
            cx, cy = centres[k % 3]
            x, y = rnd.gauss(cx, 900), rnd.gauss(cy, 900)
        else:
            x, y = rnd.uniform(X0, X1), rnd.uniform(Y0, Y1 - 3000)
        _add(L["signalen"], "POINT({} {})".format(x, y), signaal_id="SIG-2024-%04d" % k,
             categorie=SIGNAL_CODES[k % len(SIGNAL_CODES)], brontype="burger",
             betrouwbaarheid="ABCD"[k % 4], waargenomen_van="2024-03-01T22:00:00",
             locatie_precisie_m=[10, 50, 250, 600][k % 4], status="nieuw", synthetisch=1)
    for k in range(40):
        rin, name, (cx, cy), (hx, hy) = PARKS[k % 3]
        _add(L["incidenten"], "POINT({} {})".format(rnd.uniform(cx - hx, cx + hx),
                                                     rnd.uniform(cy - hy, cy + hy)),
             incident_id="INC-%03d" % k, datum="2024-05-01", misdrijf_code="2.5.2", rin_nummer=rin)
    for k in range(14):
        x, y = rnd.uniform(X0 + 2000, X1 - 2000), rnd.uniform(Y0 + 2000, Y1 - 5000)
        pid = "P-%02d" % k
        _add(L["partners"], "POINT({} {})".format(x, y), partner_id=pid, naam="Partner %d" % k,
             partner_type=PARTNER_TYPES[k % len(PARTNER_TYPES)], beschikbaar_dag=1,
             beschikbaar_nacht=k % 2, werkgebied_km=2.0)
        if k < 4:
            _add(L["partner_werkgebieden"], _circle(x, y, 2000), partner_id=pid,
                 naam="Werkgebied %s" % pid)
    ds = None
    return path


def build_results(path, store_path, seed=11):
    rnd = random.Random(seed)
    if os.path.exists(path):
        os.remove(path)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(path)
    L = {name: _create(ds, name, g, f) for name, (g, f) in RESULT_LAYERS.items()}
    store = ogr.Open(store_path)
    sig = store.GetLayerByName("signalen")
    pts = [(f.GetField("signaal_id"), f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())
           for f in sig]
    centres = [(252000, 596000), (258000, 592500), (247000, 590000)]
    members = {0: [], 1: [], 2: []}
    for sid, x, y in pts:
        cid = -1
        for c, (cx, cy) in enumerate(centres):
            if math.hypot(x - cx, y - cy) < 1300:
                cid = c
        _add(L["clusters_points"], "POINT({} {})".format(x, y), signaal_id=sid, cluster_id=cid)
        if cid >= 0:
            members[cid].append((x, y))
    for cid, m in members.items():
        mp = ogr.Geometry(ogr.wkbMultiPoint)
        for x, y in m:
            p = ogr.Geometry(ogr.wkbPoint)
            p.AddPoint_2D(x, y)
            mp.AddGeometry(p)
        _add(L["clusters_hulls"], mp.ConvexHull().ExportToWkt(), cluster_id=cid, aantal=len(m))
    size = 1000
    cel = 0
    for i in range(int((X1 - X0) / size)):
        for j in range(int((Y1 - Y0 - 3000) / size)):
            x, y = X0 + i * size, Y0 + j * size
            n = sum(1 for _, px, py in pts if x <= px < x + size and y <= py < y + size)
            wkt = _box(x, y, x + size, y + size)
            _add(L["grid_counts"], wkt, cel_id=cel, aantal=n)
            z = (n - 0.6) / 1.2 + rnd.gauss(0, 0.3)
            b = 3 if z > 2.58 else 2 if z > 1.96 else 1 if z > 1.65 else \
                -3 if z < -2.58 else -2 if z < -1.96 else -1 if z < -1.65 else 0
            if n == 0 and rnd.random() < 0.08:
                b = -rnd.randint(1, 3)
            _add(L["hotspots_gi"], wkt, cel_id=cel, aantal=n, gi_z=z, gi_p=0.05, gi_bin=b)
            lisa = "HH" if n >= 3 else ("LL" if n == 0 and rnd.random() < 0.1 else
                                        ("HL" if n == 2 and rnd.random() < 0.3 else
                                         ("LH" if n == 1 and rnd.random() < 0.2 else "NS")))
            _add(L["local_moran"], wkt, cel_id=cel, lisa_type=lisa, lisa_i=0.1, lisa_p=0.05)
            _add(L["emerging_hotspots"], wkt, cel_id=cel,
                 categorie=EMERGING_VALUES[cel % len(EMERGING_VALUES)] if n > 0 or cel % 5 == 0
                 else "No Pattern Detected")
            cel += 1
    for k, (rin, name, (cx, cy), (hx, hy)) in enumerate(PARKS):
        _add(L["parks_incident_rate"], _box(cx - hx, cy - hy, cx + hx, cy + hy), rin_nummer=rin,
             plan_naam=name, incidenten_per_ha=[0.05, 0.4, 1.6][k])
    # Planning: three partners' routes with their visits and two dropped sites; four areas.
    for k in range(3):
        pid = "P{:02d}".format(k + 1)
        stops = [(X0 + 2000 + 1500 * k + 400 * j, Y0 + 3000 + 900 * j) for j in range(4)]
        wkt = "LINESTRING({})".format(",".join("{} {}".format(x, y) for x, y in stops))
        _add(L["plan_routes"], wkt, partner_id=pid, dienst=pid + "-2026-12-07-dag",
             n_bezoeken=len(stops))
        for j, (x, y) in enumerate(stops):
            _add(L["plan_bezoeken"], "POINT({} {})".format(x, y), partner_id=pid, volgorde=j + 1,
                 dag_nacht="nacht" if k == 2 else "dag")
    _add(L["plan_vervallen"], "POINT({} {})".format(X0 + 3000, Y0 + 2000), site_id="S1",
         verplicht=1, reden="geen partner met bevoegdheid adrescontrole")
    _add(L["plan_vervallen"], "POINT({} {})".format(X0 + 3500, Y0 + 2500), site_id="S2",
         verplicht=0, reden="geen tijd meer")
    for k in range(4):
        x, y = X0 + 2000 + 3000 * (k % 2), Y0 + 2000 + 3000 * (k // 2)
        _add(L["areas_gebieden"], _box(x, y, x + 3000, y + 3000), gebied=k + 1,
             partner_id="P{:02d}".format(k + 1), afwijking_pct=2.5 * k)
    # Road network: a route, the roads reached from a base, its area, sites in and out of reach.
    route = [(X0 + 1000, Y0 + 1000), (X0 + 4000, Y0 + 1500), (X0 + 6000, Y0 + 4000)]
    _add(L["network_route"], "LINESTRING({})".format(",".join("{} {}".format(x, y) for x, y in route)),
         modus="auto", lengte_m=6800.0, tijd_s=540.0)
    _add(L["network_reach_roads"], "LINESTRING({} {},{} {})".format(X0 + 1000, Y0 + 1000, X0 + 3000,
                                                                   Y0 + 1200), base_id="P01")
    _add(L["network_reach_area"], _box(X0 + 800, Y0 + 800, X0 + 3200, Y0 + 1400), base_id="P01")
    for k, inside in enumerate((1, 0, None)):
        _add(L["network_reach_sites"], "POINT({} {})".format(X0 + 1500 + 900 * k, Y0 + 1100),
             site_id="S{}".format(k + 1), base_id="P01", binnen_limiet=inside)
    ds = None
    return path


def build_rasters(outdir, store_path):
    store = ogr.Open(store_path)
    pts = [(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())
           for f in store.GetLayerByName("signalen")]
    px = 200
    nx, ny = int((X1 - X0) / px), int((Y1 - Y0) / px)
    out = []
    for name, dual in (("density.tif", False), ("dual_density.tif", True)):
        path = os.path.join(outdir, name)
        ds = gdal.GetDriverByName("GTiff").Create(path, nx, ny, 1, gdal.GDT_Float32)
        ds.SetGeoTransform((X0, px, 0, Y1, 0, -px))
        ds.SetProjection(_srs().ExportToWkt())
        band = ds.GetRasterBand(1)
        rows = []
        for r in range(ny):
            y = Y1 - (r + 0.5) * px
            row = []
            for c in range(nx):
                x = X0 + (c + 0.5) * px
                v = sum(math.exp(-((x - a) ** 2 + (y - b) ** 2) / (2 * 800.0 ** 2)) for a, b in pts)
                if dual:
                    v = v - 2.0
                row.append(v)
            rows.append(row)
        import struct
        for r, row in enumerate(rows):
            band.WriteRaster(0, r, nx, 1, struct.pack("%df" % nx, *row))
        band.SetNoDataValue(-9999)
        ds = None
        out.append(path)
    return out


def add_registered_results(store_path, results_path, rasters):
    """Copies result layers into the store under names like the CLI's (<output>_punten, ...) and
    registers them, and a raster next to the store, in veldwacht_resultaten (laag, bestand,
    stijl) as layers/results does. Returns {layer or file: style}."""
    import shutil
    src = ogr.Open(results_path)
    ds = ogr.Open(store_path, update=1)
    reg = ds.CreateLayer("veldwacht_resultaten", None, ogr.wkbNone)
    for n in ("laag", "bestand", "stijl"):
        reg.CreateField(ogr.FieldDefn(n, T))
    registered = {}
    # A layer whose fields alone would say "parks" (incidenten_per_ha) but whose registered
    # style is grid_counts: the registry must win.
    for src_name, name, style in (("clusters_points", "dbscan_punten", "clusters_points"),
                                  ("parks_incident_rate", "raster_cellen", "grid_counts")):
        ds.CopyLayer(src.GetLayerByName(src_name), name)
        f = ogr.Feature(reg.GetLayerDefn())
        f.SetField("laag", name)
        f.SetField("stijl", style)
        reg.CreateFeature(f)
        registered[name] = style
    # A dual-density raster whose file name does not say "dual".
    target = os.path.join(os.path.dirname(store_path), "verhouding.tif")
    shutil.copy(rasters[1], target)
    f = ogr.Feature(reg.GetLayerDefn())
    f.SetField("laag", "verhouding.tif")
    f.SetField("bestand", "verhouding.tif")
    f.SetField("stijl", "dual_density")
    reg.CreateFeature(f)
    registered["verhouding.tif"] = "dual_density"
    ds = None
    return registered


def build_all(outdir):
    os.makedirs(outdir, exist_ok=True)
    store = build_store(os.path.join(outdir, "store.gpkg"))
    results = build_results(os.path.join(outdir, "results.gpkg"), store)
    rasters = build_rasters(outdir, store)
    return store, results, rasters


if __name__ == "__main__":
    print(build_all(sys.argv[1] if len(sys.argv) > 1 else "/tmp/veldwacht-standin"))
