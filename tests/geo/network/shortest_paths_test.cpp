#include "geo/network/shortest_paths.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "geo/core/error.h"
#include "geo/network/snap.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {

// A straight road of three 100 m wegvakken: 1 —a— 2 —b— 3 —c— 4, with b one-way (H, 2 → 3),
// and an island 5 — 6. All at 10 m/s.
RoadNetwork lineNetwork() {
  return RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}), wegvak(2, 2, 3, {{100, 0}, {200, 0}}, "H"),
                  wegvak(3, 3, 4, {{200, 0}, {300, 0}}), wegvak(4, 5, 6, {{0, 500}, {100, 500}})},
      tenMetresPerSecond());
}

NetworkLocation at(const RoadNetwork& net, std::uint32_t w, double offset) {
  (void)net;
  return NetworkLocation::onWegvak(w, offset);
}

// Brute force: split each wegvak at the points on it (virtual nodes), then Floyd–Warshall over
// junctions + points with the mode's allowed directions and speeds. Returns point × point costs.
std::vector<double> bruteForce(const SearchGraph& g, const std::vector<NetworkLocation>& pts) {
  const RoadNetwork& net = g.network();
  const std::size_t nj = net.nodeCount();
  std::vector<std::size_t> vertexOf(pts.size());
  std::map<std::uint32_t, std::vector<std::pair<double, std::size_t>>> onWegvak;
  std::size_t nv = nj;
  std::map<std::pair<std::uint32_t, double>, std::size_t> same;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    if (p.isJunction()) {
      vertexOf[i] = p.node;
    } else if (p.offset == 0.0) {
      vertexOf[i] = net.from(p.wegvak);
    } else if (p.offset == net.length(p.wegvak)) {
      vertexOf[i] = net.to(p.wegvak);
    } else if (auto it = same.find({p.wegvak, p.offset}); it != same.end()) {
      vertexOf[i] = it->second;
    } else {
      vertexOf[i] = nv++;
      same[{p.wegvak, p.offset}] = vertexOf[i];
      onWegvak[p.wegvak].push_back({p.offset, vertexOf[i]});
    }
  }
  const double inf = kUnreachable;
  std::vector<double> d(nv * nv, inf);
  for (std::size_t v = 0; v < nv; ++v) d[v * nv + v] = 0.0;
  for (std::uint32_t w = 0; w < net.wegvakCount(); ++w) {
    const double kmh = net.speedKmh(w, g.mode());
    if (kmh <= 0.0) continue;
    const double perMetre = g.costKind() == CostKind::Time ? 3.6 / kmh : 1.0;
    std::vector<std::pair<double, std::size_t>> chain{{0.0, net.from(w)}};
    if (auto it = onWegvak.find(w); it != onWegvak.end()) {
      auto mids = it->second;
      std::sort(mids.begin(), mids.end());
      chain.insert(chain.end(), mids.begin(), mids.end());
    }
    chain.push_back({net.length(w), net.to(w)});
    for (std::size_t k = 1; k < chain.size(); ++k) {
      const double c = (chain[k].first - chain[k - 1].first) * perMetre;
      const std::size_t a = chain[k - 1].second, b = chain[k].second;
      if (net.allowsForward(w, g.mode())) d[a * nv + b] = std::min(d[a * nv + b], c);
      if (net.allowsBackward(w, g.mode())) d[b * nv + a] = std::min(d[b * nv + a], c);
    }
  }
  for (std::size_t k = 0; k < nv; ++k)
    for (std::size_t i = 0; i < nv; ++i) {
      if (d[i * nv + k] == inf) continue;
      for (std::size_t j = 0; j < nv; ++j)
        d[i * nv + j] = std::min(d[i * nv + j], d[i * nv + k] + d[k * nv + j]);
    }
  std::vector<double> out(pts.size() * pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i)
    for (std::size_t j = 0; j < pts.size(); ++j)
      out[i * pts.size() + j] = d[vertexOf[i] * nv + vertexOf[j]];
  return out;
}

}  // namespace

