#include "layers/analyses/analysis_result.h"

namespace veldwacht::layers {

RunReport writeToStore(Store& store, AnalysisResult&& result, geo::Progress& progress) {
  RunReport report = std::move(result.report);
  for (const auto& l : result.layers) report.layers.push_back(l.name);
  if (!result.layers.empty()) writeResultLayers(store, std::move(result.layers), progress);
  return report;
}

}  // namespace veldwacht::layers
