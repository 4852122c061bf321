#include "layers/analyses/density.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "geo/density/geotiff.h"
#include "tests/geo/expect_error.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;

namespace {
std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(RunDensity, WritesARegisteredGeoTiffWhoseMassIsThePointCountWithItsStyleSidecar) {
  TempDir dir;
  std::vector<Record> recs;
  for (int i = 0; i < 4; ++i) recs.push_back(signalRecord(i, at(kX0 + 300.0 * i, kY0)));
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  DensityRequest req;
  req.output = "kde";
  req.kde.radius = 100;
  req.kde.pixelSize = 5;
  const RunReport report = runDensity(*store, req);
  const std::string tif = dir.file("t_kde.tif");
  ASSERT_TRUE(std::filesystem::exists(tif));
  EXPECT_EQ(report.files.front(), tif);

  const geo::Raster raster = geo::readRaster(tif);
  double mass = 0, max = 0;
  for (double v : raster.values)
    if (v != raster.nodata) mass += v, max = std::max(max, v);
  // Per km²: the integral of each kernel is 1 point; pixels of 5 m = 2.5e-5 km².
  EXPECT_NEAR(mass * 25e-6, 4.0, 0.05);

  EXPECT_GT(max, 0.0);
  EXPECT_EQ(slurp(dir.file("t_kde.qml")),
            slurp(std::string(VELDWACHT_SOURCE_DIR) + "/styles/results/density.qml"));

  bool registered = false;
  for (const auto& r : listResults(*store))
    if (r.file == "t_kde.tif" && r.metadata.algorithm == "kde" && r.style == "density")
      registered = true;
  EXPECT_TRUE(registered);
}

TEST(RunDensity, DualKdeOfAPatternOverItselfIsAsExpectedEverywhere) {
  TempDir dir;
  std::vector<Record> recs;
  for (int i = 0; i < 5; ++i) recs.push_back(signalRecord(i, at(kX0 + 50.0 * i, kY0 + 20.0 * i)));
  auto store = storeWith(dir, batch("signalen", std::move(recs)));
  DensityRequest req;
  req.output = "dual";
  req.denominator = PointSelection{"signalen", "", ""};
  req.kde.radius = 150;
  req.kde.pixelSize = 10;
  runDensity(*store, req);
  const geo::Raster raster = geo::readRaster(dir.file("t_dual.tif"));
  EXPECT_EQ(slurp(dir.file("t_dual.qml")),
            slurp(std::string(VELDWACHT_SOURCE_DIR) + "/styles/results/dual_density.qml"));
  std::size_t defined = 0;
  for (double v : raster.values)
    if (v != raster.nodata) {
      ++defined;
      EXPECT_NEAR(v, 0.0, 1e-6);
    }
  EXPECT_GT(defined, 100u);
}

TEST(BuildDensity, PointsAHostReadGiveTheSurfaceWithoutWritingAFile) {
  // The plugin's path: the builder returns the raster with its GeoTIFF metadata and style; the
  // host writes it. Four points, per km²: the mass is the point count.
  TempDir dir;
  AnalysisInputs inputs;
  PointInput& in = inputs.points.emplace();
  in.layer = "signalen";
  for (int i = 0; i < 4; ++i) {
    in.points.push_back({kX0 + 300.0 * i, kY0});
    in.keys.push_back(std::to_string(i));
  }
  DensityRequest req;
  req.output = "kde";
  req.kde.radius = 100;
  req.kde.pixelSize = 5;
  req.directory = dir.path().string();
  const AnalysisResult result = buildDensity(inputs, req);
  EXPECT_TRUE(result.layers.empty());
  ASSERT_TRUE(result.raster.has_value());
  const RasterResult& r = *result.raster;
  EXPECT_EQ(r.name, "kde");
  EXPECT_EQ(r.style, "density");
  EXPECT_EQ(r.tiffMetadata.at("VELDWACHT_ALGORITHM"), "kde");
  EXPECT_EQ(r.tiffMetadata.at("VELDWACHT_INPUT"), "signalen");
  EXPECT_EQ(r.metadata.algorithm, "kde");
  EXPECT_EQ(r.metadata.inputRows, 4);
  double mass = 0;
  for (double v : r.raster.values)
    if (v != r.raster.nodata) mass += v;
  EXPECT_NEAR(mass * 25e-6, 4.0, 0.05);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));

  // A dual KDE needs its denominator.
  req.denominator = PointSelection{"verblijfsobjecten", "", ""};
  EXPECT_THROW_WITH(buildDensity(inputs, req), std::logic_error, "no denominator");
}

