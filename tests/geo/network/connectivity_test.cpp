#include "geo/network/connectivity.h"

#include <gtest/gtest.h>

#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {
// A two-way square 1-2-3-4, a dead-end farm track 3-7, a one-way spur 2→8 with no way back,
// a one-way spur 9→4 with no way in, a cycle path 4-10 (not for cars) and an island 5-6.
RoadNetwork sampleNetwork() {
  return RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}), wegvak(2, 2, 3, {{100, 0}, {100, 100}}),
                  wegvak(3, 3, 4, {{100, 100}, {0, 100}}), wegvak(4, 4, 1, {{0, 100}, {0, 0}}),
                  wegvak(5, 3, 7, {{100, 100}, {200, 200}}, "B", "W"),
                  wegvak(6, 2, 8, {{100, 0}, {200, 0}}, "H"),
                  wegvak(7, 9, 4, {{-100, 100}, {0, 100}}, "H"),
                  wegvak(8, 4, 10, {{0, 100}, {0, 200}}, "B", "G", "FP"),
                  wegvak(9, 5, 6, {{500, 500}, {600, 500}})},
      tenMetresPerSecond());
}
}  // namespace

TEST(Connectivity, IslandsDeadEndsAndOneWayTraps) {
  const auto net = sampleNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const auto r = connectivity(g, {.smallComponentJunctions = 3});
  EXPECT_EQ(r.junctions, 9u);  // junction 10 lies only on the cycle path
  EXPECT_EQ(r.weakComponents, 2u);
  EXPECT_EQ(r.largestWeak, 7u);
  EXPECT_EQ(r.largestStrong, 5u);     // 1, 2, 3, 4, 7
  EXPECT_EQ(r.strongComponents, 4u);  // {1,2,3,4,7}, {8}, {9}, {5,6}
  EXPECT_EQ(r.deadEnds, 5u);          // 7, 8, 9, 5, 6
  EXPECT_EQ(r.trapJunctions, 2u);
  EXPECT_EQ(r.trapJunctionIds, (std::vector<std::int64_t>{8, 9}));
  EXPECT_EQ(r.summary().size(), 4u);

  const auto warnIsland = snapWarning(r, g, NetworkLocation::onWegvak(8, 50.0), "vab", "42",
                                      {.smallComponentJunctions = 3});
  ASSERT_TRUE(warnIsland);
  EXPECT_NE(warnIsland->find("vab 42"), std::string::npos);
  EXPECT_NE(warnIsland->find("island of 2"), std::string::npos);
  const auto warnTrap = snapWarning(r, g, NetworkLocation::atJunction(std::uint32_t(net.nodeOf(8))),
                                    "vab", "43", {.smallComponentJunctions = 3});
  ASSERT_TRUE(warnTrap);
  EXPECT_NE(warnTrap->find("one-way trap"), std::string::npos);
  EXPECT_FALSE(snapWarning(r, g, NetworkLocation::onWegvak(0, 50.0), "vab", "44",
                           {.smallComponentJunctions = 3}));
}

TEST(Connectivity, BicyclesSeeTheCyclePath) {
  const auto net = sampleNetwork();
  const SearchGraph g(net, TravelMode::Fiets, CostKind::Time);
  const auto r = connectivity(g);
  EXPECT_EQ(r.junctions, 10u);
  EXPECT_EQ(r.deadEnds, 6u);
}
