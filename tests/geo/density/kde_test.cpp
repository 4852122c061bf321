#include "geo/density/kde.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

namespace veldwacht::geo {
namespace {

std::vector<Point> randomPoints(std::size_t n, unsigned seed, double x0 = 155000,
                                double y0 = 463000, double w = 1500, double h = 1100) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(x0, x0 + w), uy(y0, y0 + h);
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {ux(rng), uy(rng)};
  return pts;
}

void expectRelativelyEqual(const Raster& a, const Raster& b, double rel) {
  ASSERT_EQ(a.grid, b.grid);
  ASSERT_EQ(a.values.size(), b.values.size());
  double maxAbs = 0;
  for (double v : b.values) maxAbs = std::max(maxAbs, std::abs(v));
  ASSERT_GT(maxAbs, 0.0);
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    ASSERT_NEAR(a.values[i], b.values[i],
                rel * std::max(std::abs(b.values[i]), 1e-300) + 1e-12 * maxAbs)
        << "pixel " << i;
  }
}

TEST(KdeGrid, FollowsQgisExtentAndRoundingConvention) {
  // Data extent x 1000..1230, y 2000..2110; radius 100 → bounds 900..1330 × 1900..2210.
  // cols = ceil(430/30) + 1 = 16, rows = ceil(310/30) + 1 = 12; origin top-left (900, 2210).
  const std::vector<Point> pts = {{1000, 2000}, {1230, 2110}, {1100, 2050}};
  KdeOptions o;
  o.radius = 100;
  o.pixelSize = 30;
  const KdeLayout l = kdeLayout(pts, o);
  EXPECT_DOUBLE_EQ(l.grid.originX, 900);
  EXPECT_DOUBLE_EQ(l.grid.originY, 2210);
  EXPECT_EQ(l.grid.cols, 16);
  EXPECT_EQ(l.grid.rows, 12);
  EXPECT_DOUBLE_EQ(l.boundsMinY, 1900);
  EXPECT_DOUBLE_EQ(l.grid.centreX(0), 915);
  EXPECT_DOUBLE_EQ(l.grid.centreY(0), 2195);
}

TEST(KdeGrid, StudyExtentSetsTheGrid) {
  KdeOptions o;
  o.pixelSize = 40;
  o.studyExtent = {0, 0, 1000, 810};
  const KdeLayout l = kdeLayout({}, o);
  EXPECT_EQ(l.grid.cols, 25);
  EXPECT_EQ(l.grid.rows, 21);
  EXPECT_DOUBLE_EQ(l.grid.originY, 810);
}

TEST(Kde, SinglePointGivesTheKernelShapeAtPixelCentres) {
  const Point p{1012.3, 2047.9};
  KdeOptions o;
  o.radius = 150;
  o.pixelSize = 10;
  o.kernel = Kernel::Quartic;
  o.output = KernelOutput::Raw;
  const Raster r = kernelDensity(std::span(&p, 1), {}, o).raster;
  int inside = 0;
  for (std::int32_t row = 0; row < r.grid.rows; ++row) {
    for (std::int32_t col = 0; col < r.grid.cols; ++col) {
      const double dx = r.grid.originX + (col + 0.5) * 10 - p.x;
      const double dy = r.grid.originY - (row + 0.5) * 10 - p.y;
      const double u2 = (dx * dx + dy * dy) / (150.0 * 150.0);
      const double expected = u2 <= 1 ? (1 - u2) * (1 - u2) : 0.0;
      inside += u2 <= 1;
      ASSERT_NEAR(r.at(col, row), expected, 1e-12);
    }
  }
  EXPECT_GT(inside, 600);  // ≈ π·15² pixels
}

TEST(Kde, PerSquareKmSurfaceIntegratesToTheNumberOfPoints) {
  const auto pts = randomPoints(5, 1, 0, 0, 300, 300);
  KdeOptions o;
  o.radius = 120;
  o.pixelSize = 2;
  o.kernel = Kernel::Epanechnikov;
  const Raster r = kernelDensity(pts, {}, o).raster;
  double sum = 0;
  for (double v : r.values) sum += v;
  EXPECT_NEAR(sum * 4.0 / 1e6, 5.0, 5e-3);
}

struct FastCase {
  Kernel kernel;
  KernelOutput output;
  PixelPlacement placement;
  bool weighted;
};

class KdeFastPathTest : public ::testing::TestWithParam<FastCase> {};

