#include "geo/hotspots/optimized.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "geo/core/error.h"
#include "geo/hotspots/inference.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

TEST(SuggestedCellSize, IsTwiceTheMeanNearestNeighbourDistanceRounded) {
  std::vector<Point> pts;
  for (int r = 0; r < 20; ++r)
    for (int c = 0; c < 20; ++c) pts.push_back({c * 50.0, r * 50.0});
  pts.push_back(pts.front());  // duplicates do not shrink the distance to 0
  EXPECT_DOUBLE_EQ(suggestedCellSize(pts), 100.0);
  std::vector<Point> sparse;
  for (int c = 0; c < 10; ++c) sparse.push_back({c * 110.0, 0.0});
  sparse.push_back({0.0, 110.0});
  EXPECT_DOUBLE_EQ(suggestedCellSize(sparse), 200.0);  // 220 -> nearest nice 200
}

namespace {
std::vector<Point> clusteredIncidents() {
  std::vector<Point> pts;
  Rng rng(11);
  for (int i = 0; i < 1500; ++i) pts.push_back({rng.uniform() * 3000.0, rng.uniform() * 3000.0});
  for (int i = 0; i < 500; ++i) {
    const double a = rng.uniform() * 6.283185307, d = 150.0 * std::sqrt(rng.uniform());
    pts.push_back({800.0 + d * std::cos(a), 2100.0 + d * std::sin(a)});
  }
  return pts;
}
}  // namespace

TEST(OptimizedHotSpots, FindsTheClusterAndRecordsItsChoices) {
  const auto pts = clusteredIncidents();
  const auto r = optimizedHotSpots(pts, {.cellSize = 200.0, .extent = {0, 0, 2999, 2999}});
  EXPECT_EQ(r.cellSize, 200.0);
  EXPECT_EQ(r.grid.size(), 225u);  // 15 x 15 (cells are half-open: 3000 would add a 16th)
  double total = 0.0;
  for (double c : r.counts) total += c;
  EXPECT_EQ(total, 2000.0);
  ASSERT_EQ(r.scaleZ.size(), 10u);
  EXPECT_NEAR(r.scaleDistances[0], 200.0, 1e-6);  // every cell has a rook neighbour at 1 cell
  EXPECT_TRUE(std::find(r.scaleDistances.begin(), r.scaleDistances.end(), r.distanceBand) !=
              r.scaleDistances.end());
  EXPECT_GE(r.choices.size(), 3u);
  // The cell holding (800, 2100) is a 99 % hot spot; a cell far away is not hot.
  const auto hot = r.grid.cellAt({800.0, 2100.0});
  const auto far = r.grid.cellAt({2700.0, 300.0});
  ASSERT_TRUE(hot && far);
  EXPECT_EQ(r.gi.bin[*hot], 3);
  EXPECT_LE(r.gi.bin[*far], 0);
}

TEST(OptimizedHotSpots, WarnsAboutTooFewIncidents) {
  std::vector<Point> pts;
  for (int i = 0; i < 12; ++i) pts.push_back({i * 37.0, (i * 53) % 200 * 1.0});
  const auto r = optimizedHotSpots(pts, {.cellSize = 40.0});
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_NE(r.warnings.front().find("fewer than 30 incidents"), std::string::npos);
}

TEST(OptimizedHotSpots, WarnsWhenNoPeakIsFound) {
  // Constant counts: no autocorrelation at any band, no peak.
  std::vector<Point> pts;
  for (int r = 0; r < 10; ++r)
    for (int c = 0; c < 10; ++c) pts.push_back({c * 100.0 + 50.0, r * 100.0 + 50.0});
  const auto r = optimizedHotSpots(pts, {.cellSize = 100.0, .extent = {0, 0, 999, 999}});
  EXPECT_FALSE(r.peakFound);
  EXPECT_TRUE(std::any_of(r.warnings.begin(), r.warnings.end(), [](const std::string& w) {
    return w.find("no peak") != std::string::npos;
  }));
}

TEST(OptimizedHotSpots, RejectsBadOptions) {
  EXPECT_THROW_WITH((OptimizedHotSpotOptions{.cellSize = -5.0}.validate()), OptionError,
                    "cellSize: must be >= 0 (0 = suggested from the data) and at most");
  EXPECT_THROW_WITH((OptimizedHotSpotOptions{.cellSize = -5.0}.validate()), OptionError,
                    "metres, got -5");
  EXPECT_THROW_WITH((OptimizedHotSpotOptions{.bands = 1}.validate()), OptionError,
                    "bands: must lie in 2..100, got 1");
  EXPECT_THROW_WITH((OptimizedHotSpotOptions{.permutations = 100000}.validate()), OptionError,
                    "permutations: must be at most 99999, got 100000");
  EXPECT_THROW_WITH(optimizedHotSpots(std::vector<Point>{}, {}), InputError, "no incidents");
}
