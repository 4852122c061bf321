// Anchor: our KDE in QgisHeatmap placement against QGIS's own heatmap algorithm
// (qgis:heatmapkerneldensityestimation through qgis_process), cell by cell. Skipped when QGIS
// is not installed. Tolerance: QGIS accumulates in Float32 (one read-add-write of a float block
// per point), so values agree to ~1e-6 relative; we allow 1e-4 relative plus 1e-6 of the
// raster's maximum for near-zero cells. QGIS leaves untouched cells as nodata (-9999) where we
// write 0.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

#include "geo/core/gdal.h"
#include "geo/density/geotiff.h"
#include "geo/density/kde.h"

namespace veldwacht::geo {
namespace {

namespace fs = std::filesystem;
constexpr const char* kQgisProcess = "/usr/bin/qgis_process.bin";

class QgisHeatmapAnchor : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kQgisProcess)) return;
    dir_ = fs::temp_directory_path() / ("veldwacht_kde_anchor_" + std::to_string(::getpid()));
    fs::create_directories(dir_ / "home");
    fs::create_directories(dir_ / "runtime");
    fs::permissions(dir_ / "runtime", fs::perms::owner_all);
    // Clustered points (three blobs and a background) in RD New, weights 1..5.
    std::mt19937_64 rng(20240611);
    std::normal_distribution<double> blob(0.0, 60.0);
    std::uniform_real_distribution<double> bx(0, 900), by(0, 700);
    const Point centres[3] = {{155200, 463200}, {155600, 463450}, {155350, 463600}};
    for (int i = 0; i < 150; ++i) {
      Point p;
      if (i % 5 == 4) {
        p = {155000 + bx(rng), 463000 + by(rng)};
      } else {
        const Point& c = centres[i % 3];
        p = {c.x + blob(rng), c.y + blob(rng)};
      }
      points_.push_back(p);
      weights_.push_back(1.0 + i % 5);
      radii_.push_back(60.0 + 10.0 * (i % 9));  // 60..140 m, whole pixels
    }
    writeGpkg((dir_ / "points.gpkg").string());
  }
  static void TearDownTestSuite() {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  void SetUp() override {
    if (!fs::exists(kQgisProcess)) GTEST_SKIP() << kQgisProcess << " not installed";
  }

  static void writeGpkg(const std::string& path) {
    ensureGdalRegistered();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    ASSERT_NE(drv, nullptr);
    DatasetPtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_TRUE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(28992);
    OGRLayer* layer = ds->CreateLayer("points", &srs, wkbPoint, nullptr);
    ASSERT_NE(layer, nullptr);
    OGRFieldDefn field("w", OFTReal);
    layer->CreateField(&field);
    OGRFieldDefn radiusField("r", OFTReal);
    layer->CreateField(&radiusField);
    for (std::size_t i = 0; i < points_.size(); ++i) {
      FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
      f->SetField("w", weights_[i]);
      f->SetField("r", radii_[i]);
      OGRPoint pt(points_[i].x, points_[i].y);
      f->SetGeometry(&pt);
      ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
  }

  /// Runs QGIS's heatmap and returns its raster.
  static Raster runQgis(const std::string& name, const std::string& args) {
    const fs::path out = dir_ / (name + ".tif");
    const std::string cmd = "env QT_QPA_PLATFORM=offscreen HOME='" + (dir_ / "home").string() +
                            "' XDG_RUNTIME_DIR='" + (dir_ / "runtime").string() + "' " +
                            kQgisProcess + " run qgis:heatmapkerneldensityestimation -- INPUT='" +
                            (dir_ / "points.gpkg").string() + "' " + args + " OUTPUT='" +
                            out.string() + "' > '" + (dir_ / (name + ".log")).string() + "' 2>&1";
    const int rc = std::system(cmd.c_str());
    EXPECT_EQ(rc, 0) << cmd;
    return readRaster(out.string());
  }

  static void compare(const Raster& qgis, const Raster& ours) {
    ASSERT_EQ(qgis.grid.cols, ours.grid.cols);
    ASSERT_EQ(qgis.grid.rows, ours.grid.rows);
    EXPECT_NEAR(qgis.grid.originX, ours.grid.originX, 1e-6);
    EXPECT_NEAR(qgis.grid.originY, ours.grid.originY, 1e-6);
    EXPECT_DOUBLE_EQ(qgis.grid.pixelSize, ours.grid.pixelSize);
    double maxValue = 0;
    for (double v : ours.values) maxValue = std::max(maxValue, std::abs(v));
    ASSERT_GT(maxValue, 0);
    std::size_t nonzero = 0;
    for (std::size_t i = 0; i < ours.values.size(); ++i) {
      const double q = qgis.values[i] == qgis.nodata ? 0.0 : qgis.values[i];
      nonzero += q != 0.0;
      ASSERT_NEAR(q, ours.values[i], 1e-4 * std::abs(ours.values[i]) + 1e-6 * maxValue)
          << "col " << i % ours.grid.cols << " row " << i / ours.grid.cols;
    }
    EXPECT_GT(nonzero, ours.values.size() / 4);
  }

  static inline fs::path dir_;
  static inline std::vector<Point> points_;
  static inline std::vector<double> weights_;
  static inline std::vector<double> radii_;
};

KdeOptions qgisOptions(Kernel k, KernelOutput out, double decay = 0.0) {
  KdeOptions o;
  o.radius = 120;
  o.pixelSize = 10;
  o.kernel = k;
  o.output = out;
  o.decay = decay;
  o.placement = PixelPlacement::QgisHeatmap;
  return o;
}

TEST_F(QgisHeatmapAnchor, RawOutputMatchesQgisForEveryKernel) {
  for (int k = 0; k <= 4; ++k) {
    SCOPED_TRACE("kernel " + std::to_string(k));
    const Raster q =
        runQgis("raw" + std::to_string(k),
                "RADIUS=120 PIXEL_SIZE=10 KERNEL=" + std::to_string(k) + " OUTPUT_VALUE=0");
    const Raster ours =
        kernelDensity(points_, {}, qgisOptions(static_cast<Kernel>(k), KernelOutput::Raw)).raster;
    compare(q, ours);
  }
}

TEST_F(QgisHeatmapAnchor, ScaledWeightedOutputMatchesQgis) {
  for (int k : {0, 3}) {  // quartic (QGIS's odd constant) and triweight
    SCOPED_TRACE("kernel " + std::to_string(k));
    const Raster q = runQgis(
        "scaled" + std::to_string(k),
        "RADIUS=120 PIXEL_SIZE=10 WEIGHT_FIELD=w KERNEL=" + std::to_string(k) + " OUTPUT_VALUE=1");
    const Raster ours = kernelDensity(points_, weights_,
                                      qgisOptions(static_cast<Kernel>(k), KernelOutput::QgisScaled))
                            .raster;
    compare(q, ours);
  }
}

TEST_F(QgisHeatmapAnchor, RadiusNotAWholeNumberOfPixelsMatchesQgis) {
  // r = 125, px = 10: QGIS rounds the block to b = 13 pixels and skips the outermost points.
  const Raster q = runQgis("frac", "RADIUS=125 PIXEL_SIZE=10 KERNEL=4 OUTPUT_VALUE=0");
  KdeOptions o = qgisOptions(Kernel::Epanechnikov, KernelOutput::Raw);
  o.radius = 125;
  compare(q, kernelDensity(points_, {}, o).raster);
}

TEST_F(QgisHeatmapAnchor, RadiusFromFieldMatchesQgis) {
  const Raster q =
      runQgis("rfield", "RADIUS=100 RADIUS_FIELD=r PIXEL_SIZE=10 KERNEL=3 OUTPUT_VALUE=1");
  const Raster ours =
      kernelDensityVariableRadius(points_, {}, radii_,
                                  qgisOptions(Kernel::Triweight, KernelOutput::QgisScaled))
          .raster;
  compare(q, ours);
}

TEST_F(QgisHeatmapAnchor, TriangularWithDecayMatchesQgis) {
  const Raster q = runQgis("decay", "RADIUS=120 PIXEL_SIZE=10 KERNEL=1 DECAY=0.4 OUTPUT_VALUE=1");
  const Raster ours =
      kernelDensity(points_, {}, qgisOptions(Kernel::Triangular, KernelOutput::QgisScaled, 0.4))
          .raster;
  compare(q, ours);
}

}  // namespace
}  // namespace veldwacht::geo