TEST_P(KdeFastPathTest, EqualsTheDirectSum) {
  const FastCase c = GetParam();
  const auto pts = randomPoints(250, 42);
  std::vector<double> w;
  if (c.weighted) {
    std::mt19937_64 rng(9);
    std::uniform_real_distribution<double> u(0.1, 5.0);
    for (std::size_t i = 0; i < pts.size(); ++i) w.push_back(u(rng));
  }
  KdeOptions o;
  o.radius = 130;
  o.pixelSize = 20;
  o.kernel = c.kernel;
  o.output = c.output;
  o.decay = c.kernel == Kernel::Triangular ? 0.3 : 0.0;
  o.placement = c.placement;
  o.threads = 2;
  const Raster fast = kernelDensity(pts, w, o).raster;
  const Raster direct = kernelDensityDirect(pts, w, o).raster;
  expectRelativelyEqual(fast, direct, 1e-9);
}

INSTANTIATE_TEST_SUITE_P(
    Kernels, KdeFastPathTest,
    ::testing::Values(
        FastCase{Kernel::Quartic, KernelOutput::Raw, PixelPlacement::Exact, false},
        FastCase{Kernel::Quartic, KernelOutput::QgisScaled, PixelPlacement::QgisHeatmap, true},
        FastCase{Kernel::Triangular, KernelOutput::PerSquareKm, PixelPlacement::Exact, true},
        FastCase{Kernel::Triangular, KernelOutput::Raw, PixelPlacement::QgisHeatmap, false},
        FastCase{Kernel::Uniform, KernelOutput::Raw, PixelPlacement::Exact, true},
        FastCase{Kernel::Uniform, KernelOutput::QgisScaled, PixelPlacement::QgisHeatmap, false},
        FastCase{Kernel::Triweight, KernelOutput::PerSquareKm, PixelPlacement::Exact, false},
        FastCase{Kernel::Triweight, KernelOutput::Raw, PixelPlacement::QgisHeatmap, true},
        FastCase{Kernel::Epanechnikov, KernelOutput::QgisScaled, PixelPlacement::Exact, true},
        FastCase{Kernel::Epanechnikov, KernelOutput::Raw, PixelPlacement::QgisHeatmap, false},
        FastCase{Kernel::Gaussian, KernelOutput::PerSquareKm, PixelPlacement::Exact, true}));

TEST(KdeVariableRadius, EqualsTheDirectSumInBothPlacements) {
  const auto pts = randomPoints(200, 31);
  std::mt19937_64 rng(32);
  std::uniform_real_distribution<double> u(40, 190);
  std::vector<double> radii(pts.size());
  for (double& r : radii) r = u(rng);
  for (PixelPlacement pl : {PixelPlacement::Exact, PixelPlacement::QgisHeatmap}) {
    for (Kernel k : {Kernel::Quartic, Kernel::Gaussian}) {
      KdeOptions o;
      o.pixelSize = 20;
      o.kernel = k;
      o.placement = pl;
      o.threads = 2;
      const Raster fast = kernelDensityVariableRadius(pts, {}, radii, o).raster;
      expectRelativelyEqual(fast, kernelDensityDirect(pts, {}, o, radii).raster, 1e-9);
    }
  }
}

TEST(KdeVariableRadius, ConstantRadiiGiveTheFixedRadiusSurface) {
  const auto pts = randomPoints(100, 33);
  KdeOptions o;
  o.radius = 150;
  o.pixelSize = 25;
  const std::vector<double> radii(pts.size(), 150.0);
  EXPECT_EQ(kernelDensityVariableRadius(pts, {}, radii, o).raster.values,
            kernelDensity(pts, {}, o).raster.values);
  const std::vector<double> bad = {1.0};
  EXPECT_THROW_WITH(kernelDensityVariableRadius(pts, {}, bad, o), InputError,
                    "field 'radius': need one radius per point (100), got 1");  // as weights
  std::vector<double> zero(pts.size(), 150.0);
  zero[7] = 0;
  EXPECT_THROW_WITH(kernelDensityVariableRadius(pts, {}, zero, o), InputError,
                    "row 8, field 'radius': radius must be > 0");
}

