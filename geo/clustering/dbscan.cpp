#include "geo/clustering/dbscan.h"

#include <cmath>
#include <string>

#include "geo/clustering/density_core.h"
#include "geo/core/error.h"
#include "geo/index/kdtree.h"

namespace veldwacht::geo {

void DbscanOptions::validate() const {
  if (!(eps > 0.0) || !std::isfinite(eps))
    throw OptionError("eps", "must be a positive number of metres");
  if (minPts < 1) throw OptionError("minPts", "must be at least 1");
  if (threads < 0) throw OptionError("threads", "must be 0 (all cores) or positive");
}

namespace detail {
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
}  // namespace detail

DbscanResult dbscan(std::span<const Point> points, const DbscanOptions& options,
                    Progress& progress) {
  return dbscan(points, {}, options, progress);
}

DbscanResult dbscan(std::span<const Point> points, std::span<const double> weights,
                    const DbscanOptions& options, Progress& progress) {
  options.validate();
  detail::checkWeights(points.size(), weights);
  progress.setPhase("indexing");
  progress.checkCancelled();
  const KdTree tree(points);

  detail::DensityInput in;
  in.size = points.size();
  in.weights = weights;
  in.minWeight = double(options.minPts);
  in.borderPointsAreNoise = options.borderPointsAreNoise;
  in.threads = options.threads;
  const double eps = options.eps;
  in.neighbours = [&](std::uint32_t i, std::vector<std::uint32_t>& out) {
    tree.withinRadius(points[i], eps, out);
  };
  auto labels = detail::clusterByDensity(in, progress);
  return {std::move(labels.labels), std::move(labels.core), labels.clusterCount};
}

}  // namespace veldwacht::geo
