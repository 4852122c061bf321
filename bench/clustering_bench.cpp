// Clustering benchmarks: DBSCAN on 100k and 1M points (1 thread and all threads), HDBSCAN on
// 20k, k-means on 100k. `clustering_bench --dump FILE N` writes the N bench points as raw
// little-endian float64 x,y pairs for bench/anchors/dbscan_sklearn.py.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>

#include "bench/clustering_points.h"
#include "geo/clustering/dbscan.h"
#include "geo/clustering/hdbscan.h"
#include "geo/clustering/kmeans.h"

using namespace veldwacht;

namespace {

const std::vector<geo::Point>& points(std::size_t n) {
  static std::map<std::size_t, std::vector<geo::Point>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, bench::clusteredPoints(n)).first;
  return it->second;
}

void BM_Dbscan(benchmark::State& state) {
  const auto& pts = points(std::size_t(state.range(0)));
  geo::DbscanOptions opt;
  opt.eps = bench::kBenchEps;
  opt.minPts = bench::kBenchMinPts;
  opt.threads = int(state.range(1));
  std::size_t clusters = 0;
  for (auto _ : state) {
    auto r = geo::dbscan(pts, opt);
    clusters = r.clusterCount;
    benchmark::DoNotOptimize(r.labels.data());
  }
  state.counters["clusters"] = double(clusters);
}
BENCHMARK(BM_Dbscan)
    ->ArgNames({"n", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 0})
    ->Args({1000000, 1})
    ->Args({1000000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Hdbscan(benchmark::State& state) {
  const auto& pts = points(std::size_t(state.range(0)));
  geo::HdbscanOptions opt;
  opt.minClusterSize = 25;
  opt.minSamples = 10;
  opt.threads = int(state.range(1));
  std::size_t clusters = 0;
  for (auto _ : state) {
    auto r = geo::hdbscan(pts, opt);
    clusters = r.clusterCount;
    benchmark::DoNotOptimize(r.labels.data());
  }
  state.counters["clusters"] = double(clusters);
}
BENCHMARK(BM_Hdbscan)
    ->ArgNames({"n", "threads"})
    ->Args({20000, 1})
    ->Args({20000, 0})
    ->Args({100000, 1})
    ->Args({1000000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_Kmeans(benchmark::State& state) {
  const auto& pts = points(std::size_t(state.range(0)));
  geo::KmeansOptions opt;
  opt.k = 20;
  opt.seed = 1;
  opt.nInit = 10;
  opt.threads = int(state.range(1));
  for (auto _ : state) {
    auto r = geo::kmeans(pts, opt);
    benchmark::DoNotOptimize(r.labels.data());
  }
}
BENCHMARK(BM_Kmeans)
    ->ArgNames({"n", "threads"})
    ->Args({100000, 1})
    ->Args({100000, 0})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--dump") == 0) {
    const auto pts = bench::clusteredPoints(std::stoul(argv[3]));
    std::ofstream f(argv[2], std::ios::binary);
    f.write(reinterpret_cast<const char*>(pts.data()),
            std::streamsize(pts.size() * sizeof(pts[0])));
    std::printf("%zu points, eps %.1f, minPts %zu\n", pts.size(), bench::kBenchEps,
                bench::kBenchMinPts);
    return f ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
