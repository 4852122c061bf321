#include "geo/clustering/st_dbscan.h"

#include <cmath>
#include <string>

#include "geo/clustering/density_core.h"
#include "geo/core/error.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

void StDbscanOptions::validate() const {
  if (!(eps > 0.0) || !std::isfinite(eps))
    throw OptionError("eps", "must be a positive number of metres");
  if (!(epsSeconds >= 0.0) || !std::isfinite(epsSeconds))
    throw OptionError("epsSeconds", "must be a non-negative number of seconds");
  if (minPts < 1) throw OptionError("minPts", "must be at least 1");
  if (threads < 0) throw OptionError("threads", "must be 0 (all cores) or positive");
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

  progress.setPhase("indexing");
  progress.checkCancelled();
  const KdTree tree(points);

  detail::DensityInput in;
  in.size = points.size();
  in.minWeight = double(options.minPts);
  in.borderPointsAreNoise = options.borderPointsAreNoise;
  in.threads = options.threads;
  const double eps = options.eps;
  const double epsT = options.epsSeconds;
  in.neighbours = [&](std::uint32_t i, std::vector<std::uint32_t>& out) {
    tree.withinRadius(points[i], eps, out);
    std::erase_if(out, [&](std::uint32_t j) {
      return windowGapSeconds(from[i], to[i], from[j], to[j]) > epsT;
    });
  };
  auto labels = detail::clusterByDensity(in, progress);
  return {std::move(labels.labels), std::move(labels.core), labels.clusterCount};
}

}  // namespace veldwacht::geo
