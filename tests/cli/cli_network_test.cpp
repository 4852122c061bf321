// `veldwacht route`, `matrix` and `reach` run as a user would, on a store made here: exit codes,
// the CSV columns, unreachable pairs as empty cells (never 0), result layers with known lengths,
// and the message for a point too far from the roads (layer, id, distance).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "layers/results/results.h"
#include "tests/cli/run_veldwacht.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// A municipal wegvak, both ways unless `dir` says otherwise.
Record road(std::int64_t id, std::int64_t beg, std::int64_t end, double x0, double y0, double x1,
            double y1, const std::string& dir = "B") {
  return wegvakRecord(id, beg, end, x0, y0, x1, y1, dir);
}

// 1 —(1000 m)— 2 —(1000 m, one-way east)— 3, and an island 8 — 9 far north; incidents A at
// x=100 (20 m off the road), B at x=1900, C on the island. Every road 36 km/h (10 m/s).
std::string networkStore(const TempDir& dir, bool farPoint = false) {
  std::vector<Record> roads;
  roads.push_back(road(101, 1, 2, 0, 0, 1000, 0));
  roads.push_back(road(102, 2, 3, 1000, 0, 2000, 0, "H"));
  roads.push_back(road(103, 8, 9, 0, 3000, 1000, 3000));
  std::vector<Record> inc;
  inc.push_back(incidentRecord(1, kX0 + 100, kY0 + 20, "2024-05-01"));
  inc.push_back(incidentRecord(2, kX0 + 1900, kY0 - 10, "2024-05-01"));
  inc.push_back(incidentRecord(3, kX0 + 500, kY0 + 3000, "2024-05-01"));
  if (farPoint) inc.push_back(incidentRecord(7, kX0 + 500, kY0 + 1500, "2024-05-01"));
  storeWith(dir, batch("wegvakken", std::move(roads)), batch("incidenten", std::move(inc)));
  std::ofstream(dir.file("speeds.json"))
      << R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36}, "factor": 1.0,
             "baansubsoort": {}})";
  return "'" + dir.file("t.gpkg") + "' --speeds '" + dir.file("speeds.json") + "'";
}

std::string xy(double x, double y) {
  return std::to_string(kX0 + x) + "," + std::to_string(kY0 + y);
}

}  // namespace

TEST(CliNetwork, MatrixCsvHasTheColumnsKnownValuesAndEmptyCellsForUnreachablePairs) {
  TempDir dir;
  const std::string store = networkStore(dir);
  const auto r =
      runVeldwacht(dir, "matrix " + store + " --from incidenten --to incidenten --csv '" +
                            dir.file("m.csv") + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string csv = slurp(dir.file("m.csv"));
  std::vector<std::string> lines;
  std::stringstream ss(csv);
  for (std::string l; std::getline(ss, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 10u) << csv;  // header + 3 x 3
  EXPECT_EQ(lines[0], "from_id,to_id,length_m,time_s");
  EXPECT_EQ(lines[1], "INC-T-00001,INC-T-00001,0.0,0.0");
  // A → B: 900 m to junction 2, then 900 m along the one-way: 1800 m, 180 s.
  EXPECT_EQ(lines[2], "INC-T-00001,INC-T-00002,1800.0,180.0");
  EXPECT_EQ(lines[3], "INC-T-00001,INC-T-00003,,");  // the island: unreachable, not 0
  EXPECT_EQ(lines[4], "INC-T-00002,INC-T-00001,,");  // against the one-way
  EXPECT_EQ(lines[5], "INC-T-00002,INC-T-00002,0.0,0.0");
  EXPECT_EQ(lines[7], "INC-T-00003,INC-T-00001,,");
  // The unreachable pairs are reported, and the island point is warned about.
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find("5 pair(s) cannot be reached"), std::string::npos) << all;
  EXPECT_NE(all.find("INC-T-00003"), std::string::npos) << all;
  // The same matrix is in the store, NULL where unreachable.
  auto s = Store::open(dir.file("t.gpkg"), false);
  const auto m = readResultLayer(*s, "netwerk_matrix");
  ASSERT_EQ(m.records.size(), 9u);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(m, 1, "length_m")), 1800.0);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(m, 3, "time_s")));
  // By length on foot the one-way does not hold: B → A is 1800 m as well.
  const auto w = runVeldwacht(dir, "matrix " + store +
                                       " --from incidenten --to incidenten --mode lopen --cost "
                                       "length -o lopen --csv '" +
                                       dir.file("w.csv") + "'");
  ASSERT_EQ(w.code, 0) << w.err;
  EXPECT_NE(slurp(dir.file("w.csv")).find("INC-T-00002,INC-T-00001,1800.0,"), std::string::npos)
      << slurp(dir.file("w.csv"));
}

