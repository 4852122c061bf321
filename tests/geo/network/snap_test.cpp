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
  const TextColumn ids{"P-11", "P-12"};
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
  const auto ok = snapAll(snapper, std::span(pts).first(1), TextColumn{"P-11"}, {});
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

namespace {
// A motorway (rijksweg, hoofdrijbaan) along y = 0, a fietspad along y = -20 and a municipal road
// along y = 60, each 1000 m from x = 0, joined at both ends by municipal roads.
RoadNetwork threeParallelRoads() {
  return RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {1000, 0}}, "B", "R", "HR"),
                  wegvak(2, 5, 6, {{0, -20}, {1000, -20}}, "B", "G", "FP"),
                  wegvak(3, 3, 4, {{0, 60}, {1000, 60}}), wegvak(4, 5, 3, {{0, -20}, {0, 60}}),
                  wegvak(5, 6, 4, {{1000, -20}, {1000, 60}}),
                  wegvak(6, 1, 3, {{0, 0}, {-50, 30}, {0, 60}}),
                  wegvak(7, 2, 4, {{1000, 0}, {1050, 30}, {1000, 60}})},
      tenMetresPerSecond());
}
}  // namespace

TEST(Snap, EachModeJoinsTheNearestRoadItMayUse) {
  const auto net = threeParallelRoads();
  std::vector<SearchGraph> graphs;
  for (TravelMode m : kTravelModes) graphs.emplace_back(net, m, CostKind::Length);
  std::vector<const SearchGraph*> ptrs;
  for (const auto& g : graphs) ptrs.push_back(&g);
  const ModeSnappers snappers(ptrs, 100.0);
  ASSERT_EQ(snappers.size(), 4u);

  // 5 m from the motorway, 15 m from the fietspad, 65 m from the municipal road.
  const auto s = snappers.snap({500, -5}, 500.0);
  ASSERT_TRUE(s[0] && s[1] && s[2] && s[3]);
  EXPECT_EQ(net.wvkId(s[0]->wegvak), 1);  // auto: the motorway
  EXPECT_NEAR(s[0]->distance, 5.0, 1e-9);
  EXPECT_EQ(net.wvkId(s[1]->wegvak), 3);  // a tractor never joins a motorway: the road
  EXPECT_NEAR(s[1]->distance, 65.0, 1e-9);
  EXPECT_EQ(net.wvkId(s[2]->wegvak), 2);  // fiets: the fietspad, nearer than the road
  EXPECT_NEAR(s[2]->distance, 15.0, 1e-9);
  EXPECT_EQ(net.wvkId(s[3]->wegvak), 2);  // lopen: the fietspad too
  for (const auto& snap : s) EXPECT_NEAR(snap->offset, 500.0, 1e-9);

  // 140 m north of the road: every mode takes the road here, the motorway (200 m) and the
  // fietspad (220 m) being farther.
  for (const auto& snap : snappers.snap({500, 200}, 500.0)) {
    ASSERT_TRUE(snap);
    EXPECT_EQ(net.wvkId(snap->wegvak), 3);
    EXPECT_NEAR(snap->distance, 140.0, 1e-9);
  }

  // With a 50 m limit the tractor has no road near (500, -5): nowhere, every trip unreachable.
  const auto locs = snappers.locate({500, -5}, 50.0);
  EXPECT_FALSE(locs[0].isNowhere());
  EXPECT_TRUE(locs[1].isNowhere());
  EXPECT_FALSE(locs[2].isNowhere());
  const SearchGraph& tractor = graphs[1];
  const std::vector<NetworkLocation> pts{locs[1], NetworkLocation::onWegvak(2, 100.0), locs[1]};
  const auto m = travelMatrix(tractor, pts, pts, {.threads = 1});
  EXPECT_EQ(m.lengthAt(0, 1), kUnreachable);
  EXPECT_EQ(m.lengthAt(1, 0), kUnreachable);
  EXPECT_EQ(m.lengthAt(0, 2), kUnreachable);  // two points nowhere are not 0 apart
  EXPECT_EQ(m.lengthAt(0, 0), kUnreachable);
  EXPECT_EQ(m.lengthAt(1, 1), 0.0);
  EXPECT_FALSE(shortestRoute(tractor, locs[1], pts[1]).reachable);

  // A fiets trip from the fietspad snap to the road snap of (500, 200): 500 m west, 80 m north
  // along the connector, 500 m east.
  const auto there = snappers.locate({500, 200}, 500.0);
  const auto r = shortestRoute(graphs[2], locs[2], there[2]);
  ASSERT_TRUE(r.reachable);
  EXPECT_NEAR(r.length, 1080.0, 1e-9);

  std::vector<const SearchGraph*> none{nullptr};
  EXPECT_THROW(ModeSnappers{none}, OptionError);
  const auto other = threeParallelRoads();
  const SearchGraph foreign(other, TravelMode::Auto, CostKind::Length);
  std::vector<const SearchGraph*> mixed{&graphs[0], &foreign};
  EXPECT_THROW(ModeSnappers{mixed}, OptionError);
}
