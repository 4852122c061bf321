// End to end through the store, as `veldwacht cluster --method dbscan` runs it (layers::
// runClustering: read the signalen layer of a GeoPackage store, DBSCAN, write <output>_punten and
// <output>_clusters with their R-trees, metadata and registry rows in one transaction), with the
// result tables written either by the project's own GeoPackage writer (the default since issue 7/8:
// geo::GpkgWriter on the store's connection, points straight from the column-wise table) or by
// GDAL's OGR layers as before (a layers::Record per point, one OGR feature at a time, GDAL's
// R-tree). The QGIS side of the comparison is `qgis_process.bin run native:dbscanclustering` on
// the same seeded points (`e2e_dbscan_gpkg points N FILE`).
//
//   e2e_store_dbscan prepare N STORE.gpkg
//       A new store with N seeded bench points (bench/clustering_points.h) as signalen rows
//       (signaal_id S<i>, category HENNEP, the required fields only), written with the streaming
//       import's BatchWriter.
//   e2e_store_dbscan points N FILE.gpkg
//       The same N points for QGIS: layer "points" with field pid = index (as
//       `e2e_dbscan_gpkg points` writes them), with geo::GpkgWriter.
//   e2e_store_dbscan clear STORE.gpkg [OUTPUT]
//       Deletes the result OUTPUT_punten / OUTPUT_clusters (default output "bench") of a previous
//       run, so that the next run writes new tables as QGIS's side writes a new file (replacing
//       a 1M-row result, its table and R-tree dropped in the same transaction, costs about
//       0.4 s CPU more). bench/e2e_store_dbscan_pair.sh clears before every timed run.
//   e2e_store_dbscan run STORE.gpkg [--writer own|gdal] [--read column|record] [--eps M]
//                        [--min-pts K] [--threads T]
//       runClustering on the store (the result replaces the previous run's), its points read
//       column-wise (the default since issue 8: Store::readPointColumns, one SELECT) or through
//       the store's records (Store::read, an OGRFeature per row, as before); prints wall and
//       CPU time of the run, the peak RSS, the number of clusters, and the load average before
//       the run. Run it under /usr/bin/time for the
//       process' own figures.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/clustering_points.h"
#include "geo/core/gpkg_writer.h"
#include "geo/core/progress.h"
#include "layers/analyses/clustering.h"
#include "layers/analyses/inputs.h"
#include "layers/results/results.h"
#include "layers/store/batch_writer.h"
#include "layers/store/store.h"

using namespace veldwacht;
using Clock = std::chrono::steady_clock;

namespace {

double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

double peakMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

std::string loadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string one;
  f >> one;
  return one;
}

int writePoints(std::size_t n, const std::string& path) {
  const std::vector<geo::Point> points = bench::clusteredPoints(n);
  geo::GpkgLayerOptions o;
  o.table = "points";
  o.fields = {{"pid", geo::GpkgFieldType::Int32}};
  o.expectedRows = std::int64_t(n);
  geo::GpkgWriter writer(path, o);
  for (std::size_t i = 0; i < n; ++i) {
    const geo::GpkgValue pid{std::int64_t(i)};
    writer.addPoint(points[i].x, points[i].y, std::span<const geo::GpkgValue>(&pid, 1));
  }
  writer.commit();
  std::printf("%zu points -> %s\n", n, path.c_str());
  return 0;
}

int prepare(std::size_t n, const std::string& path) {
  auto store = layers::Store::create(path);
  const layers::LayerDef& def = layers::layerDef("signalen");
  const std::vector<geo::Point> points = bench::clusteredPoints(n);
  layers::ImportBatch info;
  info.layer = "signalen";
  info.sourceFile = "bench/clustering_points.h";
  info.sourceSha256 = "-";
  info.sourceCrs = "EPSG:28992";
  info.transformation = "none";
  store->transaction([&](GDALDataset& ds) {
    layers::BatchWriter writer(ds, info, "2026-12-05T00:00:00");
    constexpr std::size_t kChunk = 50000;
    std::vector<layers::Record> chunk;
    for (std::size_t from = 0; from < n; from += kChunk) {
      chunk.clear();
      for (std::size_t i = from; i < std::min(n, from + kChunk); ++i) {
        layers::Record r;
        char id[32];
        for (const auto& f : def.fields) {
          layers::Value v;
          if (f.name == "signaal_id")
            v = std::string(id, std::size_t(std::snprintf(id, sizeof id, "S%zu", i)));
          else if (f.name == "categorie")
            v = std::string("HENNEP");
          else if (f.required && !f.allowed.empty())
            v = f.allowed.front();
          else if (f.required && f.type == layers::FieldType::DateTime)
            v = std::string("2024-03-01T10:00:00");
          r.values.push_back(std::move(v));
        }
        r.geometry = geo::GeometryPtr(new OGRPoint(points[i].x, points[i].y));
        r.sourceRow = std::int64_t(i) + 1;
        chunk.push_back(std::move(r));
      }
      if (!writer.write(chunk).empty()) throw std::runtime_error("unexpected key conflicts");
    }
    writer.finish();
  });
  std::printf("store %s: %zu signalen\n", path.c_str(), n);
  return 0;
}

