#include "layers/analyses/aggregation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

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

namespace {

/// WKB of a square polygon.
std::vector<std::uint8_t> squareWkb(double x, double y, double side) {
  const geo::GeometryPtr square = squareAt(x, y, side);
  std::vector<std::uint8_t> wkb(std::size_t(square->WkbSize()));
  square->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return wkb;
}

/// The points of `in` handed over one by one, as a host streams them.
PointStream streamOf(const PointInput& in) {
  PointStream s;
  s.weighted = !in.weights.empty();
  s.about.layer = in.layer;
  s.about.where = in.where;
  s.spillDirectory = ::testing::TempDir();
  s.read = [&in](geo::PointSink& sink, geo::Progress& progress) {
    geo::ProgressStep step(progress, 0.0, 1.0);
    for (std::size_t i = 0; i < in.points.size(); ++i) {
      step.tick(i, in.points.size());
      sink.add(in.points[i], in.weights.empty() ? 1.0 : in.weights[i]);
    }
  };
  return s;
}

std::vector<std::uint8_t> wkbOf(const OGRGeometry& g) {
  std::vector<std::uint8_t> wkb(std::size_t(g.WkbSize()));
  g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return wkb;
}

/// The same table (fields, rows, geometries), metadata and report.
void expectSameResult(const AnalysisResult& got, const AnalysisResult& want) {
  ASSERT_EQ(got.layers.size(), 1u);
  ASSERT_EQ(want.layers.size(), 1u);
  const ResultLayer& g = got.layers.front();
  const ResultLayer& w = want.layers.front();
  EXPECT_EQ(g.name, w.name);
  EXPECT_EQ(g.title, w.title);
  EXPECT_EQ(g.style, w.style);
  ASSERT_EQ(g.fields.size(), w.fields.size());
  for (std::size_t i = 0; i < g.fields.size(); ++i) EXPECT_EQ(g.fields[i].name, w.fields[i].name);
  ASSERT_EQ(g.records.size(), w.records.size());
  for (std::size_t i = 0; i < g.records.size(); ++i) {
    EXPECT_EQ(g.records[i].values, w.records[i].values) << "row " << i;
    EXPECT_EQ(wkbOf(*g.records[i].geometry), wkbOf(*w.records[i].geometry)) << "row " << i;
  }
  EXPECT_EQ(g.metadata.algorithm, w.metadata.algorithm);
  EXPECT_EQ(g.metadata.inputRows, w.metadata.inputRows);
  EXPECT_EQ(g.metadata.parametersJson, w.metadata.parametersJson);
  EXPECT_EQ(got.report.lines, want.report.lines);
  EXPECT_EQ(got.report.warnings, want.report.warnings);
}

/// buildAggregation of `inputs` and buildAggregationStreamed of the same points streamed, with
/// the same mask or polygons: the same result, progress to the end. Returns buildAggregation's.
AnalysisResult expectStreamedAsInMemory(const AnalysisInputs& inputs,
                                        const AggregationRequest& req) {
  AnalysisResult want = buildAggregation(inputs, req);
  AnalysisInputs units;
  units.mask = inputs.mask;
  units.polygons = inputs.polygons;
  geo::CancellableProgress progress;
  const AnalysisResult got =
      buildAggregationStreamed(streamOf(*inputs.points), units, req, progress);
  expectSameResult(got, want);
  EXPECT_EQ(progress.fraction(), 1.0);
  return want;
}

/// Seeded points over [kX0 - 150, kX0 + 1050] × [kY0 - 150, kY0 + 750] with weights, and points
/// exactly on the lines x, y = multiples of 50 m from (kX0, kY0): cell edges of 100 m squares
/// and the squares' shared borders.
PointInput seededPoints() {
  PointInput in;
  in.layer = "incidenten";
  in.where = "soort = 'x'";
  std::mt19937_64 rng(16);
  std::uniform_real_distribution<double> ux(kX0 - 150, kX0 + 1050), uy(kY0 - 150, kY0 + 750),
      uw(0, 3);
  std::uniform_int_distribution<int> ui(-2, 20);
  for (int i = 0; i < 1500; ++i) {
    if (i % 3 == 0)
      in.points.push_back({kX0 + 50.0 * ui(rng), kY0 + 50.0 * ui(rng)});
    else if (i % 3 == 1)
      in.points.push_back({kX0 + 50.0 * ui(rng), uy(rng)});
    else
      in.points.push_back({ux(rng), uy(rng)});
    in.weights.push_back(uw(rng));
  }
  return in;
}

}  // namespace

