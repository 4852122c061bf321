#include "layers/analyses/aggregation.h"

#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"
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

TEST(BuildAggregation, CountsInPolygonsAHostReadWithoutAStore) {
  // Two 100 m squares side by side (1 ha each), read by a host (the plugin) into PolygonUnits;
  // two points in the first, one in the second, one outside both.
  AnalysisInputs inputs;
  PointInput& in = inputs.points.emplace();
  in.layer = "incidenten";
  in.points = {{kX0 + 10, kY0 + 10}, {kX0 + 20, kY0 + 20}, {kX0 + 150, kY0 + 50}, {kX0 + 900, kY0}};
  in.keys = {"1", "2", "3", "4"};
  PolygonUnits& units = inputs.polygons.emplace();
  units.layer = "bedrijventerreinen";
  for (int i = 0; i < 2; ++i) {
    const geo::GeometryPtr square = squareAt(kX0 + 100 * i, kY0, 100);
    std::vector<std::uint8_t> wkb(std::size_t(square->WkbSize()));
    square->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    units.wkb.push_back(std::move(wkb));
    units.keys.push_back(i == 0 ? "A" : "B");
    units.names.push_back(i == 0 ? "Noord" : "");
  }
  AggregationRequest req;
  req.polygonLayer = "bedrijventerreinen";
  req.output = "parken";
  const AnalysisResult result = buildAggregation(inputs, req);
  ASSERT_EQ(result.layers.size(), 1u);
  const ResultLayer& layer = result.layers.front();
  EXPECT_EQ(layer.name, "parken");
  EXPECT_EQ(layer.style, "parks_incident_rate");
  ASSERT_EQ(layer.records.size(), 2u);
  EXPECT_EQ(std::get<std::string>(resultValue(layer, 0, "bron_id")), "A");
  EXPECT_EQ(std::get<std::string>(resultValue(layer, 0, "plan_naam")), "Noord");
  EXPECT_TRUE(std::holds_alternative<std::monostate>(resultValue(layer, 1, "plan_naam")));
  EXPECT_EQ(std::get<std::int64_t>(resultValue(layer, 0, "aantal")), 2);
  EXPECT_EQ(std::get<std::int64_t>(resultValue(layer, 1, "aantal")), 1);
  EXPECT_NEAR(std::get<double>(resultValue(layer, 0, "oppervlakte_ha")), 1.0, 1e-9);
  EXPECT_NEAR(std::get<double>(resultValue(layer, 0, "incidenten_per_ha")), 2.0, 1e-9);
  EXPECT_EQ(layer.metadata.algorithm, "polygon_counts");
  EXPECT_EQ(layer.metadata.inputRows, 4);
  ASSERT_EQ(result.report.warnings.size(), 1u);
  EXPECT_NE(result.report.warnings.front().find("1 points fell outside every unit"),
            std::string::npos);
}