TEST(Kde, ResultsAreIdenticalForAnyThreadCount) {
  const auto pts = randomPoints(3000, 5, 0, 0, 4000, 9000);
  KdeOptions o;
  o.radius = 300;
  o.pixelSize = 25;
  o.threads = 1;
  const Raster one = kernelDensity(pts, {}, o).raster;
  for (int t : {2, 3, 7}) {
    o.threads = t;
    const Raster many = kernelDensity(pts, {}, o).raster;
    EXPECT_EQ(many.values, one.values) << t << " threads";
  }
  o.method = KdeMethod::Binned;
  o.threads = 1;
  const Raster binnedOne = kernelDensity(pts, {}, o).raster;
  o.threads = 2;
  EXPECT_EQ(kernelDensity(pts, {}, o).raster.values, binnedOne.values);
}

// One thread adds each point straight to the raster (no band lists); more threads sum bands.
// Both give every pixel the same additions in the same order: bit-identical, also with weights,
// per-point radii, QGIS's placement, points off the grid and non-finite points.
TEST(Kde, OneThreadPointwiseEqualsTheBandsBitForBit) {
  auto pts = randomPoints(4000, 41, 0, 0, 3000, 7000);
  pts[17] = {std::nan(""), 5.0};
  pts[99] = {1e300, 1e300};
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> uw(0.0, 3.0), ur(60, 240);
  std::vector<double> w(pts.size()), radii(pts.size());
  for (double& v : w) v = uw(rng);
  for (double& r : radii) r = ur(rng);
  KdeOptions o;
  o.radius = 210;
  o.pixelSize = 30;
  o.studyExtent = {0, 0, 3000, 7000};  // the far point stays out of the grid
  for (PixelPlacement pl : {PixelPlacement::Exact, PixelPlacement::QgisHeatmap}) {
    o.placement = pl;
    o.threads = 1;
    const Raster one = kernelDensity(pts, w, o).raster;
    const Raster oneVar = kernelDensityVariableRadius(pts, w, radii, o).raster;
    o.threads = 2;
    const Raster two = kernelDensity(pts, w, o).raster;
    const Raster twoVar = kernelDensityVariableRadius(pts, w, radii, o).raster;
    ASSERT_GT(*std::max_element(one.values.begin(), one.values.end()), 0.0);
    EXPECT_EQ(one.values, two.values);
    EXPECT_EQ(oneVar.values, twoVar.values);
  }
}

// ---- the streamed KDE ----------------------------------------------------------------------

/// The streamed surface's bands put together.
struct Collected {
  KdeResult result;
  Raster header;
  std::vector<double> values;
  std::vector<std::int32_t> bandStarts;
};

/// Collects the bands; checks that the header comes first and the rows in order.
class Collector final : public RasterRowSink {
 public:
  explicit Collector(Collected& c) : c_(c) {}
  void begin(const Raster& header) override {
    EXPECT_FALSE(begun_);
    begun_ = true;
    c_.header = header;
    c_.values.assign(header.grid.size(), -1.0);
  }
  void rows(std::int32_t r0, std::int32_t r1, std::span<const double> v) override {
    ASSERT_TRUE(begun_);
    const std::int32_t cols = c_.header.grid.cols;
    EXPECT_EQ(r0, c_.bandStarts.empty() ? 0 : next_);
    EXPECT_EQ(v.size(), std::size_t(r1 - r0) * std::size_t(cols));
    c_.bandStarts.push_back(r0);
    next_ = r1;
    std::copy(v.begin(), v.end(), c_.values.begin() + std::ptrdiff_t(r0) * cols);
  }

 private:
  Collected& c_;
  bool begun_ = false;
  std::int32_t next_ = 0;
};

Collected streamed(PointPasses& passes, const KdeOptions& o, const KdeLayout& layout,
                   std::int32_t bandRows, Progress& progress = nullProgress()) {
  Collected c;
  Collector sink(c);
  c.result = kernelDensityStreamed(passes, o, layout, sink, bandRows, progress);
  EXPECT_EQ(c.header.metadata, c.result.raster.metadata);
  return c;
}

