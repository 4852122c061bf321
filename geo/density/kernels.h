// Kernel functions for kernel density estimation, with QGIS's heatmap conventions.
//
// The polynomial kernels are those of Wand & Jones (1995), "Kernel Smoothing", p. 175, in their
// radially symmetric 2-D form K(u) with u = d / h (h = radius, support u <= 1). QGIS's heatmap
// (src/analysis/raster/qgskde.cpp) evaluates them in two modes, reproduced here:
//  - Raw: the bare kernel shape, 1 at the point for all but the triangular kernel with decay,
//    so a pixel value reads as "weighted number of points nearby".
//  - QgisScaled: QGIS's "Scaled" output, the shape times QGIS's normalising constant. QGIS's
//    constants integrate to 1 over the plane for the uniform, triangular, triweight and
//    Epanechnikov kernels, but NOT for the quartic one: QGIS multiplies by
//    116/(5π h²)·15/16 = 21.75/(π h²) where the true constant is 3/(π h²). We keep QGIS's value
//    so that "scaled" rasters match QGIS cell by cell.
// And a third, correctly normalised mode:
//  - PerSquareKm: a probability density (each kernel integrates to 1 per point over the
//    plane, in m⁻²) times 10⁶, so the value is expected (weighted) points per km².
//
// Gaussian (not in QGIS): exp(-d²/2σ²), σ = radius/3 by default, truncated at the radius; its
// normalised constant accounts for the truncation, 1 / (2πσ²(1 - exp(-h²/2σ²))). Its
// QgisScaled value uses that same constant.
#pragma once

#include <string_view>

namespace veldwacht::geo {

/// Numbering as QGIS's KERNEL parameter (0..4); Gaussian is ours.
enum class Kernel {
  Quartic = 0,
  Triangular = 1,
  Uniform = 2,
  Triweight = 3,
  Epanechnikov = 4,
  Gaussian = 5
};

enum class KernelOutput { Raw, QgisScaled, PerSquareKm };

std::string_view kernelName(Kernel k);
std::string_view kernelOutputName(KernelOutput o);

/// A kernel bound to its radius, decay, sigma and output mode. value(d²) is the contribution of
/// a point of weight 1 at squared distance d² (0 beyond the radius).
struct KernelFunction {
  Kernel kernel = Kernel::Quartic;
  double radius = 1.0;
  double decay = 0.0;  ///< triangular only: value at the radius relative to the centre
  double sigma = 0.0;  ///< gaussian only (metres)
  double scale = 1.0;  ///< output constant (1 for Raw)
  double radius2 = 1.0;
  double invRadius2 = 1.0;
  double invTwoSigma2 = 0.0;

  KernelFunction(Kernel k, double radiusMetres, KernelOutput output, double decayRatio = 0.0,
                 double sigmaMetres = 0.0);

  /// Shape at squared distance (no scale), for d² <= radius².
  double shape(double d2) const;
  double value(double d2) const { return d2 > radius2 ? 0.0 : scale * shape(d2); }
};

}  // namespace veldwacht::geo
