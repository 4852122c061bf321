#include "layers/risk/risk_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>

#include "geo/density/geotiff.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

// A 3 x 3 km gemeente at (kX0, kY0); 6 vacant barns, one 300 m business park, a village of 60
// dwellings. Signals drawn (seeded) per 100 m cell from log mu = -1.5 + 1.3 [a barn within
// 300 m], so the model must find the barns at 300 m and nothing much else.
std::unique_ptr<Store> plantedStore(const TempDir& dir) {
  std::mt19937_64 rng(77);
  std::uniform_real_distribution<double> u(300.0, 2700.0);
  std::normal_distribution<double> n01(0.0, 1.0);
  std::vector<Record> gemeenten, vab, parks, homes, signals;
  gemeenten.push_back(
      recordOf("gemeenten", {{"code", std::string("GM9999")}}, squareAt(kX0, kY0, 3000)));
  std::vector<geo::Point> barns;
  for (int i = 0; i < 6; ++i) {
    barns.push_back({kX0 + u(rng), kY0 + u(rng)});
    vab.push_back(recordOf("vab",
                           {{"vab_id", "VAB-" + std::to_string(i)},
                            {"leegstand", std::string("leeg")},
                            {"synthetisch", std::int64_t{1}}},
                           pointAt(barns.back().x, barns.back().y)));
  }
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("Haven")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0 + 2500, kY0 + 100, 300)));
  for (int i = 0; i < 60; ++i)
    homes.push_back(recordOf(
        "verblijfsobjecten",
        {{"bag_id", "0000010000" + std::to_string(100000 + i)}, {"synthetisch", std::int64_t{1}}},
        pointAt(kX0 + 1500 + 150 * n01(rng), kY0 + 1500 + 150 * n01(rng))));
  int id = 0;
  std::uniform_real_distribution<double> inCell(0.0, 100.0);
  for (int r = 0; r < 30; ++r)
    for (int c = 0; c < 30; ++c) {
      const geo::Point centre{kX0 + 100 * c + 50, kY0 + 100 * r + 50};
      double near = 1e300;
      for (const auto& b : barns) near = std::min(near, std::hypot(b.x - centre.x, b.y - centre.y));
      std::poisson_distribution<int> pois(std::exp(-1.5 + 1.3 * (near <= 300.0)));
      for (int k = pois(rng); k > 0; --k)
        signals.push_back(
            signalRecord(id++, at(kX0 + 100 * c + inCell(rng), kY0 + 100 * r + inCell(rng))));
    }
  auto store = Store::create(dir.file("t.gpkg"));
  std::vector<ImportBatch> batches;
  batches.push_back(batch("gemeenten", std::move(gemeenten)));
  batches.push_back(batch("vab", std::move(vab)));
  batches.push_back(batch("bedrijventerreinen", std::move(parks)));
  batches.push_back(batch("verblijfsobjecten", std::move(homes)));
  batches.push_back(batch("signalen", std::move(signals)));
  store->append(batches);
  return store;
}

}  // namespace

TEST(RunRisk, FitsThePlantedBarnsAndWritesTheMapAndFactorTable) {
  TempDir dir;
  auto store = plantedStore(dir);
  RiskRequest req;
  req.influence.distances = {100, 300, 600};
  req.model.cv.folds = 4;
  req.model.net.nLambda = 20;
  const RunReport report = runRisk(*store, req);

  const std::string tif = dir.file("t_risico.tif");
  ASSERT_TRUE(std::filesystem::exists(tif));
  const geo::Raster raster = geo::readRaster(tif);
  EXPECT_EQ(raster.grid.cols, 30);
  EXPECT_EQ(raster.grid.rows, 30);
  EXPECT_DOUBLE_EQ(raster.grid.originX, kX0);
  EXPECT_DOUBLE_EQ(raster.grid.originY, kY0 + 3000);
  double low = 1e300, high = 0;
  for (double v : raster.values) {
    ASSERT_NE(v, raster.nodata);  // the gemeente covers the grid exactly
    low = std::min(low, v), high = std::max(high, v);
  }
  EXPECT_GT(high / low, 2.0);

  const ResultLayer table = readResultLayer(*store, "risico_factoren");
  ASSERT_EQ(table.records.size(), 3u);
  EXPECT_EQ(std::get<std::string>(resultValue(table, 0, "factor")), "vab");
  EXPECT_EQ(std::get<std::string>(resultValue(table, 0, "operationalisatie")), "proximity 300 m");
  EXPECT_EQ(std::get<std::int64_t>(resultValue(table, 0, "geselecteerd")), 1);
  const double rrv = std::get<double>(resultValue(table, 0, "relatief_risico"));
  const double se = std::get<double>(resultValue(table, 0, "standaardfout"));
  EXPECT_NEAR(std::log(rrv), 1.3, 3 * se);

  bool registered = false;
  for (const auto& r : listResults(*store))
    registered = registered || (r.file == "t_risico.tif" && r.metadata.algorithm == "risk_terrain");
  EXPECT_TRUE(registered);
  EXPECT_FALSE(report.lines.empty());
}

