#include "geo/planning/areas.h"

#include <gtest/gtest.h>

#include <cmath>

#include "area_instances.h"
#include "geo/core/error.h"

using namespace veldwacht::geo;

namespace {

struct Grid {
  std::vector<double> workload;
  std::vector<Point> centroids;
  std::vector<std::vector<std::size_t>> adjacency;
};

/// cols x rows unit squares, rook adjacency (shared edges).
Grid grid(std::size_t cols, std::size_t rows, double (*work)(std::size_t, std::size_t)) {
  Grid g;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      g.workload.push_back(work(c, r));
      g.centroids.push_back(Point{double(c) + 0.5, double(r) + 0.5});
      std::vector<std::size_t> nb;
      if (c > 0) nb.push_back(r * cols + c - 1);
      if (c + 1 < cols) nb.push_back(r * cols + c + 1);
      if (r > 0) nb.push_back((r - 1) * cols + c);
      if (r + 1 < rows) nb.push_back((r + 1) * cols + c);
      g.adjacency.push_back(nb);
    }
  return g;
}

/// Independent contiguity check (tests/geo/planning/area_instances.h).
bool contiguous(const Grid& g, const std::vector<std::size_t>& areaOf, std::size_t a) {
  return veldwacht::geo::testing::contiguousArea(g, areaOf, a);
}

}  // namespace

// 8 x 8 equal units in 4 areas: 16 each is possible (quadrants, compactness 1 - 2.5 / 10.5 =
// 0.76; stripes of 2 x 8 would give 0.48).
TEST(BalancedAreas, EqualUnitsSplitIntoEqualCompactContiguousAreas) {
  const Grid g = grid(8, 8, [](std::size_t, std::size_t) { return 1.0; });
  AreaOptions o;
  o.areas = 4;
  const auto r = balancedAreas(g.workload, g.centroids, g.adjacency, o);
  ASSERT_EQ(r.areaOf.size(), 64u);
  EXPECT_TRUE(r.balanced);
  EXPECT_LE(r.maxDeviation, 0.10);
  double sum = 0.0;
  for (std::size_t a = 0; a < 4; ++a) {
    EXPECT_TRUE(contiguous(g, r.areaOf, a)) << "area " << a;
    EXPECT_TRUE(r.contiguous[a]);
    EXPECT_GE(r.units[a], 15u);
    EXPECT_LE(r.units[a], 17u);
    sum += r.workload[a];
  }
  EXPECT_DOUBLE_EQ(sum, 64.0);
  EXPECT_DOUBLE_EQ(r.meanWorkload, 16.0);
  EXPECT_GT(r.compactness, 0.65);
  EXPECT_LE(r.compactness, 1.0);
}

// One quadrant weighs 3 per unit, the rest 1: total 16 * 3 + 48 = 96, two areas of 48. The
// heavy quadrant alone (16 units) against the other 48 units is such a split. An area with h of
// the heavy units has 48 - 2h units, so a compact split (most of the quadrant in one area, h > 8)
// gives that area fewer units.
TEST(BalancedAreas, UnequalWorkloadsAreBalancedNotTheUnitCounts) {
  const Grid g =
      grid(8, 8, [](std::size_t c, std::size_t r) { return c < 4 && r < 4 ? 3.0 : 1.0; });
  AreaOptions o;
  o.areas = 2;
  o.tolerance = 0.05;
  const auto r = balancedAreas(g.workload, g.centroids, g.adjacency, o);
  EXPECT_TRUE(r.balanced);
  for (std::size_t a = 0; a < 2; ++a) {
    EXPECT_TRUE(contiguous(g, r.areaOf, a));
    EXPECT_NEAR(r.workload[a], 48.0, 48.0 * 0.05);
  }
  // The area with the heavy units has fewer of them.
  const std::size_t heavy = r.areaOf[0];
  EXPECT_LT(r.units[heavy], r.units[1 - heavy]);
}

TEST(BalancedAreas, SameSeedSameAreas) {
  const Grid g = grid(10, 6, [](std::size_t c, std::size_t r) { return double(1 + (c * r) % 4); });
  AreaOptions o;
  o.areas = 3;
  o.seed = 11;
  const auto a = balancedAreas(g.workload, g.centroids, g.adjacency, o);
  const auto b = balancedAreas(g.workload, g.centroids, g.adjacency, o);
  EXPECT_EQ(a.areaOf, b.areaOf);
  EXPECT_TRUE(a.balanced);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_TRUE(contiguous(g, a.areaOf, k));
}

TEST(BalancedAreas, DisconnectedUnitsAndBadInputAreNamed) {
  Grid g = grid(3, 1, [](std::size_t, std::size_t) { return 1.0; });
  g.workload.push_back(1.0);
  g.centroids.push_back(Point{10, 10});
  g.adjacency.push_back({});
  AreaOptions o;
  try {
    balancedAreas(g.workload, g.centroids, g.adjacency, o);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 4);
    EXPECT_EQ(e.where().field, "adjacency");
  }
  g.adjacency[3] = {2};
  g.workload[1] = -1.0;
  EXPECT_THROW(balancedAreas(g.workload, g.centroids, g.adjacency, o), InputError);
  g.workload[1] = 1.0;
  o.areas = 5;
  EXPECT_THROW(balancedAreas(g.workload, g.centroids, g.adjacency, o), OptionError);
}
