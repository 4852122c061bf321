// The one engine behind the density clusterers (DBSCAN, DBSCAN*, ST-DBSCAN): core test,
// lock-free union-find over core points, deterministic labelling. Internal to geo/clustering.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "geo/core/progress.h"

namespace veldwacht::geo::detail {

/// Fills `out` with every neighbour of point `i` (the point itself included) under the
/// algorithm's neighbourhood (e.g. d <= eps, and |dt| <= epsSeconds for ST-DBSCAN).
/// Must be callable concurrently from several threads.
using NeighbourQuery = std::function<void(std::uint32_t i, std::vector<std::uint32_t>& out)>;

struct DensityInput {
  std::size_t size = 0;
  NeighbourQuery neighbours;
  std::span<const double> weights;  ///< empty: every point weighs 1
  double minWeight = 5.0;           ///< summed weight of the neighbourhood for a core point
  bool borderPointsAreNoise = false;
  int threads = 0;  ///< 0: TBB's default
};

struct DensityLabels {
  std::vector<std::int32_t> labels;  ///< -1 noise
  std::vector<std::uint8_t> core;
  std::size_t clusterCount = 0;
};

/// Labels as scikit-learn's DBSCAN: clusters are the connected components of core points,
/// numbered in the order of their lowest point index; a border point joins the cluster with the
/// lowest number among its core neighbours (the cluster that reaches it first when clusters are
/// expanded one after another in point order, as scikit-learn and QGIS do). Identical for any
/// thread count.
DensityLabels clusterByDensity(const DensityInput& input, Progress& progress);

/// Throws InputError unless `weights` is empty or holds n finite non-negative values.
void checkWeights(std::size_t n, std::span<const double> weights);

}  // namespace veldwacht::geo::detail
