// Road factors of the risk terrain model on networks built in code: hand-computed travel times
// to the main road, dead ends and farm tracks, and the one multi-source search against one
// search per main-road junction on a random network (fixed seed).
#include "geo/risk/road_factors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "geo/core/error.h"
#include "geo/network/shortest_paths.h"
#include "geo/network/snap.h"
#include "tests/geo/network/test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {

// A provincial road (0,0)-(1000,0); a municipal road north from its end to a junction at
// (1000,600), going on to a dead end at (1000,900); a waterschap track east to (1600,600).
std::vector<WegvakRecord> smallRoads() {
  return {wegvak(1, 1, 2, {{0, 0}, {1000, 0}}, "B", "P"),
          wegvak(2, 2, 3, {{1000, 0}, {1000, 600}}, "B", "G"),
          wegvak(3, 3, 4, {{1000, 600}, {1000, 900}}, "B", "G"),
          wegvak(4, 3, 5, {{1000, 600}, {1600, 600}}, "B", "W")};
}

}  // namespace

TEST(RoadFactors, FlagsMainRoadsDeadEndsAndFarmTracks) {
  const auto net = RoadNetwork::build(smallRoads(), tenMetresPerSecond());
  EXPECT_EQ(mainRoadWegvakken(net, TravelMode::Auto), (std::vector<std::uint8_t>{1, 0, 0, 0}));
  // Junctions 1, 4 and 5 meet one wegvak each.
  EXPECT_EQ(deadEndWegvakken(net, TravelMode::Auto), (std::vector<std::uint8_t>{1, 0, 1, 1}));
  EXPECT_EQ(farmTrackWegvakken(net, TravelMode::Auto), (std::vector<std::uint8_t>{0, 0, 0, 1}));
  const auto pts = wegvakPoints(net, farmTrackWegvakken(net, TravelMode::Auto), 100);
  ASSERT_EQ(pts.size(), 7u);  // 600 m every 100 m, both ends included
  EXPECT_DOUBLE_EQ(pts.back().x, 1600);
}

TEST(RoadFactors, TravelTimeToTheMainRoadByHand) {
  const auto net = RoadNetwork::build(smallRoads(), tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const std::vector<Point> pts{{1010, 300}, {1000, 800}, {500, 10}, {1300, 640}, {5000, 5000}};
  const auto t = travelTimeToWegvakken(g, mainRoadWegvakken(net, TravelMode::Auto), pts, 500);
  ASSERT_EQ(t.size(), pts.size());
  EXPECT_NEAR(t[0], 30.0, 1e-9);  // 300 m up the municipal road at 10 m/s
  EXPECT_NEAR(t[1], 80.0, 1e-9);  // 600 + 200 m
  EXPECT_DOUBLE_EQ(t[2], 0.0);    // on the main road
  EXPECT_NEAR(t[3], 90.0, 1e-9);  // 600 + 300 m along the track
  EXPECT_TRUE(std::isinf(t[4]));  // no road within 500 m
  EXPECT_THROW(travelTimeToWegvakken(g, mainRoadWegvakken(net, TravelMode::Auto), pts, 0),
               OptionError);
  const std::vector<Point> bad{{std::nan(""), 0}};
  EXPECT_THROW(travelTimeToWegvakken(g, mainRoadWegvakken(net, TravelMode::Auto), bad, 500),
               InputError);
}

TEST(RoadFactors, NoMainRoadMeansEverythingIsUnreached) {
  auto roads = smallRoads();
  roads[0].wegbeheerder = "G";
  const auto net = RoadNetwork::build(roads, tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const std::vector<Point> pts{{500, 0}};
  EXPECT_TRUE(std::isinf(
      travelTimeToWegvakken(g, mainRoadWegvakken(net, TravelMode::Auto), pts, 500).at(0)));
}

// The multi-source search equals the minimum over one search per main-road junction, with the
// same snapping, on a random network with one-way roads and cycle paths.
TEST(RoadFactors, MultiSourceSearchEqualsOneSearchPerMainRoadJunction) {
  const auto net = RoadNetwork::build(randomNetwork(2026, 9, 30), tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const auto targets = mainRoadWegvakken(net, TravelMode::Auto);
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-100.0, 1700.0);
  std::vector<Point> pts;
  for (int i = 0; i < 200; ++i) pts.push_back({u(rng), u(rng)});
  const auto fast = travelTimeToWegvakken(g, targets, pts, 300);

  std::vector<double> nodeBest(net.nodeCount(), std::numeric_limits<double>::infinity());
  ShortestPaths one(g);
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    if (!targets[w]) continue;
    for (std::uint32_t node : {net.from(w), net.to(w)}) {
      const Seed s{node, 0.0, 0.0, 0, kNoWegvak, 0.0, 0.0};
      one.run(std::span<const Seed>(&s, 1));
      for (std::uint32_t n = 0; n < net.nodeCount(); ++n)
        nodeBest[n] = std::min(nodeBest[n], one.cost(n));
    }
  }
  const Snapper snapper(g);
  std::size_t reached = 0;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    double expect = std::numeric_limits<double>::infinity();
    if (const auto s = snapper.nearest(pts[i], 300)) {
      const double c = g.costPerMetre(s->wegvak);
      expect =
          targets[s->wegvak]
              ? 0.0
              : std::min(nodeBest[net.from(s->wegvak)] + s->offset * c,
                         nodeBest[net.to(s->wegvak)] + (net.length(s->wegvak) - s->offset) * c);
    }
    if (std::isinf(expect)) {
      EXPECT_TRUE(std::isinf(fast[i])) << i;
    } else {
      ++reached;
      EXPECT_NEAR(fast[i], expect, 1e-9) << i;
    }
  }
  EXPECT_GT(reached, 100u);
}
