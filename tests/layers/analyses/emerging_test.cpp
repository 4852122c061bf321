#include "layers/analyses/emerging.h"

#include <gtest/gtest.h>

#include <set>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

TEST(RunEmerging, EveryLocationGetsAnArcGisPatternAndCountsAddUp) {
  TempDir dir;
  std::vector<Record> inc;
  int id = 0;
  // Background: one incident a month in each of 5 × 5 cells of 200 m for 12 months; one cell
  // gets more and more in the last months.
  for (int m = 1; m <= 12; ++m)
    for (int c = 0; c < 25; ++c) {
      const std::string date = "2024-" + std::string(m < 10 ? "0" : "") + std::to_string(m) + "-15";
      inc.push_back(
          incidentRecord(id++, kX0 + 200.0 * (c % 5) + 50, kY0 + 200.0 * (c / 5) + 50, date));
      if (c == 12 && m >= 9)
        for (int k = 0; k < 3 * (m - 8); ++k)
          inc.push_back(incidentRecord(id++, kX0 + 400 + 60 + k, kY0 + 400 + 70, date));
    }
  const int total = id;
  auto store = storeWith(dir, batch("incidenten", std::move(inc)));
  EmergingRequest req;
  req.output = "ehs";
  req.cube.binSize = 200;
  req.cube.shape = geo::GridShape::Square;
  const RunReport report = runEmerging(*store, req);
  const ResultLayer layer = readResultLayer(*store, "ehs");
  ASSERT_EQ(layer.records.size(), 25u);
  std::set<std::string> names;
  for (int c = 0; c <= int(geo::EmergingCategory::HistoricalCold); ++c)
    names.insert(std::string(geo::emergingCategoryName(geo::EmergingCategory(c))));
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < layer.records.size(); ++i) {
    EXPECT_TRUE(names.count(std::get<std::string>(resultValue(layer, i, "categorie"))));
    sum += std::get<std::int64_t>(resultValue(layer, i, "aantal"));
    OGREnvelope env;
    layer.records[i].geometry->getEnvelope(&env);
    EXPECT_NEAR(env.MaxX - env.MinX, 200.0, 1e-9);
  }
  EXPECT_EQ(sum, total);
  EXPECT_EQ(layer.style, "emerging_hotspots");
  EXPECT_EQ(defaultStyleCount(*store, "ehs"), 1);
  EXPECT_FALSE(report.lines.empty());
}

TEST(RunEmerging, RefusesALayerWithoutTimes) {
  TempDir dir;
  std::vector<Record> parks;
  parks.push_back(recordOf("bedrijventerreinen",
                           {{"rin_nummer", std::string("1")},
                            {"plan_naam", std::string("P")},
                            {"synthetisch", std::int64_t{1}}},
                           squareAt(kX0, kY0, 400)));
  auto store = storeWith(dir, batch("bedrijventerreinen", std::move(parks)));
  EmergingRequest req;
  req.input = {"bedrijventerreinen", "", ""};
  EXPECT_THROW_WITH(runEmerging(*store, req), geo::OptionError,
                    "emerging hot spots need times; 'bedrijventerreinen' has none");
}
