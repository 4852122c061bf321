// Flags shared by the analysis subcommands (cluster, density, aggregate, hotspots, emerging),
// mapped onto layers::PointSelection, and the one-screen summary of what a run wrote.
#pragma once

#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "layers/analyses/report.h"
#include "layers/store/store.h"

namespace veldwacht::cli {

/// --layer, --where, --weight-field onto a PointSelection.
inline void addPointSelectionFlags(CLI::App* cmd, layers::PointSelection& s,
                                   const std::string& what = "points") {
  cmd->add_option("-l,--layer", s.layer, "Layer of the store with the " + what)
      ->capture_default_str();
  cmd->add_option("-w,--where", s.where,
                  "OGR SQL filter on that layer, e.g. \"categorie = 'DRUGSAFVAL'\"");
  cmd->add_option("--weight-field", s.weightField, "Numeric field weighing each point");
}

/// Opens the store for writing results; a missing file is refused (exit 3), not created.
inline std::unique_ptr<layers::Store> openStoreForResults(const std::string& path) {
  if (!std::filesystem::exists(path))
    throw geo::InputError({path, std::nullopt, ""},
                          "no such store; create it with `veldwacht init` and import data first");
  return layers::Store::open(path, /*update=*/true);
}

/// Prints the report: summary lines, the layers and files written, warnings.
inline void printReport(const layers::RunReport& r, const Session& session) {
  if (session.quiet) return;
  for (const auto& l : r.lines) fmt::print("{}\n", l);
  for (const auto& l : r.layers) fmt::print("  wrote layer  {}\n", l);
  for (const auto& f : r.files) fmt::print("  wrote file   {}\n", f);
  for (const auto& w : r.warnings) fmt::print("  warning: {}\n", w);
}

}  // namespace veldwacht::cli