TEST(RunRisk, RejectsABadCellSize) {
  RiskRequest req;
  req.cellSize = 0;
  try {
    req.validate();
    FAIL();
  } catch (const geo::OptionError& e) {
    EXPECT_EQ(e.option(), "cellSize");
  }
}

namespace {

// The 3 x 3 km gemeente with roads: a ring (provincial in the south and east and west, municipal
// in the north), a municipal road north from the south to a junction with two dead-end spurs
// (west, east) and a waterschap track on to the ring; two buurten (west sparse, east dense).
// Signals are planted within 200 m of the two spurs: log mu = -2 + 1.8 [near a spur].
std::unique_ptr<Store> roadStore(const TempDir& dir, bool withRoads) {
  std::vector<Record> gemeenten, roads, buurten, signals;
  gemeenten.push_back(
      recordOf("gemeenten", {{"code", std::string("GM9999")}}, squareAt(kX0, kY0, 3000)));
  roads.push_back(wegvakRecord(1, 1, 2, 0, 100, 1500, 100, "B", "P"));
  roads.push_back(wegvakRecord(2, 2, 3, 1500, 100, 3000, 100, "B", "P"));
  roads.push_back(wegvakRecord(3, 2, 4, 1500, 100, 1500, 1500, "B", "G"));
  roads.push_back(wegvakRecord(4, 4, 5, 1500, 1500, 500, 1500, "B", "G"));   // dead end
  roads.push_back(wegvakRecord(5, 4, 6, 1500, 1500, 2500, 1500, "B", "G"));  // dead end
  roads.push_back(wegvakRecord(6, 4, 10, 1500, 1500, 1500, 2900, "B", "W"));
  // A ring round the gemeente, so the spurs are the only dead ends.
  roads.push_back(wegvakRecord(7, 3, 8, 3000, 100, 3000, 2900, "B", "P"));
  roads.push_back(wegvakRecord(8, 8, 10, 3000, 2900, 1500, 2900, "B", "G"));
  roads.push_back(wegvakRecord(9, 10, 9, 1500, 2900, 0, 2900, "B", "G"));
  roads.push_back(wegvakRecord(10, 9, 1, 0, 2900, 0, 100, "B", "P"));
  for (int half = 0; half < 2; ++half) {
    auto* ring = new OGRLinearRing();
    const double x = kX0 + 1500.0 * half;
    ring->addPoint(x, kY0);
    ring->addPoint(x + 1500, kY0);
    ring->addPoint(x + 1500, kY0 + 3000);
    ring->addPoint(x, kY0 + 3000);
    ring->addPoint(x, kY0);
    auto* poly = new OGRPolygon();
    poly->addRingDirectly(ring);
    auto* multi = new OGRMultiPolygon();
    multi->addGeometryDirectly(poly);
    buurten.push_back(recordOf("buurten",
                               {{"code", "BU9999000" + std::to_string(half)},
                                {"aantal_inwoners", std::int64_t{half == 0 ? 10 : 5000}},
                                {"oppervlakte_land_ha", 450.0},
                                {"synthetisch", std::int64_t{1}}},
                               geo::GeometryPtr(multi)));
  }
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> inCell(0.0, 100.0);
  int id = 0;
  for (int r = 0; r < 30; ++r)
    for (int c = 0; c < 30; ++c) {
      const double x = 100.0 * c + 50, y = 100.0 * r + 50;
      const bool nearSpur = std::abs(y - 1500) <= 200 && x >= 500 && x <= 2500;
      std::poisson_distribution<int> pois(std::exp(-2.0 + 1.8 * nearSpur));
      for (int k = pois(rng); k > 0; --k)
        signals.push_back(
            signalRecord(id++, at(kX0 + 100 * c + inCell(rng), kY0 + 100 * r + inCell(rng))));
    }
  auto store = Store::create(dir.file("t.gpkg"));
  std::vector<ImportBatch> batches;
  batches.push_back(batch("gemeenten", std::move(gemeenten)));
  if (withRoads) batches.push_back(batch("wegvakken", std::move(roads)));
  batches.push_back(batch("buurten", std::move(buurten)));
  batches.push_back(batch("signalen", std::move(signals)));
  store->append(batches);
  return store;
}

std::optional<std::size_t> factorRow(const ResultLayer& t, const std::string& name) {
  for (std::size_t i = 0; i < t.records.size(); ++i)
    if (std::get<std::string>(resultValue(t, i, "factor")) == name) return i;
  return std::nullopt;
}

}  // namespace