TEST(ShortestPaths, OneWayWegvakIsDrivenOnlyWithItsDirection) {
  const auto net = lineNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const std::vector<NetworkLocation> pts{at(net, 0, 50.0), at(net, 2, 50.0)};
  const auto m = travelMatrix(g, pts, pts, {.threads = 1});
  EXPECT_DOUBLE_EQ(m.lengthAt(0, 1), 200.0);  // 50 + 100 + 50
  EXPECT_DOUBLE_EQ(m.timeAt(0, 1), 20.0);
  EXPECT_EQ(m.lengthAt(1, 0), kUnreachable);  // against the one-way wegvak
  EXPECT_EQ(m.timeAt(1, 0), kUnreachable);
  EXPECT_EQ(m.lengthAt(0, 0), 0.0);
  // On foot the one-way does not apply.
  const SearchGraph walk(net, TravelMode::Lopen, CostKind::Length);
  const auto w = travelMatrix(walk, pts, pts, {.threads = 1});
  EXPECT_DOUBLE_EQ(w.lengthAt(1, 0), 200.0);
  EXPECT_DOUBLE_EQ(w.timeAt(1, 0), 200.0 / (5.0 / 3.6));
}

TEST(ShortestPaths, OnTheSameWegvakBothWaysOrOnlyWithTheDirection) {
  const auto net = lineNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Length);
  const std::vector<NetworkLocation> both{at(net, 0, 20.0), at(net, 0, 70.0)};
  const auto m = travelMatrix(g, both, both, {.threads = 1});
  EXPECT_DOUBLE_EQ(m.lengthAt(0, 1), 50.0);
  EXPECT_DOUBLE_EQ(m.lengthAt(1, 0), 50.0);
  const std::vector<NetworkLocation> oneWay{at(net, 1, 20.0), at(net, 1, 70.0)};
  const auto o = travelMatrix(g, oneWay, oneWay, {.threads = 1});
  EXPECT_DOUBLE_EQ(o.lengthAt(0, 1), 50.0);
  EXPECT_EQ(o.lengthAt(1, 0), kUnreachable);  // no way round: the road is a line
}

TEST(ShortestPaths, UnreachablePairsAreInfinityNeverZero) {
  const auto net = lineNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const std::vector<NetworkLocation> a{at(net, 0, 10.0)}, b{at(net, 3, 10.0)};
  const auto m = travelMatrix(g, a, b);
  EXPECT_EQ(m.lengthAt(0, 0), kUnreachable);
  EXPECT_EQ(m.unreachable(), 1u);
  const auto r = shortestRoute(g, a[0], b[0]);
  EXPECT_FALSE(r.reachable);
  EXPECT_TRUE(r.line.empty());
}

TEST(ShortestPaths, CoincidentPointsAndAPointOnAJunction) {
  const auto net = lineNetwork();
  const SearchGraph g(net, TravelMode::Auto, CostKind::Length);
  const auto j2 = std::uint32_t(net.nodeOf(2));
  // The end of wegvak a, the start of wegvak b and junction 2 are the same place.
  const std::vector<NetworkLocation> pts{at(net, 0, 100.0), at(net, 1, 0.0),
                                         NetworkLocation::atJunction(j2), at(net, 1, 30.0),
                                         at(net, 1, 30.0)};
  const auto m = travelMatrix(g, pts, pts, {.threads = 1});
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(m.lengthAt(i, j), 0.0) << i << "," << j;
  EXPECT_DOUBLE_EQ(m.lengthAt(0, 3), 30.0);
  EXPECT_EQ(m.lengthAt(3, 4), 0.0);
  EXPECT_EQ(m.lengthAt(4, 3), 0.0);
  EXPECT_EQ(m.lengthAt(3, 0), kUnreachable);  // against the one-way, no way round
}

TEST(ShortestPaths, RouteFollowsTheRoadsWithPartialFirstAndLastWegvak) {
  const auto net = RoadNetwork::build(
      std::vector{wegvak(1, 1, 2, {{0, 0}, {100, 0}}), wegvak(2, 2, 3, {{100, 0}, {100, 100}}),
                  wegvak(3, 1, 3, {{0, 0}, {0, 300}, {100, 300}, {100, 100}})},
      tenMetresPerSecond());
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  const auto r =
      shortestRoute(g, NetworkLocation::onWegvak(0, 40.0), NetworkLocation::onWegvak(1, 30.0));
  ASSERT_TRUE(r.reachable);
  EXPECT_DOUBLE_EQ(r.length, 90.0);
  EXPECT_DOUBLE_EQ(r.time, 9.0);
  ASSERT_EQ(r.line.size(), 3u);
  EXPECT_EQ(r.line.front(), (Point{40, 0}));
  EXPECT_EQ(r.line[1], (Point{100, 0}));
  EXPECT_EQ(r.line.back(), (Point{100, 30}));
  EXPECT_EQ(r.wvkIds, (std::vector<std::int64_t>{1, 2}));
}

