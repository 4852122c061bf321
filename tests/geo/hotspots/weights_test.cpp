#include "geo/hotspots/weights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "geo/aggregation/grid.h"
#include "geo/core/error.h"
#include "test_data.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

TEST(SpatialWeights, DistanceBandMatchesBruteForceAndExcludesSelf) {
  const auto f = testdata::seededField(500, 7);
  const auto dw = distanceBandWeights(f.points, {.band = 80.0});
  EXPECT_EQ(dw.band, 80.0);
  for (std::size_t i = 0; i < f.points.size(); ++i) {
    std::vector<std::uint32_t> expected;
    for (std::uint32_t j = 0; j < f.points.size(); ++j)
      if (j != i &&
          std::hypot(f.points[i].x - f.points[j].x, f.points[i].y - f.points[j].y) <= 80.0)
        expected.push_back(j);
    const auto got = dw.weights.of(i);
    ASSERT_EQ(std::vector<std::uint32_t>(got.begin(), got.end()), expected) << "feature " << i;
  }
  EXPECT_TRUE(dw.weights.symmetric());
}

TEST(SpatialWeights, DefaultBandIsLargestNearestNeighbourDistanceSoNoFeatureIsAnIsland) {
  // Four points on a line at 0, 1, 3 and 7: NN distances 1, 1, 2, 4 -> band 4.
  const std::vector<Point> pts{{0, 0}, {1, 0}, {3, 0}, {7, 0}};
  EXPECT_DOUBLE_EQ(defaultDistanceBand(pts), 4.0);
  const auto dw = distanceBandWeights(pts, {});
  EXPECT_DOUBLE_EQ(dw.band, 4.0);
  EXPECT_EQ(dw.weights.islands(), 0u);
  EXPECT_EQ(dw.weights.count(3), 1u);  // 7 reaches only 3
  EXPECT_EQ(dw.weights.count(1), 2u);  // 1 reaches 0 and 3 (7 is 6 away)
}

TEST(SpatialWeights, KNearestGivesExactlyKOthers) {
  const auto f = testdata::seededField(300, 3);
  const auto w = kNearestWeights(f.points, {.k = 5});
  for (std::size_t i = 0; i < f.points.size(); ++i) {
    ASSERT_EQ(w.count(i), 5u);
    // The 5th neighbour is no farther than any non-neighbour.
    double farthest = 0.0;
    for (auto j : w.of(i))
      farthest = std::max(farthest,
                          std::hypot(f.points[i].x - f.points[j].x, f.points[i].y - f.points[j].y));
    for (std::uint32_t j = 0; j < f.points.size(); ++j) {
      if (j == i || std::binary_search(w.of(i).begin(), w.of(i).end(), j)) continue;
      ASSERT_GE(std::hypot(f.points[i].x - f.points[j].x, f.points[i].y - f.points[j].y), farthest);
    }
  }
}

TEST(SpatialWeights, ContiguityFromPairsIsSymmetricAndDeduplicated) {
  const std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs{{0, 1}, {1, 0}, {1, 2}, {2, 2}};
  const auto w = SpatialWeights::fromPairs(4, pairs);
  EXPECT_EQ(w.count(0), 1u);
  EXPECT_EQ(w.count(1), 2u);
  EXPECT_EQ(w.count(2), 1u);  // the self pair is dropped
  EXPECT_EQ(w.islands(), 1u);
  EXPECT_TRUE(w.symmetric());
}

TEST(SpatialWeights, RejectsOutOfRangeNeighbourAndBadOptions) {
  const std::vector<std::vector<std::uint32_t>> lists{{1}, {5}};
  // The second feature (row 2, 1-based as in every Location) names a neighbour that is not there.
  EXPECT_THROW_WITH(SpatialWeights::fromLists(lists), InputError,
                    "row 2, field 'neighbours': neighbour index 5 >= feature count 2");
  EXPECT_THROW_WITH((DistanceBandOptions{.band = -1.0}.validate()), OptionError,
                    "band: must be a finite distance >= 0 (0 = default band), got -1");
  EXPECT_THROW_WITH((KNearestOptions{.k = 0}.validate()), OptionError,
                    "k: must be at least 1, got 0");
}

TEST(SpatialWeights, ContiguityFromTheAggregationGridNeighbours) {
  GridOptions o;
  o.shape = GridShape::Square;
  o.cellSize = 100.0;
  o.extent = {0.0, 0.0, 299.0, 299.0};  // 3 x 3 cells
  o.contiguity = Contiguity::Rook;
  const Grid grid = makeGrid(o);
  ASSERT_EQ(grid.size(), 9u);
  const auto w = SpatialWeights::fromLists(grid.neighbours);
  const auto centre = grid.cellAt({150.0, 150.0});
  const auto corner = grid.cellAt({50.0, 50.0});
  ASSERT_TRUE(centre && corner);
  EXPECT_EQ(w.count(*centre), 4u);
  EXPECT_EQ(w.count(*corner), 2u);
  EXPECT_TRUE(w.symmetric());
}
