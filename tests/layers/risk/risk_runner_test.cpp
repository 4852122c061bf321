#include "layers/risk/risk_runner.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
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
