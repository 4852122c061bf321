#!/usr/bin/env bash
# veldwacht:routekaarten under qgis_process (offscreen): a small store with a plan of three
# routes (two partners, one with a day and a night shift) gives a PDF of exactly three A4 pages,
# each marked VERTROUWELIJK and naming its partner; a store without the plan is refused.
# Pages are counted with pdfinfo (poppler-utils) when installed, else by the /Type /Page
# objects. Exit 77 (ctest SKIP) without QGIS.
# usage: run_route_cards.sh <dir of libveldwachtplugin.so> <work dir> [qgis_process.bin]
set -euo pipefail
source "$(dirname "$0")/qgis_process_env.sh"

# The plan's tables with exactly the fields of the planning contract (EPSG:28992), and partners.
"$py" - "$work/store.gpkg" <<'PY'
import sys
from osgeo import ogr, osr
ds = ogr.GetDriverByName("GPKG").CreateDataSource(sys.argv[1])
srs = osr.SpatialReference(); srs.ImportFromEPSG(28992)
def layer(name, geom, fields):
    l = ds.CreateLayer(name, srs, geom)
    for n, t in fields:
        l.CreateField(ogr.FieldDefn(n, t))
    return l
S, I, R = ogr.OFTString, ogr.OFTInteger, ogr.OFTReal
partners = layer("partners", ogr.wkbPoint, [("partner_id", S), ("naam", S)])
routes = layer("week_routes", ogr.wkbLineString,
               [("partner_id", S), ("dienst", S), ("datum", ogr.OFTDate), ("start", S), ("eind", S),
                ("n_bezoeken", I), ("reistijd_min", R), ("afstand_km", R), ("prioriteit_totaal", R)])
visits = layer("week_bezoeken", ogr.wkbPoint,
               [("partner_id", S), ("dienst", S), ("volgorde", I), ("site_laag", S), ("site_id", S),
                ("aankomst", ogr.OFTDateTime), ("vertrek", ogr.OFTDateTime), ("verblijf_min", R),
                ("prioriteit", R), ("vaardigheid", S), ("dag_nacht", S)])
def add(l, values, wkt):
    f = ogr.Feature(l.GetLayerDefn())
    for k, v in values.items():
        f.SetField(k, v)
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    l.CreateFeature(f)
add(partners, {"partner_id": "P01", "naam": "WBE Fivelingo"}, "POINT (256000 594000)")
add(partners, {"partner_id": "P07", "naam": "BOA-team Eemsdelta"}, "POINT (258000 593000)")
shifts = [("P01", "d1", "2026-11-02", "20:00", "23:00", "nacht", 0),
          ("P01", "d2", "2026-11-04", "10:00", "13:00", "dag", 3000),
          ("P07", "d3", "2026-11-03", "09:00", "12:00", "dag", 6000)]
for p, d, datum, start, eind, dn, dx in shifts:
    pts = [(256000 + dx + 700 * i, 594000 + 400 * (i % 2)) for i in range(4)]
    add(routes, {"partner_id": p, "dienst": d, "datum": datum, "start": start, "eind": eind,
                 "n_bezoeken": 3, "reistijd_min": 25.0, "afstand_km": 8.5, "prioriteit_totaal": 7.0},
        "LINESTRING (%s)" % ", ".join("%d %d" % q for q in pts))
    h = int(start[:2])
    for i in range(1, 4):
        x, y = pts[i]
        add(visits, {"partner_id": p, "dienst": d, "volgorde": i, "site_laag": "vab",
                     "site_id": "VAB-1979-%04d" % (i + dx // 1000), "aankomst": "%sT%02d:%02d:00" % (datum, h + i // 3, 20 * (i % 3)),
                     "vertrek": "%sT%02d:%02d:00" % (datum, h + i // 3, 20 * (i % 3) + 12), "verblijf_min": 12.0,
                     "prioriteit": 2.0, "vaardigheid": "schouwen", "dag_nacht": dn},
            "POINT (%d %d)" % (x, y))
ds = None
PY

"$qp" --json run veldwacht:routekaarten -- STORE="$work/store.gpkg" PLAN=week \
  OUTPUT="$work/routekaarten.pdf" > "$work/run.json" 2> "$work/run.log" || {
  echo "FAIL: qgis_process run veldwacht:routekaarten failed"; cat "$work/run.log"; exit 1; }

if command -v pdfinfo > /dev/null; then
  pages=$(pdfinfo "$work/routekaarten.pdf" | awk '/^Pages:/ {print $2}')
  size=$(pdfinfo "$work/routekaarten.pdf" | awk '/^Page size:/ {print $3 "x" $5}')
else
  pages=$("$py" -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page(?![s\w])', open(sys.argv[1],'rb').read())))" "$work/routekaarten.pdf")
  size=unknown
fi
echo "pages: $pages, page size (pt): $size"
[[ "$pages" == 3 ]] || { echo "FAIL: expected 3 pages (one per route), got $pages"; exit 1; }
# A4 portrait is 595 x 842 pt (QGIS may round).
if [[ "$size" != unknown ]]; then
  "$py" -c "import sys; w,h=map(float,sys.argv[1].split('x')); sys.exit(0 if abs(w-595)<3 and abs(h-842)<3 else 1)" "$size" \
    || { echo "FAIL: pages are not A4 portrait: $size"; exit 1; }
fi
if command -v pdftotext > /dev/null; then
  for p in 1 2 3; do
    pdftotext -f $p -l $p "$work/routekaarten.pdf" "$work/page$p.txt"
    grep -q VERTROUWELIJK "$work/page$p.txt" || { echo "FAIL: page $p lacks VERTROUWELIJK"; exit 1; }
    grep -q "VAB-1979" "$work/page$p.txt" || { echo "FAIL: page $p lacks the table of stops"; exit 1; }
  done
  # Sorted by date: P01 d1 (2-11), P07 d3 (3-11), P01 d2 (4-11).
  grep -q "WBE Fivelingo" "$work/page1.txt" && grep -q "BOA-team Eemsdelta" "$work/page2.txt" \
    && grep -q "WBE Fivelingo" "$work/page3.txt" \
    || { echo "FAIL: partner names not on the expected pages"; exit 1; }
fi

# No plan of that name: refused with a message, no PDF.
if "$qp" run veldwacht:routekaarten -- STORE="$work/store.gpkg" PLAN=maand \
     OUTPUT="$work/none.pdf" > "$work/none.log" 2>&1; then
  echo "FAIL: a missing plan was accepted"; exit 1
fi
grep -q "maand_routes" "$work/none.log" || { echo "FAIL: no clear message"; cat "$work/none.log"; exit 1; }
[[ ! -e "$work/none.pdf" ]] || { echo "FAIL: a PDF was written for a missing plan"; exit 1; }
echo "PASS: veldwacht:routekaarten -> $pages pages, one per route"
