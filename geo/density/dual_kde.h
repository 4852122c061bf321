// Dual kernel density: the ratio of two kernel densities on one grid, e.g. signals over barns or
// over addresses — a risk-adjusted surface ("signals per address") instead of one that mostly
// maps where people and buildings are (Levine, CrimeStat IV, ch. 10 "Kernel density
// interpolation", dual KDE; Kelsall & Diggle 1995 on density ratios).
//
// Both surfaces use the same kernel, radius and grid (the grid covers both point sets grown by
// the radius, or the study extent/mask). Where the denominator density is small the ratio is
// noise, so a rule is required:
//  - SmallDenominator::Nodata (default): pixels whose denominator density is below
//    `minDenominator` become nodata.
//  - SmallDenominator::Clamp: the denominator is raised to `minDenominator` (a conservative,
//    shrunk ratio that stays defined everywhere).
// With minDenominator = 0 only pixels with a zero denominator are nodata (Nodata) or, with Clamp,
// need minDenominator > 0 (validate() rejects 0).
// The ratio is numerator / denominator × `ratioScale` (e.g. 1000 for "per 1000 addresses").
#pragma once

#include <span>

#include "geo/core/progress.h"
#include "geo/density/kde.h"

namespace veldwacht::geo {

enum class SmallDenominator { Nodata, Clamp };

struct DualKdeOptions {
  /// Shared kernel, radius, pixel size, extent and mask. Its `output` sets the unit of the
  /// two density surfaces; the ratio does not depend on it (same kernel, same constant).
  KdeOptions kde;
  /// In the units of the denominator surface (kde.output), e.g. addresses per km².
  double minDenominator = 0.0;
  SmallDenominator rule = SmallDenominator::Nodata;
  double ratioScale = 1.0;

  void validate() const;
};

struct DualKdeResult {
  Raster ratio;
  Raster numerator;
  Raster denominator;
  std::size_t nodataPixels = 0;  ///< inside the study area, set to nodata by the rule
};

DualKdeResult dualKernelDensity(std::span<const Point> numeratorPoints,
                                std::span<const double> numeratorWeights,
                                std::span<const Point> denominatorPoints,
                                std::span<const double> denominatorWeights,
                                const DualKdeOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
