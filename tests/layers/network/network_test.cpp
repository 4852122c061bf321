#include "layers/network/network_analyses.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "geo/core/error.h"
#include "layers/network/network_store.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

// 10 m/s on every road, so times are lengths / 10.
const char* kTenMetresPerSecond =
    R"({"wegbeheerder": {"G": 36, "P": 36, "W": 36, "R": 36, "T": 36}, "factor": 1.0,
        "baansubsoort": {}})";

/// A municipal wegvak, both ways unless `dir` says otherwise.
Record road(std::int64_t id, std::int64_t beg, std::int64_t end, double x0, double y0, double x1,
            double y1, const std::string& dir = "B") {
  return wegvakRecord(id, beg, end, x0, y0, x1, y1, dir);
}

// 1 —(1000 m)— 2 —(1000 m, one-way east)— 3, and an island 8 — 9 far north.
std::vector<Record> roads() {
  std::vector<Record> r;
  r.push_back(road(101, 1, 2, 0, 0, 1000, 0));
  r.push_back(road(102, 2, 3, 1000, 0, 2000, 0, "H"));
  r.push_back(road(103, 8, 9, 0, 3000, 1000, 3000));
  return r;
}

// Incidents beside the roads: A at x=100 (20 m off), B at x=1900, C on the island.
std::vector<Record> places() {
  std::vector<Record> r;
  r.push_back(incidentRecord(1, kX0 + 100, kY0 + 20, "2024-05-01"));
  r.push_back(incidentRecord(2, kX0 + 1900, kY0 - 10, "2024-05-01"));
  r.push_back(incidentRecord(3, kX0 + 500, kY0 + 3000, "2024-05-01"));
  return r;
}

NetworkCommon common(const std::string& output = "netwerk") {
  NetworkCommon c;
  c.source.speedsJson = kTenMetresPerSecond;
  c.output = output;
  c.threads = 1;
  return c;
}

}  // namespace

TEST(NetworkStore, StoredNetworkIsLoadedBackUntilTheRoadsOrSpeedsChange) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()));
  NetworkSource src{kTenMetresPerSecond, {}, false};
  const auto first = networkForStore(*store, src);
  EXPECT_TRUE(first.rebuilt);
  EXPECT_EQ(first.network.wegvakCount(), 3u);
  const auto again = networkForStore(*store, src);
  EXPECT_FALSE(again.rebuilt);
  EXPECT_EQ(again.checksum, first.checksum);
  EXPECT_EQ(again.importIds, first.importIds);
  ASSERT_EQ(again.network.wegvakCount(), 3u);
  for (std::uint32_t w = 0; w < 3; ++w) {
    EXPECT_EQ(again.network.wvkId(w), first.network.wvkId(w));
    EXPECT_EQ(again.network.length(w), first.network.length(w));
    EXPECT_EQ(again.network.speedKmh(w, geo::TravelMode::Auto),
              first.network.speedKmh(w, geo::TravelMode::Auto));
    EXPECT_EQ(again.network.line(w).size(), first.network.line(w).size());
  }
  // Other speeds: rebuilt.
  NetworkSource slower{R"({"factor": 0.5})", {}, false};
  EXPECT_TRUE(networkForStore(*store, slower).rebuilt);
  EXPECT_FALSE(networkForStore(*store, slower).rebuilt);
  // A new import of roads: rebuilt, tied to both imports.
  std::vector<Record> more;
  more.push_back(road(104, 3, 1, 2000, 0, 0, 0));
  std::vector<ImportBatch> b;
  b.push_back(batch("wegvakken", std::move(more)));
  store->append(b);
  const auto after = networkForStore(*store, slower);
  EXPECT_TRUE(after.rebuilt);
  EXPECT_EQ(after.network.wegvakCount(), 4u);
  EXPECT_NE(after.importIds.find(','), std::string::npos) << after.importIds;
  // An edit of one geometry (as in QGIS): rebuilt.
  store->executeSql("UPDATE wegvakken SET jte_id_end = 77 WHERE wvk_id = 104");
  EXPECT_TRUE(networkForStore(*store, slower).rebuilt);
}

