#include "geo/density/dual_kde.h"

#include <gtest/gtest.h>

#include <random>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

namespace veldwacht::geo {
namespace {

std::vector<Point> randomPoints(std::size_t n, unsigned seed, double x0, double y0, double w,
                                double h) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(x0, x0 + w), uy(y0, y0 + h);
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {ux(rng), uy(rng)};
  return pts;
}

TEST(DualKde, RatioIsNumeratorOverDenominatorOnOneGrid) {
  const auto signals = randomPoints(80, 1, 0, 0, 1000, 1000);
  const auto addresses = randomPoints(400, 2, -300, -300, 1600, 1600);
  DualKdeOptions o;
  o.kde.radius = 200;
  o.kde.pixelSize = 25;
  o.ratioScale = 1000;
  const DualKdeResult r = dualKernelDensity(signals, {}, addresses, {}, o);
  // The grid covers both sets: addresses reach further.
  EXPECT_EQ(r.ratio.grid, r.denominator.grid);
  double minX = 1e300;
  for (const Point& p : addresses) minX = std::min(minX, p.x);
  EXPECT_DOUBLE_EQ(r.ratio.grid.originX, minX - 200);
  // Each surface equals a single KDE on the same grid.
  KdeOptions single = o.kde;
  single.studyExtent = r.ratio.grid.extent();
  const Raster alone = kernelDensity(addresses, {}, single).raster;
  ASSERT_EQ(alone.grid, r.denominator.grid);
  EXPECT_EQ(alone.values, r.denominator.values);
  std::size_t defined = 0;
  for (std::size_t i = 0; i < r.ratio.values.size(); ++i) {
    if (r.denominator.values[i] > 0) {
      ASSERT_DOUBLE_EQ(r.ratio.values[i], r.numerator.values[i] / r.denominator.values[i] * 1000);
      ++defined;
    } else {
      ASSERT_EQ(r.ratio.values[i], r.ratio.nodata);
    }
  }
  EXPECT_GT(defined, r.ratio.values.size() / 2);
}

TEST(DualKde, SmallDenominatorsBecomeNodataOrAreClamped) {
  const std::vector<Point> num = {{0, 0}, {50, 0}};
  const std::vector<Point> den = {{0, 0}};
  DualKdeOptions o;
  o.kde.radius = 100;
  o.kde.pixelSize = 10;
  o.kde.kernel = Kernel::Uniform;
  o.kde.output = KernelOutput::Raw;  // denominator is then "addresses within 100 m": 0 or 1
  o.minDenominator = 0.5;
  const DualKdeResult a = dualKernelDensity(num, {}, den, {}, o);
  std::size_t small = 0;
  for (std::size_t i = 0; i < a.ratio.values.size(); ++i) {
    if (a.denominator.values[i] < 0.5) {
      EXPECT_EQ(a.ratio.values[i], a.ratio.nodata);
      ++small;
    } else {
      EXPECT_EQ(a.ratio.values[i], a.numerator.values[i]);  // den = 1
    }
  }
  EXPECT_EQ(a.nodataPixels, small);
  EXPECT_GT(small, 0u);
  o.rule = SmallDenominator::Clamp;
  const DualKdeResult b = dualKernelDensity(num, {}, den, {}, o);
  for (std::size_t i = 0; i < b.ratio.values.size(); ++i) {
    const double d = std::max(b.denominator.values[i], 0.5);
    EXPECT_EQ(b.ratio.values[i], b.numerator.values[i] / d);
  }
  EXPECT_EQ(b.nodataPixels, 0u);
}

TEST(DualKdeOptions, ClampNeedsAPositiveMinimum) {
  DualKdeOptions o;
  o.rule = SmallDenominator::Clamp;
  EXPECT_THROW_WITH(o.validate(), OptionError,
                    "minDenominator: must be > 0 with the clamp rule, got 0");
  o.minDenominator = -2;
  EXPECT_THROW_WITH(o.validate(), OptionError, "minDenominator: must be >= 0, got -2");
  o.minDenominator = 1;
  EXPECT_NO_THROW(o.validate());
  o.ratioScale = 0;
  EXPECT_THROW_WITH(o.validate(), OptionError, "ratioScale: must be > 0, got 0");
}

}  // namespace
}  // namespace veldwacht::geo
