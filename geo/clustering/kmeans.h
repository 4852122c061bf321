// K-means (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii, "k-means++: the
// advantages of careful seeding", SODA 2007).
//
// Why k-means at all next to the density methods: planners asking "where do we put k patrol
// start points / k information evenings" want exactly k groups covering every signal; k-means
// minimises the summed squared distance to the nearest of k centres.
//
// Seeding picks the first centre uniformly and each next one with probability proportional to
// the (weighted) squared distance to the nearest centre so far, which is O(log k)-competitive
// in expectation. nInit restarts keep the run with the lowest inertia. Iteration stops after
// maxIter rounds, when no label changes, or when the summed squared centre shift falls to
// tolerance x the mean per-axis variance of the data (scikit-learn's rule). Random numbers come
// from std::mt19937_64 (its sequence is fixed by the C++ standard) with our own conversion to
// [0, 1), so a seed gives the same clustering on every platform and thread count.
// Cost: O(nInit * iterations * n * k).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct KmeansOptions {
  /// Number of clusters. >= 1 and not more than the number of points.
  std::size_t k = 8;
  std::uint64_t seed = 0;
  /// Restarts with different seedings; the lowest inertia wins. >= 1.
  std::size_t nInit = 10;
  /// Lloyd iterations per restart. >= 1.
  std::size_t maxIter = 300;
  /// Relative tolerance on the centre shift (see above). >= 0.
  double tolerance = 1e-4;
  /// Worker threads for the assignment step; 0 uses all cores. Same result for any value.
  int threads = 0;

  void validate() const;
};

struct KmeansResult {
  /// Per point: cluster in [0, k).
  std::vector<std::int32_t> labels;
  std::vector<Point> centres;
  /// Sum over points of weight x squared distance to its centre (m^2).
  double inertia = 0.0;
  /// Lloyd iterations of the winning run.
  std::size_t iterations = 0;
};

/// Throws OptionError (also when k exceeds the number of points), CancelledError.
KmeansResult kmeans(std::span<const Point> points, const KmeansOptions& options,
                    Progress& progress = nullProgress());

/// Weighted k-means: `weights` (one non-negative value per point) scale each point's pull on
/// its centre and its share in the seeding. Throws also InputError for bad weights.
KmeansResult kmeans(std::span<const Point> points, std::span<const double> weights,
                    const KmeansOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
