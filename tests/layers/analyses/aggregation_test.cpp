#include "layers/analyses/aggregation.h"

#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

TEST(RunAggregation, GridCountsSumToTheInputCount) {
  TempDir dir;
  std::vector<Record> recs;
  for (int i = 0; i < 37; ++i)
    recs.push_back(signalRecord(i, at(kX0 + 97.0 * (i % 7), kY0 + 131.0 * (i / 7))));
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  AggregationRequest req;
  req.output = "hex";
  req.grid.cellSize = 200;
  runAggregation(*store, req);
  const ResultLayer layer = readResultLayer(*store, "hex");
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < layer.records.size(); ++i)
    sum += std::get<std::int64_t>(resultValue(layer, i, "aantal"));
  EXPECT_EQ(sum, 37);
  EXPECT_EQ(layer.style, "grid_counts");
  EXPECT_EQ(defaultStyleCount(*store, "hex"), 1);
  EXPECT_EQ(layer.metadata.algorithm, "grid_counts");
}

TEST(RunAggregation, IncidentsPerHectareOfEachBusinessPark) {
  TempDir dir;
  std::vector<Record> parks;
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("Noord")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0, kY0, 100)));  // 1 ha
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("2")},
                            {"plan_naam", std::string("Zuid")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0, kY0 - 1000, 200)));  // 4 ha
  std::vector<Record> inc;
  for (int i = 0; i < 3; ++i)
    inc.push_back(incidentRecord(i, kX0 + 10 + 20 * i, kY0 + 50, "2024-01-01"));
  inc.push_back(incidentRecord(3, kX0 + 50, kY0 - 900, "2024-01-01"));
  inc.push_back(incidentRecord(4, kX0 + 5000, kY0, "2024-01-01"));  // on no park
  auto store = storeWith(dir, batch("bedrijventerreinen", std::move(parks)),
                         batch("incidenten", std::move(inc)));
  AggregationRequest req;
  req.input = {"incidenten", "", ""};
  req.output = "parks";
  req.polygonLayer = "bedrijventerreinen";
  const RunReport report = runAggregation(*store, req);
  const ResultLayer layer = readResultLayer(*store, "parks");
  ASSERT_EQ(layer.records.size(), 2u);
  EXPECT_EQ(std::get<std::string>(resultValue(layer, 0, "plan_naam")), "Noord");
  EXPECT_EQ(std::get<std::int64_t>(resultValue(layer, 0, "aantal")), 3);
  EXPECT_NEAR(std::get<double>(resultValue(layer, 0, "incidenten_per_ha")), 3.0, 1e-9);
  EXPECT_NEAR(std::get<double>(resultValue(layer, 1, "incidenten_per_ha")), 0.25, 1e-9);
  EXPECT_EQ(layer.style, "parks_incident_rate");
  EXPECT_EQ(defaultStyleCount(*store, "parks"), 1);
  EXPECT_EQ(report.warnings.size(), 1u);  // one incident on no park
}

TEST(RunAggregation, DenominatorGivesRatesAndMaskLimitsTheGrid) {
  TempDir dir;
  std::vector<Record> parks;
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("P")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0, kY0, 400)));
  std::vector<Record> sig;
  for (int i = 0; i < 4; ++i) sig.push_back(signalRecord(i, at(kX0 + 50, kY0 + 50 + i)));
  auto store = storeWith(dir, batch("bedrijventerreinen", std::move(parks)),
                         batch("signalen", std::move(sig)));
  AggregationRequest req;
  req.output = "sq";
  req.grid.shape = geo::GridShape::Square;
  req.grid.cellSize = 200;
  req.maskLayer = "bedrijventerreinen";
  req.grid.clipMode = geo::ClipMode::CentreInside;
  req.denominator = PointSelection{"signalen", "", ""};
  req.rate.scale = 10;
  runAggregation(*store, req);
  const ResultLayer layer = readResultLayer(*store, "sq");
  ASSERT_EQ(layer.records.size(), 4u);  // 400 m square in 200 m cells
  bool found = false;
  for (std::size_t i = 0; i < 4; ++i)
    if (std::get<std::int64_t>(resultValue(layer, i, "aantal")) == 4) {
      found = true;
      EXPECT_NEAR(std::get<double>(resultValue(layer, i, "per_noemer")), 10.0, 1e-12);
      EXPECT_NEAR(std::get<double>(resultValue(layer, i, "per_ha")), 1.0, 1e-9);
    } else {
      EXPECT_TRUE(isNull(resultValue(layer, i, "per_noemer")));  // 0 / 0 stays empty
    }
  EXPECT_TRUE(found);
}
