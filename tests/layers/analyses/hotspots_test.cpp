#include "layers/analyses/hotspots.h"

#include <gtest/gtest.h>

#include <cmath>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {

/// One signal in each of 10 × 10 cells of 100 m, plus 10 more in each cell of the 3 × 3 block
/// around cell (5, 5): a planted hot spot.
std::vector<geo::Point> plantedPoints() {
  std::vector<geo::Point> pts;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) {
      const int extra = (std::abs(c - 5) <= 1 && std::abs(r - 5) <= 1) ? 10 : 0;
      for (int k = 0; k <= extra; ++k)
        pts.push_back({kX0 + 100.0 * c + 20 + 5 * (k % 10), kY0 + 100.0 * r + 30 + 3 * (k % 7)});
    }
  return pts;
}

std::unique_ptr<Store> plantedStore(const TempDir& dir) {
  std::vector<Record> recs;
  int id = 0;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) {
      const int extra = (std::abs(c - 5) <= 1 && std::abs(r - 5) <= 1) ? 10 : 0;
      for (int k = 0; k <= extra; ++k)
        recs.push_back(signalRecord(
            id++, at(kX0 + 100.0 * c + 20 + 5 * (k % 10), kY0 + 100.0 * r + 30 + 3 * (k % 7))));
    }
  return storeWith(dir, batch("signalen", std::move(recs)));
}

HotspotRequest squareRequest(HotspotMethod m, const std::string& output) {
  HotspotRequest req;
  req.output = output;
  req.method = m;
  req.grid.shape = geo::GridShape::Square;
  req.grid.cellSize = 100;
  req.grid.extent = {kX0 + 1, kY0 + 1, kX0 + 999, kY0 + 999};
  req.band.band = 150;  // queen neighbours
  return req;
}

std::size_t cellIndex(const ResultLayer& layer, const std::string& key) {
  for (std::size_t i = 0; i < layer.records.size(); ++i)
    if (std::get<std::string>(resultValue(layer, i, "cel_id")) == key) return i;
  ADD_FAILURE() << "no cell " << key;
  return 0;
}

}  // namespace

TEST(RunHotspots, GiStarBinsAreHotWherePlantedAndNowhereCold) {
  TempDir dir;
  auto store = plantedStore(dir);
  auto req = squareRequest(HotspotMethod::GiStar, "gi");
  req.gi.permutations = 0;
  runHotspots(*store, req);
  const ResultLayer layer = readResultLayer(*store, "gi");
  ASSERT_EQ(layer.records.size(), 100u);
  const std::size_t centre = cellIndex(layer, "5_5");
  EXPECT_EQ(std::get<std::int64_t>(resultValue(layer, centre, "aantal")), 11);
  EXPECT_EQ(std::get<std::int64_t>(resultValue(layer, centre, "gi_bin")), 3);
  EXPECT_GT(std::get<double>(resultValue(layer, centre, "gi_z")), 3.0);
  EXPECT_EQ(std::get<std::int64_t>(resultValue(layer, cellIndex(layer, "0_0"), "gi_bin")), 0);
  for (std::size_t i = 0; i < layer.records.size(); ++i)
    EXPECT_GE(std::get<std::int64_t>(resultValue(layer, i, "gi_bin")), 0);
  EXPECT_EQ(layer.style, "hotspots_gi");
  EXPECT_EQ(defaultStyleCount(*store, "gi"), 1);
  EXPECT_EQ(layer.metadata.algorithm, "getis_ord_gi_star");
}

TEST(RunHotspots, LocalMoranCallsThePlantedBlockHighHigh) {
  TempDir dir;
  auto store = plantedStore(dir);
  auto req = squareRequest(HotspotMethod::LocalMoran, "lisa");
  req.weights = WeightsKind::Contiguity;
  req.grid.contiguity = geo::Contiguity::Queen;
  req.localMoran.permutations = 499;
  req.localMoran.seed = 3;
  req.localMoran.correction = geo::Correction::None;
  runHotspots(*store, req);
  const ResultLayer layer = readResultLayer(*store, "lisa");
  EXPECT_EQ(std::get<std::string>(resultValue(layer, cellIndex(layer, "5_5"), "lisa_type")), "HH");
  for (std::size_t i = 0; i < layer.records.size(); ++i) {
    const auto& t = std::get<std::string>(resultValue(layer, i, "lisa_type"));
    EXPECT_TRUE(t == "HH" || t == "LL" || t == "HL" || t == "LH" || t == "NS") << t;
  }
  EXPECT_EQ(layer.metadata.seed, 3);
  EXPECT_EQ(defaultStyleCount(*store, "lisa"), 1);
}

