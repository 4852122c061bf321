// The planning panel tests' small plan, on a GeoPackage (planning_panel_test.cpp) and on PostGIS
// (postgis_test.cpp).
#pragma once

#include <QDate>

#include "plugin/ui/planning_panel.h"

namespace veldwacht::ui {

/// Two days (2026-12-07/08), every shift the partners have, 300 iterations, seed 5.
inline void smallPlan(PlanningPanel& panel) {
  panel.from()->setDate(QDate(2026, 12, 7));
  panel.to()->setDate(QDate(2026, 12, 8));
  panel.form()->setValues({{QStringLiteral("SHIFTS_PER_PARTNER"), 0},
                           {QStringLiteral("ITERATIONS"), 300},
                           {QStringLiteral("SECONDS"), 600.0},
                           {QStringLiteral("SEED"), 5}});
}

}  // namespace veldwacht::ui
