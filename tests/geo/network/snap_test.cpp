#include "geo/network/snap.h"

#include <gtest/gtest.h>

#include <random>

#include "geo/core/error.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {
// Brute force: the nearest point over every segment of every usable wegvak.
std::optional<Snap> bruteNearest(const SearchGraph& g, const Point& p, double maxDistance) {
  const RoadNetwork& net = g.network();
  std::optional<Snap> best;
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    if (!g.usable(w)) continue;
    const auto pts = net.line(w);
    for (std::size_t k = 1; k < pts.size(); ++k) {
      const Point a = pts[k - 1], b = pts[k];
      const double dx = b.x - a.x, dy = b.y - a.y;
      const double t =
          std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy), 0.0, 1.0);
      const double d = std::hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
      if (d <= maxDistance && (!best || d < best->distance)) best = Snap{w, 0.0, {}, d};
    }
  }
  return best;
}
}  // namespace

TEST(Snap, MidSegmentPointJoinsAtTheFootOfThePerpendicular) {
  const auto net = RoadNetwork::build(std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}, {100, 100}})},
                                      tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const Snapper snapper(g, 50.0);
  const auto s = snapper.nearest({130, 40}, 500.0);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->wegvak, 0u);
  EXPECT_DOUBLE_EQ(s->offset, 140.0);
  EXPECT_DOUBLE_EQ(s->point.x, 100.0);
  EXPECT_DOUBLE_EQ(s->point.y, 40.0);
  EXPECT_DOUBLE_EQ(s->distance, 30.0);
}

TEST(Snap, APointOnAJunctionLandsExactlyOnIt) {
  const auto net = RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}), wegvak(2, 2, 3, {{100, 0}, {100, 70}})},
      tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const Snapper snapper(g);
  const auto s = snapper.nearest({100, 0}, 500.0);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->distance, 0.0);
  EXPECT_EQ(s->wegvak, 0u);  // tie: lower wegvak index
  EXPECT_EQ(s->offset, net.length(0));
}

TEST(Snap, CyclePathsAreNotSnapTargetsForCars) {
  const auto net =
      RoadNetwork::build(std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}, "B", "G", "FP"),
                                     wegvak(2, 3, 4, {{0, 300}, {100, 300}})},
                         tenMetresPerSecond());
  const SearchGraph car(net, TravelMode::Auto, CostKind::Time);
  const SearchGraph bike(net, TravelMode::Fiets, CostKind::Time);
  EXPECT_EQ(Snapper(car).nearest({50, 10}, 500.0)->wegvak, 1u);
  EXPECT_EQ(Snapper(bike).nearest({50, 10}, 500.0)->wegvak, 0u);
}

TEST(Snap, TooFarIsRefusedWithLayerIdAndDistance) {
  const auto net =
      RoadNetwork::build(std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}})}, tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const Snapper snapper(g);
  const std::vector<Point> pts{{50, 20}, {50, 734.5}};
  const std::vector<std::string> ids{"P-11", "P-12"};
  EXPECT_FALSE(snapper.nearest({50, 734.5}, 500.0));
  try {
    (void)snapAll(snapper, pts, ids, {.maxDistance = 500.0, .layer = "partners"});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "partners");
    EXPECT_EQ(e.where().row, 2);
    EXPECT_NE(std::string(e.what()).find("'P-12'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("734.5 m"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("500.0 m"), std::string::npos) << e.what();
  }
  const auto ok = snapAll(snapper, std::span(pts).first(1), std::span(ids).first(1), {});
  EXPECT_DOUBLE_EQ(ok[0].distance, 20.0);
}

TEST(Snap, GridEqualsBruteForceOnRandomNetworks) {
  for (unsigned seed : {1u, 2u, 3u}) {
    const auto net = RoadNetwork::build(randomNetwork(seed, 8, 10), NetworkOptions{});
    const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
    const Snapper snapper(g, 90.0);
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> u(-600.0, 2000.0);
    for (int i = 0; i < 300; ++i) {
      const Point p{u(rng), u(rng)};
      const auto fast = snapper.nearest(p, 250.0);
      const auto slow = bruteNearest(g, p, 250.0);
      ASSERT_EQ(bool(fast), bool(slow)) << p.x << "," << p.y;
      if (fast) {
        EXPECT_NEAR(fast->distance, slow->distance, 1e-9);
        EXPECT_NEAR(std::hypot(fast->point.x - p.x, fast->point.y - p.y), fast->distance, 1e-9);
        const Point on = net.pointAt(fast->wegvak, fast->offset);
        EXPECT_NEAR(on.x, fast->point.x, 1e-6);
        EXPECT_NEAR(on.y, fast->point.y, 1e-6);
      }
    }
  }
}
