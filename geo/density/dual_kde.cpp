#include "geo/density/dual_kde.h"

#include <cmath>
#include <string>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/got.h"

namespace veldwacht::geo {

void DualKdeOptions::validate() const {
  kde.validate();
  if (!(minDenominator >= 0) || !std::isfinite(minDenominator)) {
    throw OptionError("minDenominator", "must be >= 0" + got(minDenominator));
  }
  if (rule == SmallDenominator::Clamp && !(minDenominator > 0)) {
    throw OptionError("minDenominator", "must be > 0 with the clamp rule" + got(minDenominator));
  }
  if (!(ratioScale > 0) || !std::isfinite(ratioScale)) {
    throw OptionError("ratioScale", "must be > 0" + got(ratioScale));
  }
}

DualKdeResult dualKernelDensity(std::span<const Point> numeratorPoints,
                                std::span<const double> numeratorWeights,
                                std::span<const Point> denominatorPoints,
                                std::span<const double> denominatorWeights,
                                const DualKdeOptions& options, Progress& progress) {
  options.validate();
  // One grid for both: the QGIS rule over the union of the two point sets.
  std::vector<Point> all(numeratorPoints.begin(), numeratorPoints.end());
  all.insert(all.end(), denominatorPoints.begin(), denominatorPoints.end());
  const KdeLayout layout = kdeLayout(all, options.kde);
  const RasterGrid& grid = layout.grid;
  all.clear();
  all.shrink_to_fit();

  DualKdeResult r;
  {
    SubProgress sub(progress, 0.0, 0.5);
    r.numerator =
        kernelDensityOnGrid(numeratorPoints, numeratorWeights, options.kde, layout, sub).raster;
  }
  {
    SubProgress sub(progress, 0.5, 0.95);
    r.denominator =
        kernelDensityOnGrid(denominatorPoints, denominatorWeights, options.kde, layout, sub).raster;
  }
  r.ratio.grid = grid;
  r.ratio.nodata = options.kde.nodata;
  r.ratio.values.assign(grid.size(), options.kde.nodata);
  for (std::size_t i = 0; i < grid.size(); ++i) {
    if (r.numerator.isNodata(i) || r.denominator.isNodata(i)) continue;  // outside the mask
    double den = r.denominator.values[i];
    if (den < options.minDenominator || den <= 0.0) {
      if (options.rule == SmallDenominator::Nodata) {
        ++r.nodataPixels;
        continue;
      }
      den = options.minDenominator;
    }
    r.ratio.values[i] = r.numerator.values[i] / den * options.ratioScale;
  }
  r.ratio.units = "ratio of densities";
  r.ratio.description = "dual kernel density ratio, " +
                        std::string(kernelName(options.kde.kernel)) + ", radius " +
                        std::to_string(options.kde.radius) + " m";
  r.ratio.metadata = r.numerator.metadata;
  r.ratio.metadata["ALGORITHM"] = "veldwacht dual kernel density";
  r.ratio.metadata["UNITS"] = r.ratio.units;
  r.ratio.metadata["MIN_DENOMINATOR"] = std::to_string(options.minDenominator);
  r.ratio.metadata["SMALL_DENOMINATOR_RULE"] =
      options.rule == SmallDenominator::Nodata ? "nodata" : "clamp";
  r.ratio.metadata["RATIO_SCALE"] = std::to_string(options.ratioScale);
  r.ratio.metadata["DENOMINATOR_UNITS"] = r.denominator.units;
  progress.setFraction(1.0);
  return r;
}

}  // namespace veldwacht::geo
