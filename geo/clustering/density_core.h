// The one engine behind the density clusterers (DBSCAN, DBSCAN*, ST-DBSCAN): core test,
// lock-free union-find over core points, deterministic labelling. Internal to geo/clustering.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo::detail {

struct DensityParams {
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

/// Union-find with CAS linking, the root with the larger index always hung under the smaller
/// one (Anderson & Woll 1991). The components do not depend on the order of the unions, so
/// the labelling that follows is the same for any number of threads.
class ConcurrentUnionFind {
 public:
  explicit ConcurrentUnionFind(std::size_t n) : parent_(new std::atomic<std::uint32_t>[n]) {
    for (std::size_t i = 0; i < n; ++i)
      parent_[i].store(std::uint32_t(i), std::memory_order_relaxed);
  }

  std::uint32_t find(std::uint32_t x) {
    for (;;) {
      std::uint32_t p = parent_[x].load(std::memory_order_relaxed);
      if (p == x) return x;
      const std::uint32_t gp = parent_[p].load(std::memory_order_relaxed);
      if (gp != p) parent_[x].compare_exchange_weak(p, gp, std::memory_order_relaxed);  // halving
      x = gp;
    }
  }

  void unite(std::uint32_t a, std::uint32_t b) {
    for (;;) {
      a = find(a);
      b = find(b);
      if (a == b) return;
      if (a < b) std::swap(a, b);  // link the larger root under the smaller
      std::uint32_t expected = a;
      if (parent_[a].compare_exchange_strong(expected, b, std::memory_order_relaxed)) return;
    }
  }

 private:
  std::unique_ptr<std::atomic<std::uint32_t>[]> parent_;
};

/// Runs body(slot, order[slot]) for every slot of `order` in parallel chunks, reporting
/// progress on [begin, end) and checking cancellation after each chunk.
template <class Body>
void parallelPhase(std::span<const std::uint32_t> order, Progress& progress, double begin,
                   double end, Body&& body) {
  const std::size_t n = order.size();
  std::atomic<std::size_t> done{0};
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      progress.checkCancelled();
                      for (std::size_t k = r.begin(); k != r.end(); ++k) body(k, order[k]);
                      const std::size_t d = done.fetch_add(r.size()) + r.size();
                      progress.setFraction(begin + (end - begin) * double(d) / double(n));
                    });
  progress.checkCancelled();
}

/// Labels as scikit-learn's DBSCAN: clusters are the connected components of core points,
/// numbered in the order of their lowest point index; a border point joins the cluster with the
/// lowest number among its core neighbours (the cluster that reaches it first when clusters are
/// expanded one after another in point order, as scikit-learn and QGIS do). Identical for any
/// thread count.
///
/// `forEachNeighbour(i, f)` calls f(j) for every neighbour j of point i (i itself included)
/// until f returns false; `forEachLaterNeighbour(slot, f)` does the same for the neighbours
/// that come after slot in `order` only (each pair once). Both must be callable concurrently.
/// `order` is a permutation of the points in which to run the queries (e.g. the grid's cell
/// order, for cache locality); it does not affect the result.
template <class ForEachNeighbour, class ForEachLaterNeighbour>
DensityLabels clusterByDensity(std::span<const std::uint32_t> order,
                               const ForEachNeighbour& forEachNeighbour,
                               const ForEachLaterNeighbour& forEachLaterNeighbour,
                               const DensityParams& in, Progress& progress) {
  const std::size_t n = order.size();
  DensityLabels out;
  out.labels.assign(n, -1);
  out.core.assign(n, 0);
  if (n == 0) return out;

  auto run = [&] {
    // 1. Core test: the neighbourhood (the point included) weighs at least minWeight. Counting
    //    stops as soon as it does.
    progress.setPhase("core points");
    parallelPhase(order, progress, 0.0, 0.4, [&](std::size_t, std::uint32_t i) {
      double w = 0.0;
      forEachNeighbour(i, [&](std::uint32_t j) {
        w += in.weights.empty() ? 1.0 : in.weights[j];
        return w < in.minWeight;
      });
      out.core[i] = w >= in.minWeight ? 1 : 0;
    });

    // 2. Core points within reach of each other share a cluster.
    progress.setPhase("connecting core points");
    ConcurrentUnionFind uf(n);
    parallelPhase(order, progress, 0.4, 0.8, [&](std::size_t slot, std::uint32_t i) {
      if (!out.core[i]) return;
      forEachLaterNeighbour(slot, [&](std::uint32_t j) {
        if (out.core[j]) uf.unite(i, j);
        return true;
      });
    });

    // 3. Number clusters by their lowest core point index.
    std::vector<std::int32_t> idOfRoot(n, -1);
    std::int32_t next = 0;
    ProgressStep step(progress, 0.8, 0.85, "labelling");
    for (std::size_t i = 0; i < n; ++i) {
      step.tick(i, n);
      if (!out.core[i]) continue;
      const std::uint32_t r = uf.find(std::uint32_t(i));
      if (idOfRoot[r] < 0) idOfRoot[r] = next++;
      out.labels[i] = idOfRoot[r];
    }
    out.clusterCount = std::size_t(next);

    // 4. Border points: the lowest cluster id among their core neighbours (DBSCAN*: noise).
    if (!in.borderPointsAreNoise) {
      progress.setPhase("border points");
      parallelPhase(order, progress, 0.85, 1.0, [&](std::size_t, std::uint32_t i) {
        if (out.core[i]) return;
        std::int32_t best = -1;
        forEachNeighbour(i, [&](std::uint32_t j) {
          if (out.core[j] && (best < 0 || out.labels[j] < best)) best = out.labels[j];
          return best != 0;  // nothing beats cluster 0
        });
        out.labels[i] = best;
      });
    }
    progress.setFraction(1.0);
  };

  if (in.threads > 0) {
    tbb::task_arena arena(in.threads);
    arena.execute(run);
  } else {
    run();
  }
  return out;
}

/// Throws InputError unless `weights` is empty or holds n finite non-negative values.
void checkWeights(std::size_t n, std::span<const double> weights);

/// Throws InputError for a point with a non-finite coordinate.
void checkFinite(std::span<const Point> points);

}  // namespace veldwacht::geo::detail
