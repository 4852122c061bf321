// Emerging Hot Spot Analysis (after ArcGIS's tool of that name; "How Emerging Hot Spot Analysis
// works", ArcGIS Pro documentation): where are hot and cold spots appearing, growing, fading?
//
//  1. A space-time cube: points with times are counted in square or hexagonal bins (the shared
//     aggregation grid) per time step (days or calendar months). Locations analysed are the
//     cells with at least one point in at least one step (ArcGIS's rule without a mask).
//  2. Space-time Gi*: the neighbours of bin (location, t) are the bins of the locations within
//     the neighbourhood distance (and the location itself) in steps t - k .. t, k = the
//     neighbourhood time step (ArcGIS includes the current and the k *previous* steps). Gi* runs
//     over all bins of the cube at once (one mean and S), FDR-corrected by default, as ArcGIS.
//  3. Mann-Kendall trend of each location's Gi* z-scores over time (the "intensity of
//     clustering").
//  4. One of 17 categories per location (see EmergingCategory; definitions quoted from the
//     ArcGIS documentation).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "geo/aggregation/grid.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/hotspots/inference.h"
#include "geo/hotspots/trend.h"

namespace veldwacht::geo {

enum class TimeUnit { Days, Months };
/// Where the step boundaries are anchored. End (ArcGIS's default): the last step ends just after
/// the latest point, so the final, most interesting slice is complete.
enum class TimeAlignment { End, Start };

struct SpaceTimeCubeOptions {
  GridShape shape = GridShape::Square;  ///< ArcGIS's fishnet; hexagons on request
  /// Bin size in metres (square side / hexagon width across flats); 0 = suggestedCellSize().
  double binSize = 0.0;
  TimeUnit timeUnit = TimeUnit::Months;
  std::uint32_t timeStep = 1;  ///< steps of this many days or months
  TimeAlignment alignment = TimeAlignment::End;
  /// Area to cover; empty = the points' bounding rectangle.
  Extent extent{};
  void validate() const;
};

/// Values per location and time step. Built by buildSpaceTimeCube from points, or by the caller
/// (e.g. from an existing aggregation) for emergingHotSpots.
struct SpaceTimeCube {
  std::vector<Point> locations;  ///< bin centres, the L analysed locations
  std::size_t timeSteps = 0;     ///< T
  std::vector<double> values;    ///< values[t * L + location]
  /// Step boundaries, T + 1 instants: step t covers [stepBounds[t], stepBounds[t + 1]).
  std::vector<TimeSeconds> stepBounds{};
  /// Grid and cell index of each location when built from points.
  Grid grid{};
  std::vector<std::uint32_t> cellOfLocation{};
  double binSize = 0.0;

  std::size_t size() const { return locations.size(); }
  double at(std::size_t location, std::size_t t) const {
    return values[t * locations.size() + location];
  }
};

/// Counts points into a space-time cube. `times` has one entry per point.
SpaceTimeCube buildSpaceTimeCube(std::span<const Point> points, std::span<const TimeSeconds> times,
                                 const SpaceTimeCubeOptions& options,
                                 Progress& progress = nullProgress());

/// The 17 outcomes. The definitions are ArcGIS's; "hot" means a significant (corrected p <=
/// alpha) positive Gi* bin, "cold" a significant negative one; T is the number of steps.
enum class EmergingCategory : std::int8_t {
  NoPattern = 0,  ///< none of the patterns below
  /// Significant hot spot for the final time step that has never been one before.
  NewHot,
  /// A single uninterrupted run of at least two hot bins in the final steps; never hot before
  /// the run; fewer than 90 % of all bins hot.
  ConsecutiveHot,
  /// Hot for at least 90 % of the steps including the final one, with a significant increasing
  /// trend in the intensity of clustering (Mann-Kendall on the z-scores).
  IntensifyingHot,
  /// Hot for at least 90 % of the steps with no significant trend.
  PersistentHot,
  /// Hot for at least 90 % of the steps including the final one, with a significant decreasing
  /// trend.
  DiminishingHot,
  /// Hot for the final step with a history of being on-again, off-again hot; fewer than 90 %
  /// of the steps hot and none cold.
  SporadicHot,
  /// Hot for the final step with a history of being a significant cold spot during a prior
  /// step; fewer than 90 % of the steps hot.
  OscillatingHot,
  /// The most recent step is not hot, but at least 90 % of the steps have been hot.
  HistoricalHot,
  NewCold,
  ConsecutiveCold,
  IntensifyingCold,  ///< cold >= 90 %, significantly *decreasing* z (ever colder)
  PersistentCold,
  DiminishingCold,  ///< cold >= 90 %, significantly increasing z
  SporadicCold,
  OscillatingCold,
  HistoricalCold,
};

/// A short English name ("New Hot Spot", ...), as ArcGIS labels the pattern.
std::string_view emergingCategoryName(EmergingCategory category);

/// Classifies one location from its per-step significance (+1 hot, -1 cold, 0 neither, in time
/// order) and the Mann-Kendall trend of its z-scores.
///
/// Where two published definitions both match, this order decides (documented choice):
/// historical is checked first when the final step is not hot (not cold); with a hot final step
/// and fewer than 90 % hot steps, oscillating (a cold history) wins over new and consecutive,
/// then new, consecutive, and sporadic last.
EmergingCategory classifyEmerging(std::span<const std::int8_t> significance,
                                  const MannKendallResult& trend, double trendAlpha = 0.05);

struct EmergingHotSpotOptions {
  /// Neighbourhood distance in metres; 0 = the contiguous bins: bin size x sqrt(2) (queen) for
  /// squares, bin size for hexagons.
  double neighbourhoodDistance = 0.0;
  /// Number of previous time steps in the neighbourhood (ArcGIS's default 1).
  std::uint32_t neighbourhoodTimeStep = 1;
  double alpha = 0.05;       ///< significance of a hot/cold bin (after the correction)
  double trendAlpha = 0.05;  ///< significance of the Mann-Kendall trend
  Correction correction = Correction::Fdr;
  /// Conditional permutations per bin; 0 (default, as ArcGIS) = analytic p.
  std::uint32_t permutations = 0;
  std::uint64_t seed = 12345;
  std::size_t threads = 0;
  void validate() const;
};

struct EmergingHotSpotResult {
  // Per bin, index t * L + location:
  std::vector<double> z;
  std::vector<double> p;                  ///< the p used (analytic or permutation), uncorrected
  std::vector<double> pAdjusted;          ///< after the correction
  std::vector<std::int8_t> significance;  ///< +1 hot, -1 cold, 0 (pAdjusted <= alpha)
  std::vector<std::int8_t> bin;           ///< -3..+3 confidence bins as Gi_Bin, per bin
  // Per location:
  std::vector<MannKendallResult> trend;
  std::vector<EmergingCategory> category;
  double neighbourhoodDistance = 0.0;
  std::uint32_t neighbourhoodTimeStep = 0;
  std::vector<std::string> warnings;
};

EmergingHotSpotResult emergingHotSpots(const SpaceTimeCube& cube,
                                       const EmergingHotSpotOptions& options,
                                       Progress& progress = nullProgress());

}  // namespace veldwacht::geo