TEST(BuildAggregationStreamed, GridCountsEqualTheInMemoryCounts) {
  AnalysisInputs inputs;
  inputs.points = seededPoints();
  for (bool weighted : {false, true})
    for (geo::GridShape shape : {geo::GridShape::Square, geo::GridShape::HexagonPointyTop})
      for (int area : {0, 1, 2}) {  // none (the points' extent, spilled), a mask, an extent
        SCOPED_TRACE(::testing::Message()
                     << "weighted " << weighted << ", shape " << int(shape) << ", area " << area);
        AnalysisInputs use = inputs;
        if (!weighted) use.points->weights.clear();
        AggregationRequest req;
        req.input.weightField = weighted ? "gewicht" : "";
        req.grid.shape = shape;
        req.grid.cellSize = 100;
        if (area == 1) {  // clipped cells: a point counts only in the cell's part in the mask
          use.mask = {squareWkb(kX0 + 30, kY0 + 30, 420), squareWkb(kX0 + 600, kY0, 250)};
          req.maskLayer = "gebied";
          req.grid.clipMode = geo::ClipMode::Clip;
        }
        if (area == 2) req.grid.extent = {kX0, kY0, kX0 + 800, kY0 + 500};
        req.dropEmpty = area == 2;
        ASSERT_TRUE(aggregationStreams(req));
        expectStreamedAsInMemory(use, req);
      }
}

TEST(BuildAggregationStreamed, PolygonCountsEqualTheInMemoryCounts) {
  AnalysisInputs inputs;
  inputs.points = seededPoints();
  // Points outside every polygon and without finite coordinates too.
  for (const geo::Point& p :
       {geo::Point{kX0 - 5000, kY0}, geo::Point{NAN, kY0}, geo::Point{kX0 + 20, INFINITY}}) {
    inputs.points->points.push_back(p);
    inputs.points->weights.push_back(2.5);
  }
  PolygonUnits& units = inputs.polygons.emplace();
  units.layer = "buurten";
  for (int i = 0; i < 12; ++i) {  // 3 × 4 squares of 200 m sharing their borders
    units.wkb.push_back(squareWkb(kX0 + 200.0 * (i % 4), kY0 + 200.0 * (i / 4), 200));
    units.keys.push_back("B" + std::to_string(i));
    units.names.push_back(i % 2 ? "buurt " + std::to_string(i) : "");
  }
  units.wkb.push_back(squareWkb(kX0 + 50, kY0 + 50, 300));  // overlaps four of them
  units.keys.push_back("over");
  units.names.push_back("");
  for (bool weighted : {false, true})
    for (geo::BoundaryRule rule : {geo::BoundaryRule::AllCovering, geo::BoundaryRule::FirstCovering,
                                   geo::BoundaryRule::InteriorOnly}) {
      SCOPED_TRACE(::testing::Message() << "weighted " << weighted << ", rule " << int(rule));
      AnalysisInputs use = inputs;
      if (!weighted) use.points->weights.clear();
      AggregationRequest req;
      req.input.weightField = weighted ? "gewicht" : "";
      req.polygonLayer = "buurten";
      req.polygonCounts.boundary = rule;
      const AnalysisResult want = expectStreamedAsInMemory(use, req);
      ASSERT_EQ(want.report.warnings.size(), 1u);  // the points outside are reported
    }
}

TEST(BuildAggregationStreamed, CancelNoRowsAndADenominator) {
  const PointInput in = seededPoints();
  AnalysisInputs units;
  // Cancelled half-way through the points: CancelledError, for the grid (spilled) and polygons.
  for (bool polygons : {false, true}) {
    AggregationRequest req;
    if (polygons) {
      req.polygonLayer = "buurten";
      units.polygons.emplace();
      units.polygons->wkb = {squareWkb(kX0, kY0, 500)};
      units.polygons->keys = {"A"};
    }
    PointStream points = streamOf(in);
    geo::CancellableProgress progress;
    std::size_t seen = 0;
    PointStream cancelling = points;
    cancelling.read = [&](geo::PointSink& sink, geo::Progress& p) {
      struct Halfway final : geo::PointSink {
        geo::PointSink& to;
        geo::CancellableProgress& progress;
        std::size_t& seen;
        Halfway(geo::PointSink& t, geo::CancellableProgress& c, std::size_t& s)
            : to(t), progress(c), seen(s) {}
        void add(const geo::Point& q, double w) override {
          if (++seen == 700) progress.cancel();
          to.add(q, w);
        }
      } halfway(sink, progress, seen);
      points.read(halfway, p);
    };
    EXPECT_THROW(buildAggregationStreamed(cancelling, units, req, progress), geo::CancelledError);
    EXPECT_LT(seen, in.points.size());
  }
  // No rows: the error the in-memory hosts give.
  PointInput none;
  none.layer = "incidenten";
  AggregationRequest grid;
  EXPECT_THROW_WITH(buildAggregationStreamed(streamOf(none), {}, grid), geo::InputError, "no rows");
  // A denominator is counted in memory.
  grid.denominator = PointSelection{"verblijfsobjecten", "", ""};
  EXPECT_FALSE(aggregationStreams(grid));
  EXPECT_THROW_WITH(buildAggregationStreamed(streamOf(in), {}, grid), std::logic_error,
                    "not streamed");
}
