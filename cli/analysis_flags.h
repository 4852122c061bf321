// Flags shared by the analysis subcommands (cluster, density, aggregate, hotspots, emerging),
// mapped onto layers::PointSelection, and the one-screen summary of what a run wrote.
#pragma once

#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "geo/aggregation/grid.h"
#include "geo/hotspots/inference.h"
#include "layers/analyses/report.h"
#include "layers/pgstore/backend.h"
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
  cmd->add_option_function<std::string>(
      "--bbox", [&s](const std::string& text) { s.bbox = layers::parseBbox(text); },
      "Only the " + what +
          " inside MINX,MINY,MAXX,MAXY (EPSG:28992 metres), found through the store's spatial "
          "index, e.g. 120000,440000,170000,480000");
}

/// Maps a name from `names` (checked by CLI11 already) to its enum value.
template <typename E>
E choose(const std::string& name, const std::vector<std::pair<std::string, E>>& names) {
  for (const auto& [n, e] : names)
    if (n == name) return e;
  throw geo::OptionError(name, "unknown value");
}

template <typename E>
std::vector<std::string> keysOf(const std::vector<std::pair<std::string, E>>& names) {
  std::vector<std::string> k;
  for (const auto& [n, e] : names) k.push_back(n);
  return k;
}

inline const std::vector<std::pair<std::string, geo::GridShape>> kShapes = {
    {"hexagon", geo::GridShape::HexagonPointyTop},
    {"hexagon-flat", geo::GridShape::HexagonFlatTop},
    {"square", geo::GridShape::Square}};
inline const std::vector<std::pair<std::string, geo::ClipMode>> kClipModes = {
    {"intersects", geo::ClipMode::Intersects},
    {"centre-inside", geo::ClipMode::CentreInside},
    {"clip", geo::ClipMode::Clip}};
inline const std::vector<std::pair<std::string, geo::Correction>> kCorrections = {
    {"fdr", geo::Correction::Fdr},
    {"bonferroni", geo::Correction::Bonferroni},
    {"none", geo::Correction::None}};

/// Grid flags (shape, cell size, clip mode, contiguity) and the mask layer.
struct GridFlags {
  std::string shape = "hexagon";
  std::string clipMode = "intersects";
  std::string maskLayer;
  std::string maskWhere;
  void apply(geo::GridOptions& g) const {
    g.shape = choose(shape, kShapes);
    g.clipMode = choose(clipMode, kClipModes);
  }
};

inline void addGridFlags(CLI::App* cmd, geo::GridOptions& g, GridFlags& f) {
  auto* grp = cmd->add_option_group("Grid");
  grp->add_option("--shape", f.shape, "Cell shape")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kShapes)));
  grp->add_option("--cell-size", g.cellSize, "Square side or hexagon width across flats, metres")
      ->capture_default_str();
  grp->add_option("--clip-mode", f.clipMode, "What the mask does to the cells it touches")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kClipModes)));
  grp->add_option("--mask-layer", f.maskLayer,
                  "Polygon layer limiting the grid (e.g. gemeenten, bedrijventerreinen)");
  grp->add_option("--mask-where", f.maskWhere, "OGR SQL filter on the mask layer");
}

/// CLI11 check of a store argument: an existing file, or a PostgreSQL connection string.
inline CLI::Validator existingStore() {
  return CLI::Validator(
      [](std::string& s) {
        return layers::isDatabaseStore(s) ? std::string() : CLI::ExistingFile(s);
      },
      "FILE or postgresql://…");
}

/// Opens an existing store; a missing file is refused (exit 3), not created. A PostgreSQL
/// connection string opens the PostGIS store (layers/pgstore/backend.h).
inline std::unique_ptr<layers::Store> openExistingStore(const std::string& path, bool update) {
  if (!layers::isDatabaseStore(path) && !std::filesystem::exists(path))
    throw geo::InputError({path, std::nullopt, ""},
                          "no such store; create it with `veldwacht init` and import data first");
  return layers::openStore(path, update);
}

/// Opens the store for writing results (openExistingStore).
inline std::unique_ptr<layers::Store> openStoreForResults(const std::string& path) {
  return openExistingStore(path, /*update=*/true);
}

/// Prints the report: summary lines, the layers and files written, warnings.
inline void printReport(const layers::RunReport& r, const Session& session) {
  if (session.quiet) return;
  for (const auto& l : r.lines) fmt::print("{}\n", l);
  for (const auto& l : r.layers) fmt::print("  wrote layer  {}\n", l);
  for (const auto& f : r.files) fmt::print("  wrote file   {}\n", f);
  for (const auto& w : r.warnings) fmt::print("  warning: {}\n", w);
}

/// The tail every analysis command shares: validate the request, open the store for results,
/// run with the progress bar, print the report.
template <class Request, class Runner>
void runAnalysis(const std::string& storePath, std::string_view task, const Request& request,
                 Runner runner, Session& session) {
  request.validate();
  auto store = openStoreForResults(storePath);
  store->setReadLimits({.progress = &session.progress});  // Ctrl-C stops a filtered read too
  session.progress.begin(task);
  const layers::RunReport report = runner(*store, request, session.progress);
  session.progress.finish();
  printReport(report, session);
}

/// --denominator-layer/-where/-weight-field in `group`: the points a rate or a dual KDE
/// divides by.
inline void addDenominatorFlags(CLI::App* group, layers::PointSelection& s,
                                const std::string& layerHelp) {
  group->add_option("--denominator-layer", s.layer, layerHelp);
  group->add_option("--denominator-where", s.where, "Filter on the denominator");
  group->add_option("--denominator-weight-field", s.weightField, "Weight field of the denominator");
}

}  // namespace veldwacht::cli
