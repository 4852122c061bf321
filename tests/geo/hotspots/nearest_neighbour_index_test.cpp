#include "geo/hotspots/nearest_neighbour_index.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

// A square lattice of spacing d where each point owns a d x d cell: density 1/d^2, so
// D_e = 0.5 d and D_o = d: R = 2 exactly.
TEST(NearestNeighbourIndex, SquareLatticeGivesRatioTwo) {
  std::vector<Point> pts;
  for (int r = 0; r < 20; ++r)
    for (int c = 0; c < 20; ++c) pts.push_back({c * 10.0, r * 10.0});
  const auto res = nearestNeighbourIndex(pts, {.area = 400 * 100.0});
  EXPECT_DOUBLE_EQ(res.observedMean, 10.0);
  EXPECT_DOUBLE_EQ(res.expectedMean, 5.0);
  EXPECT_DOUBLE_EQ(res.ratio, 2.0);
  // SE = 0.26136 / sqrt(400^2 / 40000) = 0.13068; z = 5 / SE.
  EXPECT_NEAR(res.z, 5.0 / 0.13068, 1e-9);
  EXPECT_LT(res.p, 1e-12);
}

// The hexagonal lattice is the most dispersed pattern: R = 1 / (0.5 sqrt(sqrt(3) / 2)) = 2.149
// (Clark & Evans 1954), with area sqrt(3)/2 d^2 per point.
TEST(NearestNeighbourIndex, HexagonalLatticeGivesTheMaximumRatio) {
  std::vector<Point> pts;
  const double d = 10.0, h = d * std::sqrt(3.0) / 2.0;
  for (int r = 0; r < 30; ++r)
    for (int c = 0; c < 30; ++c) pts.push_back({c * d + (r % 2) * d / 2.0, r * h});
  const auto res = nearestNeighbourIndex(pts, {.area = 900 * d * h});
  EXPECT_NEAR(res.ratio, 2.1491, 1e-4);
}

TEST(NearestNeighbourIndex, CompleteSpatialRandomnessGivesRatioNearOne) {
  std::mt19937_64 rng(2024);
  std::uniform_real_distribution<double> u(0.0, 1000.0);
  std::vector<Point> pts(2000);
  for (auto& p : pts) p = {u(rng), u(rng)};
  const auto res = nearestNeighbourIndex(pts);  // bounding rectangle ~ the unit square
  EXPECT_NEAR(res.ratio, 1.0, 0.04);
  EXPECT_LT(std::fabs(res.z), 3.0);
}

TEST(NearestNeighbourIndex, ClusteredPointsGiveRatioBelowOne) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> g(0.0, 5.0);
  std::uniform_real_distribution<double> u(0.0, 1000.0);
  std::vector<Point> pts;
  for (int c = 0; c < 20; ++c) {
    const Point centre{u(rng), u(rng)};
    for (int k = 0; k < 25; ++k) pts.push_back({centre.x + g(rng), centre.y + g(rng)});
  }
  const auto res = nearestNeighbourIndex(pts, {.area = 1e6});
  EXPECT_LT(res.ratio, 0.5);
  EXPECT_LT(res.z, -10.0);
}

TEST(NearestNeighbourIndex, RejectsTooFewPointsAndNegativeArea) {
  EXPECT_THROW_WITH(nearestNeighbourIndex(std::vector<Point>{{0, 0}}), InputError,
                    "needs at least 2 points, got 1");
  EXPECT_THROW_WITH((NearestNeighbourIndexOptions{.area = -1.0}.validate()), OptionError,
                    "area: must be a finite area >= 0 (0 = bounding rectangle), got -1");
}
