// Our Dijkstra against pgRouting 3.4 on the same graph, in a real PostgreSQL 15 (label
// `pgrouting`): every entry of pgr_dijkstraCostMatrix and every node of pgr_drivingDistance.
#include <gtest/gtest.h>

#include <map>
#include <memory>

#include "geo/network/contraction.h"
#include "geo/network/shortest_paths.h"
#include "pg_cluster.h"
#include "test_network.h"

using namespace veldwacht::geo;
using namespace veldwacht::geo::testing;

namespace {

class PgRouting : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!TempPostgres::available()) return;
    pg_ = std::make_unique<TempPostgres>();
  }
  static void TearDownTestSuite() { pg_.reset(); }
  void SetUp() override {
    if (!pg_) GTEST_SKIP() << "PostgreSQL 15 with pgRouting is not installed";
  }
  static std::unique_ptr<TempPostgres> pg_;
};
std::unique_ptr<TempPostgres> PgRouting::pg_;

void expectRelative(double ours, double theirs, const std::string& what) {
  EXPECT_NEAR(ours, theirs, 1e-6 * std::max(1.0, std::abs(theirs))) << what;
}

}  // namespace

TEST_F(PgRouting, CostMatrixEqualsOursEntryByEntry) {
  for (unsigned seed : {41u, 42u}) {
    const auto net = RoadNetwork::build(randomNetwork(seed, 12, 30), NetworkOptions{});
    for (CostKind cost : {CostKind::Time, CostKind::Length}) {
      const SearchGraph g(net, TravelMode::Auto, cost);
      pg_->loadEdges(g);
      std::vector<std::uint32_t> nodes;
      for (std::uint32_t v = 0; v < net.nodeCount(); v += 3)
        if (g.outBegin(v) < g.outEnd(v) || g.inBegin(v) < g.inEnd(v)) nodes.push_back(v);
      std::vector<NetworkLocation> locs;
      for (auto v : nodes) locs.push_back(NetworkLocation::atJunction(v));
      const auto ours = travelMatrix(g, locs, locs, {.threads = 2});
      // The contraction-hierarchy matrix is checked against pgRouting the same way.
      const auto viaHierarchy =
          travelMatrix(ContractionHierarchy::build(g), g, locs, locs, {.threads = 2});
      const auto rows = pg_->exec(
          "select start_vid, end_vid, agg_cost from pgr_dijkstraCostMatrix("
          "'select id, source, target, cost, reverse_cost from edges', " +
          vertexArray(nodes) + ", directed => true)");
      std::map<std::pair<std::uint32_t, std::uint32_t>, double> theirs;
      for (const auto& r : rows)
        theirs[{std::uint32_t(std::stoul(r[0]) - 1), std::uint32_t(std::stoul(r[1]) - 1)}] =
            std::stod(r[2]);
      std::size_t reachable = 0;
      for (std::size_t i = 0; i < nodes.size(); ++i)
        for (std::size_t j = 0; j < nodes.size(); ++j) {
          if (i == j) continue;  // pgRouting leaves out the diagonal
          const double o = cost == CostKind::Time ? ours.timeAt(i, j) : ours.lengthAt(i, j);
          const auto it = theirs.find({nodes[i], nodes[j]});
          const std::string what =
              "seed " + std::to_string(seed) + " " + std::to_string(i) + "→" + std::to_string(j);
          if (it == theirs.end()) {
            EXPECT_EQ(o, kUnreachable) << what;
            EXPECT_EQ(viaHierarchy.timeAt(i, j), kUnreachable) << what << " (hierarchy)";
          } else {
            ++reachable;
            expectRelative(o, it->second, what);
            expectRelative(
                cost == CostKind::Time ? viaHierarchy.timeAt(i, j) : viaHierarchy.lengthAt(i, j),
                it->second, what + " (hierarchy)");
          }
        }
      EXPECT_EQ(reachable, theirs.size());
      EXPECT_GT(reachable, nodes.size() * nodes.size() / 2);  // the test is not vacuous
    }
  }
}

TEST_F(PgRouting, DrivingDistanceEqualsOurReachedJunctions) {
  const auto net = RoadNetwork::build(randomNetwork(43, 14, 30), NetworkOptions{});
  const SearchGraph g(net, TravelMode::Auto, CostKind::Time);
  pg_->loadEdges(g);
  ShortestPaths sp(g);
  for (std::uint32_t start : {0u, 50u, 120u}) {
    const double limit = 90.0;
    const std::vector<Seed> seeds{{start, 0.0, 0.0, 0, kNoWegvak, 0.0, 0.0}};
    sp.run(seeds, limit);
    const auto rows = pg_->exec(
        "select node, agg_cost from pgr_drivingDistance("
        "'select id, source, target, cost, reverse_cost from edges', " +
        std::to_string(start + 1) + ", " + std::to_string(limit) + ", directed => true)");
    std::map<std::uint32_t, double> theirs;
    for (const auto& r : rows) theirs[std::uint32_t(std::stoul(r[0]) - 1)] = std::stod(r[1]);
    EXPECT_EQ(theirs.size(), sp.settledNodes().size()) << "start " << start;
    for (const std::uint32_t v : sp.settledNodes()) {
      const auto it = theirs.find(v);
      ASSERT_NE(it, theirs.end()) << "node " << v << " reached by us, not by pgRouting";
      expectRelative(sp.cost(v), it->second, "node " + std::to_string(v));
    }
    EXPECT_GT(theirs.size(), 5u);
  }
}
