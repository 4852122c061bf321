// Hot spots and spatial autocorrelation as users run them. The analysed values are either
// points counted per grid cell (the grid of aggregation.h, optionally masked) or a numeric field
// of a polygon layer (e.g. buurten.aantal_inwoners, NULL values left out with a warning).
//   gi           Getis-Ord Gi* per unit: gi_z, gi_p, gi_bin (−3…+3) — style hotspots_gi
//   local-moran  Anselin's local Moran: lisa_type HH/LL/HL/LH/NS — style local_moran
//   optimized    Optimized Hot Spot Analysis from the points alone (cell size and band chosen
//                and recorded in the parameters and the report) — style hotspots_gi
//   global       global Moran's I of the unit values, Clark-Evans NNI and Ripley's L with a CSR
//                envelope of the points: printed, and written as tables without geometry
//                (<output>_globaal, <output>_ripley; Ripley's only where it is written, see
//                HotspotRequest::keepOnlyTables)
// Weights: fixed distance band between unit centroids (default: the smallest band that gives
// every unit a neighbour), k nearest neighbours, or contiguity (the grid's neighbour lists;
// polygons that touch).
#pragma once

#include "geo/aggregation/grid.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/moran.h"
#include "geo/hotspots/nearest_neighbour_index.h"
#include "geo/hotspots/optimized.h"
#include "geo/hotspots/ripley.h"
#include "geo/hotspots/weights.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/report.h"

namespace veldwacht::layers {

enum class HotspotMethod { GiStar, LocalMoran, Optimized, Global };
enum class WeightsKind { DistanceBand, KNearest, Contiguity };

std::string_view hotspotMethodName(HotspotMethod m);  ///< gi, local-moran, optimized, global
HotspotMethod parseHotspotMethod(std::string_view name);
std::string_view weightsKindName(WeightsKind w);  ///< distance-band, k-nearest, contiguity
WeightsKind parseWeightsKind(std::string_view name);

struct HotspotRequest {
  PointSelection input;
  /// Analyse this numeric field of a polygon layer instead of point counts (not for optimized).
  std::string polygonLayer;
  std::string polygonWhere;
  std::string valueField;
  std::string output = "hotspots";
  HotspotMethod method = HotspotMethod::GiStar;
  geo::GridOptions grid;  ///< for point counts; maskWkb filled from maskLayer
  std::string maskLayer;
  std::string maskWhere;
  WeightsKind weights = WeightsKind::DistanceBand;
  geo::DistanceBandOptions band;
  geo::KNearestOptions knn;
  geo::GiStarOptions gi;
  geo::LocalMoranOptions localMoran;
  geo::OptimizedHotSpotOptions optimized;  ///< maskWkb filled from maskLayer
  geo::GlobalMoranOptions globalMoran;
  geo::NearestNeighbourIndexOptions nni;  ///< area 0 = the mask's area when a mask is given
  geo::RipleyOptions ripley;
  /// Global method, from points: also Ripley's K and L (the `<output>_ripley` table; with the
  /// CSR envelope every pair of points up to a quarter of the study area's side, 1 + simulations
  /// times: by far the costliest of the global statistics).
  bool ripleyTable = true;
  std::string stylesDir;

  void validate() const;
  /// For a host that writes only the result tables with these suffixes (veldwacht:globalmoran
  /// and veldwacht:nearestneighbourindex write `_globaal`): leaves out the work of the others.
  void keepOnlyTables(const std::vector<std::string>& suffixes);
};

/// Step 1 for the CLI: the points (or the polygon units with their value field) and the mask.
AnalysisInputs readHotspotInputs(Store& store, const HotspotRequest& request,
                                 geo::Progress& progress = geo::nullProgress());

/// Steps 2 and 3 for any host: the units, their weights and the statistic; the result tables
/// named <output> (gi, local-moran, optimized) or <output>_globaal and, from points,
/// <output>_ripley (global). `inputs.points` without a polygon layer, else `inputs.polygons`
/// with values; `inputs.mask` limits the grid. Nothing is written.
AnalysisResult buildHotspots(const AnalysisInputs& inputs, const HotspotRequest& request,
                             geo::Progress& progress = geo::nullProgress());

/// The whole run for the CLI: read (0–20 %), build (20–90 %), write (90–100 %, one transaction).
RunReport runHotspots(Store& store, const HotspotRequest& request,
                      geo::Progress& progress = geo::nullProgress());

namespace describe {
/// gistar, localmoran, optimizedhotspots, globalmoran, nearestneighbourindex, ripleyk (command
/// hotspots; the last three all run with --method global).
const std::vector<Analysis<HotspotRequest>>& hotspotAnalyses();
}  // namespace describe

}  // namespace veldwacht::layers
