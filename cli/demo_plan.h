// The planning step of `veldwacht demo` (a week plan for the sample partners).
#pragma once

#include <filesystem>

#include "cli/commands.h"
#include "layers/store/store.h"

namespace veldwacht::cli {

/// Plans 2026-12-07..13 for the sample partners (day and night shifts) over the recent
/// signals, writes week_plan_* layers, route cards and a GPX next to the store, and prints
/// which planted places of `groundTruth` (may be empty) get a visit.
void runDemoPlan(layers::Store& store, Session& session, const std::filesystem::path& groundTruth);

}  // namespace veldwacht::cli