// Each band visits the points in input order with the one-thread loop: every pixel is
// bit-identical to kernelDensity (one thread or bands in parallel), whatever the chunk size,
// band height, placement, weights, mask, and with points off the grid or not finite.
TEST(KdeStreamed, EqualsKernelDensityBitForBit) {
  auto pts = randomPoints(3000, 77, 0, 0, 3000, 5000);
  pts[5] = {std::nan(""), 10.0};
  pts[600] = {-1e9, 4e9};  // finite, far away: counted, adds nothing
  std::mt19937_64 rng(78);
  std::uniform_real_distribution<double> uw(0.0, 2.5);
  std::vector<double> w(pts.size());
  for (double& v : w) v = uw(rng);
  // Triangle mask (0,0) (3000,0) (0,5000), little-endian WKB.
  std::vector<std::uint8_t> wkb = {1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0};
  for (double v : {0.0, 0.0, 3000.0, 0.0, 0.0, 5000.0, 0.0, 0.0}) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
    wkb.insert(wkb.end(), b, b + 8);
  }
  KdeOptions o;
  o.radius = 230;
  o.pixelSize = 35;
  o.studyExtent = {-100, -50, 3100, 5020};
  for (PixelPlacement pl : {PixelPlacement::Exact, PixelPlacement::QgisHeatmap}) {
    for (bool weighted : {false, true}) {
      for (bool masked : {false, true}) {
        o.placement = pl;
        o.maskWkb = masked ? wkb : std::vector<std::uint8_t>{};
        const std::span<const double> ws =
            weighted ? std::span<const double>(w) : std::span<const double>();
        o.threads = 1;
        const KdeResult one = kernelDensity(pts, ws, o);
        o.threads = 2;
        const KdeResult two = kernelDensity(pts, ws, o);
        ASSERT_EQ(one.raster.values, two.raster.values);
        ASSERT_GT(*std::max_element(one.raster.values.begin(), one.raster.values.end()), 0.0);
        const KdeLayout layout = kdeLayout(pts, o);
        for (std::size_t chunk :
             {std::size_t(1), std::size_t(7), std::size_t(1000), std::size_t(5000)}) {
          for (std::int32_t bandRows : {1, 9, 64, 1000}) {
            SpanPasses passes(pts, ws, chunk);
            const Collected c = streamed(passes, o, layout, bandRows);
            EXPECT_EQ(c.values, one.raster.values)
                << "chunk " << chunk << ", bands of " << bandRows << ", weighted " << weighted
                << ", masked " << masked;
            EXPECT_EQ(c.result.pointsUsed, one.pointsUsed);
            EXPECT_EQ(c.result.totalWeight, one.totalWeight);
            EXPECT_EQ(c.result.raster.metadata, one.raster.metadata);
            EXPECT_EQ(c.result.raster.units, one.raster.units);
            EXPECT_EQ(c.result.raster.description, one.raster.description);
            EXPECT_TRUE(c.result.raster.values.empty());
          }
        }
      }
    }
  }
}

// The data extent a host collects while it streams gives kernelDensity's own grid; the points
// spilled to a temporary file (in chunks, weighted or not) give the same surface.
TEST(KdeStreamed, SpilledPointsGiveTheSameSurfaceOnTheDataGrid) {
  auto pts = randomPoints(2500, 91, 120000, 480000, 2200, 1700);
  pts[3] = {std::nan(""), std::nan("")};
  std::vector<double> w(pts.size());
  for (std::size_t i = 0; i < w.size(); ++i) w[i] = double(i % 5) * 0.5;
  KdeOptions o;
  o.radius = 180;
  o.pixelSize = 20;
  o.output = KernelOutput::Raw;
  for (bool weighted : {false, true}) {
    const std::span<const double> ws =
        weighted ? std::span<const double>(w) : std::span<const double>();
    const KdeResult want = kernelDensity(pts, ws, o);
    PointSpill spill(weighted, ::testing::TempDir(), 333);
    for (std::size_t i = 0; i < pts.size(); ++i) spill.add(pts[i], weighted ? w[i] : 1.0);
    EXPECT_EQ(spill.size(), pts.size());
    const KdeLayout layout = kdeLayoutForExtent(spill.extent(), o);
    EXPECT_EQ(layout.grid, want.raster.grid);
    EXPECT_EQ(layout.boundsMinY, kdeLayout(pts, o).boundsMinY);
    const Collected c = streamed(spill, o, layout, 50);
    EXPECT_EQ(c.values, want.raster.values) << "weighted " << weighted;
    EXPECT_EQ(c.result.totalWeight, want.totalWeight);
    EXPECT_EQ(c.bandStarts.size(), std::size_t((layout.grid.rows + 49) / 50));
    // A second run reads the file again from the start.
    EXPECT_EQ(streamed(spill, o, layout, 1000).values, want.raster.values);
  }
}