TEST(RunHotspots, GlobalStatisticsAreWrittenAsTables) {
  TempDir dir;
  auto store = plantedStore(dir);
  auto req = squareRequest(HotspotMethod::Global, "glob");
  req.ripley.simulations = 9;
  req.ripley.bands = 5;
  const RunReport report = runHotspots(*store, req);
  EXPECT_EQ(report.layers, (std::vector<std::string>{"glob_globaal", "glob_ripley"}));
  const auto rows =
      store->query("SELECT statistiek, waarde, z FROM glob_globaal ORDER BY statistiek");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(*rows[0][0], "moran_i");
  EXPECT_GT(std::stod(*rows[0][2]), 2.0);  // the planted block is spatial autocorrelation
  EXPECT_EQ(*rows[1][0], "nni_ratio");
  // Clark-Evans by brute force over the points' bounding rectangle: the regular background
  // makes this pattern dispersed (R > 1) despite the planted block.
  const auto pts = plantedPoints();
  geo::Extent box;
  double sum = 0;
  for (const auto& p : pts) {
    box.include(p);
    double best = 1e300;
    for (const auto& q : pts)
      if (&p != &q) best = std::min(best, std::hypot(p.x - q.x, p.y - q.y));
    sum += best;
  }
  const double n = double(pts.size());
  const double expectedRatio = (sum / n) / (0.5 / std::sqrt(n / (box.width() * box.height())));
  EXPECT_NEAR(std::stod(*rows[1][1]), expectedRatio, 1e-9);
  EXPECT_EQ(store->query("SELECT afstand_m FROM glob_ripley").size(), 5u);
}

TEST(RunHotspots, WithoutRipleysTableTheGlobalTableIsTheSame) {
  // A host that writes only <output>_globaal (veldwacht:nearestneighbourindex) leaves Ripley's K
  // out: the same Moran and Clark-Evans rows, no _ripley table.
  TempDir dir;
  auto store = plantedStore(dir);
  auto all = squareRequest(HotspotMethod::Global, "alle");
  all.ripley.simulations = 9;
  auto only = all;
  only.output = "zonder";
  only.keepOnlyTables({"_globaal"});
  EXPECT_FALSE(only.ripleyTable);
  EXPECT_EQ(runHotspots(*store, all).layers,
            (std::vector<std::string>{"alle_globaal", "alle_ripley"}));
  EXPECT_EQ(runHotspots(*store, only).layers, (std::vector<std::string>{"zonder_globaal"}));
  const auto rows = [&](const std::string& t) {
    return store->query("SELECT statistiek, waarde, verwacht, z, p FROM " + t +
                        " ORDER BY statistiek");
  };
  ASSERT_EQ(rows("alle_globaal").size(), 2u);
  EXPECT_EQ(rows("alle_globaal"), rows("zonder_globaal"));
  auto ripley = all;
  ripley.keepOnlyTables({"_ripley"});
  EXPECT_TRUE(ripley.ripleyTable);
}

TEST(RunHotspots, OptimizedRecordsItsChoices) {
  TempDir dir;
  auto store = plantedStore(dir);
  HotspotRequest req;
  req.output = "ohs";
  req.method = HotspotMethod::Optimized;
  const RunReport report = runHotspots(*store, req);
  const ResultLayer layer = readResultLayer(*store, "ohs");
  const auto params = nlohmann::json::parse(layer.metadata.parametersJson);
  EXPECT_TRUE(params.contains("cell_size"));
  EXPECT_TRUE(params.contains("distance_band"));
  EXPECT_FALSE(params["choices"].empty());
  EXPECT_GT(report.lines.size(), 2u);
  std::int64_t hot = 0;
  for (std::size_t i = 0; i < layer.records.size(); ++i)
    hot += std::get<std::int64_t>(resultValue(layer, i, "gi_bin")) > 0;
  EXPECT_GT(hot, 0);
}

TEST(RunHotspots, PolygonFieldNeedsANumericField) {
  TempDir dir;
  auto store = plantedStore(dir);
  HotspotRequest req;
  req.polygonLayer = "buurten";
  EXPECT_THROW_WITH(runHotspots(*store, req), geo::OptionError,
                    "value-field: a polygon layer needs a numeric field");
  req.valueField = "naam";
  EXPECT_THROW_WITH(runHotspots(*store, req), geo::OptionError,
                    "value-field: 'naam' is not a numeric field of buurten");
}

