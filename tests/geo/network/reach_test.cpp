#include "geo/network/reach.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "geo/core/geos.h"
#include "geo/network/snap.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {
// 1 —a— 2 —b(H)— 3 —c— 4 along the x axis, 100 m each, and an island 5 — 6; 10 m/s.
RoadNetwork lineNetwork() {
  return RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}), wegvak(2, 2, 3, {{100, 0}, {200, 0}}, "H"),
                  wegvak(3, 3, 4, {{200, 0}, {300, 0}}), wegvak(4, 5, 6, {{0, 500}, {100, 500}})},
      tenMetresPerSecond());
}

double wkbArea(const std::vector<std::uint8_t>& wkb) {
  GeosContext& ctx = GeosContext::forThisThread();
  std::unique_ptr<GEOSWKBReader, GeosWkbReaderDeleter> reader(GEOSWKBReader_create_r(ctx.handle()),
                                                              {ctx.handle()});
  GeosGeometry g(ctx.handle(),
                 GEOSWKBReader_read_r(ctx.handle(), reader.get(), wkb.data(), wkb.size()));
  double area = 0.0;
  GEOSArea_r(ctx.handle(), g.get(), &area);
  return area;
}
}  // namespace

TEST(Reach, PartsStopWhereTheTimeRunsOutAndRespectOneWays) {
  const auto net = lineNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const std::vector<NetworkLocation> bases{NetworkLocation::onWegvak(0, 50.0)};
  const auto r = reachability(
      g, bases, {},
      {.limit = 12.0, .areaBuffer = 10.0, .areaShape = AreaShape::Buffer, .threads = 1});
  ASSERT_EQ(r.parts.size(), 2u);
  EXPECT_EQ(r.parts[0].wegvak, 0u);
  EXPECT_DOUBLE_EQ(r.parts[0].fromOffset, 0.0);
  EXPECT_DOUBLE_EQ(r.parts[0].toOffset, 100.0);
  EXPECT_EQ(r.parts[1].wegvak, 1u);
  EXPECT_DOUBLE_EQ(r.parts[1].fromOffset, 0.0);
  EXPECT_NEAR(r.parts[1].toOffset, 70.0, 1e-9);
  EXPECT_NEAR(r.reachedLength[0], 170.0, 1e-9);
  // Area: a 170 m line buffered by 10 m (GEOS approximates the end caps with 32-gons).
  const double caps = 16.0 * 100.0 * std::sin(2.0 * std::numbers::pi / 32.0);
  EXPECT_NEAR(wkbArea(r.areas[0]), 2.0 * 10.0 * 170.0 + caps, 0.5);
  // The hull of collinear vertices is the line itself: the same area.
  const auto hull = reachArea(net, r.parts, 10.0, AreaShape::ConcaveHull);
  EXPECT_NEAR(wkbArea(hull), 2.0 * 10.0 * 170.0 + caps, 0.5);

  // Started beyond the one-way wegvak b, nothing before it is reached.
  const std::vector<NetworkLocation> behind{NetworkLocation::onWegvak(2, 50.0)};
  const auto r2 = reachability(g, behind, {}, {.limit = 100.0, .areaBuffer = 0.0});
  ASSERT_EQ(r2.parts.size(), 1u);
  EXPECT_EQ(r2.parts[0].wegvak, 2u);
  EXPECT_TRUE(r2.areas[0].empty());
}

TEST(Reach, EverySiteGetsItsNearestBaseOrNone) {
  const auto net = lineNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const std::vector<NetworkLocation> bases{NetworkLocation::onWegvak(0, 50.0),
                                           NetworkLocation::onWegvak(2, 90.0)};
  const std::vector<NetworkLocation> sites{
      NetworkLocation::onWegvak(2, 50.0),  // 4 s from base 1 along c, 20 s from base 0
      NetworkLocation::onWegvak(1, 10.0),  // 6 s from base 0; base 1 cannot go against b
      NetworkLocation::onWegvak(3, 10.0),  // the island
  };
  const auto r = reachability(g, bases, sites, {.limit = 5.0, .areaBuffer = 0.0});
  ASSERT_EQ(r.sites.size(), 3u);
  EXPECT_EQ(r.sites[0].nearestBase, 1);
  EXPECT_NEAR(r.sites[0].time, 4.0, 1e-12);
  EXPECT_NEAR(r.sites[0].length, 40.0, 1e-12);
  EXPECT_TRUE(r.sites[0].withinLimit);
  EXPECT_EQ(r.sites[1].nearestBase, 0);
  EXPECT_NEAR(r.sites[1].time, 6.0, 1e-12);
  EXPECT_FALSE(r.sites[1].withinLimit);
  EXPECT_EQ(r.sites[2].nearestBase, -1);
  EXPECT_EQ(r.sites[2].time, kUnreachable);
  EXPECT_FALSE(r.sites[2].withinLimit);
}

