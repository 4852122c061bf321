#!/usr/bin/python3
"""Checks of the committed sample region sample-data/eemsdelta/ (registered with ctest).

1. Determinism: re-runs sample-data/generate.py into a temporary directory and compares the feature
   content (layers, fields, attribute values, geometries) with the committed files; text files
   (CSV, JSON) byte for byte. GeoPackage bytes are not compared (SQLite internals may differ).
2. Every geometry lies inside the real GM1979 boundary.
3. NWB junction ids are consistent: segment ends with the same jte id have the same coordinates and
   different ids have different coordinates; wvk_id is unique.
4. The counts are those documented in docs/sample-data.md.
5. Referential integrity: BAG links, VAB and signal bag_pand_id, incident rin_nummer, CBS codes,
   ground-truth member ids; synthetisch = 1 in Veldwacht's own files; the Excel CSV dialect.
6. The planted clusters are findable: brute-force DBSCAN (eps 300 m, min 5) puts most members of
   each cluster into one cluster, and the Getis-Ord Gi* z-score of the 500 m cell at the cluster
   centre is significant (> 2.58).

Usage: check_sample_data.py --repo /work/main   (exit code 0 = all good)
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys
import tempfile

from osgeo import gdal, ogr

gdal.UseExceptions()
ogr.UseExceptions()

# Documented in docs/sample-data.md ("What is in it"). Change both together.
EXPECTED_COUNTS = {
    ("cbs_wijkenbuurten_2024.gpkg", "gemeenten"): 1,
    ("cbs_wijkenbuurten_2024.gpkg", "wijken"): 10,
    ("cbs_wijkenbuurten_2024.gpkg", "buurten"): 56,
    ("nwb_wegvakken.gpkg", "wegvakken"): 2343,
    ("bag_light.gpkg", "pand"): 1651,
    ("bag_light.gpkg", "verblijfsobject"): 1636,
    ("ibis_bedrijventerreinen.shp", "ibis_bedrijventerreinen"): 5,
    ("vab.geojson", "vab"): 146,
    ("partners.geojson", "partners"): 12,
    ("partner_werkgebieden.geojson", "partner_werkgebieden"): 12,
    ("signalen.csv", None): 600,
    ("incidenten.csv", None): 250,
}
VECTOR_FILES = ["cbs_wijkenbuurten_2024.gpkg", "nwb_wegvakken.gpkg", "bag_light.gpkg", "ibis_bedrijventerreinen.shp",
                "vab.geojson", "partners.geojson", "partner_werkgebieden.geojson"]
TEXT_FILES = ["signalen.csv", "incidenten.csv", "ground_truth.json", "ibis_bedrijventerreinen.prj",
              "ibis_bedrijventerreinen.cpg"]

failures = []


def dist(a, b):
    return math.hypot(a[0] - b[0], a[1] - b[1])


def check(cond, msg):
    if not cond:
        failures.append(msg)
    return cond


def dump_vector(path):
    """Canonical content of a vector file: per layer, the schema and every feature."""
    ds = ogr.Open(path)
    out = []
    for i in range(ds.GetLayerCount()):
        lyr = ds.GetLayer(i)
        defn = lyr.GetLayerDefn()
        fields = [(defn.GetFieldDefn(k).GetName(), defn.GetFieldDefn(k).GetTypeName())
                  for k in range(defn.GetFieldCount())]
        srs = lyr.GetSpatialRef()
        code = srs.GetAuthorityCode(None) if srs else None
        feats = []
        for f in lyr:
            g = f.GetGeometryRef()
            feats.append((f.GetFID(), tuple(f.GetField(k) for k in range(defn.GetFieldCount())),
                          g.ExportToIsoWkt() if g else None))
        out.append((lyr.GetName(), lyr.GetGeomType(), code, fields, feats))
    return out


def read_csv(path):
    with open(path, "rb") as fh:
        raw = fh.read()
    check(raw.startswith(b"\xef\xbb\xbf"), "%s: no UTF-8 BOM" % path)
    check(b"\r\n" in raw, "%s: not CRLF" % path)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return rows


def nl_float(s):
    return float(s.replace(",", "."))


def layer_rows(path, layer=None):
    ds = ogr.Open(path)
    lyr = ds.GetLayerByName(layer) if layer else ds.GetLayer(0)
    rows = []
    for f in lyr:
        d = f.items()
        g = f.GetGeometryRef()
        d["_geom"] = g.Clone() if g else None
        rows.append(d)
    return rows


def dbscan(pts, eps, min_pts, times=None, eps_days=None):
    """Brute-force DBSCAN (Ester et al. 1996); with times and eps_days, ST-DBSCAN (Birant & Kut
    2007): neighbours must be close in space and in time. Labels -1 = noise."""
    n = len(pts)

    def near(i, j):
        if math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]) > eps:
            return False
        return times is None or abs((times[i] - times[j]).total_seconds()) <= eps_days * 86400

    nb = [[j for j in range(n) if near(i, j)] for i in range(n)]
    lab = [None] * n
    c = -1
    for i in range(n):
        if lab[i] is not None:
            continue
        if len(nb[i]) < min_pts:
            lab[i] = -1
            continue
        c += 1
        lab[i] = c
        stack = [j for j in nb[i] if j != i]
        while stack:
            j = stack.pop()
            if lab[j] == -1:
                lab[j] = c
            if lab[j] is not None:
                continue
            lab[j] = c
            if len(nb[j]) >= min_pts:
                stack.extend(nb[j])
    return lab


def gi_star(pts, bbox, cell, at):
    """Getis-Ord Gi* z-score (Ord & Getis 1995) of the cell containing `at`; counts per cell,
    binary weights over the 3x3 neighbourhood including the cell itself."""
    x0, y0, x1, y1 = bbox
    nx, ny = int((x1 - x0) // cell) + 1, int((y1 - y0) // cell) + 1
    cnt = [[0] * ny for _ in range(nx)]
    for x, y in pts:
        cnt[int((x - x0) // cell)][int((y - y0) // cell)] += 1
    vals = [v for col in cnt for v in col]
    n = len(vals)
    mean = sum(vals) / n
    s = math.sqrt(sum(v * v for v in vals) / n - mean * mean)
    ci, cj = int((at[0] - x0) // cell), int((at[1] - y0) // cell)
    wsum, wx = 0, 0
    for i in range(ci - 1, ci + 2):
        for j in range(cj - 1, cj + 2):
            if 0 <= i < nx and 0 <= j < ny:
                wsum += 1
                wx += cnt[i][j]
    return (wx - mean * wsum) / (s * math.sqrt((n * wsum - wsum * wsum) / (n - 1)))


def recall_of(lab, pool, idf, members):
    """Share of the members in the DBSCAN cluster holding most of them, and that cluster's size."""
    ml = [lab[i] for i, r in enumerate(pool) if r[idf] in members]
    best = max(set(ml) - {-1}, key=ml.count, default=-1)
    if best == -1:
        return 0.0, 0
    return ml.count(best) / len(ml), lab.count(best)


