// Gi* and local Moran's I with 999 conditional permutations on 100k grid cells.
// Target: Gi* under 2 s single-threaded (Release).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "geo/hotspots/emerging.h"
#include "geo/hotspots/gistar.h"
#include "geo/hotspots/moran.h"
#include "geo/hotspots/optimized.h"
#include "geo/hotspots/weights.h"

using namespace veldwacht::geo;

namespace {

struct Grid {
  std::vector<Point> centres;
  std::vector<double> counts;
  SpatialWeights weights;
};

// A 317 x 317 grid of 100 m cells (100 489 cells) with Poisson-like counts and two hot areas;
// neighbours within 150 m: the 8 queen neighbours (ArcGIS's default band on a full grid is the
// cell size, 4 rook neighbours; the queen case is the heavier, more realistic one).
const Grid& grid() {
  static const Grid g = [] {
    Grid out;
    const int side = 317;
    Rng rng(7);
    for (int r = 0; r < side; ++r)
      for (int c = 0; c < side; ++c) {
        out.centres.push_back({c * 100.0 + 50.0, r * 100.0 + 50.0});
        const double d1 = std::hypot(c - 80.0, r - 200.0), d2 = std::hypot(c - 250.0, r - 60.0);
        const double lambda =
            1.0 + 6.0 * std::exp(-d1 * d1 / 200.0) + 4.0 * std::exp(-d2 * d2 / 90.0);
        double count = 0.0;  // Poisson by inversion
        double p = std::exp(-lambda), cdf = p, u = rng.uniform();
        while (u > cdf && count < 100) {
          count += 1.0;
          p *= lambda / count;
          cdf += p;
        }
        out.counts.push_back(count);
      }
    out.weights = distanceBandWeights(out.centres, {.band = 150.0}).weights;
    return out;
  }();
  return g;
}

void BM_GiStar999Permutations100kCells(benchmark::State& state) {
  const Grid& g = grid();
  const GiStarOptions options{
      .permutations = 999, .seed = 1, .threads = static_cast<std::size_t>(state.range(0))};
  for (auto _ : state) benchmark::DoNotOptimize(getisOrdGiStar(g.counts, g.weights, options));
  state.counters["cells"] = static_cast<double>(g.counts.size());
}
BENCHMARK(BM_GiStar999Permutations100kCells)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_LocalMoran999Permutations100kCells(benchmark::State& state) {
  const Grid& g = grid();
  const LocalMoranOptions options{
      .permutations = 999, .seed = 1, .threads = static_cast<std::size_t>(state.range(0))};
  for (auto _ : state) benchmark::DoNotOptimize(localMoran(g.counts, g.weights, options));
}
BENCHMARK(BM_LocalMoran999Permutations100kCells)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_DistanceBandWeights100kCells(benchmark::State& state) {
  const Grid& g = grid();
  for (auto _ : state) benchmark::DoNotOptimize(distanceBandWeights(g.centres, {.band = 150.0}));
}
BENCHMARK(BM_DistanceBandWeights100kCells)->Unit(benchmark::kMillisecond);

/// 100k incidents over 20 x 20 km: 70 % uniform, 30 % in five Gaussian clusters.
std::vector<Point> incidents(std::size_t n) {
  Rng rng(5);
  std::vector<Point> pts;
  const Point centres[5] = {
      {4000, 15000}, {12000, 6000}, {16000, 16000}, {7000, 7000}, {10000, 12000}};
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 10 < 7) {
      pts.push_back({rng.uniform() * 20000.0, rng.uniform() * 20000.0});
    } else {
      const Point& c = centres[i % 5];
      const double r = 400.0 * std::sqrt(-2.0 * std::log(1.0 - rng.uniform()));
      const double a = rng.uniform() * 6.283185307179586;
      pts.push_back({std::clamp(c.x + r * std::cos(a), 0.0, 20000.0),
                     std::clamp(c.y + r * std::sin(a), 0.0, 20000.0)});
    }
  }
  return pts;
}

void BM_OptimizedHotSpots100kIncidents(benchmark::State& state) {
  const auto pts = incidents(100000);
  OptimizedHotSpotResult r;
  for (auto _ : state) r = optimizedHotSpots(pts, {.threads = 1});
  state.counters["cells"] = static_cast<double>(r.grid.size());
  state.counters["cellSize"] = r.cellSize;
}
BENCHMARK(BM_OptimizedHotSpots100kIncidents)->Unit(benchmark::kMillisecond);

void BM_EmergingHotSpots100kIncidents24Months(benchmark::State& state) {
  const auto pts = incidents(100000);
  std::vector<TimeSeconds> times(pts.size());
  Rng rng(9);
  for (auto& t : times) t = 1672531200 + static_cast<TimeSeconds>(rng.below(730u * 86400u));
  EmergingHotSpotResult r;
  std::size_t bins = 0;
  for (auto _ : state) {
    const auto cube = buildSpaceTimeCube(pts, times, {.binSize = 500.0});
    r = emergingHotSpots(cube, {.threads = 1});
    bins = cube.values.size();
  }
  state.counters["bins"] = static_cast<double>(bins);
}
BENCHMARK(BM_EmergingHotSpots100kIncidents24Months)->Unit(benchmark::kMillisecond);

}  // namespace