TEST(ShortestPaths, MatrixEqualsFloydWarshallOnRandomNetworks) {
  for (unsigned seed : {11u, 12u, 13u, 14u}) {
    const auto net = RoadNetwork::build(randomNetwork(seed, 6, 8), NetworkOptions{});
    for (TravelMode mode : {TravelMode::Auto, TravelMode::Fiets, TravelMode::Lopen}) {
      for (CostKind cost : {CostKind::Time, CostKind::Length}) {
        const SearchGraph g(net, mode, cost);
        const Snapper snapper(g);
        std::mt19937_64 rng(seed);
        std::uniform_real_distribution<double> u(-50.0, 1050.0);
        std::vector<NetworkLocation> pts;
        for (int i = 0; i < 14; ++i)
          if (auto s = snapper.nearest({u(rng), u(rng)}, 1e9))
            pts.push_back(NetworkLocation::onWegvak(s->wegvak, s->offset));
        pts.push_back(pts[3]);                          // coincident points
        pts.push_back(NetworkLocation::atJunction(0));  // a junction
        pts.push_back(
            NetworkLocation::onWegvak(pts[2].wegvak, 0.0));  // on a junction, via a wegvak
        const auto expected = bruteForce(g, pts);
        const auto m1 = travelMatrix(g, pts, pts, {.threads = 1});
        const auto m4 = travelMatrix(g, pts, pts, {.threads = 4});
        for (std::size_t i = 0; i < pts.size(); ++i)
          for (std::size_t j = 0; j < pts.size(); ++j) {
            const double e = expected[i * pts.size() + j];
            const double got = cost == CostKind::Time ? m1.timeAt(i, j) : m1.lengthAt(i, j);
            if (e == kUnreachable) {
              EXPECT_EQ(got, kUnreachable) << seed << " " << i << "," << j;
            } else {
              EXPECT_NEAR(got, e, 1e-9 * (1.0 + e)) << seed << " " << i << "," << j;
            }
            EXPECT_EQ(m1.lengthAt(i, j), m4.lengthAt(i, j));  // identical for any thread count
            EXPECT_EQ(m1.timeAt(i, j), m4.timeAt(i, j));
          }
        // Routes agree with the matrix, and their lines are as long as they say.
        for (std::size_t i = 0; i < 5; ++i) {
          const auto r = shortestRoute(g, pts[i], pts[i + 5]);
          EXPECT_EQ(r.reachable, m1.lengthAt(i, i + 5) != kUnreachable);
          if (!r.reachable) continue;
          EXPECT_DOUBLE_EQ(r.length, m1.lengthAt(i, i + 5));
          EXPECT_NEAR(polylineLength(r.line), r.length, 1e-6);
        }
      }
    }
  }
}

TEST(ShortestPaths, ReusedBuffersGiveTheSameAnswerAsAFreshSearch) {
  const auto net = RoadNetwork::build(randomNetwork(5, 8, 10), NetworkOptions{});
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  ShortestPaths reused(g);
  for (std::uint32_t s = 0; s < net.nodeCount(); s += 7) {
    const std::vector<Seed> seeds{{s, 0.0, 0.0, 0, kNoWegvak, 0.0, 0.0}};
    reused.run(seeds, 200.0);
    ShortestPaths fresh(g);
    fresh.run(seeds, 200.0);
    for (std::uint32_t v = 0; v < net.nodeCount(); ++v) {
      EXPECT_EQ(reused.cost(v), fresh.cost(v));
      if (reused.settled(v)) {
        EXPECT_LE(reused.cost(v), 200.0);
      }
    }
  }
}

TEST(ShortestPaths, MatrixStopsWhenCancelled) {
  const auto net = RoadNetwork::build(randomNetwork(6, 8, 10), NetworkOptions{});
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  std::vector<NetworkLocation> pts;
  for (std::uint32_t v = 0; v < net.nodeCount(); ++v) pts.push_back(NetworkLocation::atJunction(v));
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW((void)travelMatrix(g, pts, pts, {}, progress), CancelledError);
}
