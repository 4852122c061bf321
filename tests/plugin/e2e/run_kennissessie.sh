#!/usr/bin/env bash
# veldwacht:kennissessie under qgis_process (offscreen): on a copy of the sample store with its
# public layers (`veldwacht publiceer`), the algorithm writes kennissessie.pdf — 4 A4 landscape
# pages whose text holds the title and each page's heading, and the period in the footer — and
# kennissessie_1..4.png of 1920x1080, and records the export in the store's audit log (one row
# more than the copy had: the sample store carries the export its project made). A new store
# without public layers is refused (exit code, the message names `publiceer`, no PDF, audited).
# Exit 77 (ctest SKIP) without QGIS.
# usage: run_kennissessie.sh <dir of libveldwachtplugin.so> <work dir> <sample store> <veldwacht CLI>
#                            [qgis_process.bin]
set -euo pipefail
sample=$3
cli=$4
source "$(dirname "$0")/qgis_process_env.sh" "$1" "$2" "${5:-}"

cp "$sample" "$work/store.gpkg"
"$cli" -q init "$work/zonder.gpkg" > "$work/init.log" 2>&1 || {
  echo "FAIL: veldwacht init failed"; cat "$work/init.log"; exit 1; }
"$cli" -q publiceer "$work/store.gpkg" -o "$work/openbaar.gpkg" --seed 7 > "$work/publiceer.log" 2>&1 || {
  echo "FAIL: veldwacht publiceer failed"; cat "$work/publiceer.log"; exit 1; }

audit() {
  "$py" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print('|'.join(r[0] for r in c.execute(\"SELECT uitkomst FROM veldwacht_audit WHERE actie='print' AND laag='kennissessie' ORDER BY rowid\")))" "$1"
}
before=$(audit "$work/store.gpkg")

"$qp" --json run veldwacht:kennissessie -- STORE="$work/store.gpkg" TITLE="Kennissessie Eemsdelta" \
  SUBTITLE="Ondernemers Alert" FROM=2024-01-01 TO=2026-12-31 OUTPUT_FOLDER="$work/uit" \
  > "$work/run.json" 2> "$work/run.log" || {
  echo "FAIL: qgis_process run veldwacht:kennissessie failed"; cat "$work/run.log"; exit 1; }
pdf="$work/uit/kennissessie.pdf"
[[ -s "$pdf" ]] || { echo "FAIL: no $pdf"; cat "$work/run.log"; exit 1; }

pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
size=$(pdfinfo "$pdf" | awk '/^Page size:/ {print $3 "x" $5}')
echo "pages: $pages, page size (pt): $size"
[[ "$pages" == 4 ]] || { echo "FAIL: expected 4 pages, got $pages"; exit 1; }
# A4 landscape is 842 x 595 pt (QGIS may round).
"$py" -c "import sys; w,h=map(float,sys.argv[1].split('x')); sys.exit(0 if abs(w-842)<3 and abs(h-595)<3 else 1)" "$size" \
  || { echo "FAIL: pages are not A4 landscape: $size"; exit 1; }
p=1
for heading in "Overzicht" "Hot spots" "Trend per categorie" "Opvolging van meldingen"; do
  pdftotext -f $p -l $p "$pdf" - | tr -s ' \n' ' ' > "$work/page$p.txt"
  grep -q "Kennissessie Eemsdelta — $heading" "$work/page$p.txt" \
    || { echo "FAIL: page $p lacks 'Kennissessie Eemsdelta — $heading'"; cat "$work/page$p.txt"; exit 1; }
  grep -q "Periode 1-1-2024 t/m 31-12-2026" "$work/page$p.txt" \
    || { echo "FAIL: page $p lacks the period"; exit 1; }
  p=$((p + 1))
done

for i in 1 2 3 4; do
  png="$work/uit/kennissessie_$i.png"
  dims=$("$py" -c "import struct,sys; b=open(sys.argv[1],'rb').read(24); assert b[:8]==b'\x89PNG\r\n\x1a\n'; print('%dx%d' % struct.unpack('>II', b[16:24]))" "$png") \
    || { echo "FAIL: $png is not a PNG"; exit 1; }
  [[ "$dims" == 1920x1080 ]] || { echo "FAIL: $png is $dims, expected 1920x1080"; exit 1; }
done

[[ "$(audit "$work/store.gpkg")" == "${before:+$before|}uitgevoerd" ]] \
  || { echo "FAIL: audit rows: $(audit "$work/store.gpkg")"; exit 1; }

# Without public layers: refused, named, audited, nothing written.
if "$qp" run veldwacht:kennissessie -- STORE="$work/zonder.gpkg" OUTPUT_FOLDER="$work/zonder" \
     > "$work/zonder.log" 2>&1; then
  echo "FAIL: a store without public layers was accepted"; exit 1
fi
grep -q "publiceer" "$work/zonder.log" || { echo "FAIL: no clear message"; cat "$work/zonder.log"; exit 1; }
[[ ! -e "$work/zonder/kennissessie.pdf" ]] || { echo "FAIL: a PDF was written"; exit 1; }
[[ "$(audit "$work/zonder.gpkg")" == geweigerd ]] \
  || { echo "FAIL: the refusal is not audited: $(audit "$work/zonder.gpkg")"; exit 1; }
echo "PASS: veldwacht:kennissessie -> $pages A4 pages and 4 slides; refused without public layers"
