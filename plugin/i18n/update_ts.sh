#!/usr/bin/env bash
# Refreshes plugin/i18n/veldwacht_nl.ts from the sources (then translate the new entries with
# Qt Linguist). lupdate 5.15 does not understand C++17 nested namespaces, so it names the
# contexts of QObject classes without their namespace; this script maps them to the names that
# tr() uses at run time (QMetaObject::className()) and back.
set -euo pipefail
cd "$(dirname "$0")/.."
ts=i18n/veldwacht_nl.ts
classes="ui::DockPanel ui::ParameterForm ui::ResultTableModel ui::PlanningPanel ui::IntakePanel
  ui::RoutePanel ui::RouteMapTool plugin::PresenterMode plugin::SaveMapGuard plugin::Provider
  plugin::VeldwachtPlugin"
for c in $classes; do
  sed -i "s|<name>veldwacht::$c</name>|<name>${c#*::}</name>|" "$ts"
done
lupdate -no-obsolete -locations none ui processing veldwachtplugin.cpp exports.cpp -ts "$ts"
for c in $classes; do
  sed -i "s|<name>${c#*::}</name>|<name>veldwacht::$c</name>|" "$ts"
done
