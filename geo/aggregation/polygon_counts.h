// Points per arbitrary polygon (neighbourhoods, business parks, parcels) and rates per
// denominator. Point-in-polygon through GEOS: an STRtree over the polygons' envelopes finds the
// candidates of each point, a prepared geometry per polygon answers the test (the standard
// filter-and-refine scheme; Guttman 1984 R-trees, Leutenegger et al. 1997 STR packing).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

/// How a point on a polygon's boundary is counted.
///  - AllCovering (default): in every polygon that covers it (its boundary included), so a point
///    on a shared edge counts in both neighbours.
///  - FirstCovering: only in the covering polygon with the lowest index (totals add up to the
///    number of points covered).
///  - InteriorOnly: only in polygons whose interior contains it.
enum class BoundaryRule { AllCovering, FirstCovering, InteriorOnly };

struct PolygonCountOptions {
  BoundaryRule boundary = BoundaryRule::AllCovering;
  void validate() const {}
};

struct PolygonCounts {
  /// Count (or weight sum) per polygon, in input order.
  std::vector<double> counts;
  /// Points that fell in no polygon.
  std::size_t outside = 0;
};

/// `polygonsWkb`: polygons or multipolygons as WKB, in the working CRS. `weights` empty = 1 per
/// point, else one per point. Summation in input order (deterministic).
PolygonCounts countPointsInPolygons(std::span<const std::vector<std::uint8_t>> polygonsWkb,
                                    std::span<const Point> points,
                                    std::span<const double> weights = {},
                                    const PolygonCountOptions& options = {},
                                    Progress& progress = nullProgress());

struct RateOptions {
  /// Rates with a denominator below this are undefined (NaN): small denominators give noisy
  /// rates. Must be >= 0; a denominator of 0 is always undefined.
  double minDenominator = 0.0;
  /// Multiplier, e.g. 1000 for "per 1000 addresses".
  double scale = 1.0;
  void validate() const;
};

/// numerator[i] / denominator[i] × scale, NaN where the denominator is too small. The
/// denominator can be another count (addresses per cell) or a cell attribute (area in ha).
std::vector<double> rates(std::span<const double> numerator, std::span<const double> denominator,
                          const RateOptions& options = {});

}  // namespace veldwacht::geo
