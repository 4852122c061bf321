#!/usr/bin/env bash
# End-to-end: real QGIS under Xvfb with libveldwachtplugin enabled in a temporary profile, running
# qgis_gui_check.py inside QGIS (menu, toolbar, dock, provider, one Processing run, one
# background run from the dock, a screenshot). Exit 77 (ctest SKIP) when QGIS or Xvfb is absent.
# usage: run_qgis_gui.sh <dir of libveldwachtplugin.so> <check script> <work dir> [qgis.bin] [xvfb-run] [locale]
set -uo pipefail
plugin_dir=$(realpath "$1")
script=$(realpath "$2")
work=$3
qgis=${4:-$(command -v qgis.bin || true)}
xvfb=${5:-$(command -v xvfb-run || true)}
locale=${6:-en_US}
if [[ -z "$qgis" || ! -x "$qgis" || -z "$xvfb" || ! -x "$xvfb" ]]; then
  echo "SKIP: qgis.bin or xvfb-run not found"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/profiles/profiles/default/QGIS" "$work/home" "$work/runtime"
chmod 700 "$work/runtime"
# The one enabling step: Plugins/libveldwachtplugin=true (plus where to find it).
cat > "$work/profiles/profiles/default/QGIS/QGIS3.ini" <<INI
[Plugins]
libveldwachtplugin=true

[plugins]
searchPathsForPlugins=$plugin_dir

[PythonPlugins]
processing=true

[qgis]
checkVersion=false
showTips322=false

[locale]
overrideFlag=true
userLocale=$locale
INI

export HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime" VELDWACHT_E2E_OUT="$work"
export VELDWACHT_E2E_LOCALE="$locale"
# The scripts import their shared helpers (e2e_support.py) from their own folder.
export VELDWACHT_E2E_DIR="$(dirname "$script")"
# The sample region (sample-data/eemsdelta) is imported into a store and opened when present.
export VELDWACHT_E2E_SAMPLE="$(realpath "$(dirname "$0")/../../../sample-data/eemsdelta" 2>/dev/null || true)"
unset QGIS_PLUGINPATH
unset QT_QPA_PLATFORM  # a real X server (Xvfb) this time
timeout 150 "$xvfb" -a -s "-screen 0 1600x1000x24" \
  "$qgis" --profiles-path "$work/profiles" --nologo --noversioncheck --code "$script" \
  > "$work/qgis.log" 2>&1
status=$?
if [[ ! -f "$work/result.txt" ]]; then
  echo "FAIL: QGIS exited ($status) without a result; log:"
  tail -40 "$work/qgis.log"
  exit 1
fi
cat "$work/result.txt"
grep -q '^PASS' "$work/result.txt" || exit 1
# QGIS quit normally (unload() ran without a crash).
if [[ $status != 0 ]]; then
  echo "FAIL: QGIS exited with status $status"
  tail -20 "$work/qgis.log"
  exit 1
fi
echo "PASS: QGIS exited cleanly"
