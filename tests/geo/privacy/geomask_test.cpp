#include "geo/privacy/geomask.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "geo/core/error.h"
#include "geo/index/kdtree.h"
#include "tests/geo/privacy/synthetic_layouts.h"

using namespace veldwacht::geo;

namespace {
double dist(const Point& a, const Point& b) { return std::hypot(a.x - b.x, a.y - b.y); }

/// 8 addresses on a circle of radius r1 round the origin, 8 more on radius r2.
std::vector<Point> twoRings(double r1, double r2) {
  std::vector<Point> out;
  for (int i = 0; i < 8; ++i) {
    const double t = 2.0 * std::numbers::pi * i / 8.0;
    out.push_back({r1 * std::cos(t), r1 * std::sin(t)});
    out.push_back({r2 * std::cos(t + 0.1), r2 * std::sin(t + 0.1)});
  }
  return out;
}

/// Checks the promises of the header on every point: moved >= minDisplacement, within
/// [rMin, rMax], and the circle round the true point through the masked one holds >= k
/// addresses (counted by brute force).
void expectDonutPromises(std::span<const Point> pts, std::span<const Point> addresses,
                         const DonutMaskResult& res, const DonutMaskOptions& o) {
  ASSERT_EQ(res.masked.size(), pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const double d = dist(pts[i], res.masked[i]);
    EXPECT_GE(d, o.minDisplacement - 1e-9) << "point " << i;
    EXPECT_GE(d, res.rMin[i] - 1e-9) << "point " << i;
    EXPECT_LE(d, res.rMax[i] + 1e-9) << "point " << i;
    std::size_t within = 0;
    for (const auto& a : addresses) within += dist(pts[i], a) <= d + 1e-9;
    EXPECT_GE(within, o.k) << "point " << i;
  }
}
}  // namespace

TEST(DonutMask, RadiiFollowTheKthAndKOuterthNearestAddress) {
  const auto addresses = twoRings(100.0, 200.0);
  const std::vector<Point> pts(500, Point{0.0, 0.0});
  const DonutMaskOptions o;  // k 8, kOuter 16
  const auto res = donutMask(pts, addresses, o);
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_DOUBLE_EQ(res.rMin[i], 100.0);
    EXPECT_DOUBLE_EQ(res.rMax[i], 200.0);
  }
  expectDonutPromises(pts, addresses, res, o);
}

TEST(DonutMask, DenseAddressesStillMoveTheFloorAndTheRingWidth) {
  // 16 addresses within 5 m: r_8 and r_16 are tiny; rMin = 25, rMax = 25 + 25.
  std::vector<Point> addresses;
  for (int i = 0; i < 16; ++i) addresses.push_back({double(i % 4), double(i / 4)});
  const std::vector<Point> pts(200, Point{1.5, 1.5});
  const auto res = donutMask(pts, addresses, {});
  for (std::size_t i = 0; i < pts.size(); ++i) {
    EXPECT_DOUBLE_EQ(res.rMin[i], 25.0);
    EXPECT_DOUBLE_EQ(res.rMax[i], 50.0);
  }
  expectDonutPromises(pts, addresses, res, {});
}

TEST(DonutMask, DirectionIsUniformAndDistanceUniformOverTheRingArea) {
  const auto addresses = twoRings(100.0, 200.0);
  const std::vector<Point> pts(20000, Point{0.0, 0.0});
  const auto res = donutMask(pts, addresses, {.seed = 99});
  double sx = 0.0, sy = 0.0;
  std::size_t inner = 0;
  // Half the ring's area lies within sqrt((100^2 + 200^2) / 2).
  const double median = std::sqrt((100.0 * 100.0 + 200.0 * 200.0) / 2.0);
  for (const auto& m : res.masked) {
    const double d = std::hypot(m.x, m.y);
    sx += m.x / d;
    sy += m.y / d;
    inner += d <= median;
  }
  // Mean unit vector of n uniform directions has sd 1/sqrt(2n) per axis = 0.005; 4 sd.
  EXPECT_LT(std::abs(sx / 20000.0), 0.02);
  EXPECT_LT(std::abs(sy / 20000.0), 0.02);
  // Binomial(20000, 0.5): sd 0.0035 of the share.
  EXPECT_NEAR(double(inner) / 20000.0, 0.5, 0.015);
}

TEST(DonutMask, SeededAndRepeatable) {
  const auto town = testdata::denseTown(300, 1);
  const auto a = donutMask(town.signals, town.addresses, {.seed = 5});
  const auto b = donutMask(town.signals, town.addresses, {.seed = 5});
  const auto c = donutMask(town.signals, town.addresses, {.seed = 6});
  EXPECT_EQ(a.masked, b.masked);
  std::size_t same = 0;
  for (std::size_t i = 0; i < a.masked.size(); ++i) same += a.masked[i] == c.masked[i];
  EXPECT_EQ(same, 0u);
}

TEST(DonutMask, EveryPointKeepsItsPromisesInTownAndCountryside) {
  const DonutMaskOptions o;
  const auto town = testdata::denseTown(400, 11);
  expectDonutPromises(town.signals, town.addresses, donutMask(town.signals, town.addresses, o), o);
  const auto rural = testdata::ruralLayout(300, 12);
  expectDonutPromises(rural.signals, rural.addresses, donutMask(rural.signals, rural.addresses, o),
                      o);
}

TEST(DonutMask, RefusesBadOptionsAndTooFewAddresses) {
  const std::vector<Point> pts{{0, 0}};
  const auto addresses = twoRings(10.0, 20.0);
  try {
    donutMask(pts, addresses, {.k = 8, .kOuter = 4});
    FAIL() << "expected an OptionError";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.option(), "kOuter");
  }
  try {
    donutMask(pts, std::span(addresses).first(10), {});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("at least kOuter = 16 addresses, got 10"),
              std::string::npos)
        << e.what();
  }
  const std::vector<Point> nan{{0, 0}, {std::nan(""), 1.0}};
  try {
    donutMask(nan, addresses, {});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 2);
  }
}
