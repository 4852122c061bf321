// Network bench (docs/benchmarks.md, "Road network"): on a seeded province-sized synthetic NWB,
// side by side in one run, 1 thread: graph build; a 300 × 300 travel-time matrix, ours vs
// pgRouting 3.4's pgr_dijkstraCostMatrix on the same edges (a temporary PostgreSQL 15 cluster);
// the same matrix on a contraction hierarchy (built once, timed separately) with every entry
// compared to plain Dijkstra's and pgRouting's; reachability of 15 minutes from 50 bases; memory.
//
//   network_bench [--side 200] [--tracks 5000] [--no-pg] [--no-reach] [--export DIR]
//                 [--ch-only N]  (graph build, then N hierarchy builds and their queries only)
//                 [--ch-limit N] (the hierarchy's witness settle limit, default 400)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>

#include <unistd.h>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "bench/network/synthetic_nwb.h"
#include "geo/network/connectivity.h"
#include "geo/network/contraction.h"
#include "geo/network/reach.h"
#include "geo/network/shortest_paths.h"
#include "tests/geo/network/pg_cluster.h"

using namespace veldwacht;
using Clock = std::chrono::steady_clock;

namespace {
std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}
double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}
// CPU seconds of this process (1 thread here) and of another process (a PostgreSQL backend):
// on a loaded machine these compare the work done, where wall times compare the queueing.
double cpuSelf() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}
double cpuOf(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(text.substr(text.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / double(sysconf(_SC_CLK_TCK));
}
// For bench/network/qgis_loop.py: DIR/roads.gpkg (wegvakken with rijrichtng and the auto speed in
// km/h), DIR/points.gpkg (the 300 matrix junctions, id 0..299) and DIR/ours.csv (our time_s).
void exportForQgis(const std::string& dir, const geo::SearchGraph& g,
                   const std::vector<std::uint32_t>& nodes, const geo::MatrixResult& m) {
  GDALAllRegister();
  GDALDriver* gpkg = GetGDALDriverManager()->GetDriverByName("GPKG");
  OGRSpatialReference rd;
  rd.importFromEPSG(28992);
  const geo::RoadNetwork& net = g.network();
  {
    std::unique_ptr<GDALDataset> ds(
        gpkg->Create((dir + "/roads.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* l = ds->CreateLayer("roads", &rd, wkbLineString, nullptr);
    OGRFieldDefn id("wvk_id", OFTInteger64), dirF("rijrichtng", OFTString),
        speed("snelheid", OFTReal);
    l->CreateField(&id);
    l->CreateField(&dirF);
    l->CreateField(&speed);
    ds->StartTransaction();
    for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
      const double kmh = net.speedKmh(w, g.mode());
      if (kmh <= 0.0) continue;  // not usable by this mode
      std::unique_ptr<OGRFeature> f(OGRFeature::CreateFeature(l->GetLayerDefn()));
      f->SetField("wvk_id", GIntBig(net.wvkId(w)));
      const auto d = net.direction(w);
      f->SetField("rijrichtng", d == geo::Direction::Forward    ? "H"
                                : d == geo::Direction::Backward ? "T"
                                                                : "B");
      f->SetField("snelheid", kmh);
      OGRLineString line;
      for (const auto& p : net.line(w)) line.addPoint(p.x, p.y);
      f->SetGeometry(&line);
      if (l->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("export failed");
    }
    ds->CommitTransaction();
  }
  {
    std::unique_ptr<GDALDataset> ds(
        gpkg->Create((dir + "/points.gpkg").c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    OGRLayer* l = ds->CreateLayer("points", &rd, wkbPoint, nullptr);
    OGRFieldDefn id("id", OFTInteger);
    l->CreateField(&id);
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      std::unique_ptr<OGRFeature> f(OGRFeature::CreateFeature(l->GetLayerDefn()));
      f->SetField("id", int(i));
      const geo::Point p = geo::junctionPoint(g, nodes[i]);
      OGRPoint pt(p.x, p.y);
      f->SetGeometry(&pt);
      if (l->CreateFeature(f.get()) != OGRERR_NONE) throw std::runtime_error("export failed");
    }
  }
  std::ofstream csv(dir + "/ours.csv");
  csv << "from,to,x_to,y_to,time_s\n";
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) {
      const geo::Point q = geo::junctionPoint(g, nodes[j]);
      csv << i << ',' << j << ',' << fmt(q.x) << ',' << fmt(q.y) << ',' << fmt(m.timeAt(i, j))
          << '\n';
    }
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  int side = 200, tracks = 5000;
  bool pg = true, reach = true;
  int chOnly = 0;
  geo::ContractionOptions chOptions;
  std::string exportDir;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--side") && i + 1 < argc)
      side = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--tracks") && i + 1 < argc)
      tracks = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--no-pg"))
      pg = false;
    else if (!std::strcmp(argv[i], "--no-reach"))
      reach = false;
    else if (!std::strcmp(argv[i], "--export") && i + 1 < argc)
      exportDir = argv[++i];
    else if (!std::strcmp(argv[i], "--ch-only") && i + 1 < argc)
      chOnly = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--ch-limit") && i + 1 < argc)
      chOptions.witnessSettleLimit = std::size_t(std::atoi(argv[++i]));
  }
  {
    // Timings on a shared machine mean little without its load: print it with the results.
    std::ifstream load("/proc/loadavg");
    std::string one, five, fifteen;
    load >> one >> five >> fifteen;
    std::printf("load average: %s %s %s (%ld cores online)\n", one.c_str(), five.c_str(),
                fifteen.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
  }
  const auto records = bench::syntheticProvince(2024, side, tracks);
  std::printf("synthetic NWB: %zu wegvakken (seed 2024, side %d, %d farm tracks)\n", records.size(),
              side, tracks);

  auto t0 = Clock::now();
  double c0 = cpuSelf();
  const auto net = geo::RoadNetwork::build(records, geo::NetworkOptions{});
  const double tNetwork = since(t0), cNetwork = cpuSelf() - c0;
  t0 = Clock::now();
  c0 = cpuSelf();
  const geo::SearchGraph g(net, geo::TravelMode::Auto, geo::CostKind::Time);
  const double tSearch = since(t0), cSearch = cpuSelf() - c0;
  std::printf(
      "graph build (CSR): %.3f s wall, %.3f s CPU (network %.3f s wall / %.3f s CPU + auto/time "
      "search graph %.3f s / %.3f s CPU); %zu junctions, %zu arcs\n",
      tNetwork + tSearch, cNetwork + cSearch, tNetwork, cNetwork, tSearch, cSearch, net.nodeCount(),
      g.arcCount());
  std::printf("memory: network %.1f MB, search graph %.1f MB (%.0f bytes per wegvak)\n",
              net.memoryBytes() / 1e6, g.memoryBytes() / 1e6,
              double(net.memoryBytes() + g.memoryBytes()) / double(net.wegvakCount()));
  const auto conn = geo::connectivity(g);
  for (const auto& line : conn.summary()) std::printf("  %s\n", line.c_str());

  // 300 origins = 300 destinations, junctions on the main strong component, seeded.
  std::vector<std::uint32_t> main;
  for (std::uint32_t v = 0; v < net.nodeCount(); ++v)
    if (conn.strongOf[v] == conn.largestStrongId) main.push_back(v);
  std::mt19937_64 rng(7);
  std::shuffle(main.begin(), main.end(), rng);
  std::vector<std::uint32_t> nodes(main.begin(), main.begin() + 300);
  std::vector<geo::NetworkLocation> locs;
  for (auto v : nodes) locs.push_back(geo::NetworkLocation::atJunction(v));
  if (chOnly > 0) {
    // Hierarchy builds only, for paired old/new measurements (CPU is the figure to quote),
    // each with its 300 x 300 query (best of 3) checked against one Dijkstra matrix.
    const auto reference = geo::travelMatrix(g, locs, locs, {.threads = 1});
    for (int rep = 0; rep < chOnly; ++rep) {
      t0 = Clock::now();
      c0 = cpuSelf();
      const auto ch = geo::ContractionHierarchy::build(g, chOptions);
      const double tBuild = since(t0), cBuild = cpuSelf() - c0;
      double cQuery = 1e30;
      std::size_t diffs = 0;
      for (int q = 0; q < 3; ++q) {
        c0 = cpuSelf();
        const auto mq = geo::travelMatrix(ch, g, locs, locs, {.threads = 1});
        cQuery = std::min(cQuery, cpuSelf() - c0);
        diffs = 0;
        for (std::size_t k = 0; k < mq.time.size(); ++k)
          if (!(mq.time[k] == reference.time[k]) && !(std::abs(mq.time[k] - reference.time[k]) <=
                                                      1e-9 * std::max(1.0, reference.time[k])))
            ++diffs;
      }
      std::printf(
          "contraction hierarchy build %d: %.3f s wall, %.3f s CPU; %zu shortcuts; query 300 x "
          "300 %.4f s CPU; %zu entries differ from Dijkstra\n",
          rep + 1, tBuild, cBuild, ch.shortcutCount(), cQuery, diffs);
    }
    return 0;
  }

  t0 = Clock::now();
  c0 = cpuSelf();
  const auto m = geo::travelMatrix(g, locs, locs, {.threads = 1});
  const double tOurs = since(t0);
  const double cOurs = cpuSelf() - c0;
  std::printf(
      "matrix 300 x 300, Dijkstra per origin, 1 thread: %.3f s wall, %.3f s CPU (%zu "
      "unreachable)\n",
      tOurs, cOurs, m.unreachable());

  // Contraction hierarchy: built once per (network, mode, cost) and kept in the store.
  t0 = Clock::now();
  double c0b = cpuSelf();
  const auto ch = geo::ContractionHierarchy::build(g, chOptions);
  const double tChBuild = since(t0), cChBuild = cpuSelf() - c0b;
  std::printf(
      "contraction hierarchy build: %.3f s wall, %.3f s CPU; %zu shortcuts, %zu up + %zu down "
      "arcs, %.1f MB\n",
      tChBuild, cChBuild, ch.shortcutCount(), ch.upArcCount(), ch.downArcCount(),
      ch.memoryBytes() / 1e6);
  // Best of 5 runs (each run is short; the machine is shared).
  double tCh = 1e30, cCh = 1e30;
  geo::MatrixResult mCh;
  for (int rep = 0; rep < 5; ++rep) {
    t0 = Clock::now();
    c0b = cpuSelf();
    mCh = geo::travelMatrix(ch, g, locs, locs, {.threads = 1});
    tCh = std::min(tCh, since(t0));
    cCh = std::min(cCh, cpuSelf() - c0b);
  }
  std::size_t chDiffs = 0;
  for (std::size_t k = 0; k < mCh.time.size(); ++k)
    if (!(std::abs(mCh.time[k] - m.time[k]) <= 1e-9 * std::max(1.0, m.time[k])) &&
        !(mCh.time[k] == m.time[k]))
      ++chDiffs;
  std::printf(
      "matrix 300 x 300, contraction hierarchy, 1 thread (best of 5): %.4f s wall, %.4f s CPU; "
      "%zu entries differ from Dijkstra by > 1e-9 relative\n",
      tCh, cCh, chDiffs);
  std::printf("ratio Dijkstra / hierarchy: %.1fx wall, %.1fx CPU\n", tOurs / tCh, cOurs / cCh);
  if (!exportDir.empty()) {
    exportForQgis(exportDir, g, nodes, mCh);
    std::printf("exported roads.gpkg, points.gpkg, ours.csv to %s (bench/network/qgis_loop.py)\n",
                exportDir.c_str());
  }

  if (pg && geo::testing::TempPostgres::available()) {
    geo::testing::TempPostgres db;
    db.loadEdges(g);
    const std::string sql =
        "select start_vid, end_vid, agg_cost from pgr_dijkstraCostMatrix('select id, source, "
        "target, cost, reverse_cost from edges', " +
        geo::testing::vertexArray(nodes) + ", directed => true)";
    (void)db.exec("select count(*) from edges");  // warm the table into the cache
    t0 = Clock::now();
    const double pc0 = cpuOf(db.backendPid());
    const auto rows = db.exec(sql);
    const double tPg = since(t0);
    const double cPg = cpuOf(db.backendPid()) - pc0;
    std::size_t mismatches = 0, chMismatches = 0;
    std::map<std::uint32_t, std::size_t> index;
    for (std::size_t i = 0; i < nodes.size(); ++i) index[nodes[i]] = i;
    for (const auto& r : rows) {
      const std::size_t i = index.at(std::uint32_t(std::stoul(r[0]) - 1));
      const std::size_t j = index.at(std::uint32_t(std::stoul(r[1]) - 1));
      const double theirs = std::stod(r[2]);
      if (std::abs(m.timeAt(i, j) - theirs) > 1e-6 * std::max(1.0, theirs)) ++mismatches;
      if (std::abs(mCh.timeAt(i, j) - theirs) > 1e-6 * std::max(1.0, theirs)) ++chMismatches;
    }
    std::printf(
        "pgr_dijkstraCostMatrix 300 x 300 (PostgreSQL 15, pgRouting 3.4): %.3f s, %zu pairs, "
        "%zu mismatches (1e-6 relative)\n",
        tPg, rows.size(), mismatches);
    std::printf("pgRouting backend CPU: %.3f s\n", cPg);
    std::printf("ratio pgRouting / ours (Dijkstra): %.1fx wall, %.1fx CPU\n", tPg / tOurs,
                cPg / cOurs);
    std::printf("hierarchy entries differing from pgRouting by > 1e-6: %zu\n", chMismatches);
    std::printf("ratio pgRouting / ours (hierarchy query): %.1fx wall, %.1fx CPU\n", tPg / tCh,
                cPg / cCh);
    std::printf("ratio pgRouting / ours (hierarchy build + query): %.1fx wall, %.1fx CPU\n",
                tPg / (tCh + tChBuild), cPg / (cCh + cChBuild));
  } else {
    std::printf("pgRouting: skipped\n");
  }

  if (!reach) return 0;
  // 15 minutes from 50 bases.
  std::vector<geo::NetworkLocation> bases(locs.begin(), locs.begin() + 50);
  t0 = Clock::now();
  c0 = cpuSelf();
  const auto r0 =
      geo::reachability(g, bases, {}, {.limit = 900.0, .areaBuffer = 0.0, .threads = 1});
  const double tReach = since(t0), cReach = cpuSelf() - c0;
  double km = 0.0;
  for (double v : r0.reachedLength) km += v / 1000.0;
  std::printf(
      "reach 15 min from 50 bases, 1 thread, roads only: %.3f s wall, %.3f s CPU (%zu parts, "
      "%.0f km)\n",
      tReach, cReach, r0.parts.size(), km);
  std::vector<geo::NetworkLocation> sites(locs.begin() + 50, locs.end());
  t0 = Clock::now();
  c0 = cpuSelf();
  const auto r1 =
      geo::reachability(g, bases, sites, {.limit = 900.0, .areaBuffer = 100.0, .threads = 1});
  const double tArea = since(t0), cArea = cpuSelf() - c0;
  std::size_t within = 0;
  for (const auto& s : r1.sites) within += s.withinLimit;
  std::printf(
      "reach 15 min from 50 bases + concave-hull areas (+100 m) + nearest base of 250 sites: "
      "%.3f s wall, %.3f s CPU (%zu of 250 sites within 15 min)\n",
      tArea, cArea, within);
  // The road-corridor buffer instead of the hull, for 5 bases (GEOS buffer of the reached lines).
  std::vector<geo::NetworkLocation> five(locs.begin(), locs.begin() + 5);
  t0 = Clock::now();
  (void)geo::reachability(
      g, five, {},
      {.limit = 900.0, .areaBuffer = 100.0, .areaShape = geo::AreaShape::Buffer, .threads = 1});
  std::printf("reach 15 min from 5 bases with road-corridor buffer areas: %.3f s\n", since(t0));
  return 0;
}