TEST(CliNetwork, RouteWritesALineWithLengthAndTime) {
  TempDir dir;
  const std::string store = networkStore(dir);
  const auto r = runVeldwacht(
      dir, "route " + store + " --from-xy " + xy(100, 20) + " --to-xy " + xy(1900, -10));
  ASSERT_EQ(r.code, 0) << r.err;
  auto s = Store::open(dir.file("t.gpkg"), false);
  const auto route = readResultLayer(*s, "netwerk_route");
  ASSERT_EQ(route.records.size(), 1u);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(route, 0, "lengte_m")), 1800.0);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(route, 0, "tijd_s")), 180.0);
  EXPECT_EQ(std::get<std::string>(resultValue(route, 0, "wegvakken")), "101,102");
  // Against the one-way there is no route: refused as input (exit 3), with both points.
  const auto back = runVeldwacht(
      dir, "route " + store + " --from-xy " + xy(1900, -10) + " --to-xy " + xy(100, 20));
  EXPECT_EQ(back.code, 3) << back.err;
  EXPECT_NE(back.err.find("no auto route"), std::string::npos) << back.err;
  // A malformed coordinate is a usage error naming the option.
  const auto bad = runVeldwacht(dir, "route " + store + " --from-xy 12x --to-xy " + xy(0, 0));
  EXPECT_EQ(bad.code, 2) << bad.err;
  EXPECT_NE(bad.err.find("from-xy"), std::string::npos) << bad.err;
}

TEST(CliNetwork, ReachWritesRoadsAreaAndNearestBase) {
  TempDir dir;
  const std::string store = networkStore(dir);
  const auto r =
      runVeldwacht(dir, "reach " + store +
                            " --from incidenten --from-where \"incident_id = 'INC-T-00001'\" "
                            "--sites incidenten --minutes 2");
  ASSERT_EQ(r.code, 0) << r.err;
  auto s = Store::open(dir.file("t.gpkg"), false);
  const auto sites = readResultLayer(*s, "netwerk_bereik_locaties");
  ASSERT_EQ(sites.records.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(resultValue(sites, 0, "binnen_limiet")), 1);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(sites, 1, "time_s")), 180.0);  // > 2 min
  EXPECT_EQ(std::get<std::int64_t>(resultValue(sites, 1, "binnen_limiet")), 0);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(sites, 2, "base_id")));
  // 2 minutes at 10 m/s = 1200 m each way from A: 100 m west (a dead end), 1200 m east.
  const auto roads = readResultLayer(*s, "netwerk_bereik_wegen");
  double reached = 0.0;
  for (std::size_t i = 0; i < roads.records.size(); ++i)
    reached += std::abs(std::get<double>(resultValue(roads, i, "tot_m")) -
                        std::get<double>(resultValue(roads, i, "van_m")));
  EXPECT_NEAR(reached, 1300.0, 1e-6);
  EXPECT_EQ(readResultLayer(*s, "netwerk_bereik_gebied").records.size(), 1u);
}

TEST(CliNetwork, APointFartherThanTheSnapLimitIsRefusedWithLayerIdAndDistance) {
  TempDir dir;
  const std::string store = networkStore(dir, true);
  const auto r = runVeldwacht(dir, "matrix " + store + " --from incidenten --to incidenten");
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("incidenten"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("INC-T-00007"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("1500.0 m"), std::string::npos) << r.err;
  // With a larger limit it snaps and the run succeeds.
  EXPECT_EQ(
      runVeldwacht(dir, "matrix " + store + " --from incidenten --to incidenten --max-snap 2000")
          .code,
      0);
  // An unknown mode is a usage error.
  EXPECT_EQ(runVeldwacht(dir, "matrix " + store + " --mode vliegen").code, 2);
}