TEST(NetworkStore, SpeedLimitFileWinsOverTheTable) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()));
  const std::string csv = dir.file("limits.csv");
  std::ofstream(csv) << "WVK_ID;MAXSNELHEID\n101;30\n102;\n";
  NetworkSource src{R"({"factor": 1.0})", csv, false};
  const auto loaded = networkForStore(*store, src);
  const auto& net = loaded.network;
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w)
    EXPECT_EQ(net.speedKmh(w, geo::TravelMode::Auto), net.wvkId(w) == 101 ? 30.0f : 60.0f);
  std::ofstream(csv) << "WVK_ID;MAXSNELHEID\n101;dertig\n";
  try {
    (void)networkForStore(*store, src);
    FAIL();
  } catch (const geo::InputError& e) {
    EXPECT_EQ(e.where().row, 2);
    EXPECT_EQ(e.where().field, "MAXSNELHEID");
  }
}

TEST(NetworkAnalyses, MatrixTableAndCsvHaveKnownLengthsTimesAndNullForUnreachable) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("incidenten", places()));
  MatrixRequest req;
  req.common = common();
  req.from = {"incidenten", {}, {}};
  req.to = {"incidenten", {}, {}};
  req.csvPath = dir.file("m.csv");
  const auto report = runMatrix(*store, req);
  EXPECT_EQ(report.layers, std::vector<std::string>{"netwerk_matrix"});
  const auto m = readResultLayer(*store, "netwerk_matrix");
  ASSERT_EQ(m.records.size(), 9u);
  // Row order: from 1..3 × to 1..3. A → B: 900 + 900 m along the one-way; B → A: none.
  EXPECT_EQ(std::get<std::string>(resultValue(m, 1, "from_id")), "INC-T-00001");
  EXPECT_EQ(std::get<std::string>(resultValue(m, 1, "to_id")), "INC-T-00002");
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(m, 1, "length_m")), 1800.0);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(m, 1, "time_s")), 180.0);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(m, 3, "length_m")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(m, 3, "time_s")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(m, 2, "time_s")));  // island
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(m, 0, "length_m")), 0.0);
  std::ifstream in(req.csvPath);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string csv = ss.str();
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "from_id,to_id,length_m,time_s");
  EXPECT_NE(csv.find("INC-T-00001,INC-T-00002,1800.0,180.0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("INC-T-00002,INC-T-00001,,\n"), std::string::npos) << csv;
  // Again, with the network now loaded from the store: the result layer is replaced.
  const auto second = runMatrix(*store, req);
  EXPECT_NE(second.lines.front().find("loaded from the store"), std::string::npos)
      << second.lines.front();
  EXPECT_EQ(readResultLayer(*store, "netwerk_matrix").records.size(), 9u);
  bool islandWarned = false;
  for (const auto& w : report.warnings) islandWarned |= w.find("INC-T-00003") != std::string::npos;
  EXPECT_TRUE(islandWarned);
}

TEST(NetworkAnalyses, RouteLineFollowsTheRoad) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()));
  RouteRequest req;
  req.common = common();
  req.from = {kX0 + 100, kY0 + 20};
  req.to = {kX0 + 1900, kY0 - 10};
  (void)runRoute(*store, req);
  const auto r = readResultLayer(*store, "netwerk_route");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(r, 0, "lengte_m")), 1800.0);
  EXPECT_EQ(std::get<std::string>(resultValue(r, 0, "wegvakken")), "101,102");
  const auto* line = r.records[0].geometry->toLineString();
  EXPECT_DOUBLE_EQ(line->get_Length(), 1800.0);
  std::swap(req.from, req.to);  // against the one-way
  EXPECT_THROW((void)runRoute(*store, req), geo::InputError);
}

