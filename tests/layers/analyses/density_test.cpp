#include "layers/analyses/density.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
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
