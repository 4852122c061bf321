#include "geo/privacy/geomask.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "geo/core/error.h"
#include "geo/hotspots/inference.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

void DonutMaskOptions::validate() const {
  if (k < 1) throw OptionError("k", "must be >= 1");
  if (kOuter < k) throw OptionError("kOuter", "must be >= k");
  if (!(minDisplacement > 0.0) || !std::isfinite(minDisplacement))
    throw OptionError("minDisplacement", "must be finite and > 0 metres");
  if (!(minRingWidth >= 0.0) || !std::isfinite(minRingWidth))
    throw OptionError("minRingWidth", "must be finite and >= 0 metres");
}

namespace {
void checkFinite(std::span<const Point> pts, const char* what) {
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (!std::isfinite(pts[i].x) || !std::isfinite(pts[i].y))
      throw InputError({what, std::int64_t(i) + 1, "geometry"}, "expected finite coordinates");
}
}  // namespace

DonutMaskResult donutMask(std::span<const Point> points, std::span<const Point> addresses,
                          const DonutMaskOptions& options, Progress& progress) {
  options.validate();
  checkFinite(points, "points");
  checkFinite(addresses, "addresses");
  if (addresses.size() < options.kOuter)
    throw InputError({"addresses", std::nullopt, ""},
                     "expected at least kOuter = " + std::to_string(options.kOuter) +
                         " addresses, got " + std::to_string(addresses.size()));
  const std::size_t n = points.size();
  DonutMaskResult res;
  res.masked.resize(n);
  res.rMin.resize(n);
  res.rMax.resize(n);
  res.displacement.resize(n);
  const KdTree tree(addresses);
  ProgressStep step(progress, 0.0, 1.0, "donut masking");
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  for (std::size_t i = 0; i < n; ++i) {
    tree.nearest(points[i], options.kOuter, idx, dist);
    const double rk = dist[options.k - 1];
    const double rMin = std::max(options.minDisplacement, rk);
    const double rMax = std::max(dist[options.kOuter - 1], rMin + options.minRingWidth);
    Rng rng = Rng::stream(options.seed, i);
    const double u = rng.uniform();
    const double angle = 2.0 * std::numbers::pi * rng.uniform();
    double d = std::sqrt(u * (rMax * rMax - rMin * rMin) + rMin * rMin);
    d = std::clamp(d, rMin, rMax);  // rounding must not undercut rMin
    res.rMin[i] = rMin;
    res.rMax[i] = rMax;
    res.displacement[i] = d;
    res.masked[i] = {points[i].x + d * std::cos(angle), points[i].y + d * std::sin(angle)};
    step.tick(i + 1, n);
  }
  step.done();
  return res;
}

}  // namespace veldwacht::geo
