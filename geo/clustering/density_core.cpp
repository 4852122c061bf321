#include "geo/clustering/density_core.h"

#include <cmath>
#include <string>

#include "geo/core/error.h"

namespace veldwacht::geo::detail {

void checkWeights(std::size_t n, std::span<const double> weights) {
  if (weights.empty()) return;
  if (weights.size() != n)
    throw InputError(
        {{}, std::nullopt, "weight"},
        "expected " + std::to_string(n) + " weights, got " + std::to_string(weights.size()));
  for (std::size_t i = 0; i < n; ++i)
    if (!(weights[i] >= 0.0) || !std::isfinite(weights[i]))
      throw InputError({{}, std::int64_t(i + 1), "weight"}, "must be a non-negative number");
}

void checkFinite(std::span<const Point> points) {
  for (std::size_t i = 0; i < points.size(); ++i)
    if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
      throw InputError({{}, std::int64_t(i + 1), "geometry"}, "coordinate is not a finite number");
}

}  // namespace veldwacht::geo::detail
