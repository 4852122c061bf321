#include "geo/network/contraction.h"

#include <gtest/gtest.h>

#include <random>

#include "geo/core/error.h"
#include "geo/network/snap.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {

// Locations on random wegvakken and junctions, plus coincident points and a junction reached
// through a wegvak end. Fixed seed.
std::vector<NetworkLocation> randomLocations(const SearchGraph& g, unsigned seed, int count) {
  const RoadNetwork& net = g.network();
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::uint32_t> w(0, std::uint32_t(net.wegvakCount() - 1));
  std::uniform_int_distribution<std::uint32_t> v(0, std::uint32_t(net.nodeCount() - 1));
  std::uniform_real_distribution<double> f(0.0, 1.0);
  std::vector<NetworkLocation> pts;
  for (int i = 0; i < count; ++i) {
    if (i % 5 == 4) {
      pts.push_back(NetworkLocation::atJunction(v(rng)));
    } else {
      const std::uint32_t k = w(rng);
      pts.push_back(NetworkLocation::onWegvak(k, f(rng) * net.length(k)));
    }
  }
  pts.push_back(pts[1]);
  pts.push_back(NetworkLocation::onWegvak(pts[2].wegvak, 0.0));
  return pts;
}

void expectSameMatrix(const MatrixResult& expected, const MatrixResult& got,
                      const std::string& what) {
  ASSERT_EQ(expected.rows, got.rows);
  ASSERT_EQ(expected.cols, got.cols);
  for (std::size_t i = 0; i < expected.rows; ++i)
    for (std::size_t j = 0; j < expected.cols; ++j) {
      const double el = expected.lengthAt(i, j), et = expected.timeAt(i, j);
      if (el == kUnreachable) {
        EXPECT_EQ(got.lengthAt(i, j), kUnreachable) << what << " " << i << "," << j;
        EXPECT_EQ(got.timeAt(i, j), kUnreachable) << what << " " << i << "," << j;
      } else {
        EXPECT_NEAR(got.lengthAt(i, j), el, 1e-9 * (1.0 + el)) << what << " " << i << "," << j;
        EXPECT_NEAR(got.timeAt(i, j), et, 1e-9 * (1.0 + et)) << what << " " << i << "," << j;
      }
    }
}

}  // namespace

TEST(ContractionHierarchy, MatrixEqualsDijkstraOnSeededRandomNetworks) {
  std::size_t unreachable = 0, oneWays = 0;
  for (unsigned seed : {21u, 22u, 23u}) {
    const auto records = randomNetwork(seed, 12, 40);
    for (const auto& r : records) oneWays += r.rijrichting == "H" || r.rijrichting == "T";
    const auto net = RoadNetwork::build(records, NetworkOptions{});
    for (TravelMode mode : {TravelMode::Auto, TravelMode::Landbouw, TravelMode::Lopen}) {
      for (CostKind cost : {CostKind::Time, CostKind::Length}) {
        const SearchGraph g(net, mode, cost);
        const auto pts = randomLocations(g, seed * 7 + unsigned(mode), 30);
        const auto expected = travelMatrix(g, pts, pts, {.threads = 1});
        unreachable += expected.unreachable();
        for (std::size_t limit : {std::size_t(1), std::size_t(400)}) {
          const auto ch = ContractionHierarchy::build(g, {.witnessSettleLimit = limit});
          const std::string what = "seed " + std::to_string(seed) + " mode " +
                                   std::to_string(int(mode)) + " cost " +
                                   std::to_string(int(cost)) + " limit " + std::to_string(limit);
          expectSameMatrix(expected, travelMatrix(ch, g, pts, pts, {.threads = 1}), what);
          // Rectangular, and identical for any thread count.
          const std::span<const NetworkLocation> some(pts.data(), 7);
          const auto a = travelMatrix(ch, g, some, pts, {.threads = 1});
          const auto b = travelMatrix(ch, g, some, pts, {.threads = 3});
          EXPECT_EQ(a.length, b.length);
          EXPECT_EQ(a.time, b.time);
          expectSameMatrix(travelMatrix(g, some, pts, {.threads = 1}), a, what + " 7 rows");
        }
      }
    }
  }
  // The graphs exercise what they should: one-way wegvakken and unreachable pairs.
  EXPECT_GT(oneWays, 50u);
  EXPECT_GT(unreachable, 0u);
}

