#include "geo/clustering/density_core.h"

#include <algorithm>
#include <atomic>
#include <memory>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

namespace veldwacht::geo::detail {

namespace {

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
      std::uint32_t gp = parent_[p].load(std::memory_order_relaxed);
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

/// Runs body(i, buffer) for i in [0, n) in parallel chunks, reporting progress on [begin, end)
/// of `progress` and checking cancellation after each chunk.
template <class Body>
void parallelPhase(std::size_t n, Progress& progress, double begin, double end, Body body) {
  std::atomic<std::size_t> done{0};
  constexpr std::size_t kGrain = 1024;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kGrain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      progress.checkCancelled();
                      std::vector<std::uint32_t> buffer;
                      for (std::size_t i = r.begin(); i != r.end(); ++i)
                        body(std::uint32_t(i), buffer);
                      const std::size_t d = done.fetch_add(r.size()) + r.size();
                      progress.setFraction(begin + (end - begin) * double(d) / double(n));
                    });
  progress.checkCancelled();
}

}  // namespace

DensityLabels clusterByDensity(const DensityInput& in, Progress& progress) {
  const std::size_t n = in.size;
  DensityLabels out;
  out.labels.assign(n, -1);
  out.core.assign(n, 0);
  if (n == 0) return out;

  auto run = [&] {
    // 1. Core test: the neighbourhood (the point included) weighs at least minWeight.
    progress.setPhase("core points");
    parallelPhase(n, progress, 0.0, 0.4, [&](std::uint32_t i, std::vector<std::uint32_t>& nb) {
      in.neighbours(i, nb);
      double w = 0.0;
      if (in.weights.empty()) {
        w = double(nb.size());
      } else {
        for (std::uint32_t j : nb) w += in.weights[j];
      }
      out.core[i] = w >= in.minWeight ? 1 : 0;
    });

    // 2. Core points within reach of each other share a cluster.
    progress.setPhase("connecting core points");
    ConcurrentUnionFind uf(n);
    parallelPhase(n, progress, 0.4, 0.8, [&](std::uint32_t i, std::vector<std::uint32_t>& nb) {
      if (!out.core[i]) return;
      in.neighbours(i, nb);
      for (std::uint32_t j : nb)
        if (j > i && out.core[j]) uf.unite(i, j);
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

    // 4. Border points: the lowest cluster id among their core neighbours (DBSCAN: noise).
    if (!in.borderPointsAreNoise) {
      progress.setPhase("border points");
      parallelPhase(n, progress, 0.85, 1.0, [&](std::uint32_t i, std::vector<std::uint32_t>& nb) {
        if (out.core[i]) return;
        in.neighbours(i, nb);
        std::int32_t best = -1;
        for (std::uint32_t j : nb)
          if (out.core[j] && (best < 0 || out.labels[j] < best)) best = out.labels[j];
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

}  // namespace veldwacht::geo::detail