/// Notes the CPU time at which runClustering's progress passes the end of reading (0.1) and of
/// the computation (0.8, the write begins): its SubProgress steps.
class PhaseProgress : public geo::Progress {
 public:
  void setFraction(double f) override {
    if (f >= 0.1 && readDone < 0) readDone = cpuSeconds();
    if (f >= 0.8 && computeDone < 0) computeDone = cpuSeconds();
  }
  bool isCancelled() const override { return false; }
  double readDone = -1, computeDone = -1;
};

int clear(const std::string& path, const std::string& output) {
  auto store = layers::Store::open(path, true);
  int deleted = 0;
  for (const auto& r : layers::listResults(*store))
    if (r.layer == output + "_punten" || r.layer == output + "_clusters") {
      layers::deleteResult(*store, r.layer);
      ++deleted;
    }
  std::printf("store %s: %d result table(s) of '%s' deleted\n", path.c_str(), deleted,
              output.c_str());
  return 0;
}

int run(const std::string& path, int argc, char** argv) {
  layers::ClusteringRequest request;
  request.output = "bench";
  request.method = layers::ClusterMethod::Dbscan;
  request.dbscan.eps = bench::kBenchEps;
  request.dbscan.minPts = bench::kBenchMinPts;
  request.dbscan.threads = 1;
  std::string writer = "own";
  std::string read = "column";
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--writer")
      writer = next();
    else if (a == "--read")
      read = next();
    else if (a == "--eps")
      request.dbscan.eps = std::stod(next());
    else if (a == "--min-pts")
      request.dbscan.minPts = std::stoul(next());
    else if (a == "--threads")
      request.dbscan.threads = std::stoi(next());
    else
      throw std::runtime_error("unknown option " + a);
  }
  if (writer != "own" && writer != "gdal") throw std::runtime_error("--writer own|gdal");
  if (read != "column" && read != "record") throw std::runtime_error("--read column|record");
  layers::setColumnPointReads(read == "column");
  layers::setResultTableWriter(writer == "own" ? layers::ResultTableWriter::OwnSql
                                               : layers::ResultTableWriter::Gdal);
  const std::string load = loadAverage();
  auto store = layers::Store::open(path, true);
  const double c0 = cpuSeconds();
  const auto w0 = Clock::now();
  PhaseProgress phases;
  const layers::RunReport report = layers::runClustering(*store, request, phases);
  const double end = cpuSeconds();
  const double cpu = end - c0;
  const double wall = std::chrono::duration<double>(Clock::now() - w0).count();
  const auto rows = store->query(
      "SELECT COUNT(*), COUNT(DISTINCT cluster_id) FROM bench_punten WHERE "
      "cluster_id IS NOT NULL AND cluster_id >= 0");
  std::printf(
      "writer %s, read %s: run %.2f s wall, %.2f s CPU, peak RSS %.0f MiB, load before %s; %s "
      "points in "
      "clusters, %s clusters\n",
      writer.c_str(), read.c_str(), wall, cpu, peakMiB(), load.c_str(),
      rows[0][0].value_or("?").c_str(), rows[0][1].value_or("?").c_str());
  if (phases.readDone >= 0 && phases.computeDone >= 0)
    std::printf("  CPU per phase: read %.2f s, DBSCAN + hulls %.2f s, write %.2f s\n",
                phases.readDone - c0, phases.computeDone - phases.readDone,
                end - phases.computeDone);
  for (const auto& line : report.lines) std::printf("  %s\n", line.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 4 && std::strcmp(argv[1], "points") == 0)
      return writePoints(std::stoul(argv[2]), argv[3]);
    if (argc >= 4 && std::strcmp(argv[1], "prepare") == 0)
      return prepare(std::stoul(argv[2]), argv[3]);
    if (argc >= 3 && std::strcmp(argv[1], "clear") == 0)
      return clear(argv[2], argc >= 4 ? argv[3] : "bench");
    if (argc >= 3 && std::strcmp(argv[1], "run") == 0) return run(argv[2], argc - 3, argv + 3);
    std::fprintf(stderr,
                 "usage: e2e_store_dbscan points N FILE.gpkg\n"
                 "       e2e_store_dbscan prepare N STORE.gpkg\n"
                 "       e2e_store_dbscan clear STORE.gpkg [OUTPUT]\n"
                 "       e2e_store_dbscan run STORE.gpkg [--writer own|gdal] "
                 "[--read column|record] [--eps M] [--min-pts K] [--threads T]\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "e2e_store_dbscan: %s\n", e.what());
    return 1;
  }
}
