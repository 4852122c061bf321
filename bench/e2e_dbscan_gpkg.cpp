// End-to-end DBSCAN for bench/run_anchors.py, the Veldwacht side of the comparison with QGIS's
// native:dbscanclustering: GeoPackage in, GeoPackage out with the cluster id per point, the same
// output QGIS writes (the input's fields plus CLUSTER_ID numbered from 1 and CLUSTER_SIZE, both
// NULL for noise). Like QGIS it reads the layer twice: once for the coordinates, once to copy each
// feature to the output. It also writes the seeded bench points (bench/clustering_points.h) so
// that every tool of the comparison reads identical points, and times the in-memory clustering
// step alone for the scikit-learn comparison.
//
//   e2e_dbscan_gpkg points N OUT.gpkg [OUT.bin]
//       N seeded points (EPSG:28992, layer "points", field pid = index) into a GeoPackage, and
//       optionally the same coordinates as raw little-endian float64 x,y pairs.
//   e2e_dbscan_gpkg run IN.gpkg OUT.gpkg [--eps M] [--min-pts K] [--threads T]
//                   [--spatial-index 0|1] [--bulk-rtree] [--fast]
//       End to end; prints the wall time of each phase. --spatial-index 0 leaves out the
//       output's R-tree (default 1, like QGIS) to show what that index costs. --bulk-rtree
//       writes the features without index and then builds the same R-tree in bulk
//       (geo/core/gpkg_rtree.h, STR packing) instead of GDAL 3.6's insert per feature.
//       --fast is the project's own GeoPackage I/O instead of OGR's feature API: the points and
//       the input's fields read straight from SQLite (geo::readGpkgPoints), the output written
//       by geo::GpkgWriter (prepared INSERT of GeoPackage blobs, one transaction, R-tree packed
//       from the envelopes collected while writing). Same output table as QGIS's.
//   e2e_dbscan_gpkg step IN.bin [--eps M] [--min-pts K] [--threads T] [--repeat R]
//                   [--labels OUT.bin] [--compare-index]
//       The clustering step alone on raw points; prints the best wall and CPU time of R runs
//       and optionally writes the labels (int32 per point, -1 noise) then the core flags
//       (uint8 per point). --compare-index also times the path DBSCAN took before its
//       eps/sqrt(2) grid (GridIndex with cells of eps, a query per point) and checks that the
//       labels and core flags are identical (exit 1 otherwise).
// Defaults: eps 50 m, minPts 10 (bench::kBenchEps, bench::kBenchMinPts), 1 thread.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench/clustering_points.h"
#include "geo/clustering/dbscan.h"
#include "geo/clustering/density_core.h"
#include "geo/core/gdal.h"
#include "geo/core/gpkg_rtree.h"
#include "geo/core/gpkg_writer.h"
#include "geo/index/grid_index.h"

using namespace veldwacht;
using Clock = std::chrono::steady_clock;

