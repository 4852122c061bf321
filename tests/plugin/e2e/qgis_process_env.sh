# Sourced by the qgis_process end-to-end scripts (after `set -euo pipefail`), with their arguments
# <dir of libveldwachtplugin.so> <work dir> [qgis_process.bin]: sets plugin_dir, work, qp and py,
# a fresh profile in <work dir>, offscreen Qt, QGIS_PLUGINPATH at the Python companion, and enables
# veldwacht_processing in that profile. Exits 77 (ctest SKIP) without QGIS.
plugin_dir=$(realpath "$1")
work=$2
qp=${3:-$(command -v qgis_process.bin || true)}
if [[ -z "$qp" || ! -x "$qp" ]]; then
  echo "SKIP: qgis_process.bin not found"
  exit 77
fi
rm -rf "$work"
mkdir -p "$work/home" "$work/runtime"
chmod 700 "$work/runtime"
export HOME="$work/home" XDG_RUNTIME_DIR="$work/runtime" QT_QPA_PLATFORM=offscreen
export QGIS_PLUGINPATH="$plugin_dir/veldwacht_python"
# PyQGIS and a full standard library are in the system Python (another python3 may be first).
py=/usr/bin/python3
[[ -x $py ]] || py=python3

"$qp" plugins enable veldwacht_processing > "$work/enable.log" 2>&1
