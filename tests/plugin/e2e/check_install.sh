#!/usr/bin/env bash
# Installs the qgis_plugin component into a DESTDIR and checks the layout QGIS needs:
# <plugin dir>/libveldwachtplugin.so (a real file, not a symlink: QGIS skips symlinks) and
# <plugin dir>/veldwacht_python/veldwacht_processing/{__init__.py,metadata.txt} and the styles in
# <plugin dir>/veldwacht/styles.
# usage: check_install.sh <build dir> <destdir> <plugin dir>
set -euo pipefail
build=$1 dest=$2 plugin_dir=$3
rm -rf "$dest"
DESTDIR="$dest" cmake --install "$build" --component qgis_plugin > /dev/null
so="$dest$plugin_dir/libveldwachtplugin.so"
py="$dest$plugin_dir/veldwacht_python/veldwacht_processing"
fail=0
[[ -f "$so" && ! -L "$so" ]] || { echo "FAIL: $so missing or a symlink"; fail=1; }
for f in __init__.py metadata.txt; do
  [[ -f "$py/$f" ]] || { echo "FAIL: $py/$f missing"; fail=1; }
done
grep -q '^hasProcessingProvider=yes' "$py/metadata.txt" || { echo "FAIL: no hasProcessingProvider"; fail=1; }
# The styles in the plugin's own folder, where layers/store/styles.h looks beside the .so.
styles="$dest$plugin_dir/veldwacht/styles"
for f in layers/signalen.qml results/clusters_points.qml; do
  [[ -f "$styles/$f" ]] || { echo "FAIL: $styles/$f missing"; fail=1; }
done
[[ ! -e "$styles/tools" ]] || { echo "FAIL: $styles/tools installed"; fail=1; }
# grep -q stops reading at the first match; under pipefail nm's SIGPIPE would then fail the
# pipeline, so the symbol list is read whole first.
symbols=$(nm -D --defined-only "$so")
grep -qw veldwacht_register_provider <<< "$symbols" || { echo "FAIL: no export"; fail=1; }
[[ $fail == 0 ]] && echo "PASS: installed to $plugin_dir"
exit $fail