namespace {

struct Args {
  double eps = bench::kBenchEps;
  std::size_t minPts = bench::kBenchMinPts;
  int threads = 1;
  int repeat = 1;
  std::string labels;
  bool spatialIndex = true;
  bool bulkRtree = false;
  bool fast = false;
  bool compareIndex = false;
};

Args parseFlags(int argc, char** argv, int first) {
  Args a;
  for (int i = first; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--bulk-rtree") {
      a.bulkRtree = true;
      continue;
    }
    if (flag == "--fast") {
      a.fast = true;
      continue;
    }
    if (flag == "--compare-index") {
      a.compareIndex = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument("missing value after " + flag);
    const std::string v = argv[++i];
    if (flag == "--eps") {
      a.eps = std::stod(v);
    } else if (flag == "--min-pts") {
      a.minPts = std::stoul(v);
    } else if (flag == "--threads") {
      a.threads = std::stoi(v);
    } else if (flag == "--repeat") {
      a.repeat = std::max(1, std::stoi(v));
    } else if (flag == "--labels") {
      a.labels = v;
    } else if (flag == "--spatial-index") {
      a.spatialIndex = v != "0";
    } else {
      throw std::invalid_argument("unknown option " + flag);
    }
  }
  return a;
}

geo::DbscanOptions options(const Args& a) {
  geo::DbscanOptions o;
  o.eps = a.eps;
  o.minPts = a.minPts;
  o.threads = a.threads;
  return o;
}

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

int writePoints(std::size_t n, const std::string& gpkg, const std::string& bin) {
  const std::vector<geo::Point> pts = bench::clusteredPoints(n);
  geo::ensureGdalRegistered();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw std::runtime_error("no GPKG driver");
  geo::DatasetPtr ds(driver->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw std::runtime_error(geo::lastGdalError("cannot create " + gpkg));
  OGRSpatialReference rd;
  rd.importFromEPSG(28992);
  OGRLayer* layer = ds->CreateLayer("points", &rd, wkbPoint, nullptr);
  if (!layer) throw std::runtime_error(geo::lastGdalError());
  OGRFieldDefn pid("pid", OFTInteger);
  layer->CreateField(&pid);
  ds->StartTransaction();
  for (std::size_t i = 0; i < pts.size(); ++i) {
    geo::FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField(0, static_cast<int>(i));
    f->SetGeometryDirectly(new OGRPoint(pts[i].x, pts[i].y));
    if (layer->CreateFeature(f.get()) != OGRERR_NONE)
      throw std::runtime_error(geo::lastGdalError());
  }
  ds->CommitTransaction();
  if (!bin.empty()) {
    std::ofstream f(bin, std::ios::binary);
    f.write(reinterpret_cast<const char*>(pts.data()),
            std::streamsize(pts.size() * sizeof(pts[0])));
    if (!f) throw std::runtime_error("cannot write " + bin);
  }
  std::printf("%zu points -> %s\n", pts.size(), gpkg.c_str());
  return 0;
}

int runEndToEnd(const std::string& in, const std::string& out, const Args& a) {
  const geo::DbscanOptions opt = options(a);
  opt.validate();
  const auto t0 = Clock::now();
  geo::DatasetPtr src = geo::openDataset(in);
  OGRLayer* inLayer = src->GetLayer(0);
  if (!inLayer) throw std::runtime_error("no layer in " + in);
  std::vector<geo::Point> pts;
  pts.reserve(static_cast<std::size_t>(std::max<GIntBig>(0, inLayer->GetFeatureCount())));
  std::vector<GIntBig> fids;
  fids.reserve(pts.capacity());
  inLayer->ResetReading();
  for (geo::FeaturePtr f(inLayer->GetNextFeature()); f; f.reset(inLayer->GetNextFeature())) {
    if (const OGRGeometry* g = f->GetGeometryRef();
        g && !g->IsEmpty() && wkbFlatten(g->getGeometryType()) == wkbPoint) {
      pts.push_back({g->toPoint()->getX(), g->toPoint()->getY()});
      fids.push_back(f->GetFID());
    }
  }
  const auto t1 = Clock::now();
  const geo::DbscanResult r = geo::dbscan(pts, opt);
  const auto t2 = Clock::now();

  std::vector<std::int64_t> sizes(r.clusterCount, 0);
  for (const std::int32_t l : r.labels)
    if (l >= 0) ++sizes[static_cast<std::size_t>(l)];
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!driver) throw std::runtime_error("no GPKG driver");
  geo::DatasetPtr dst(driver->Create(out.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!dst) throw std::runtime_error(geo::lastGdalError("cannot create " + out));
  // QGIS's output (and GDAL's default) carries the GeoPackage R-tree index; filling it costs
  // about 12 s of CPU per million points with GDAL 3.6 / SQLite, most of the end-to-end time.
  const bool gdalIndex = a.spatialIndex && !a.bulkRtree;
  const char* layerOptions[] = {gdalIndex ? "SPATIAL_INDEX=YES" : "SPATIAL_INDEX=NO", nullptr};
  OGRLayer* outLayer = dst->CreateLayer("clusters", inLayer->GetSpatialRef(), wkbPoint,
                                        const_cast<char**>(layerOptions));
  if (!outLayer) throw std::runtime_error(geo::lastGdalError());
  OGRFeatureDefn* inDefn = inLayer->GetLayerDefn();
  for (int i = 0; i < inDefn->GetFieldCount(); ++i) outLayer->CreateField(inDefn->GetFieldDefn(i));
  OGRFieldDefn idField("CLUSTER_ID", OFTInteger), sizeField("CLUSTER_SIZE", OFTInteger);
  outLayer->CreateField(&idField);
  outLayer->CreateField(&sizeField);
  const int idIndex = inDefn->GetFieldCount(), sizeIndex = idIndex + 1;
  // Points come back in the order they were read; the FID ties a feature to its label.
  std::size_t next = 0;
  dst->StartTransaction();
  inLayer->ResetReading();
  for (geo::FeaturePtr f(inLayer->GetNextFeature()); f; f.reset(inLayer->GetNextFeature())) {
    geo::FeaturePtr o(OGRFeature::CreateFeature(outLayer->GetLayerDefn()));
    o->SetFrom(f.get());
    if (next < fids.size() && fids[next] == f->GetFID()) {
      const std::int32_t l = r.labels[next++];
      if (l >= 0) {
        o->SetField(idIndex, l + 1);
        o->SetField(sizeIndex, static_cast<GIntBig>(sizes[static_cast<std::size_t>(l)]));
      }
    }
    if (outLayer->CreateFeature(o.get()) != OGRERR_NONE)
      throw std::runtime_error(geo::lastGdalError());
  }
  dst->CommitTransaction();
  const std::string geomColumn = outLayer->GetGeometryColumn();
  dst.reset();
  if (a.spatialIndex && a.bulkRtree) {
    const auto b0 = Clock::now();
    const geo::GpkgRtreeResult rt =
        geo::bulkCreateGpkgRtree(out, "clusters", geomColumn, geo::nullProgress());
    std::printf("bulk rtree: %lld entries, depth %d, %lld nodes, %.3f s%s%s\n",
                static_cast<long long>(rt.indexed), rt.depth, static_cast<long long>(rt.nodes),
                seconds(b0, Clock::now()),
                rt.bulk ? "" : ", fallback: ", rt.fallbackReason.c_str());
  }
  const auto t3 = Clock::now();
  std::printf("points %zu clusters %zu read %.3f s dbscan %.3f s write %.3f s total %.3f s\n",
              pts.size(), r.clusterCount, seconds(t0, t1), seconds(t1, t2), seconds(t2, t3),
              seconds(t0, t3));
  return 0;
}

/// --fast: the input layer "points" (fid, pid) read through SQLite, the output written with
/// geo::GpkgWriter: fid and pid copied, CLUSTER_ID from 1 and CLUSTER_SIZE, NULL for noise.
int runFastEndToEnd(const std::string& in, const std::string& out, const Args& a) {
  const geo::DbscanOptions opt = options(a);
  opt.validate();
  // Process CPU time per phase besides the wall time: on a shared machine the wall time
  // includes waiting for a core.
  std::vector<std::clock_t> cpu{std::clock()};
  const auto t0 = Clock::now();
  // The table, fid and geometry column names as GDAL sees them (a cheap open, no rows read).
  geo::GpkgPointReadOptions ro;
  {
    geo::DatasetPtr src = geo::openDataset(in);
    OGRLayer* layer = src->GetLayer(0);
    if (!layer) throw std::runtime_error("no layer in " + in);
    ro.table = layer->GetName();
    ro.fidColumn = layer->GetFIDColumn();
    ro.geometryColumn = layer->GetGeometryColumn();
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
      const OGRFieldType t = defn->GetFieldDefn(i)->GetType();
      ro.fields.push_back(
          {defn->GetFieldDefn(i)->GetNameRef(), t == OFTInteger     ? geo::GpkgFieldType::Int32
                                                : t == OFTInteger64 ? geo::GpkgFieldType::Int64
                                                : t == OFTReal      ? geo::GpkgFieldType::Real
                                                                    : geo::GpkgFieldType::Text});
    }
  }
  geo::GpkgPoints pts = geo::readGpkgPoints(in, ro);
  const auto t1 = Clock::now();
  cpu.push_back(std::clock());
  const geo::DbscanResult r = geo::dbscan(pts.points, opt);
  const auto t2 = Clock::now();
  cpu.push_back(std::clock());
  std::vector<std::int64_t> sizes(r.clusterCount, 0);
  for (const std::int32_t l : r.labels)
    if (l >= 0) ++sizes[static_cast<std::size_t>(l)];
  std::remove(out.c_str());
  geo::GpkgLayerOptions wo;
  wo.table = "clusters";
  wo.fields = ro.fields;
  wo.fields.push_back({"CLUSTER_ID", geo::GpkgFieldType::Int32});
  wo.fields.push_back({"CLUSTER_SIZE", geo::GpkgFieldType::Int32});
  wo.spatialIndex = a.spatialIndex;
  wo.expectedRows = std::int64_t(pts.points.size());
  geo::GpkgWriter writer(out, wo);
  std::vector<geo::GpkgValue> row(wo.fields.size());
  const std::size_t nIn = ro.fields.size();
  for (std::size_t i = 0; i < pts.points.size(); ++i) {
    for (std::size_t c = 0; c < nIn; ++c) row[c] = std::move(pts.columns[c][i]);
    const std::int32_t l = r.labels[i];
    row[nIn] = l >= 0 ? geo::GpkgValue(std::int64_t(l) + 1) : geo::GpkgValue();
    row[nIn + 1] = l >= 0 ? geo::GpkgValue(sizes[std::size_t(l)]) : geo::GpkgValue();
    writer.addPoint(pts.points[i].x, pts.points[i].y, row, pts.fids[i]);
  }
  // Rows without a point are copied too, as QGIS does (NULL geometry, NULL cluster).
  if (!pts.withoutPoint.empty())
    std::fprintf(stderr, "%zu rows without a point are not copied in --fast mode\n",
                 pts.withoutPoint.size());
  cpu.push_back(std::clock());
  const geo::GpkgWriteResult w = writer.commit();
  const auto t3 = Clock::now();
  cpu.push_back(std::clock());
  const auto c = [&](std::size_t i) { return double(cpu[i + 1] - cpu[i]) / CLOCKS_PER_SEC; };
  std::printf(
      "points %zu clusters %zu read %.3f s dbscan %.3f s write %.3f s (rtree %s, %lld "
      "nodes) total %.3f s; cpu: read %.3f dbscan %.3f rows %.3f commit+index %.3f s\n",
      pts.points.size(), r.clusterCount, seconds(t0, t1), seconds(t1, t2), seconds(t2, t3),
      w.index.bulk ? "bulk" : "none/plain", static_cast<long long>(w.index.nodes), seconds(t0, t3),
      c(0), c(1), c(2), c(3));
  return 0;
}

int runStep(const std::string& bin, const Args& a) {
  std::ifstream f(bin, std::ios::binary | std::ios::ate);
  if (!f) throw std::runtime_error("cannot read " + bin);
  std::vector<geo::Point> pts(static_cast<std::size_t>(f.tellg()) / sizeof(geo::Point));
  f.seekg(0);
  f.read(reinterpret_cast<char*>(pts.data()), std::streamsize(pts.size() * sizeof(pts[0])));
  const geo::DbscanOptions opt = options(a);
  double bestWall = std::numeric_limits<double>::infinity(), bestCpu = bestWall;
  geo::DbscanResult r;
  for (int i = 0; i < a.repeat; ++i) {
    const auto w0 = Clock::now();
    const std::clock_t c0 = std::clock();  // process CPU time, all threads
    r = geo::dbscan(pts, opt);
    const std::clock_t c1 = std::clock();
    const auto w1 = Clock::now();
    bestWall = std::min(bestWall, seconds(w0, w1));
    bestCpu = std::min(bestCpu, double(c1 - c0) / CLOCKS_PER_SEC);
  }
  if (!a.labels.empty()) {
    std::ofstream o(a.labels, std::ios::binary);
    o.write(reinterpret_cast<const char*>(r.labels.data()),
            std::streamsize(r.labels.size() * sizeof(r.labels[0])));
    o.write(reinterpret_cast<const char*>(r.core.data()), std::streamsize(r.core.size()));
    if (!o) throw std::runtime_error("cannot write " + a.labels);
  }
  std::printf("points %zu clusters %zu wall %.4f s cpu %.4f s\n", pts.size(), r.clusterCount,
              bestWall, bestCpu);
  if (a.compareIndex) {
    // The path geo::dbscan took before the eps/sqrt(2) grid (geo/clustering/dbscan_grid.h):
    // GridIndex with cells of eps and a query per point, timed the same way.
    double wall = std::numeric_limits<double>::infinity(), cpu = wall;
    geo::detail::DensityLabels old;
    for (int i = 0; i < a.repeat; ++i) {
      const auto w0 = Clock::now();
      const std::clock_t c0 = std::clock();
      const geo::GridIndex grid(pts, opt.eps);
      geo::detail::DensityParams p;
      p.minWeight = double(opt.minPts);
      p.borderPointsAreNoise = opt.borderPointsAreNoise;
      p.threads = opt.threads;
      auto each = [&](std::uint32_t k, auto&& g) { grid.forEachWithin(pts[k], opt.eps, g); };
      auto later = [&](std::size_t slot, auto&& g) { grid.forEachLaterWithin(slot, opt.eps, g); };
      old = geo::detail::clusterByDensity(grid.cellOrder(), each, later, p, geo::nullProgress());
      const std::clock_t c1 = std::clock();
      const auto w1 = Clock::now();
      wall = std::min(wall, seconds(w0, w1));
      cpu = std::min(cpu, double(c1 - c0) / CLOCKS_PER_SEC);
    }
    const bool same = old.labels == r.labels && old.core == r.core;
    std::printf("grid-index path: wall %.4f s cpu %.4f s; ratio (cpu) %.2fx; labels %s\n", wall,
                cpu, cpu / bestCpu, same ? "identical" : "DIFFER");
    if (!same) return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "points" && (argc == 4 || argc == 5))
      return writePoints(std::stoul(argv[2]), argv[3], argc == 5 ? argv[4] : "");
    if (mode == "run" && argc >= 4) {
      const Args a = parseFlags(argc, argv, 4);
      return a.fast ? runFastEndToEnd(argv[2], argv[3], a) : runEndToEnd(argv[2], argv[3], a);
    }
    if (mode == "step" && argc >= 3) return runStep(argv[2], parseFlags(argc, argv, 3));
    std::fprintf(stderr,
                 "usage: %s points N OUT.gpkg [OUT.bin]\n"
                 "       %s run IN.gpkg OUT.gpkg [--eps M] [--min-pts K] [--threads T] "
                 "[--spatial-index 0|1] [--bulk-rtree] [--fast]\n"
                 "       %s step IN.bin [--eps M] [--min-pts K] [--threads T] [--repeat R] "
                 "[--labels OUT.bin] [--compare-index]\n",
                 argv[0], argv[0], argv[0]);
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}
