// Density benchmarks: quartic KDE, 500 m radius, 50 m pixels, over ~60 × 60 km of seeded
// clustered points (100k and 1M), exact and binned methods, 1 thread and all threads; the grid
// and point counting of geo/aggregation on 1M points.
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>

#include "bench/density_points.h"
#include "geo/aggregation/grid.h"
#include "geo/aggregation/polygon_counts.h"
#include "geo/density/kde.h"

using namespace veldwacht;

namespace {

const std::vector<geo::Point>& points(std::size_t n) {
  static std::map<std::size_t, std::vector<geo::Point>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, bench::densityBenchPoints(n)).first;
  return it->second;
}

void BM_Kde(benchmark::State& state) {
  const auto& pts = points(std::size_t(state.range(0)));
  geo::KdeOptions o;
  o.radius = 500;
  o.pixelSize = 50;
  o.kernel = geo::Kernel::Quartic;
  o.output = geo::KernelOutput::PerSquareKm;
  o.method = state.range(1) ? geo::KdeMethod::Binned : geo::KdeMethod::Exact;
  o.threads = int(state.range(2));
  std::size_t pixels = 0;
  for (auto _ : state) {
    auto r = geo::kernelDensity(pts, {}, o);
    pixels = r.raster.values.size();
    benchmark::DoNotOptimize(r.raster.values.data());
  }
  state.counters["pixels"] = double(pixels);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Kde)
    ->ArgNames({"points", "binned", "threads"})
    ->Args({100'000, 0, 1})
    ->Args({100'000, 0, 0})
    ->Args({1'000'000, 0, 1})
    ->Args({1'000'000, 0, 0})
    ->Args({1'000'000, 1, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_HexGridCount(benchmark::State& state) {
  const auto& pts = points(1'000'000);
  geo::GridOptions o;
  o.shape = geo::GridShape::HexagonPointyTop;
  o.cellSize = double(state.range(0));
  o.extent = {130000, 430000, 190000, 490000};
  for (auto _ : state) {
    const geo::Grid g = geo::makeGrid(o);
    auto counts = geo::countPoints(g, pts);
    benchmark::DoNotOptimize(counts.data());
    state.counters["cells"] = double(g.size());
  }
}
BENCHMARK(BM_HexGridCount)
    ->ArgNames({"cell_m"})
    ->Arg(250)
    ->Arg(1000)
    ->Unit(benchmark::kMillisecond);

void BM_PolygonCounts(benchmark::State& state) {
  const auto& pts = points(std::size_t(state.range(0)));
  geo::GridOptions o;
  o.cellSize = 1000;
  o.extent = {130000, 430000, 190000, 490000};
  const geo::Grid g = geo::makeGrid(o);
  std::vector<std::vector<std::uint8_t>> polygons;
  for (const auto& c : g.cells) polygons.push_back(geo::cellPolygonWkb(c));
  for (auto _ : state) {
    auto r = geo::countPointsInPolygons(polygons, pts);
    benchmark::DoNotOptimize(r.counts.data());
  }
  state.counters["polygons"] = double(polygons.size());
}
BENCHMARK(BM_PolygonCounts)->ArgNames({"points"})->Arg(100'000)->Unit(benchmark::kMillisecond);

// A wavy 2000-vertex study area of radius ~25 km as WKB.
std::vector<std::uint8_t> wavyMask() {
  std::vector<std::uint8_t> w = {1, 3, 0, 0, 0, 1, 0, 0, 0};
  auto put = [&w](const void* p, std::size_t n) {
    const auto* b = static_cast<const std::uint8_t*>(p);
    w.insert(w.end(), b, b + n);
  };
  const std::uint32_t n = 2001;
  put(&n, 4);
  for (std::uint32_t i = 0; i < n; ++i) {
    const double a = 2 * 3.141592653589793 * (i % (n - 1)) / (n - 1);
    const double r = 25000 + 3000 * std::sin(7 * a);
    const double x = 160000 + r * std::cos(a), y = 460000 + r * std::sin(a);
    put(&x, 8);
    put(&y, 8);
  }
  return w;
}

void BM_HexGridMask(benchmark::State& state) {
  geo::GridOptions o;
  o.cellSize = 100;
  o.maskWkb = {wavyMask()};
  o.clipMode = static_cast<geo::ClipMode>(state.range(0));
  for (auto _ : state) {
    const geo::Grid g = geo::makeGrid(o);
    state.counters["cells"] = double(g.size());
  }
}
BENCHMARK(BM_HexGridMask)
    ->ArgNames({"clip_mode"})
    ->Arg(int(geo::ClipMode::Intersects))
    ->Arg(int(geo::ClipMode::Clip))
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