TEST(ContractionHierarchy, UnreachablePairsAndTheDirectTripOnOneWegvak) {
  // 1 —a— 2 —b(one-way 2→3)— 3 —c— 4, and an island 5 — 6; 10 m/s.
  const auto net = RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}), wegvak(2, 2, 3, {{100, 0}, {200, 0}}, "H"),
                  wegvak(3, 3, 4, {{200, 0}, {300, 0}}), wegvak(4, 5, 6, {{0, 500}, {100, 500}})},
      tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const auto ch = ContractionHierarchy::build(g);
  const std::vector<NetworkLocation> pts{
      NetworkLocation::onWegvak(0, 50.0), NetworkLocation::onWegvak(2, 50.0),
      NetworkLocation::onWegvak(3, 10.0), NetworkLocation::onWegvak(1, 20.0),
      NetworkLocation::onWegvak(1, 70.0)};
  const auto m = travelMatrix(ch, g, pts, pts, {.threads = 1});
  EXPECT_DOUBLE_EQ(m.lengthAt(0, 1), 200.0);
  EXPECT_DOUBLE_EQ(m.timeAt(0, 1), 20.0);
  EXPECT_EQ(m.lengthAt(1, 0), kUnreachable);  // against the one-way
  EXPECT_EQ(m.lengthAt(0, 2), kUnreachable);  // the island
  EXPECT_EQ(m.timeAt(2, 0), kUnreachable);
  EXPECT_EQ(m.lengthAt(2, 2), 0.0);
  EXPECT_DOUBLE_EQ(m.lengthAt(3, 4), 50.0);  // along the one-way wegvak itself
  EXPECT_EQ(m.lengthAt(4, 3), kUnreachable);
  EXPECT_EQ(m.unreachable(), travelMatrix(g, pts, pts).unreachable());
}

TEST(ContractionHierarchy, ArraysRoundTripAndRefuseAnotherGraph) {
  const auto net = RoadNetwork::build(randomNetwork(5, 8, 10), NetworkOptions{});
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const auto ch = ContractionHierarchy::build(g);
  EXPECT_TRUE(ch.matches(g));
  EXPECT_GT(ch.upArcCount() + ch.downArcCount(), 0u);
  auto copy = ContractionHierarchy::fromArrays(ch.arrays());
  const auto pts = randomLocations(g, 3, 20);
  const auto a = travelMatrix(ch, g, pts, pts), b = travelMatrix(copy, g, pts, pts);
  EXPECT_EQ(a.length, b.length);
  EXPECT_EQ(a.time, b.time);

  const SearchGraph other(net, TravelMode::Auto, CostKind::Length);
  EXPECT_FALSE(ch.matches(other));
  EXPECT_THROW(travelMatrix(ch, other, pts, pts), OptionError);

  auto broken = ch.arrays();
  broken.upHead.at(0) = std::uint32_t(net.nodeCount());  // out of range
  EXPECT_THROW(ContractionHierarchy::fromArrays(std::move(broken)), InputError);
  EXPECT_THROW(ContractionHierarchy::build(g, {.witnessSettleLimit = 0}), OptionError);
}

TEST(ContractionHierarchy, MatrixEqualsDijkstraOnALargerSeededNetwork) {
  // About 900 junctions and 2000 wegvakken: large enough that the ordering reaches a dense
  // core with many shortcuts (the small networks above contract almost without them).
  std::size_t compared = 0, unreachable = 0;
  for (unsigned seed : {101u, 102u}) {
    const auto net = RoadNetwork::build(randomNetwork(seed, 30, 250), NetworkOptions{});
    for (const auto& [mode, cost] : {std::pair{TravelMode::Auto, CostKind::Time},
                                     std::pair{TravelMode::Landbouw, CostKind::Length}}) {
      const SearchGraph g(net, mode, cost);
      const auto ch = ContractionHierarchy::build(g);
      EXPECT_GT(ch.shortcutCount(), net.nodeCount() / 4) << "seed " << seed;
      // Every stored arc climbs (fromArrays checks the ranks).
      EXPECT_NO_THROW((void)ContractionHierarchy::fromArrays(ch.arrays()));
      const auto pts = randomLocations(g, seed * 13 + unsigned(mode), 60);
      const auto expected = travelMatrix(g, pts, pts, {.threads = 1});
      unreachable += expected.unreachable();
      compared += expected.length.size();
      expectSameMatrix(expected, travelMatrix(ch, g, pts, pts, {.threads = 1}),
                       "seed " + std::to_string(seed) + " mode " + std::to_string(int(mode)));
    }
  }
  EXPECT_EQ(compared, 4u * 62u * 62u);
  EXPECT_GT(unreachable, 0u);  // one-way traps and islands are in the comparison
}