TEST(RunRisk, RoadAndBuurtFactorsComeFromTheNetworkAndCbs) {
  TempDir dir;
  auto store = roadStore(dir, true);
  RiskRequest req;
  req.factors.clear();
  for (const auto& f : riskFactorCatalogue())
    if (f.layer == "wegvakken" || f.layer == "buurten") req.factors.push_back(f);
  req.influence.distances = {100, 200, 400, 800};
  req.model.cv.folds = 4;
  req.model.net.nLambda = 20;
  runRisk(*store, req);
  const ResultLayer t = readResultLayer(*store, "risico_factoren");
  ASSERT_EQ(t.records.size(), 4u);
  auto value = [&](const std::string& factor, const char* field) {
    const auto r = factorRow(t, factor);
    EXPECT_TRUE(r) << factor;
    return r ? resultValue(t, *r, field) : Value{};
  };
  // The spurs are the dead ends: selected with a strong relative risk (planted e^1.8 = 6.0 in
  // the 200 m band; a density operationalisation can mark the same band).
  const std::string op = std::get<std::string>(value("doodlopend", "operationalisatie"));
  EXPECT_TRUE(op == "proximity 200 m" || op.starts_with("density")) << op;
  EXPECT_EQ(std::get<std::int64_t>(value("doodlopend", "geselecteerd")), 1);
  EXPECT_GT(std::get<double>(value("doodlopend", "relatief_risico")), 3.0);
  // Road access is a travel time in minutes, buurt context a density threshold.
  const Value roadKind = value("wegtoegang", "soort");
  if (const auto* s = std::get_if<std::string>(&roadKind)) {
    EXPECT_EQ(*s, "reistijd");
  }
  const Value threshold = value("wegtoegang", "drempel");
  if (!isNull(threshold)) {
    const auto& m = roadAccessMinutes();
    EXPECT_NE(std::find(m.begin(), m.end(), std::get<double>(threshold)), m.end());
    EXPECT_TRUE(isNull(value("wegtoegang", "afstand_m")));
  }
  const Value buurtKind = value("buurt", "soort");
  if (const auto* s = std::get_if<std::string>(&buurtKind)) {
    EXPECT_EQ(*s, "inwonersdichtheid");
  }
  EXPECT_TRUE(factorRow(t, "veldweg"));
}

TEST(RunRisk, RoadFactorsAreSkippedWithAMessageWithoutRoads) {
  TempDir dir;
  auto store = roadStore(dir, false);
  RiskRequest req;
  req.factors.clear();
  for (const auto& f : riskFactorCatalogue())
    if (f.layer == "wegvakken" || f.layer == "buurten") req.factors.push_back(f);
  req.influence.distances = {200, 400};
  req.model.cv.folds = 3;
  req.model.net.nLambda = 10;
  const RunReport report = runRisk(*store, req);
  std::size_t skipped = 0;
  for (const auto& l : report.lines)
    skipped += l.find("skipped, the store has no wegvakken (no road network") != std::string::npos;
  EXPECT_EQ(skipped, 3u);
  const ResultLayer t = readResultLayer(*store, "risico_factoren");
  ASSERT_EQ(t.records.size(), 1u);
  EXPECT_EQ(std::get<std::string>(resultValue(t, 0, "factor")), "buurt");
}