TEST(RunHotspots, PolygonFieldWithContiguityLeavesNullsOutAndFindsTheHighBlock) {
  TempDir dir;
  // 6 × 6 buurten of 100 m; a 3 × 3 block in the lower-left corner has 1000 inhabitants,
  // the rest 10, and one buurt (far corner) is suppressed (NULL).
  std::vector<Record> buurten;
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 6; ++c) {
      Value inhabitants = (r < 3 && c < 3) ? std::int64_t{1000} : std::int64_t{10};
      if (r == 5 && c == 5) inhabitants = Value{};
      buurten.push_back(recordOf("buurten",
                                 {{"code", "BU" + std::to_string(19790100 + r * 6 + c)},
                                  {"aantal_inwoners", inhabitants},
                                  {"synthetisch", std::int64_t{1}}},
                                 squareAt(kX0 + 100.0 * c, kY0 + 100.0 * r, 100)));
    }
  auto store = storeWith(dir, batch("buurten", std::move(buurten)));
  HotspotRequest req;
  req.output = "bu";
  req.polygonLayer = "buurten";
  req.valueField = "aantal_inwoners";
  req.weights = WeightsKind::Contiguity;
  req.gi.permutations = 0;
  req.gi.correction = geo::Correction::None;
  const RunReport report = runHotspots(*store, req);
  ASSERT_EQ(report.warnings.size(), 1u);  // the NULL buurt
  const ResultLayer layer = readResultLayer(*store, "bu");
  ASSERT_EQ(layer.records.size(), 35u);
  for (std::size_t i = 0; i < layer.records.size(); ++i) {
    const auto& code = std::get<std::string>(resultValue(layer, i, "bron_id"));
    const int n = std::stoi(code.substr(2)) - 19790100, r = n / 6, c = n % 6;
    const auto bin = std::get<std::int64_t>(resultValue(layer, i, "gi_bin"));
    if (r == 1 && c == 1) {
      EXPECT_GT(bin, 0) << code;  // the heart of the block
    }
    if (r >= 4 && c >= 4) {
      EXPECT_LE(bin, 0) << code;  // far from it
    }
  }
}

TEST(BuildHotspots, PointsAHostReadGiveTheStoresTables) {
  // The plugin's path: the same points read by a host into AnalysisInputs, built without a
  // store, give the tables runHotspots writes into the store — the same names, fields, values.
  TempDir dir;
  auto store = plantedStore(dir);
  for (HotspotMethod m : {HotspotMethod::GiStar, HotspotMethod::Global}) {
    SCOPED_TRACE(std::string(hotspotMethodName(m)));
    HotspotRequest req = squareRequest(m, "h");
    req.gi.permutations = 0;
    req.ripley.simulations = 9;
    const RunReport report = runHotspots(*store, req);
    AnalysisInputs inputs;
    PointInput& in = inputs.points.emplace();
    in.layer = "signalen";
    in.points = plantedPoints();
    for (std::size_t i = 0; i < in.points.size(); ++i) in.keys.push_back(std::to_string(i));
    const AnalysisResult built = buildHotspots(inputs, req);
    ASSERT_EQ(built.layers.size(), report.layers.size());
    for (std::size_t t = 0; t < built.layers.size(); ++t) {
      const ResultLayer& b = built.layers[t];
      EXPECT_EQ(b.name, report.layers[t]);
      const ResultLayer stored = readResultLayer(*store, b.name);
      ASSERT_EQ(b.fields.size(), stored.fields.size());
      for (std::size_t f = 0; f < b.fields.size(); ++f)
        EXPECT_EQ(b.fields[f].name, stored.fields[f].name);
      ASSERT_EQ(b.records.size(), stored.records.size());
      for (std::size_t r = 0; r < b.records.size(); ++r)
        for (std::size_t f = 0; f < b.fields.size(); ++f) {
          const Value& x = b.records[r].values[f];
          const Value& y = stored.records[r].values[f];
          if (std::holds_alternative<double>(x) && std::holds_alternative<double>(y))
            EXPECT_NEAR(std::get<double>(x), std::get<double>(y), 1e-9) << b.fields[f].name;
          else
            EXPECT_EQ(x, y) << b.fields[f].name;
        }
    }
  }
}

TEST(BuildHotspots, PolygonUnitsWithoutValuesAreRefusedAndNullsLeftOut) {
  AnalysisInputs inputs;
  PolygonUnits& u = inputs.polygons.emplace();
  u.layer = "buurten";
  for (int i = 0; i < 5; ++i) {
    const geo::GeometryPtr square = squareAt(kX0 + 100.0 * i, kY0, 100);
    std::vector<std::uint8_t> wkb(std::size_t(square->WkbSize()));
    square->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    u.wkb.push_back(std::move(wkb));
    u.keys.push_back("BU" + std::to_string(i));
    u.names.emplace_back();
  }
  HotspotRequest req;
  req.polygonLayer = "buurten";
  req.valueField = "aantal_inwoners";
  req.weights = WeightsKind::Contiguity;
  req.gi.permutations = 0;
  EXPECT_THROW_WITH(buildHotspots(inputs, req), geo::OptionError,
                    "no values of 'aantal_inwoners' were read");
  u.values = {10.0, 20.0, std::nullopt, 40.0, 50.0};
  const AnalysisResult result = buildHotspots(inputs, req);
  ASSERT_EQ(result.layers.size(), 1u);
  EXPECT_EQ(result.layers.front().records.size(), 4u);
  bool said = false;
  for (const auto& w : result.report.warnings)
    said |= w.find("1 buurten without a value of aantal_inwoners") != std::string::npos;
  EXPECT_TRUE(said);
}
