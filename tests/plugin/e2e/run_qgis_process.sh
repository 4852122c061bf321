#!/usr/bin/env bash
# End-to-end: qgis_process (which loads no native plugins) gets the "veldwacht" provider through
# the Python companion plugin veldwacht_processing, and runs veldwacht:dbscan on a GeoJSON file.
# What qgis_process needs: QGIS_PLUGINPATH pointing at the folder holding veldwacht_processing/,
# and the plugin enabled in the profile (PythonPlugins/veldwacht_processing=true, which
# `qgis_process plugins enable veldwacht_processing` writes). Exit 77 (ctest SKIP) without QGIS.
# usage: run_qgis_process.sh <dir of libveldwachtplugin.so> <work dir> [qgis_process.bin]
set -euo pipefail
source "$(dirname "$0")/qgis_process_env.sh"

# Two groups of four points 10 m apart, 1 km from each other, and one lone point (EPSG:28992).
"$py" - "$work/signalen.geojson" <<'PY'
import json, sys
feats = []
for g in range(2):
    for i in range(4):
        feats.append((256000 + 1000 * g + 10 * i, 594000))
feats.append((258500, 596000))
fc = {"type": "FeatureCollection",
      "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}},
      "features": [{"type": "Feature", "properties": {"id": n},
                    "geometry": {"type": "Point", "coordinates": list(p)}} for n, p in enumerate(feats)]}
json.dump(fc, open(sys.argv[1], "w"))
PY

"$qp" --json run veldwacht:dbscan -- INPUT="$work/signalen.geojson" KEY_FIELD=id EPS=25 MIN_PTS=3 \
  OUTPUT="$work/clusters.gpkg" > "$work/run.json" 2> "$work/run.log" || {
  echo "FAIL: qgis_process run failed"; cat "$work/run.log"; exit 1; }

"$py" - "$work/run.json" "$work/clusters.gpkg" <<'PY'
import json, sqlite3, sys
text = open(sys.argv[1]).read()
result = json.loads(text[text.index("{"):])
db = sqlite3.connect(sys.argv[2])
table = db.execute("select table_name from gpkg_contents").fetchone()[0]
# The description's fields (bron_id = KEY_FIELD, cluster_id, cluster_grootte, kernpunt).
rows = db.execute('select bron_id, cluster_id from "%s"' % table).fetchall()
labels = {int(i): c for i, c in rows}
n = len({c for c in labels.values() if c >= 0})
ok = (n == 2 and len(rows) == 9 and labels[8] == -1 and len({labels[i] for i in range(4)}) == 1
      and len({labels[i] for i in range(4, 8)}) == 1 and labels[0] != labels[4])
print(("PASS" if ok else "FAIL") + ": qgis_process run veldwacht:dbscan -> %s clusters, labels %s" % (n, labels))
sys.exit(0 if ok else 1)
PY
