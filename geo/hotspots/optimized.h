// Optimized Hot Spot Analysis (after ArcGIS's tool, "How Optimized Hot Spot Analysis works"):
// from raw incident points to a defensible Gi* map without hand-tuned parameters.
//
//  1. Aggregation: incidents are counted in a grid of the shared aggregation module, square
//     (ArcGIS's fishnet) or hexagonal. All cells of the extent (or of the mask) are kept,
//     including empty ones: without the zeros there is no "cold" to compare with.
//  2. Cell size (unless given): suggestedCellSize() below.
//  3. Scale of analysis: incremental spatial autocorrelation: global Moran's I (row-standardised,
//     randomisation z) for `bands` distance bands starting at the smallest band that gives
//     every cell a neighbour, in steps of one cell size. The band is the *first* peak of z (a
//     band whose z exceeds both neighbours' z and is significant at 95 %), else the *maximum*
//     peak; with no peak at all the starting band is used and a warning says so.
//  4. Gi* on the counts with that band, FDR-corrected bins (as ArcGIS's tool always does).
// The choices and their reasons come back in the result, with warnings: fewer than 30 cells or
// incidents, cells without neighbours, no peak found.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/aggregation/grid.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "geo/hotspots/gistar.h"

namespace veldwacht::geo {

/// Cell size suggested for aggregating incidents (our rule, in the spirit of ArcGIS's, which
/// also starts from nearest-neighbour distances): twice the Clark-Evans observed mean
/// nearest-neighbour distance between *distinct* incident locations (so a cell holds a few
/// incidents on average where they are dense), raised if needed so the bounding rectangle
/// needs at most 250 000 cells, then rounded to the nearest readable 1, 2, 2.5 or 5 x 10^k metres.
/// 100 m for fewer than two distinct locations.
double suggestedCellSize(std::span<const Point> points);

struct OptimizedHotSpotOptions {
  GridShape shape = GridShape::Square;
  double cellSize = 0.0;  ///< metres; 0 = suggestedCellSize()
  Extent extent{};        ///< empty = the incidents' bounding rectangle
  /// Study-area mask (WKB polygons), passed to the grid (cells intersecting it are kept).
  std::vector<std::vector<std::uint8_t>> maskWkb{};
  std::size_t bands = 10;  ///< incremental spatial autocorrelation bands
  /// Conditional permutations for Gi* (0 = analytic, as ArcGIS).
  std::uint32_t permutations = 0;
  std::uint64_t seed = 12345;
  std::size_t threads = 0;
  void validate() const;
};

struct OptimizedHotSpotResult {
  Grid grid;
  std::vector<double> counts;  ///< incidents per grid cell
  double cellSize = 0.0;
  bool cellSizeSuggested = false;
  /// Incremental spatial autocorrelation: band distances and global Moran z-scores.
  std::vector<double> scaleDistances;
  std::vector<double> scaleZ;
  bool peakFound = false;
  bool firstPeak = false;  ///< the band is the first significant peak (else max peak / start)
  double distanceBand = 0.0;
  GiStarResult gi;                   ///< Gi* per grid cell with the chosen band (FDR bins)
  std::vector<std::string> choices;  ///< human-readable record of every decision
  std::vector<std::string> warnings;
};

/// `points` are the incidents (optionally `weights` per incident, summed per cell).
OptimizedHotSpotResult optimizedHotSpots(std::span<const Point> points,
                                         const OptimizedHotSpotOptions& options,
                                         std::span<const double> weights = {},
                                         Progress& progress = nullProgress());

}  // namespace veldwacht::geo
