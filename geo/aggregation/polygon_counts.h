// Points per arbitrary polygon (neighbourhoods, business parks, parcels) and rates per
// denominator. Point-in-polygon through GEOS: an STRtree over the polygons' envelopes finds the
// candidates of each point, a prepared geometry per polygon answers the test (the standard
// filter-and-refine scheme; Guttman 1984 R-trees, Leutenegger et al. 1997 STR packing).
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <vector>

#include "geo/core/point_sink.h"
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

/// countPointsInPolygons one point at a time, as a host hands them over (the points are never
/// held): the index is built first, then each point is counted as it comes, per polygon the
/// number of points and the sum of their weights, each summed in input order, so the result
/// equals countPointsInPolygons's for the same points. Throws as countPointsInPolygons does.
class PolygonCounter final : public PointSink {
 public:
  explicit PolygonCounter(std::span<const std::vector<std::uint8_t>> polygonsWkb,
                          const PolygonCountOptions& options = {},
                          Progress& progress = nullProgress());
  ~PolygonCounter() override;
  PolygonCounter(const PolygonCounter&) = delete;
  PolygonCounter& operator=(const PolygonCounter&) = delete;

  void add(const Point& p, double weight = 1.0) override;
  /// Points per polygon (every point 1).
  const std::vector<double>& counts() const { return counts_; }
  /// Weights per polygon.
  const std::vector<double>& weightSums() const { return weightSums_; }
  /// Points that fell in no polygon.
  std::size_t outside() const { return outside_; }

 private:
  struct Index;  ///< the polygons, prepared, in a GEOS STRtree
  PolygonCountOptions options_;
  std::unique_ptr<Index> index_;
  std::vector<double> counts_, weightSums_;
  std::size_t outside_ = 0;
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
