#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Veldwacht (release) and installs it: the `veldwacht`
# command, styles and sample data under /usr/local, and the QGIS plugin into QGIS's plugin folder
# (with its companion for qgis_process). Then enable the plugin once in QGIS (printed below).
# DESTDIR=/some/dir bash scripts/install.sh stages the files there instead (for packaging).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j2 --target veldwacht veldwacht_plugin
cmake --install build/release

cat <<'MSG'

Installed. Enable the plugin once: start QGIS, open Plugins > Manage and Install Plugins >
Installed, and tick "Veldwacht" (or put `libveldwachtplugin=true` under [Plugins] in your
profile's QGIS3.ini). The Veldwacht menu, toolbar, dock and Processing provider appear.
For qgis_process: see plugin/README.md ("Headless: qgis_process").
MSG