def mann_kendall_tau(series):
    s = sum((series[j] > series[i]) - (series[j] < series[i])
            for i in range(len(series)) for j in range(i + 1, len(series)))
    return s / (len(series) * (len(series) - 1) / 2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repo", required=True)
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args()
    sd = os.path.join(args.repo, "sample-data")
    data = os.path.join(sd, "eemsdelta")

    # 1. determinism
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([args.python, os.path.join(sd, "generate.py"), "--out", tmp, "--quiet"], check=True)
        for fn in VECTOR_FILES:
            a, b = dump_vector(os.path.join(data, fn)), dump_vector(os.path.join(tmp, fn))
            if not check(a == b, "%s: regenerated content differs from the committed file" % fn):
                for la, lb in zip(a, b):
                    if la != lb:
                        for fa, fb in zip(la[4], lb[4]):
                            if fa != fb:
                                print("  first difference in %s/%s:\n    %s\n    %s" % (fn, la[0], fa, fb))
                                break
        for fn in TEXT_FILES:
            with open(os.path.join(data, fn), "rb") as fa, open(os.path.join(tmp, fn), "rb") as fb:
                check(fa.read() == fb.read(), "%s: regenerated bytes differ from the committed file" % fn)

    # 2. inside GM1979
    ds = ogr.Open(os.path.join(sd, "boundary", "gemeenten_2025_eemsdelta_en_buren.geojson"))
    gm = next(f.GetGeometryRef().Clone() for f in ds.GetLayer(0) if f.GetField("statcode") == "GM1979")
    gm_tol = gm.Buffer(0.05)
    for fn in VECTOR_FILES:
        ds = ogr.Open(os.path.join(data, fn))
        for i in range(ds.GetLayerCount()):
            lyr = ds.GetLayer(i)
            srs = lyr.GetSpatialRef()
            check(srs is not None and srs.GetAuthorityCode(None) == "28992", "%s/%s: not EPSG:28992" % (fn, lyr.GetName()))
            outside = sum(1 for f in lyr if not f.GetGeometryRef().Within(gm_tol))
            check(outside == 0, "%s/%s: %d geometries outside GM1979" % (fn, lyr.GetName(), outside))
    sig = read_csv(os.path.join(data, "signalen.csv"))
    inc = read_csv(os.path.join(data, "incidenten.csv"))
    for name, rows in (("signalen.csv", sig), ("incidenten.csv", inc)):
        out = [r for r in rows if not gm.Contains(ogr.CreateGeometryFromWkt(
            "POINT (%r %r)" % (nl_float(r["x"]), nl_float(r["y"]))))]
        check(not out, "%s: %d points outside GM1979" % (name, len(out)))
        check(all(r["synthetisch"] == "1" for r in rows), "%s: synthetisch must be 1 everywhere" % name)

    # 3. NWB junctions
    weg = layer_rows(os.path.join(data, "nwb_wegvakken.gpkg"), "wegvakken")
    jte_xy, xy_jte = {}, {}
    for w in weg:
        pts = w["_geom"].GetPoints()
        for jid, p in ((w["jte_id_beg"], pts[0]), (w["jte_id_end"], pts[-1])):
            p = (p[0], p[1])
            check(jte_xy.setdefault(jid, p) == p, "junction %d has two positions" % jid)
            check(xy_jte.setdefault(p, jid) == jid, "two junction ids at %s" % (p,))
    check(len({w["wvk_id"] for w in weg}) == len(weg), "wvk_id not unique")
    deg = {}
    for w in weg:
        for k in ("jte_id_beg", "jte_id_end"):
            deg[w[k]] = deg.get(w[k], 0) + 1
    dead = [w for w in weg if w["frc"] == 7 and (deg[w["jte_id_beg"]] == 1 or deg[w["jte_id_end"]] == 1)]
    check(len(dead) > 50, "expected many dead-end road pieces, found %d" % len(dead))
    ramps = [w for w in weg if w["bst_code"] in ("AF", "OP")]
    check(len(ramps) >= 4 and all(w["rijrichtng"] == "H" and w["wegbehsrt"] == "R" for w in ramps),
          "expected one-way (H) rijksweg ramps AF/OP at the N33, found %d" % len(ramps))
    check(any(w["rijrichtng"] in ("H", "T") and w["bst_code"] is None for w in weg), "expected one-way streets")
    for w in weg:
        check(w["wegbehsrt"] in ("R", "P", "G", "W"), "wegbehsrt %r" % w["wegbehsrt"])
        check(w["rijrichtng"] in ("H", "T", "B", "O"), "rijrichtng %r" % w["rijrichtng"])

    # 4. counts
    vab = layer_rows(os.path.join(data, "vab.geojson"))
    for (fn, layer), n in EXPECTED_COUNTS.items():
        if fn.endswith(".csv"):
            got = len(sig if fn == "signalen.csv" else inc)
        else:
            got = len(layer_rows(os.path.join(data, fn), layer))
        check(got == n, "%s/%s: %d features, documented %d" % (fn, layer, got, n))

    # 5. references
    pand = layer_rows(os.path.join(data, "bag_light.gpkg"), "pand")
    vbo = layer_rows(os.path.join(data, "bag_light.gpkg"), "verblijfsobject")
    pand_ids = {p["identificatie"] for p in pand}
    check(all(len(i) == 16 and i.startswith("999910") for i in pand_ids), "pand identificatie format")
    check(all(len(v["identificatie"]) == 16 and v["identificatie"].startswith("999901") for v in vbo), "vbo id format")
    check(all(v["pand_identificatie"] in pand_ids for v in vbo), "verblijfsobject without pand")
    nvbo = {}
    for v in vbo:
        nvbo[v["pand_identificatie"]] = nvbo.get(v["pand_identificatie"], 0) + 1
    check(all(p["aantal_verblijfsobjecten"] == nvbo.get(p["identificatie"], 0) for p in pand), "aantal_verblijfsobjecten")
    check(all(v["bag_pand_id"] in pand_ids for v in vab), "vab.bag_pand_id not in BAG")
    check(all(v["synthetisch"] == 1 for v in vab), "vab synthetisch")
    check(all(r["bag_pand_id"] in pand_ids for r in sig + inc if r["bag_pand_id"]), "bag_pand_id not in BAG")
    rins = {str(r["RIN_NUMMER"]) for r in layer_rows(os.path.join(data, "ibis_bedrijventerreinen.shp"))}
    check(all(r["rin_nummer"] in rins for r in inc if r["rin_nummer"]), "incident rin_nummer not in IBIS")
    buurten = layer_rows(os.path.join(data, "cbs_wijkenbuurten_2024.gpkg"), "buurten")
    wijken = {w["wijkcode"] for w in layer_rows(os.path.join(data, "cbs_wijkenbuurten_2024.gpkg"), "wijken")}
    for b in buurten:
        check(b["buurtcode"][2:8] == b["wijkcode"][2:8] and b["wijkcode"] in wijken, "buurt %s" % b["buurtcode"])
        check(b["water"] in ("JA", "NEE"), "water %r" % b["water"])
    check(any(b["aantal_inwoners"] == -99997 for b in buurten), "no suppressed (-99997) buurten")
    area = sum(b["_geom"].GetArea() for b in buurten)
    check(abs(area - gm.GetArea()) < 1e-3 * gm.GetArea(), "buurten do not cover GM1979: %.0f vs %.0f" % (area, gm.GetArea()))
    cats = {"DRUGSAFVAL", "DRUGSLAB", "HENNEP", "VERHUUR", "ACTIVITEIT", "OPSLAG", "HUISVESTING", "INTIMIDATIE",
            "MILIEU", "BEDRIJFSPAND"}
    check(all(r["categorie"] in cats for r in sig), "unknown categorie")
    check(len({r["signaal_id"] for r in sig}) == len(sig), "signaal_id not unique")
    for r in sig:
        van = dt.datetime.strptime(r["waargenomen_van"], "%d-%m-%Y %H:%M")
        tot = dt.datetime.strptime(r["waargenomen_tot"], "%d-%m-%Y %H:%M") if r["waargenomen_tot"] else van
        gemeld = dt.datetime.strptime(r["gemeld_op"], "%d-%m-%Y %H:%M")
        check(van <= tot <= gemeld, "%s: observed after reported" % r["signaal_id"])
        if r["terugkoppeling_op"]:
            check(r["terugkoppeling"] == "ja" and
                  dt.datetime.strptime(r["terugkoppeling_op"], "%d-%m-%Y").date() >= gemeld.date(),
                  "%s: feedback before report" % r["signaal_id"])
    check(len({r["incident_id"] for r in inc}) == len(inc), "incident_id not unique")

    # 6. ground truth and findability
    with open(os.path.join(data, "ground_truth.json"), encoding="utf-8") as fh:
        gt = json.load(fh)
    layers = {"signalen": {r["signaal_id"]: r for r in sig}, "incidenten": {r["incident_id"]: r for r in inc}}
    vab_ids = {v["vab_id"] for v in vab}
    weg_ids = {w["wvk_id"] for w in weg}
    env = gm.GetEnvelope()
    bbox = (env[0], env[2], env[1], env[3])
    # routes with known lengths (checked against `veldwacht route` by tests/cli test_cli_network_sample)
    routes = gt.get("routes", [])
    check(len(routes) >= 8, "ground truth: expected at least 8 routes, found %d" % len(routes))
    for r in routes:
        for k in ("from_xy", "to_xy"):
            check(tuple(r[k]) in xy_jte, "route %s: %s %s is not a junction" % (r["id"], k, r[k]))
        check(r["mode"] in ("auto", "landbouw") and r["cost"] == "length", "route %s: mode/cost" % r["id"])
        check(r["length_m"] >= dist(r["from_xy"], r["to_xy"]) and r["wegvakken"] > 0, "route %s: length" % r["id"])
    check(any(r["mode"] == "auto" and "033" in r["via"] for r in routes), "no ground-truth route over the N33")
    check(any(r["mode"] == "landbouw" for r in routes), "no ground-truth route for landbouw")
    for c in gt["clusters"]:
        rows = layers[c["layer"]]
        missing = [m for m in c["member_ids"] if m not in rows]
        check(not missing, "%s: member ids missing: %s" % (c["id"], missing[:5]))
        if missing:
            continue
        rel = c.get("related", {})
        check(all(v in vab_ids for v in rel.get("vab_ids", [])), "%s: related vab ids" % c["id"])
        check(all(b in pand_ids for b in rel.get("bag_pand_ids", [])), "%s: related pand ids" % c["id"])
        check(all(w in weg_ids for w in rel.get("wegvakken_dead_ends", [])), "%s: related wegvakken" % c["id"])
        if c["layer"] == "signalen":
            cs = set(c["category"].split(","))
            check(all(rows[m]["categorie"] in cs for m in c["member_ids"]), "%s: category" % c["id"])
            pool = [r for r in sig if r["categorie"] in cs]
            idf = "signaal_id"
        else:
            pool = inc
            idf = "incident_id"
        pts = [(nl_float(r["x"]), nl_float(r["y"])) for r in pool]
        members = set(c["member_ids"])
        line = []
        for eps in (250.0, 300.0, 400.0):
            recall, size = recall_of(dbscan(pts, eps, 5), pool, idf, members)
            line.append("eps %d: %.2f/%d" % (eps, recall, size))
            check(recall >= 0.8, "%s: DBSCAN(%g m, 5) recall %.2f < 0.8" % (c["id"], eps, recall))
            if c["layer"] == "signalen":
                check(size <= 2 * len(members), "%s: DBSCAN(%g m) cluster of %d swallows the background" % (
                    c["id"], eps, size))
        z = gi_star(pts, bbox, 500.0, c["centre"])
        print("%-36s members %3d  DBSCAN(min 5) recall/size %s  Gi*(500 m) z %.1f" % (
            c["id"], len(members), ", ".join(line), z))
        check(z > 2.58, "%s: Gi* z %.2f not significant" % (c["id"], z))
        st = c["expected"].get("st_dbscan")
        if st:
            times = [dt.datetime.strptime(r["waargenomen_van"], "%d-%m-%Y %H:%M") for r in pool]
            recall, size = recall_of(dbscan(pts, st["eps_m"], st["min_pts"], times, st["eps_days"]), pool, idf,
                                     members)
            print("%-36s ST-DBSCAN(%d m, %d d, %d) recall %.2f, cluster size %d" % (
                "", st["eps_m"], st["eps_days"], st["min_pts"], recall, size))
            check(recall >= 0.8 and size <= 2 * len(members), "%s: ST-DBSCAN recall %.2f size %d" % (
                c["id"], recall, size))
        if c["kind"] == "emerging-hotspot":
            per_q = [0] * 12
            for r in pool:
                x, y = nl_float(r["x"]), nl_float(r["y"])
                if math.hypot(x - c["centre"][0], y - c["centre"][1]) <= c["radius_m"]:
                    d = dt.datetime.strptime(r["datum"], "%d-%m-%Y")
                    per_q[(d.year - 2023) * 4 + (d.month - 1) // 3] += 1
            tau = mann_kendall_tau(per_q)
            print("%-36s per quarter within radius %s, Mann-Kendall tau %.2f" % ("", per_q, tau))
            check(tau > 0.6, "%s: no rising trend (tau %.2f)" % (c["id"], tau))

    if failures:
        print("FAILED (%d):" % len(failures))
        for f in failures[:50]:
            print("  " + f)
        return 1
    print("sample data OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
