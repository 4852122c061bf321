// Adaptive donut geomasking (Hampton et al. 2010, "Mapping health data: improved privacy
// protection with donut method geomasking", Am. J. Epidemiol. 172(9); Allshouse et al. 2010,
// "Geomasking sensitive health data and privacy protection: an evaluation using an E911
// database", Geocarto Int. 25(6)): each point moves in a uniformly random direction by a random
// distance between an inner radius rMin (so that it certainly leaves its own address) and an
// outer radius rMax (so that the pattern survives), both set per point from the density of
// addresses (BAG verblijfsobjecten) around its TRUE location:
//
//   r_j(p) = distance from p to its j-th nearest address
//   rMin   = max(minDisplacement, r_k(p))                      k = 8 by default (police.uk)
//   rMax   = max(r_kOuter(p), rMin + minRingWidth)             kOuter = 2 k by default
//   d      = sqrt(u (rMax^2 - rMin^2) + rMin^2), u ~ U[0, 1)   (uniform over the donut's area)
//   angle  ~ U[0, 2 pi)
//
// Hence the circle around the true location through the masked point holds at least k
// addresses (d >= r_k), and every point moves at least minDisplacement (25 m). In a town r_k is
// tens of metres, in the buitengebied hundreds. Each point draws from its own seeded stream
// (seed, index), so the result does not depend on order or threads and repeats exactly.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct DonutMaskOptions {
  /// Addresses the displacement circle must hold (the inner radius). >= 1.
  std::size_t k = 8;
  /// The outer radius reaches the kOuter-th nearest address. >= k.
  std::size_t kOuter = 16;
  /// Least displacement in metres (> 0).
  double minDisplacement = 25.0;
  /// Least width of the donut ring in metres (>= 0), so that rMax > rMin where addresses are
  /// stacked in one building.
  double minRingWidth = 25.0;
  std::uint64_t seed = 12345;
  void validate() const;
};

struct DonutMaskResult {
  std::vector<Point> masked;
  std::vector<double> rMin;          ///< per point, metres
  std::vector<double> rMax;          ///< per point, metres
  std::vector<double> displacement;  ///< per point, metres (rMin <= d <= rMax)
  std::vector<std::string> warnings;
};

/// Masks `points` against `addresses` (both EPSG:28992). Throws OptionError, InputError (fewer
/// addresses than kOuter, a non-finite coordinate: named by its row), CancelledError.
DonutMaskResult donutMask(std::span<const Point> points, std::span<const Point> addresses,
                          const DonutMaskOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
