#include "geo/density/kernels.h"

#include <cmath>
#include <numbers>

namespace veldwacht::geo {

std::string_view kernelName(Kernel k) {
  switch (k) {
    case Kernel::Quartic:
      return "quartic";
    case Kernel::Triangular:
      return "triangular";
    case Kernel::Uniform:
      return "uniform";
    case Kernel::Triweight:
      return "triweight";
    case Kernel::Epanechnikov:
      return "epanechnikov";
    case Kernel::Gaussian:
      return "gaussian";
  }
  return "?";
}

std::string_view kernelOutputName(KernelOutput o) {
  switch (o) {
    case KernelOutput::Raw:
      return "raw";
    case KernelOutput::QgisScaled:
      return "scaled";
    case KernelOutput::PerSquareKm:
      return "per_km2";
  }
  return "?";
}

KernelFunction::KernelFunction(Kernel k, double radiusMetres, KernelOutput output,
                               double decayRatio, double sigmaMetres)
    : kernel(k), radius(radiusMetres), decay(decayRatio) {
  constexpr double pi = std::numbers::pi;
  const double h2 = radius * radius;
  radius2 = h2;
  invRadius2 = 1.0 / h2;
  sigma = sigmaMetres > 0 ? sigmaMetres : radius / 3.0;
  invTwoSigma2 = 1.0 / (2.0 * sigma * sigma);
  // The mathematically normalised constant (integral over the plane = 1, per m²).
  double exact = 1.0;
  double qgis = 1.0;
  switch (k) {
    case Kernel::Quartic:
      exact = 3.0 / (pi * h2);
      qgis = 116.0 / (5.0 * pi * h2) * (15.0 / 16.0);  // QGIS's constant (see header)
      break;
    case Kernel::Triweight:
      exact = 4.0 / (pi * h2);
      qgis = 128.0 / (35.0 * pi * h2) * (35.0 / 32.0);
      break;
    case Kernel::Epanechnikov:
      exact = 2.0 / (pi * h2);
      qgis = 8.0 / (3.0 * pi * h2) * 0.75;
      break;
    case Kernel::Uniform:
      exact = 1.0 / (pi * h2);
      qgis = 2.0 / (pi * radius) * (0.5 / radius);
      break;
    case Kernel::Triangular:
      exact = 3.0 / ((1.0 + 2.0 * decay) * pi * h2);
      qgis = decay >= 0 ? exact : 1.0;  // QGIS leaves negative decay ("coolmap") unscaled
      break;
    case Kernel::Gaussian:
      exact = 1.0 / (2.0 * pi * sigma * sigma * (1.0 - std::exp(-h2 * invTwoSigma2)));
      qgis = exact;
      break;
  }
  switch (output) {
    case KernelOutput::Raw:
      scale = 1.0;
      break;
    case KernelOutput::QgisScaled:
      scale = qgis;
      break;
    case KernelOutput::PerSquareKm:
      scale = exact * 1e6;
      break;
  }
}

double KernelFunction::shape(double d2) const {
  const double u2 = d2 * invRadius2;
  switch (kernel) {
    case Kernel::Quartic: {
      const double t = 1.0 - u2;
      return t * t;
    }
    case Kernel::Triweight: {
      const double t = 1.0 - u2;
      return t * t * t;
    }
    case Kernel::Epanechnikov:
      return 1.0 - u2;
    case Kernel::Uniform:
      return 1.0;
    case Kernel::Triangular:
      return 1.0 - (1.0 - decay) * std::sqrt(u2);
    case Kernel::Gaussian:
      return std::exp(-d2 * invTwoSigma2);
  }
  return 0.0;
}

}  // namespace veldwacht::geo
