// What a result builder returns, before anything is written: the result tables (ResultLayers
// with the same names, types and values whichever host writes them) and the summary for the
// user. The store writes them with writeToStore; the plugin writes them to its own outputs.
#pragma once

#include <vector>

#include "geo/core/progress.h"
#include "layers/analyses/report.h"
#include "layers/results/results.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct AnalysisResult {
  /// The tables in the order of the analysis' description (describe::AnalysisInfo::results).
  std::vector<ResultLayer> layers;
  /// Summary lines and warnings; `layers` and `files` are filled by whoever writes.
  RunReport report;
};

/// Writes every table of `result` into the store in one go (writeResultLayers: all or none)
/// and returns the report with the layer names added.
RunReport writeToStore(Store& store, AnalysisResult&& result,
                       geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
