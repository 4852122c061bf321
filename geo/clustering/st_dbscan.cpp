#include "geo/clustering/st_dbscan.h"

#include <cmath>
#include <string>

#include "geo/clustering/density_core.h"
#include "geo/core/error.h"
#include "geo/core/threads.h"
#include "geo/index/grid_index.h"

namespace veldwacht::geo {

void StDbscanOptions::validate() const {
  if (!(eps > 0.0) || !std::isfinite(eps))
    throw OptionError("eps", "must be a positive number of metres");
  if (!(epsSeconds >= 0.0) || !std::isfinite(epsSeconds))
    throw OptionError("epsSeconds", "must be a non-negative number of seconds");
  if (minPts < 1) throw OptionError("minPts", "must be at least 1");
  checkThreads(threads);
}

namespace {
void checkLength(std::size_t n, std::size_t got, const char* field) {
  if (got != n)
    throw InputError({{}, std::nullopt, field},
                     "expected " + std::to_string(n) + " values, got " + std::to_string(got));
}
}  // namespace

DbscanResult stDbscan(std::span<const Point> points, std::span<const TimeSeconds> times,
                      const StDbscanOptions& options, Progress& progress) {
  return stDbscan(points, times, times, options, progress);
}

DbscanResult stDbscan(std::span<const Point> points, std::span<const TimeSeconds> from,
                      std::span<const TimeSeconds> to, const StDbscanOptions& options,
                      Progress& progress) {
  options.validate();
  checkLength(points.size(), from.size(), "from");
  checkLength(points.size(), to.size(), "to");
  for (std::size_t i = 0; i < points.size(); ++i)
    if (from[i] > to[i])
      throw InputError({{}, std::int64_t(i + 1), "to"}, "time window ends before it starts");

  detail::checkFinite(points);
  progress.setPhase("indexing");
  progress.checkCancelled();
  const GridIndex grid(points, options.eps);

  detail::DensityParams in;
  in.minWeight = double(options.minPts);
  in.borderPointsAreNoise = options.borderPointsAreNoise;
  in.threads = options.threads;
  const double eps = options.eps;
  const double epsT = options.epsSeconds;
  // Space through the grid, then time: a neighbour must satisfy both.
  auto forEachNeighbour = [&](std::uint32_t i, auto&& f) {
    grid.forEachWithin(points[i], eps, [&](std::uint32_t j) {
      return windowGapSeconds(from[i], to[i], from[j], to[j]) > epsT || f(j);
    });
  };
  const auto order = grid.cellOrder();
  auto forEachLater = [&](std::size_t slot, auto&& f) {
    const std::uint32_t i = order[slot];
    grid.forEachLaterWithin(slot, eps, [&](std::uint32_t j) {
      return windowGapSeconds(from[i], to[i], from[j], to[j]) > epsT || f(j);
    });
  };
  auto labels = detail::clusterByDensity(order, forEachNeighbour, forEachLater, in, progress);
  return {std::move(labels.labels), std::move(labels.core), labels.clusterCount};
}

}  // namespace veldwacht::geo
