// What the shared clustering builder (layers::buildClustering, used by the CLI and by
// veldwacht:dbscan inside QGIS) holds for its point table, side by side: the column-wise table
// it builds now (layers::PointColumns) against the layers::Record per point it built before
// (what AnalysisResult::materialise() still makes for the store host). Seeded bench points
// (bench/clustering_points.h), keys "0".."N-1" as KEY_FIELD=pid gives them, DBSCAN eps 50 m,
// minPts 10, 1 thread.
//
//   e2e_point_result [N]     (default 1000000)
//
// Prints the resident memory added by each form (from /proc/self/statm, after malloc_trim) and
// the CPU time to make it, and checks that every materialised record equals the columns' row.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <string>

#include "bench/clustering_points.h"
#include "layers/analyses/clustering.h"

using namespace veldwacht;

namespace {

double residentMiB() {
  malloc_trim(0);
  std::ifstream f("/proc/self/statm");
  long pages = 0, resident = 0;
  f >> pages >> resident;
  return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

double cpuSeconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::stoul(argv[1]) : 1000000;
  layers::PointInput in;
  in.layer = "points";
  in.points = bench::clusteredPoints(n);
  in.keys.ends.reserve(n);
  for (std::size_t i = 0; i < n; ++i) in.keys.push_back(std::to_string(i));
  layers::ClusteringRequest request;
  request.dbscan.eps = bench::kBenchEps;
  request.dbscan.minPts = bench::kBenchMinPts;
  request.dbscan.threads = 1;

  const double before = residentMiB();
  double c0 = cpuSeconds();
  layers::AnalysisResult result = layers::buildClustering(in, request);
  const double buildCpu = cpuSeconds() - c0;
  const double withColumns = residentMiB();
  const layers::PointColumns columns = result.columns.at(0);  // kept to check the records
  const double withCopy = residentMiB();
  c0 = cpuSeconds();
  result.materialise();
  const double materialiseCpu = cpuSeconds() - c0;
  const double withRecords = residentMiB();

  const layers::ResultLayer& points = result.layers.at(0);
  std::vector<layers::Value> row;
  std::size_t differ = 0;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    columns.row(i, row);
    const OGRPoint* p = points.records[i].geometry->toPoint();
    differ += row != points.records[i].values || p->getX() != columns.points[i].x ||
              p->getY() != columns.points[i].y;
  }
  // The copy is the point table's columns alone; materialise() adds the records and frees
  // the result's columns (the same size as the copy).
  const double buildMiB = withColumns - before;
  const double columnsMiB = withCopy - withColumns;
  const double recordsMiB = withRecords - withColumns;
  std::printf(
      "points %zu, %zu clusters\n"
      "build (DBSCAN, hulls, column-wise point table): %.2f s CPU, +%.1f MiB resident\n"
      "the column-wise point table (PointColumns): %.1f MiB (%.0f B per point)\n"
      "materialise() into one layers::Record per point: %.2f s CPU, %.1f MiB (%.0f B per "
      "point)\n"
      "records equal to the columns' rows: %s (%zu differ)\n",
      n, result.layers.at(1).records.size(), buildCpu, buildMiB, columnsMiB,
      columnsMiB * 1048576.0 / double(n), materialiseCpu, recordsMiB,
      recordsMiB * 1048576.0 / double(n), differ == 0 ? "yes" : "NO", differ);
  return differ == 0 ? 0 : 1;
}
