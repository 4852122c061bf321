// Balanced areas as coordinators run them (`veldwacht areas`, Processing "areas"): the region
// around the sites is covered with hexagonal cells, each cell's workload is the sum over its
// sites of priority × (dwell + travel allowance), and geo::balancedAreas divides the cells into
// one contiguous, compact area per partner with workloads within ±tolerance of the mean. Each
// area goes to the partner whose base lies nearest its centre (greedy, one area per partner).
//
// Result table <output>_gebieden (polygons): gebied, partner_id, werklast, afwijking_pct,
// cellen, aaneengesloten, spreiding_m; the report gives balance, contiguity and compactness.
#pragma once

#include <string>

#include "geo/aggregation/grid.h"
#include "geo/planning/areas.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"

namespace veldwacht::layers {

struct AreasRequest {
  PointSelection sites{"vab", "", ""};  ///< weightField = priority field
  double priority = 1.0;                ///< per site without a priority field
  double dwellMinutes = 12.0;
  double travelMinutes = 10.0;  ///< travel allowance per site visit
  std::string partnersWhere;
  /// Number of areas; 0 = one per selected partner.
  std::int64_t areas = 0;
  double cellSize = 2000.0;  ///< hexagon width across flats, m
  geo::AreaOptions options{};
  std::string output = "gebieden";
  std::string stylesDir;
  void validate() const;
};

/// Reads sites and partners, builds the cells, divides them and builds the result table.
AnalysisResult buildAreas(Store& store, const AreasRequest& request,
                          geo::Progress& progress = geo::nullProgress());

RunReport runAreas(Store& store, const AreasRequest& request,
                   geo::Progress& progress = geo::nullProgress());

namespace describe {
/// areas (command areas).
const std::vector<Analysis<AreasRequest>>& areasAnalyses();
}  // namespace describe

}  // namespace veldwacht::layers
