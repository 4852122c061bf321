// Emerging Hot Spot Analysis as users run it: points with times (signalen: waargenomen_van;
// incidenten: datum) → a space-time cube → one polygon per analysed bin location with its
// ArcGIS pattern name in `categorie` (style emerging_hotspots), the Mann-Kendall trend of its
// Gi* z-scores (trend_z, trend_p, trend_tau), its total count and how many steps were hot/cold.
#pragma once

#include "geo/hotspots/emerging.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/report.h"

namespace veldwacht::layers {

struct EmergingRequest {
  PointSelection input = {"incidenten", "", ""};
  std::string output = "opkomende_hotspots";
  geo::SpaceTimeCubeOptions cube;
  geo::EmergingHotSpotOptions emerging;
  std::string stylesDir;

  void validate() const;
};

/// Cube, analysis and the result table for points a host read itself (nothing is written).
AnalysisResult buildEmerging(const PointInput& in, const EmergingRequest& request,
                             geo::Progress& progress = geo::nullProgress());

/// Reads the points (0–10 %), builds (10–90 %) and writes the layer into the store.
RunReport runEmerging(Store& store, const EmergingRequest& request,
                      geo::Progress& progress = geo::nullProgress());

namespace describe {
/// emerginghotspots (command emerging).
const std::vector<Analysis<EmergingRequest>>& emergingAnalyses();
}  // namespace describe

}  // namespace veldwacht::layers