TEST(NetworkAnalyses, ReachWritesRoadsAreasAndNearestBase) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("incidenten", places()));
  ReachRequest req;
  req.common = common();
  req.bases = {"incidenten", "incident_id = 'INC-T-00001'", {}};
  req.sites = PointSelection{"incidenten", {}, {}};
  req.minutes = 1.0;  // 600 m at 10 m/s
  req.areaBuffer = 50.0;
  const auto report = runReach(*store, req);
  ASSERT_EQ(report.layers.size(), 3u);
  const auto roadsReached = readResultLayer(*store, "netwerk_bereik_wegen");
  ASSERT_EQ(roadsReached.records.size(), 1u);  // 101 from 0 to 700
  EXPECT_EQ(std::get<std::int64_t>(resultValue(roadsReached, 0, "wvk_id")), 101);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(roadsReached, 0, "van_m")), 0.0);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(roadsReached, 0, "tot_m")), 700.0);
  const auto area = readResultLayer(*store, "netwerk_bereik_gebied");
  ASSERT_EQ(area.records.size(), 1u);
  const double a = area.records[0].geometry->toMultiPolygon()->get_Area();
  EXPECT_NEAR(a, 700.0 * 100.0 + 3.1214 * 2500.0, 50.0);
  const auto sites = readResultLayer(*store, "netwerk_bereik_locaties");
  ASSERT_EQ(sites.records.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(resultValue(sites, 0, "binnen_limiet")), 1);
  EXPECT_DOUBLE_EQ(std::get<double>(resultValue(sites, 1, "time_s")), 180.0);
  EXPECT_EQ(std::get<std::int64_t>(resultValue(sites, 1, "binnen_limiet")), 0);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(sites, 2, "base_id")));
}

TEST(NetworkAnalyses, APointTooFarFromTheRoadsIsRefusedWithLayerKeyAndDistance) {
  TempDir dir;
  std::vector<Record> far;
  far.push_back(incidentRecord(7, kX0 + 500, kY0 + 1500, "2024-05-01"));
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("incidenten", std::move(far)));
  MatrixRequest req;
  req.common = common();
  req.from = {"incidenten", {}, {}};
  req.to = {"incidenten", {}, {}};
  try {
    (void)runMatrix(*store, req);
    FAIL();
  } catch (const geo::InputError& e) {
    EXPECT_EQ(e.where().file, "incidenten");
    EXPECT_NE(std::string(e.what()).find("INC-T-00007"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1500.0 m"), std::string::npos) << e.what();
  }
}

TEST(NetworkStore, HierarchyIsKeptPerModeAndCostAndDroppedWithTheNetwork) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("incidenten", places()));
  MatrixRequest req;
  req.common = common();
  req.from = {"incidenten", {}, {}};
  req.to = {"incidenten", {}, {}};
  auto hierarchyLine = [](const RunReport& r) {
    for (const auto& l : r.lines)
      if (l.find("contraction hierarchy") != std::string::npos) return l;
    return std::string();
  };
  EXPECT_NE(hierarchyLine(runMatrix(*store, req)).find("built and stored"), std::string::npos);
  EXPECT_NE(hierarchyLine(runMatrix(*store, req)).find("loaded from the store"), std::string::npos);
  req.common.cost = geo::CostKind::Length;
  EXPECT_NE(hierarchyLine(runMatrix(*store, req)).find("built and stored"), std::string::npos);
  auto rows = store->query(std::string("SELECT modus, kosten FROM ") + kHierarchyTable +
                           " ORDER BY kosten");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(*rows[0][1], "length");
  EXPECT_EQ(*rows[1][1], "time");
  // The stored hierarchy answers as plain Dijkstra does.
  const auto loaded = networkForStore(*store, req.common.source);
  const geo::SearchGraph g(loaded.network, geo::TravelMode::Auto, geo::CostKind::Length);
  const auto ch = storedHierarchy(*store, loaded.checksum, g);
  ASSERT_TRUE(ch.has_value());
  std::vector<geo::NetworkLocation> pts;
  for (std::uint32_t w = 0; w < loaded.network.wegvakCount(); ++w)
    pts.push_back(geo::NetworkLocation::onWegvak(w, 0.3 * loaded.network.length(w)));
  const auto a = geo::travelMatrix(*ch, g, pts, pts), b = geo::travelMatrix(g, pts, pts);
  for (std::size_t k = 0; k < a.length.size(); ++k) EXPECT_DOUBLE_EQ(a.length[k], b.length[k]);
  EXPECT_GT(b.unreachable(), 0u);
  // Another speed table is another network: the hierarchies go with the old one.
  req.common.source.speedsJson = "";
  (void)runMatrix(*store, req);
  rows = store->query(std::string("SELECT modus, kosten FROM ") + kHierarchyTable);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(storedHierarchy(*store, loaded.checksum, g).has_value());
}