namespace {
/// Puts the streamed raster result together again.
class Collect final : public RasterResultSink {
 public:
  void begin(const RasterResult& header) override {
    EXPECT_TRUE(header.raster.values.empty());
    result = header;
    result.raster.values.assign(header.raster.grid.size(), -1.0);
  }
  void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) override {
    const auto cols = std::size_t(result.raster.grid.cols);
    EXPECT_EQ(values.size(), std::size_t(rowEnd - rowBegin) * cols);
    std::copy(values.begin(), values.end(),
              result.raster.values.begin() + std::ptrdiff_t(std::size_t(rowBegin) * cols));
  }
  RasterResult result;
};
}  // namespace

// A host that streams its points (the plugin on a GeoPackage) gets buildDensity's surface bit
// for bit, with the same GeoTIFF metadata, style, registry metadata and report; weights and a
// mask too. The CLI's buildDensity runs the same parameter, result and report code.
TEST(BuildDensity, TheStreamedBuilderGivesBuildDensitysResult) {
  AnalysisInputs inputs;
  PointInput& in = inputs.points.emplace();
  in.layer = "signalen";
  in.where = "categorie = 'HENNEP'";
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> ux(kX0, kX0 + 900), uy(kY0, kY0 + 700), uw(0, 3);
  for (int i = 0; i < 700; ++i) {
    in.points.push_back({ux(rng), uy(rng)});
    in.weights.push_back(uw(rng));
  }
  const double x0 = kX0 + 100, y0 = kY0 + 100;
  inputs.mask.push_back({1, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0});  // a square, WKB
  for (double v : {x0, y0, x0 + 600, y0, x0 + 600, y0 + 500, x0, y0 + 500, x0, y0}) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
    inputs.mask.back().insert(inputs.mask.back().end(), b, b + 8);
  }
  for (bool weighted : {false, true}) {
    for (bool masked : {false, true}) {
      for (geo::PixelPlacement placement :
           {geo::PixelPlacement::Exact, geo::PixelPlacement::QgisHeatmap}) {
        AnalysisInputs use = inputs;
        if (!weighted) use.points->weights.clear();
        if (!masked) use.mask.clear();
        DensityRequest req;
        req.input.weightField = weighted ? "gewicht" : "";
        req.maskLayer = masked ? "gebied" : "";
        req.kde.radius = 120;
        req.kde.pixelSize = 15;
        req.kde.placement = placement;
        req.kde.threads = 2;
        ASSERT_TRUE(densityStreams(req));
        const AnalysisResult want = buildDensity(use, req);

        geo::SpanPasses passes(use.points->points, use.points->weights, 100);
        geo::Extent extent;
        for (const geo::Point& p : use.points->points) extent.include(p);
        PointInput about;
        about.layer = in.layer;
        about.where = in.where;
        StreamedPoints points{passes, extent, use.points->size(), about};
        Collect sink;
        const AnalysisResult got = buildDensityStreamed(points, use.mask, req, sink);
        ASSERT_TRUE(got.raster && want.raster);
        EXPECT_TRUE(got.raster->raster.values.empty());
        EXPECT_EQ(sink.result.raster.values, want.raster->raster.values)
            << "weighted " << weighted << ", masked " << masked;
        EXPECT_EQ(sink.result.raster.grid, want.raster->raster.grid);
        EXPECT_EQ(sink.result.raster.metadata, want.raster->raster.metadata);
        EXPECT_EQ(sink.result.raster.units, want.raster->raster.units);
        EXPECT_EQ(sink.result.tiffMetadata, want.raster->tiffMetadata);
        EXPECT_EQ(got.raster->tiffMetadata, want.raster->tiffMetadata);
        EXPECT_EQ(sink.result.style, want.raster->style);
        EXPECT_EQ(got.raster->metadata.inputRows, want.raster->metadata.inputRows);
        EXPECT_EQ(got.raster->metadata.parametersJson, want.raster->metadata.parametersJson);
        EXPECT_EQ(got.report.lines, want.report.lines);
        EXPECT_EQ(got.report.warnings, want.report.warnings);
      }
    }
  }
  DensityRequest dual;
  dual.denominator = PointSelection{"verblijfsobjecten", "", ""};
  EXPECT_FALSE(densityStreams(dual));
  geo::SpanPasses none({}, {});
  StreamedPoints nothing{none, {}, 0, {}};
  Collect sink;
  EXPECT_THROW_WITH(buildDensityStreamed(nothing, {}, dual, sink), std::logic_error,
                    "not streamed");
}
