// Ripley's K and Besag's L function with a CSR simulation envelope (Ripley 1976, 1977;
// Besag 1977): how the number of neighbours within distance d compares with complete spatial
// randomness, over a range of distances (multi-distance clustering).
//
//   K(d) = A / (n (n - 1)) sum_i sum_{j != i} e_ij 1(d_ij <= d)
//   L(d) = sqrt(K(d) / pi)              (L(d) = d under CSR; ArcGIS reports L(d) the same way)
//
// Edge correction e_ij:
//  - None: e_ij = 1 (K is biased low near the border of the study area).
//  - RipleyIsotropic: e_ij = 1 / (fraction of the circle around i through j that lies inside the
//    rectangular study area) (Ripley 1977). Exact for rectangles; distances are capped at half
//    the shorter side, where the formula stays valid.
// The envelope is the pointwise min/max of L over `simulations` CSR patterns of n points in the
// same rectangle, each with its own seeded stream (identical for any thread count). With 99
// simulations an observed L above the envelope at a given d is significant at about 2/100.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

enum class EdgeCorrection { None, RipleyIsotropic };

struct RipleyOptions {
  /// Study-area rectangle. Empty = the points' bounding rectangle. Points must lie inside.
  Extent studyArea{};
  /// Distances to evaluate (ascending, > 0). Empty = `bands` equal steps up to a quarter of the
  /// shorter side of the study area (ArcGIS's default uses 25 % of the longer extent; the shorter
  /// side keeps the isotropic correction valid).
  std::vector<double> distances{};
  std::size_t bands = 10;
  EdgeCorrection edgeCorrection = EdgeCorrection::RipleyIsotropic;
  /// CSR simulations for the envelope; 0 = none.
  std::uint32_t simulations = 99;
  std::uint64_t seed = 12345;
  std::size_t threads = 0;
  void validate() const;
};

struct RipleyResult {
  std::vector<double> distances{};
  std::vector<double> k;
  std::vector<double> l;             ///< Besag's L(d) = sqrt(K / pi)
  std::vector<double> envelopeLow;   ///< min simulated L(d); empty without simulations
  std::vector<double> envelopeHigh;  ///< max simulated L(d)
  Extent studyArea{};
  double area = 0.0;
  std::vector<std::string> warnings;
};

RipleyResult ripleyK(std::span<const Point> points, const RipleyOptions& options,
                     Progress& progress = nullProgress());

/// Ripley's isotropic edge weight for a circle of radius r around p in the rectangle: 2 pi over
/// the length (in radians) of the arc inside. 1 when the circle lies inside.
double ripleyIsotropicWeight(const Point& p, double r, const Extent& rect);

}  // namespace veldwacht::geo