TEST(NetworkAnalyses, ResultLayersCarryTheirNetworkStyles) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("incidenten", places()));
  RouteRequest route;
  route.common = common();
  route.from = {kX0 + 100, kY0 + 20};
  route.to = {kX0 + 1900, kY0 - 10};
  (void)runRoute(*store, route);
  ReachRequest reach;
  reach.common = common();
  reach.bases = {"incidenten", "incident_id = 'INC-T-00001'", {}};
  reach.sites = PointSelection{"incidenten", {}, {}};
  (void)runReach(*store, reach);
  // styles/results/network_*.qml embedded as each layer's default style.
  const std::map<std::string, std::string> expected{
      {"netwerk_route", "singleSymbol"},
      {"netwerk_bereik_wegen", "singleSymbol"},
      {"netwerk_bereik_gebied", "singleSymbol"},
      {"netwerk_bereik_locaties", "categorizedSymbol"}};
  for (const auto& [table, renderer] : expected) {
    const auto rows = store->query(
        "SELECT styleQML FROM layer_styles WHERE useAsDefault AND f_table_name = '" + table + "'");
    ASSERT_EQ(rows.size(), 1u) << table;
    ASSERT_TRUE(rows[0][0].has_value());
    EXPECT_NE(rows[0][0]->find("type=\"" + renderer + "\""), std::string::npos) << table;
  }
}

