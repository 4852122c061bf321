#include "geo/network/graph.h"

#include <gtest/gtest.h>

#include "geo/core/error.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

TEST(RoadNetwork, JunctionsBecomeNodesAndLengthsComeFromTheLine) {
  const std::vector<WegvakRecord> recs{
      wegvak(7, 500, 300, {{0, 0}, {30, 40}, {30, 100}}),  // 50 + 60
      wegvak(8, 300, 900, {{30, 100}, {130, 100}}, "H"),
  };
  const auto net = RoadNetwork::build(recs, tenMetresPerSecond());
  ASSERT_EQ(net.nodeCount(), 3u);
  ASSERT_EQ(net.wegvakCount(), 2u);
  EXPECT_EQ(net.junctionId(net.from(0)), 500);
  EXPECT_EQ(net.junctionId(net.to(0)), 300);
  EXPECT_DOUBLE_EQ(net.length(0), 110.0);
  EXPECT_DOUBLE_EQ(net.length(1), 100.0);
  EXPECT_EQ(net.nodeOf(900), std::int64_t(net.to(1)));
  EXPECT_EQ(net.nodeOf(4), -1);
  EXPECT_TRUE(net.allowsForward(1, TravelMode::Auto));
  EXPECT_FALSE(net.allowsBackward(1, TravelMode::Auto));
  EXPECT_TRUE(net.allowsBackward(1, TravelMode::Lopen));  // walkers ignore RIJRICHTNG
  const auto p = net.pointAt(0, 75.0);
  EXPECT_DOUBLE_EQ(p.x, 30.0);
  EXPECT_DOUBLE_EQ(p.y, 65.0);
  const auto part = net.subLine(0, 80.0, 25.0);
  ASSERT_EQ(part.size(), 3u);
  EXPECT_DOUBLE_EQ(part.front().y, 70.0);
  EXPECT_DOUBLE_EQ(part[1].x, 30.0);
  EXPECT_DOUBLE_EQ(part.back().x, 15.0);
  EXPECT_DOUBLE_EQ(polylineLength(part), 55.0);
}

TEST(RoadNetwork, SearchGraphHasOnlyTheArcsTheModeMayUse) {
  const std::vector<WegvakRecord> recs{
      wegvak(1, 1, 2, {{0, 0}, {100, 0}}, "H"),
      wegvak(2, 2, 3, {{100, 0}, {200, 0}}, "T"),
      wegvak(3, 3, 1, {{200, 0}, {0, 0}}, "B", "G", "FP"),
  };
  const auto net = RoadNetwork::build(recs, tenMetresPerSecond());
  const SearchGraph car(net, TravelMode::Auto, CostKind::Time);
  ASSERT_EQ(car.arcCount(), 2u);  // 1→2 and 3→2; the fietspad is not for cars
  const auto n1 = std::uint32_t(net.nodeOf(1)), n2 = std::uint32_t(net.nodeOf(2));
  ASSERT_EQ(car.outEnd(n1) - car.outBegin(n1), 1u);
  const std::uint32_t a = car.outBegin(n1);
  EXPECT_EQ(car.head(a), n2);
  EXPECT_DOUBLE_EQ(car.cost(a), 10.0);    // 100 m at 10 m/s
  EXPECT_DOUBLE_EQ(car.other(a), 100.0);  // metres
  EXPECT_EQ(car.inEnd(n2) - car.inBegin(n2), 2u);
  const SearchGraph bike(net, TravelMode::Fiets, CostKind::Length);
  EXPECT_EQ(bike.arcCount(), 4u);
}

TEST(RoadNetwork, BadRecordsAreRefusedWithTheirWegvakAndField) {
  auto expectError = [](std::vector<WegvakRecord> recs, std::int64_t row, const char* field) {
    try {
      (void)RoadNetwork::build(recs, tenMetresPerSecond());
      FAIL() << field;
    } catch (const InputError& e) {
      EXPECT_EQ(e.where().row, row);
      EXPECT_EQ(e.where().field, field);
      EXPECT_EQ(e.where().file, "wegvakken");
    }
  };
  expectError({wegvak(4, 1, 2, {{0, 0}, {1, 0}}, "X")}, 4, "rijrichtng");
  expectError({wegvak(5, 1, 2, {{0, 0}, {1, 0}}, "B", "Q")}, 5, "wegbehsrt");
  expectError({wegvak(6, 1, 2, {{0, 0}})}, 6, "geometry");
  expectError({wegvak(9, 1, 2, {{0, 0}, {1, 0}}), wegvak(9, 2, 3, {{1, 0}, {2, 0}})}, 9, "wvk_id");
}

TEST(RoadNetwork, UnknownBaansubsoortIsDrivenAsRijbaanWithAWarning) {
  const auto net = RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {10, 0}}, "B", "G", "ZZZ")}, NetworkOptions{});
  EXPECT_GT(net.speedKmh(0, TravelMode::Auto), 0.0);
  ASSERT_EQ(net.warnings().size(), 1u);
  EXPECT_NE(net.warnings()[0].find("ZZZ"), std::string::npos);
}

TEST(RoadNetwork, StoredArraysGiveTheSameNetworkBack) {
  const auto recs = randomNetwork(3, 6, 5);
  const auto net = RoadNetwork::build(recs, NetworkOptions{});
  const auto back = RoadNetwork::fromArrays(net.arrays());
  ASSERT_EQ(back.wegvakCount(), net.wegvakCount());
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    EXPECT_EQ(back.wvkId(w), net.wvkId(w));
    EXPECT_EQ(back.length(w), net.length(w));
    EXPECT_EQ(back.speedKmh(w, TravelMode::Fiets), net.speedKmh(w, TravelMode::Fiets));
  }
  auto broken = net.arrays();
  broken.from[0] = 1u << 30;
  EXPECT_THROW((void)RoadNetwork::fromArrays(std::move(broken)), InputError);
}
