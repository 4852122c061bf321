#!/usr/bin/env bash
# End-to-end: the store algorithms of the road network, planning and risk families, and the
# fieldwork ones, run by the real qgis_process.bin (through the Python companion, as in
# run_qgis_process.sh) on a copy of the demo store sample-data/eemsdelta.gpkg with small
# selections: store_route, store_matrix, store_reach, store_plan, store_areas,
# store_risk_terrain, store_address_list, then store_schouw_import (a CSV made here),
# store_plan_vs_done and store_status. Each must succeed and write its result layers into the store, registered in
# veldwacht_resultaten (the risk map as <store stem>_<output>.tif); the import must add its rows
# and the status change its history and audit rows. Exit 77 (ctest SKIP) without QGIS.
# usage: run_store_algorithms.sh <dir of libveldwachtplugin.so> <work dir> <sample store>
#        [qgis_process.bin]
set -euo pipefail
sample=$3
source "$(dirname "$0")/qgis_process_env.sh" "$1" "$2" "${4:-}"
store="$work/store.gpkg"
cp "$sample" "$store"
chmod u+w "$store"

fail=0
run() {  # run <algorithm> <PARAM=value>...
  local alg=$1
  shift
  if ! "$qp" --json run "veldwacht:$alg" -- STORE="$store" "$@" > "$work/$alg.json" \
       2> "$work/$alg.log"; then
    echo "FAIL: veldwacht:$alg"
    tail -20 "$work/$alg.log"
    fail=1
    return 1
  fi
}

run store_route OUTPUT_NAME=r FROM_XY=246374,598053 TO_XY=258400,588000 THREADS=1 || true
run store_matrix OUTPUT_NAME=m FROM=partners "FROM_WHERE=partner_id IN ('P01','P02')" TO=vab \
  "TO_WHERE=vab_id <= 'VAB-1979-0005'" THREADS=1 || true
run store_reach OUTPUT_NAME=b FROM=partners "FROM_WHERE=partner_id = 'P01'" SITES=vab \
  "SITES_WHERE=vab_id <= 'VAB-1979-0010'" MINUTES=5 THREADS=1 || true
run store_plan OUTPUT_NAME=p SITES=vab "SITES_WHERE=vab_id <= 'VAB-1979-0040'" PARTNERS=partners \
  "PARTNERS_WHERE=partner_id IN ('P01','P04','P07')" PERIOD=2026-12-07/2026-12-08 \
  SHIFTS_PER_PARTNER=1 SECONDS=600 ITERATIONS=200 THREADS=1 SEED=3 || true
run store_areas OUTPUT_NAME=g SITES=vab PARTNERS=partners \
  "PARTNERS_WHERE=partner_id IN ('P01','P02','P04')" CELL_SIZE=3000 RESTARTS=2 || true
run store_risk_terrain OUTPUT_NAME=risico CELL_SIZE=500 DISTANCES=500,1000 FOLDS=3 N_LAMBDA=10 \
  || true
run store_address_list OUTPUT_NAME=lijst REFERENCE_DATE=2026-12-01 MAX_ROWS=40 || true

# Schouw results of two partners at two VAB sites of the demo store; one finding is a signal.
# Moments the demo's own schouw results do not use (a result's id is partner + moment + site).
cat > "$work/schouw.csv" <<'CSV'
Plek;Laag;Partner;Datum;Tijd;Bevinding;Categorie;Signaal;Foto
VAB-1979-0001;vab;P01;12-11-2026;21:41;Schuur donker, geen activiteit;;nee;
VAB-1979-0002;vab;P07;13-11-2026;10:07;Verse bandensporen;ACTIVITEIT;ja;IMG_0415.jpg
CSV
schouw_before=$("$py" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("select count(*) from sqlite_master where name = ?", ("schouwresultaten",)).fetchone()[0]
      and db.execute("select count(*) from schouwresultaten").fetchone()[0])' "$store")
run store_schouw_import FILE="$work/schouw.csv" || true
# Plan p against the schouw results, under the name the runner chooses (p_gedaan).
run store_plan_vs_done PLAN=p || true
signal=$("$py" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "select signaal_id from signalen where status = ? order by signaal_id", ("nieuw",)).fetchone()[0])' "$store")
run store_status SIGNAL="$signal" STATUS=1 FEEDBACK="Opgepakt door de boa" DATE=2026-12-01 || true

"$py" - "$store" "$work" "$signal" "$schouw_before" <<'PY' || fail=1
import json, os, sqlite3, sys
store, work, signal = sys.argv[1:4]
schouw_before = int(sys.argv[4])
db = sqlite3.connect(store)
tables = {r[0] for r in db.execute("select table_name from gpkg_contents")}
registered = {r[0]: r[1] for r in db.execute("select laag, algoritme from veldwacht_resultaten")}
ok = True
def check(cond, what):
    global ok
    print(("PASS" if cond else "FAIL") + ": " + what)
    ok = ok and cond
def result(alg):
    path = os.path.join(work, alg + ".json")
    text = open(path).read() if os.path.exists(path) else ""
    return json.loads(text[text.index("{"):]).get("results", {}) if "{" in text else {}
expected = {
    "store_route": ["r_route"],
    "store_matrix": ["m_matrix"],
    "store_reach": ["b_bereik_wegen", "b_bereik_gebied", "b_bereik_locaties"],
    "store_plan": ["p_routes", "p_bezoeken", "p_vervallen"],
    "store_areas": ["g_gebieden"],
    "store_risk_terrain": ["risico_factoren"],
    "store_address_list": ["lijst"],
    "store_plan_vs_done": ["p_gedaan_bezoeken", "p_gedaan_partners", "p_gedaan_plekken"],
}
for alg, layers in expected.items():
    outputs = result(alg)
    for layer in layers:
        rows = db.execute('select count(*) from "%s"' % layer).fetchone()[0] if layer in tables else 0
        check(layer in tables and rows > 0 and layer in registered,
              "%s wrote %s (%d rows, registered as %s)" % (alg, layer, rows, registered.get(layer)))
        check(any(str(v).endswith("layername=" + layer) for v in outputs.values()),
              "%s returns %s as an output" % (alg, layer))
tif = os.path.join(os.path.dirname(store), "store_risico.tif")
check(os.path.exists(tif) and "store_risico.tif" in registered,
      "store_risk_terrain wrote and registered store_risico.tif")
outputs = result("store_schouw_import")
rows = db.execute("select count(*) from schouwresultaten").fetchone()[0]
check(rows - schouw_before == 2 and outputs.get("ROWS") == 3,
      "store_schouw_import: 2 schouw results and 1 signal (ROWS %s)" % outputs.get("ROWS"))
check("schouwresultaten" in str(outputs.get("LAYERS")), "store_schouw_import returns its layers")
status = db.execute("select status from signalen where signaal_id = ?", (signal,)).fetchone()
history = db.execute("select count(*) from veldwacht_opvolging where signaal_id = ?",
                     (signal,)).fetchone()[0] if "veldwacht_opvolging" in {
    r[0] for r in db.execute("select name from sqlite_master where type = 'table'")} else 0
check(status is not None and status[0] == "in_behandeling" and history == 1 and
      result("store_status").get("TO") == "in_behandeling",
      "store_status moved %s to %s with %d history row(s)" % (signal, status, history))
sys.exit(0 if ok else 1)
PY
exit $fail