/// Cancels once `after` bands have been reported.
class CancelAfter final : public Progress {
 public:
  explicit CancelAfter(int after) : after_(after) {}
  void setFraction(double f) override {
    if (f > 0 && ++reports_ >= after_) cancelled_ = true;
  }
  bool isCancelled() const override { return cancelled_; }
  int reports() const { return reports_; }

 private:
  int after_;
  int reports_ = 0;
  bool cancelled_ = false;
};

TEST(KdeStreamed, ReportsProgressPerBandAndStopsOnCancel) {
  const auto pts = randomPoints(500, 3);
  KdeOptions o;
  o.radius = 100;
  o.pixelSize = 10;
  const KdeLayout layout = kdeLayout(pts, o);
  ASSERT_GT(layout.grid.rows, 40);
  SpanPasses passes(pts, {}, 64);
  CancelAfter progress(2);
  Collected c;
  Collector sink(c);
  EXPECT_THROW_WITH(kernelDensityStreamed(passes, o, layout, sink, 10, progress), CancelledError,
                    "cancelled");
  EXPECT_EQ(c.bandStarts.size(), 2u);  // the third band's first chunk saw the cancel
  EXPECT_EQ(progress.reports(), 2);
}

TEST(KdeStreamed, RefusesTheBinnedMethodAndBadWeights) {
  const auto pts = randomPoints(20, 9);
  KdeOptions o;
  const KdeLayout layout = kdeLayout(pts, o);
  Collected c;
  Collector none(c);
  SpanPasses passes(pts, {});
  o.method = KdeMethod::Binned;
  EXPECT_THROW_WITH(kernelDensityStreamed(passes, o, layout, none), OptionError, "exact method");
  std::vector<double> w(pts.size(), 1.0);
  w[4] = std::nan("");
  EXPECT_THROW_WITH(SpanPasses(pts, w), InputError, "weight is not a number");
}

TEST(Kde, BinnedEqualsTheDirectSumOfPointsSnappedToPixelCentres) {
  const auto pts = randomPoints(400, 8);
  KdeOptions o;
  o.radius = 110;
  o.pixelSize = 20;
  o.method = KdeMethod::Binned;
  o.threads = 2;
  expectRelativelyEqual(kernelDensity(pts, {}, o).raster, kernelDensityDirect(pts, {}, o).raster,
                        1e-9);
}

TEST(Kde, StudyExtentCountsPointsOutsideItAndMaskSetsNodataOutside) {
  // Points around a study square; a triangle mask inside it.
  const auto pts = randomPoints(300, 4, -200, -200, 1400, 1400);
  KdeOptions o;
  o.radius = 150;
  o.pixelSize = 25;
  o.studyExtent = {0, 0, 1000, 1000};
  const Raster open = kernelDensity(pts, {}, o).raster;
  EXPECT_EQ(open.grid.cols, 40);
  // A pixel at the study edge gets contributions from points outside the extent.
  const Raster direct = kernelDensityDirect(pts, {}, o).raster;
  expectRelativelyEqual(open, direct, 1e-9);

  // Triangle (0,0) (1010,0) (0,1010) as little-endian WKB (no pixel centre on its edge).
  std::vector<std::uint8_t> wkb = {1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0};
  for (double v : {0.0, 0.0, 1010.0, 0.0, 0.0, 1010.0, 0.0, 0.0}) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v);
    wkb.insert(wkb.end(), b, b + 8);
  }
  o.maskWkb = wkb;
  const Raster masked = kernelDensity(pts, {}, o).raster;
  ASSERT_EQ(masked.grid, open.grid);
  int nodata = 0;
  for (std::int32_t row = 0; row < masked.grid.rows; ++row) {
    for (std::int32_t col = 0; col < masked.grid.cols; ++col) {
      const double x = masked.grid.centreX(col), y = masked.grid.centreY(row);
      if (x + y < 1010) {
        EXPECT_EQ(masked.at(col, row), open.at(col, row));
      } else {
        EXPECT_EQ(masked.at(col, row), masked.nodata);
        ++nodata;
      }
    }
  }
  EXPECT_EQ(nodata, 40 * 39 / 2);  // centres (12.5+25i, 12.5+25j) with i + j >= 40
}

