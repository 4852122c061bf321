#include "geo/hotspots/ripley.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

namespace {
Extent square(double side) { return {0.0, 0.0, side, side}; }
std::vector<Point> csr(std::size_t n, unsigned seed, double side = 1000.0) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, side);
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {u(rng), u(rng)};
  return pts;
}
}  // namespace

TEST(Ripley, IsotropicWeightIsOneInsideTwoOnAnEdgeFourInACorner) {
  const Extent r = square(100.0);
  EXPECT_DOUBLE_EQ(ripleyIsotropicWeight({50, 50}, 10.0, r), 1.0);
  EXPECT_NEAR(ripleyIsotropicWeight({50, 0}, 10.0, r), 2.0, 1e-12);
  EXPECT_NEAR(ripleyIsotropicWeight({0, 0}, 10.0, r), 4.0, 1e-12);
  // 5 from one edge, radius 10: arc outside = 2 acos(0.5) = 2 pi / 3, inside 4 pi / 3.
  EXPECT_NEAR(ripleyIsotropicWeight({5, 50}, 10.0, r), 1.5, 1e-12);
}

TEST(Ripley, UncorrectedKEqualsBruteForcePairCount) {
  const auto pts = csr(300, 3);
  const std::vector<double> ds{20.0, 50.0, 100.0};
  const auto res = ripleyK(pts, {.studyArea = square(1000.0),
                                 .distances = ds,
                                 .edgeCorrection = EdgeCorrection::None,
                                 .simulations = 0});
  for (std::size_t b = 0; b < ds.size(); ++b) {
    double pairs = 0.0;
    for (std::size_t i = 0; i < pts.size(); ++i)
      for (std::size_t j = 0; j < pts.size(); ++j)
        if (i != j && std::hypot(pts[i].x - pts[j].x, pts[i].y - pts[j].y) <= ds[b]) pairs += 1.0;
    const double k = 1e6 * pairs / (300.0 * 299.0);
    EXPECT_NEAR(res.k[b], k, 1e-9 * k);
    EXPECT_NEAR(res.l[b], std::sqrt(k / std::numbers::pi), 1e-9);
  }
}

TEST(Ripley, CompleteSpatialRandomnessStaysInsideTheEnvelopeAndNearTheDiagonal) {
  const auto pts = csr(300, 77);
  const auto res = ripleyK(pts, {.studyArea = square(1000.0), .simulations = 99, .seed = 5});
  ASSERT_EQ(res.distances.size(), 10u);
  EXPECT_DOUBLE_EQ(res.distances.back(), 250.0);
  for (std::size_t b = 0; b < res.distances.size(); ++b) {
    EXPECT_GE(res.l[b], res.envelopeLow[b]) << res.distances[b];
    EXPECT_LE(res.l[b], res.envelopeHigh[b]) << res.distances[b];
    // With the edge correction, L(d) of CSR is close to d (not biased low).
    if (res.distances[b] >= 50.0) {
      EXPECT_NEAR(res.l[b] / res.distances[b], 1.0, 0.08);
    }
    // The envelope brackets d itself.
    EXPECT_LT(res.envelopeLow[b], res.distances[b]);
    EXPECT_GT(res.envelopeHigh[b], res.distances[b]);
  }
}

TEST(Ripley, ClusteredPatternRisesAboveTheEnvelope) {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> g(0.0, 15.0);
  std::uniform_real_distribution<double> u(100.0, 900.0);
  std::vector<Point> pts;
  for (int c = 0; c < 15; ++c) {
    const Point centre{u(rng), u(rng)};
    for (int k = 0; k < 20; ++k)
      pts.push_back(
          {std::clamp(centre.x + g(rng), 0.0, 1000.0), std::clamp(centre.y + g(rng), 0.0, 1000.0)});
  }
  const auto res = ripleyK(pts, {.studyArea = square(1000.0), .simulations = 39, .seed = 1});
  EXPECT_GT(res.l[0], res.envelopeHigh[0]);
  EXPECT_GT(res.l[3], res.envelopeHigh[3]);
}

TEST(Ripley, EnvelopeIdenticalForAnyThreadCount) {
  const auto pts = csr(200, 4);
  const auto a = ripleyK(pts, {.studyArea = square(1000.0), .simulations = 19, .threads = 1});
  const auto b = ripleyK(pts, {.studyArea = square(1000.0), .simulations = 19, .threads = 2});
  EXPECT_EQ(a.envelopeLow, b.envelopeLow);
  EXPECT_EQ(a.envelopeHigh, b.envelopeHigh);
}

TEST(Ripley, RejectsPointsOutsideTheStudyAreaAndUnsortedDistances) {
  const std::vector<Point> pts{{1, 1}, {2, 2}, {3, 5}, {200, 3}};
  EXPECT_THROW_WITH(ripleyK(pts, {.studyArea = square(100.0)}), InputError,
                    "row 4: point outside the study area");
  EXPECT_THROW_WITH((RipleyOptions{.distances = {5.0, 2.0}}.validate()), OptionError,
                    "distances: must be strictly ascending, got 5 then 2");
  EXPECT_THROW_WITH((RipleyOptions{.distances = {5.0, -1.0}}.validate()), OptionError,
                    "distances: must be finite and > 0, got -1");
  EXPECT_THROW_WITH((RipleyOptions{.simulations = 10000}.validate()), OptionError,
                    "simulations: must be at most 9999, got 10000");
}
