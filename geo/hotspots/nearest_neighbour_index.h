// Average nearest neighbour index (Clark & Evans 1954): is a point pattern more clustered or
// more dispersed than complete spatial randomness (CSR) of the same density?
//
//   observed  D_o = mean over points of the distance to the nearest other point
//   expected  D_e = 0.5 / sqrt(n / A)
//   ratio     R   = D_o / D_e          (< 1 clustered, 1 random, > 1 dispersed; max 2.149)
//   SE        = 0.26136 / sqrt(n^2 / A),  z = (D_o - D_e) / SE, p two-sided normal
//
// The result depends strongly on the area A: by default the axis-aligned bounding rectangle
// of the points (ArcGIS uses the minimum enclosing rectangle), which is the right thing only
// when the points fill it; pass the study area's area when it is known. No edge correction
// (Clark-Evans is biased upwards near the border, by about (0.0514 + 0.041/sqrt(n)) P / n
// (Donnelly 1978) for perimeter P).
#pragma once

#include <span>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct NearestNeighbourIndexOptions {
  /// Study area in m²; 0 = area of the points' bounding rectangle.
  double area = 0.0;
  void validate() const;
};

struct NearestNeighbourIndexResult {
  std::size_t n = 0;
  double area = 0.0;          ///< the area used, m²
  double observedMean = 0.0;  ///< D_o, metres
  double expectedMean = 0.0;  ///< D_e, metres
  double ratio = 0.0;         ///< R = D_o / D_e
  double standardError = 0.0;
  double z = 0.0;
  double p = 1.0;  ///< two-sided
};

NearestNeighbourIndexResult nearestNeighbourIndex(std::span<const Point> points,
                                                  const NearestNeighbourIndexOptions& options = {},
                                                  Progress& progress = nullProgress());

}  // namespace veldwacht::geo