TEST(RunRisk, AnExistingForeignGeoTiffIsRefusedUnlessOverwrite) {
  TempDir dir;
  auto store = roadStore(dir, false);
  {
    std::ofstream f(dir.file("t_risico.tif"));
    f << "not ours";
  }
  RiskRequest req;
  req.factors = {riskFactorCatalogue().back()};  // buurt
  req.model.cv.folds = 3;
  EXPECT_THROW(runRisk(*store, req), geo::InputError);
  EXPECT_THROW(readResultLayer(*store, "risico_factoren"), std::exception);
  req.overwrite = true;
  runRisk(*store, req);
  EXPECT_GT(std::filesystem::file_size(dir.file("t_risico.tif")), 100u);
}

namespace {

// Near repeats in a 3 x 3 km gemeente, on fixed spots (1000 m apart):
//  - HENNEP signals: three at each of five "old" spots dated March 2024 (31-59 days before the
//    response period starts on 2024-05-01), and three at each of two "new" spots in December
//    2024 (after it); and four in June 2023 (weighing next to nothing at 30 days' half-life);
//  - DRUGSAFVAL signals, May-December 2024, drawn (seeded) per 100 m cell from
//    log mu = -1.5 + 1.5 [within 300 m of an old spot].
// With eerder:HENNEP (half-life 30 days) the model learns from the March signals; the map is
// the forecast at the day after the latest signal, when only the December spots are recent.
const std::vector<geo::Point> kOldSpots{
    {500, 500}, {2500, 500}, {500, 2500}, {2500, 2500}, {1500, 1500}};
const std::vector<geo::Point> kNewSpots{{1500, 500}, {500, 1500}};

std::string isoDay(int year, int month, int day) {
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT12:00:00", year, month, day);
  return text;
}

std::unique_ptr<Store> nearRepeatStore(const TempDir& dir, std::size_t* drugsInResponse) {
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> jitter(-40.0, 40.0), inCell(0.0, 100.0);
  std::uniform_int_distribution<int> march(1, 31), may(1, 28), month(5, 12);
  std::vector<Record> gemeenten, signals;
  gemeenten.push_back(
      recordOf("gemeenten", {{"code", std::string("GM9999")}}, squareAt(kX0, kY0, 3000)));
  int id = 0;
  auto hennep = [&](const geo::Point& spot, const std::string& van) {
    SignalSpec s = at(kX0 + spot.x + jitter(rng), kY0 + spot.y + jitter(rng));
    s.categorie = "HENNEP";
    s.van = van;
    signals.push_back(signalRecord(id++, s));
  };
  for (const auto& spot : kOldSpots)
    for (int k = 0; k < 3; ++k) hennep(spot, isoDay(2024, 3, march(rng)));
  for (const auto& spot : kNewSpots)
    for (int k = 0; k < 3; ++k) hennep(spot, isoDay(2024, 12, 10 + k));
  for (int k = 0; k < 4; ++k) hennep(kOldSpots[std::size_t(k)], isoDay(2023, 6, 1 + k));
  *drugsInResponse = 0;
  for (int r = 0; r < 30; ++r)
    for (int c = 0; c < 30; ++c) {
      const geo::Point centre{100.0 * c + 50, 100.0 * r + 50};
      bool near = false;
      for (const auto& s : kOldSpots)
        near = near || std::hypot(s.x - centre.x, s.y - centre.y) <= 300.0;
      std::poisson_distribution<int> pois(std::exp(-1.5 + 1.5 * near));
      for (int k = pois(rng); k > 0; --k) {
        SignalSpec s = at(kX0 + 100 * c + inCell(rng), kY0 + 100 * r + inCell(rng));
        s.van = isoDay(2024, month(rng), may(rng));
        signals.push_back(signalRecord(id++, s));
        ++*drugsInResponse;
      }
    }
  auto store = Store::create(dir.file("t.gpkg"));
  std::vector<ImportBatch> batches;
  batches.push_back(batch("gemeenten", std::move(gemeenten)));
  batches.push_back(batch("signalen", std::move(signals)));
  store->append(batches);
  return store;
}

RiskRequest nearRepeatRequest() {
  RiskRequest req;
  req.events.where = "categorie = 'DRUGSAFVAL'";
  req.factors = {earlierSignalsFactor("HENNEP")};
  req.responseFrom = *parseIsoTime("2024-05-01");
  req.influence.distances = {100, 300, 600};
  req.influence.halfLivesDays = {30};
  req.model.cv.folds = 4;
  req.model.net.nLambda = 20;
  return req;
}

double pixelAt(const geo::Raster& raster, const geo::Point& p) {
  const auto col = std::int64_t(std::floor((kX0 + p.x - raster.grid.originX) / 100.0));
  const auto row = std::int64_t(std::floor((raster.grid.originY - (kY0 + p.y)) / 100.0));
  return raster.values.at(std::size_t(row * raster.grid.cols + col));
}

}  // namespace