TEST(Kde, IgnoresFarAwayAndNonFinitePoints) {
  std::vector<Point> pts = {{500, 500}, {1e15, -1e15}, {std::nan(""), 3}, {-1e300, 1e300}};
  for (PixelPlacement pl : {PixelPlacement::Exact, PixelPlacement::QgisHeatmap}) {
    KdeOptions o;
    o.radius = 100;
    o.pixelSize = 10;
    o.studyExtent = {0, 0, 1000, 1000};
    o.output = KernelOutput::Raw;
    o.placement = pl;
    const KdeResult r = kernelDensity(pts, {}, o);
    const KdeResult one = kernelDensity(std::span(pts.data(), 1), {}, o);
    EXPECT_EQ(r.raster.values, one.raster.values);
    EXPECT_EQ(r.pointsUsed, 3u);  // finite coordinates
  }
}

TEST(SilvermanRadius, FollowsTheSpatialRuleOfThumb) {
  // Four points 100 m from their mean centre: SD = 100, Dm = 100, √(1/ln 2)·Dm = 120.1;
  // radius = 0.9 · 100 · 4^(−0.2) = 68.21.
  const std::vector<Point> pts = {{100, 0}, {-100, 0}, {0, 100}, {0, -100}};
  EXPECT_NEAR(silvermanRadius(pts), 0.9 * 100 * std::pow(4.0, -0.2), 1e-9);
  // Weights count as points: doubling every weight = n 8.
  const std::vector<double> w(4, 2.0);
  EXPECT_NEAR(silvermanRadius(pts, w), 0.9 * 100 * std::pow(8.0, -0.2), 1e-9);
  // A far outlier inflates SD (40000) but not the median distance: the mean centre is
  // (20004, 4) and the third-smallest distance, from (0, 0), is √(20004² + 4²).
  const std::vector<Point> skew = {{0, 0}, {10, 0}, {0, 10}, {10, 10}, {100000, 0}};
  EXPECT_NEAR(silvermanRadius(skew),
              0.9 * std::sqrt(1 / std::log(2.0)) * std::hypot(20004.0, 4.0) * std::pow(5.0, -0.2),
              1e-6);
  EXPECT_THROW_WITH(silvermanRadius(std::vector<Point>{{1, 1}, {1, 1}}), InputError,
                    "all points coincide");
}

TEST(Kde, RecordsUnitsAndParametersInMetadata) {
  const auto pts = randomPoints(10, 2);
  KdeOptions o;
  o.kernel = Kernel::Triweight;
  const KdeResult r = kernelDensity(pts, {}, o);
  EXPECT_EQ(r.pointsUsed, 10u);
  EXPECT_EQ(r.raster.units, "points per km2");
  EXPECT_EQ(r.raster.metadata.at("KERNEL"), "triweight");
  EXPECT_EQ(r.raster.metadata.at("UNITS"), "points per km2");
}

TEST(Kde, CancelThrows) {
  const auto pts = randomPoints(100, 2);
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW_WITH(kernelDensity(pts, {}, KdeOptions{}, progress), CancelledError, "cancelled");
}

TEST(KdeOptions, RejectsInvalidValues) {
  KdeOptions o;
  o.radius = 0;
  EXPECT_OPTION_ERROR(o.validate(), "radius");
  o = {};
  o.pixelSize = -1;
  EXPECT_OPTION_ERROR(o.validate(), "pixelSize");
  o = {};
  o.kernel = Kernel::Triangular;
  o.decay = -0.5;
  EXPECT_OPTION_ERROR(o.validate(), "decay");  // per km² needs decay in [0, 1]
  o.output = KernelOutput::Raw;
  EXPECT_NO_THROW(o.validate());
  o = {};
  o.method = KdeMethod::Binned;
  o.placement = PixelPlacement::QgisHeatmap;
  EXPECT_OPTION_ERROR(o.validate(), "method");
  const std::vector<Point> pts(3);
  const std::vector<double> w(2);
  EXPECT_THROW_WITH(kernelDensity(pts, w, KdeOptions{}), InputError,
                    "field 'weight': need one weight per point");  // bad input, not an option
  const std::vector<Point> farApart = {{0, 0}, {1e9, 1e9}};
  EXPECT_OPTION_ERROR(kernelDensity(farApart, {}, KdeOptions{}), "pixelSize");
  const std::vector<double> nan = {1, std::nan(""), 1};
  EXPECT_THROW_WITH(kernelDensity(pts, nan, KdeOptions{}), InputError,
                    "row 2, field 'weight': weight is not a number");
}

}  // namespace
}  // namespace veldwacht::geo