TEST(Reach, PartsEqualPointwiseBruteForceOnRandomNetworks) {
  for (unsigned seed : {21u, 22u, 23u}) {
    const auto net = RoadNetwork::build(randomNetwork(seed, 7, 8), NetworkOptions{});
    const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
    const Snapper snapper(g);
    const auto s = snapper.nearest({600.0, 600.0}, 1e9);
    ASSERT_TRUE(s);
    const NetworkLocation base = NetworkLocation::onWegvak(s->wegvak, s->offset);
    const double limit = 40.0;
    const auto r = reachability(g, std::span(&base, 1), {}, {.limit = limit, .areaBuffer = 0.0});
    // Brute force: unlimited search, then every sample point on every wegvak.
    std::vector<Seed> seeds;
    leavingSeeds(g, base, 0, seeds);
    ShortestPaths sp(g);
    sp.run(seeds);
    for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
      if (!g.usable(w)) continue;
      const double len = net.length(w);
      for (int k = 1; k < 40; ++k) {  // inside the wegvak; its ends are junctions
        const double x = len * k / 40.0;
        const std::vector<NetworkLocation> one{NetworkLocation::onWegvak(w, x)};
        std::vector<Seed> tails;
        arrivingTails(g, one[0], tails);
        const Seed direct = directTrip(g, base, one[0]);
        std::int64_t used = 0;
        const double cost = sp.arrive(tails, &direct, used).cost;
        bool inPart = false;
        for (const auto& p : r.parts)
          if (p.wegvak == w && p.fromOffset - 1e-6 <= x && x <= p.toOffset + 1e-6) inPart = true;
        // Points within a hair of the limit may fall either way.
        if (std::abs(cost - limit) < 1e-6) continue;
        EXPECT_EQ(inPart, cost <= limit) << seed << " w" << w << " x" << x << " cost " << cost;
      }
    }
  }
}

TEST(Reach, HullAreaCoversTheReachedRoadsAndIsNotACircle) {
  // A plus-shaped network: four 1000 m arms from a centre; the reach of 600 m along each arm.
  const auto net = RoadNetwork::build(
      std::vector{wegvak(1, 0, 1, {{0, 0}, {1000, 0}}), wegvak(2, 0, 2, {{0, 0}, {0, 1000}}),
                  wegvak(3, 0, 3, {{0, 0}, {-1000, 0}}), wegvak(4, 0, 4, {{0, 0}, {0, -1000}})},
      tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Length);
  const std::vector<NetworkLocation> bases{NetworkLocation::atJunction(0)};
  const auto hull = reachability(g, bases, {}, {.limit = 600.0, .areaBuffer = 20.0});
  const auto roads = reachability(
      g, bases, {}, {.limit = 600.0, .areaBuffer = 20.0, .areaShape = AreaShape::Buffer});
  const double a = wkbArea(hull.areas[0]), b = wkbArea(roads.areas[0]);
  // The corridors: four 600 m arms 40 m wide (minus the shared centre) plus the caps.
  EXPECT_NEAR(b, 4 * 600.0 * 40.0 - 40.0 * 40.0 + 4 * 0.5 * 400.0 * 3.1214, 30.0);
  // The hull fills between the arms: more than the corridors, at most the buffered diamond
  // (a circle of radius 600 would be 1.13 km²).
  EXPECT_GT(a, b);
  EXPECT_LE(a, 2.0 * 620.0 * 620.0 + 1.0);
}

TEST(Reach, SameResultForAnyThreadCount) {
  const auto net = RoadNetwork::build(randomNetwork(31, 8, 10), NetworkOptions{});
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  std::vector<NetworkLocation> bases;
  for (std::uint32_t v = 0; v < net.nodeCount(); v += 9)
    bases.push_back(NetworkLocation::atJunction(v));
  const auto a = reachability(g, bases, bases, {.limit = 30.0, .areaBuffer = 20.0, .threads = 1});
  const auto b = reachability(g, bases, bases, {.limit = 30.0, .areaBuffer = 20.0, .threads = 4});
  ASSERT_EQ(a.parts.size(), b.parts.size());
  for (std::size_t i = 0; i < a.parts.size(); ++i) {
    EXPECT_EQ(a.parts[i].wegvak, b.parts[i].wegvak);
    EXPECT_EQ(a.parts[i].toOffset, b.parts[i].toOffset);
  }
  EXPECT_EQ(a.areas, b.areas);
  for (std::size_t i = 0; i < bases.size(); ++i) {
    EXPECT_EQ(a.sites[i].nearestBase, std::int64_t(i));  // every base is its own nearest
    EXPECT_EQ(a.sites[i].cost, 0.0);
  }
}