// The descriptions (describe_network.cpp): defaults read from the requests, set() writes the
// bound fields and refuses bad values by option name, the builders' tables have the described
// names and fields in order, and the Processing inputs land in the request.
TEST(NetworkDescriptions, OptionsAreBoundAndCheckedByName) {
  const auto& route = describe::routeAnalyses().at(0);
  const auto& matrix = describe::matrixAnalyses().at(0);
  const auto& reach = describe::reachAnalyses().at(0);
  EXPECT_EQ(route.id, "route");
  EXPECT_EQ(matrix.command, "matrix");
  EXPECT_EQ(reach.find("cost"), nullptr);  // reach is always in minutes
  EXPECT_EQ(std::get<std::string>(matrix.find("mode")->defaultValue), "auto");
  EXPECT_DOUBLE_EQ(std::get<double>(matrix.find("max-snap")->defaultValue), 500.0);
  EXPECT_DOUBLE_EQ(std::get<double>(reach.find("minutes")->defaultValue), 15.0);

  MatrixRequest m = matrix.defaults();
  matrix.setText(m, "mode", "landbouw");
  matrix.setText(m, "cost", "length");
  matrix.setText(m, "max-snap", "750");
  matrix.setText(m, "built-up", "true");
  EXPECT_EQ(m.common.mode, geo::TravelMode::Landbouw);
  EXPECT_EQ(m.common.cost, geo::CostKind::Length);
  EXPECT_DOUBLE_EQ(m.common.maxSnapDistance, 750.0);
  EXPECT_TRUE(m.common.source.builtUp);
  auto refusedAs = [](auto f) {
    try {
      f();
    } catch (const geo::OptionError& e) {
      return e.option();
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(refusedAs([&] { matrix.setText(m, "mode", "vliegen"); }), "--mode");
  EXPECT_EQ(refusedAs([&] { matrix.setText(m, "max-snap", "0"); }), "--max-snap");
  EXPECT_EQ(refusedAs([&] { matrix.setText(m, "threads", "-1"); }), "--threads");
  ReachRequest r = reach.defaults();
  EXPECT_EQ(refusedAs([&] { reach.setText(r, "minutes", "0"); }), "--minutes");
  EXPECT_EQ(refusedAs([&] { reach.setText(r, "area-buffer", "-5"); }), "--area-buffer");

  RouteRequest q = route.defaults();
  EXPECT_EQ(refusedAs([&] { q.validate(); }), "from-xy");  // required
  route.setText(q, "from-xy", "256984.5,594814");
  route.setText(q, "to-xy", " 253007 , 593729.25 ");
  EXPECT_DOUBLE_EQ(q.from.x, 256984.5);
  EXPECT_DOUBLE_EQ(q.to.y, 593729.25);
  EXPECT_EQ(std::get<std::string>(route.get(q, "from-xy")), "256984.5,594814");
  EXPECT_EQ(refusedAs([&] { route.setText(q, "to-xy", "12x"); }), "--to-xy");
  EXPECT_EQ(refusedAs([&] { route.setText(q, "to-xy", "1,2,3"); }), "--to-xy");
  q.common.speedsFile = "/no/such/speeds.json";
  EXPECT_EQ(refusedAs([&] { q.validate(); }), "speeds");

  // Processing inputs by their CLI names.
  m.applyInput("from", "incidenten", "incident_id = 'X'", "");
  m.applyInput("to", "", "", "");  // empty layer keeps the default
  EXPECT_EQ(m.from.layer, "incidenten");
  EXPECT_EQ(m.from.where, "incident_id = 'X'");
  EXPECT_EQ(m.to.layer, "vab");
  r.applyInput("sites", "vab", "", "");
  ASSERT_TRUE(r.sites.has_value());
  EXPECT_EQ(r.sites->layer, "vab");
  r.applyInput("sites", "", "", "");
  EXPECT_FALSE(r.sites.has_value());
}

TEST(NetworkDescriptions, BuildersReturnTheDescribedTablesAndWriteNothing) {
  TempDir dir;
  auto store = storeWith(dir, batch("wegvakken", roads()), batch("incidenten", places()));
  auto sameFields = [](const ResultLayer& got, const describe::ResultTable& t,
                       const std::string& output) {
    EXPECT_EQ(got.name, output + t.suffix);
    EXPECT_EQ(got.geometry, t.geometry);
    ASSERT_EQ(got.fields.size(), t.fields.size());
    for (std::size_t i = 0; i < t.fields.size(); ++i) {
      EXPECT_EQ(got.fields[i].name, t.fields[i].name);
      EXPECT_EQ(got.fields[i].type, t.fields[i].type);
    }
  };
  RouteRequest route;
  route.common = common("r");
  route.from = {kX0 + 100, kY0 + 20};
  route.to = {kX0 + 1900, kY0 - 10};
  const auto rr = buildRoute(*store, route);
  ASSERT_EQ(rr.layers.size(), 1u);
  sameFields(rr.layers[0], describe::routeAnalyses()[0].results[0], "r");
  EXPECT_DOUBLE_EQ(std::get<double>(rr.layers[0].records[0].values[1]), 1800.0);

  MatrixRequest matrix;
  matrix.common = common("m");
  matrix.from = {"incidenten", {}, {}};
  matrix.to = {"incidenten", {}, {}};
  const auto mr = buildMatrix(*store, matrix);
  ASSERT_EQ(mr.layers.size(), 1u);
  sameFields(mr.layers[0], describe::matrixAnalyses()[0].results[0], "m");
  EXPECT_EQ(mr.layers[0].records.size(), 9u);
  // The CSV from the table equals the CSV from the matrix (empty cells for NULL).
  writeMatrixCsv(dir.file("m.csv"), mr.layers[0]);
  std::ifstream in(dir.file("m.csv"));
  std::stringstream csv;
  csv << in.rdbuf();
  EXPECT_NE(csv.str().find("INC-T-00001,INC-T-00002,1800.0,180.0\n"), std::string::npos)
      << csv.str();
  EXPECT_NE(csv.str().find("INC-T-00002,INC-T-00001,,\n"), std::string::npos) << csv.str();

  ReachRequest reach;
  reach.common = common("b");
  reach.bases = {"incidenten", "incident_id = 'INC-T-00001'", {}};
  reach.sites = PointSelection{"incidenten", {}, {}};
  reach.minutes = 1.0;
  const auto br = buildReach(*store, reach);
  ASSERT_EQ(br.layers.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i)
    sameFields(br.layers[i], describe::reachAnalyses()[0].results[i], "b");
  // Nothing was written: the builders leave that to the host.
  for (const char* name : {"r_route", "m_matrix", "b_bereik_wegen"})
    EXPECT_THROW((void)readResultLayer(*store, name), std::exception) << name;
}
