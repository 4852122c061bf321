#include "geo/density/kernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace veldwacht::geo {
namespace {

// ∫ K over the plane by Simpson's rule in polar coordinates: ∫_0^h K(r) 2πr dr.
double integrate(const KernelFunction& k) {
  const int n = 20000;  // even
  const double h = k.radius;
  double sum = 0.0;
  for (int i = 0; i <= n; ++i) {
    const double r = h * i / n;
    const double f = k.value(r * r) * 2 * std::numbers::pi * r;
    sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
  }
  return sum * (h / n) / 3;
}

class KernelTest : public ::testing::TestWithParam<Kernel> {};

TEST_P(KernelTest, PerSquareKmIntegratesToOnePointPerSquareMetreTimesAMillion) {
  const KernelFunction k(GetParam(), 350.0, KernelOutput::PerSquareKm, 0.25);
  EXPECT_NEAR(integrate(k) / 1e6, 1.0, 1e-6);
}

TEST_P(KernelTest, RawIsOneAtTheCentreAndZeroBeyondTheRadius) {
  const KernelFunction k(GetParam(), 200.0, KernelOutput::Raw);
  EXPECT_DOUBLE_EQ(k.value(0.0), 1.0);
  EXPECT_EQ(k.value(200.0 * 200.0 * 1.0001), 0.0);
}

TEST_P(KernelTest, QgisScaledMatchesQgisConstants) {
  // QGIS's constants integrate to 1 except the quartic's, 116/(5π)·15/16 = 21.75/π instead of 3/π.
  const KernelFunction k(GetParam(), 120.0, KernelOutput::QgisScaled, 0.0);
  const double expected = GetParam() == Kernel::Quartic ? 21.75 / 3.0 : 1.0;
  EXPECT_NEAR(integrate(k), expected, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(AllKernels, KernelTest,
                         ::testing::Values(Kernel::Quartic, Kernel::Triangular, Kernel::Uniform,
                                           Kernel::Triweight, Kernel::Epanechnikov,
                                           Kernel::Gaussian),
                         [](const ::testing::TestParamInfo<Kernel>& param) {
                           return std::string(kernelName(param.param));
                         });

TEST(Kernels, RawShapesAtHalfTheRadius) {
  const double h = 100.0, d2 = 50.0 * 50.0;
  EXPECT_DOUBLE_EQ(KernelFunction(Kernel::Quartic, h, KernelOutput::Raw).value(d2), 0.5625);
  EXPECT_DOUBLE_EQ(KernelFunction(Kernel::Triweight, h, KernelOutput::Raw).value(d2), 0.421875);
  EXPECT_DOUBLE_EQ(KernelFunction(Kernel::Epanechnikov, h, KernelOutput::Raw).value(d2), 0.75);
  EXPECT_DOUBLE_EQ(KernelFunction(Kernel::Uniform, h, KernelOutput::Raw).value(d2), 1.0);
  EXPECT_DOUBLE_EQ(KernelFunction(Kernel::Triangular, h, KernelOutput::Raw).value(d2), 0.5);
  // Decay 0.4: 1 − 0.6 · 0.5.
  EXPECT_DOUBLE_EQ(KernelFunction(Kernel::Triangular, h, KernelOutput::Raw, 0.4).value(d2), 0.7);
  // Gaussian σ = h/3: exp(−(50)²/(2·(100/3)²)) = exp(−1.125).
  EXPECT_NEAR(KernelFunction(Kernel::Gaussian, h, KernelOutput::Raw).value(d2), std::exp(-1.125),
              1e-15);
}

TEST(Kernels, NegativeDecayIsLeftUnscaledLikeQgis) {
  const KernelFunction raw(Kernel::Triangular, 100.0, KernelOutput::Raw, -0.5);
  const KernelFunction scaled(Kernel::Triangular, 100.0, KernelOutput::QgisScaled, -0.5);
  EXPECT_DOUBLE_EQ(raw.value(2500.0), scaled.value(2500.0));
}

}  // namespace
}  // namespace veldwacht::geo