TEST(RunRisk, EarlierSignalsOfACategoryPredictAndTheMapIsTheForecast) {
  TempDir dir;
  std::size_t drugs = 0;
  auto store = nearRepeatStore(dir, &drugs);
  const RiskRequest req = nearRepeatRequest();
  const RiskInput in = readRiskInput(*store, req);
  EXPECT_EQ(in.responseFrom, *parseIsoTime("2024-05-01"));
  EXPECT_EQ(in.inside, drugs);  // every DRUGSAFVAL signal lies in the response period
  EXPECT_EQ(in.earlier, 0u);
  ASSERT_EQ(in.factors.size(), 1u);
  ASSERT_EQ(in.current.size(), 1u);

  const RunReport report = runRisk(*store, req);
  const ResultLayer table = readResultLayer(*store, "risico_factoren");
  ASSERT_EQ(table.records.size(), 1u);
  EXPECT_EQ(std::get<std::string>(resultValue(table, 0, "factor")), "eerder:HENNEP");
  EXPECT_EQ(std::get<std::string>(resultValue(table, 0, "operationalisatie")),
            "signalen 300 m, halfwaardetijd 30 d");
  EXPECT_EQ(std::get<std::string>(resultValue(table, 0, "soort")), "eerdere signalen");
  EXPECT_EQ(std::get<double>(resultValue(table, 0, "afstand_m")), 300.0);
  EXPECT_EQ(std::get<double>(resultValue(table, 0, "halfwaardetijd_d")), 30.0);
  ASSERT_EQ(std::get<std::int64_t>(resultValue(table, 0, "geselecteerd")), 1);
  const double rrv = std::get<double>(resultValue(table, 0, "relatief_risico"));
  const double se = std::get<double>(resultValue(table, 0, "standaardfout"));
  EXPECT_NEAR(std::log(rrv), 1.5, 3 * se);

  // The forecast (at the day after the December signals): the new spots are marked, the old
  // spots (nine months old, half-life 30 days) no longer.
  const geo::Raster raster = geo::readRaster(dir.file("t_risico.tif"));
  for (const auto& s : kNewSpots) EXPECT_NEAR(pixelAt(raster, s), rrv, 1e-5 * rrv);
  for (const auto& s : kOldSpots) EXPECT_EQ(pixelAt(raster, s), 1.0);
  bool told = false;
  for (const auto& line : report.lines)
    told = told || line.find("from 2024-05-01") != std::string::npos;
  EXPECT_TRUE(told);
}

TEST(RunRisk, EarlierSignalsSplitTimeAtTheLastYearByDefault) {
  TempDir dir;
  std::size_t drugs = 0;
  auto store = nearRepeatStore(dir, &drugs);
  RiskRequest req = nearRepeatRequest();
  req.events.where = "";  // all signals; eerder = the same signals
  req.factors = {earlierSignalsFactor()};
  req.responseFrom = 0;
  const RiskInput in = readRiskInput(*store, req);
  // The last year before the day after the latest signal: only the four of June 2023 are
  // earlier.
  geo::TimeSeconds latest = 0;
  for (auto t : in.events.timeFrom) latest = std::max(latest, t);
  EXPECT_EQ(in.forecastTime, latest + 86400);
  EXPECT_EQ(in.responseFrom, latest + 86400 - 365 * 86400);
  EXPECT_EQ(in.earlier, 4u);
  EXPECT_EQ(in.inside + in.earlier, in.events.size());
  double counted = 0;
  for (double c : in.counts) counted += c;
  EXPECT_EQ(counted, double(in.inside));

  // Without times to split on, or with nothing after the split, the refusal says why.
  req.responseFrom = *parseIsoTime("2025-06-01");
  try {
    readRiskInput(*store, req);
    FAIL() << "nothing after the split";
  } catch (const geo::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("2025-06-01"), std::string::npos) << e.what();
  }
  req.factors = {earlierSignalsFactor("ONBEKEND"), earlierSignalsFactor()};
  req.responseFrom = 0;
  const RiskInput skipped = readRiskInput(*store, req);
  ASSERT_EQ(skipped.skipped.size(), 1u);
  EXPECT_NE(skipped.skipped[0].find("ONBEKEND"), std::string::npos);
}
