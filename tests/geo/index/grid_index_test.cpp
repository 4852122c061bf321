#include "geo/index/grid_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>

using namespace veldwacht::geo;

namespace {
std::vector<Point> integerPoints(std::size_t n, unsigned seed, double extent) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> u(0, int(extent));
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {double(u(rng)), double(u(rng))};
  return pts;
}
std::vector<std::uint32_t> bruteForce(const std::vector<Point>& pts, const Point& q, double r) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < pts.size(); ++i) {
    const double dx = pts[i].x - q.x, dy = pts[i].y - q.y;
    if (dx * dx + dy * dy <= r * r) out.push_back(i);
  }
  return out;
}
}  // namespace

TEST(GridIndex, RadiusQueriesMatchBruteForceIncludingTiesAtTheRadius) {
  const auto pts = integerPoints(3000, 42, 200.0);  // integer grid: many pairs exactly at r
  for (double cell : {5.0, 3.0, 17.0}) {
    const GridIndex grid(pts, cell);
    std::vector<std::uint32_t> found;
    for (double r : {5.0, 3.0, 10.0}) {
      for (std::size_t q = 0; q < pts.size(); q += 13) {
        grid.withinRadius(pts[q], r, found);
        std::sort(found.begin(), found.end());
        EXPECT_EQ(found, bruteForce(pts, pts[q], r)) << "cell " << cell << " r " << r;
        EXPECT_EQ(grid.countWithinRadius(pts[q], r), found.size());
      }
    }
  }
}

TEST(GridIndex, QueriesAwayFromThePointsAndOutsideTheExtent) {
  const auto pts = integerPoints(500, 3, 100.0);
  const GridIndex grid(pts, 4.0);
  std::vector<std::uint32_t> found;
  for (Point q : {Point{-3, -3}, Point{103, 50}, Point{50.5, 50.5}, Point{-1000, 0}}) {
    grid.withinRadius(q, 6.0, found);
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, bruteForce(pts, q, 6.0));
  }
}

TEST(GridIndex, LaterNeighboursVisitEveryClosePairExactlyOnce) {
  const auto pts = integerPoints(1500, 8, 120.0);
  const double r = 4.0;
  for (double cell : {4.0, 2.5, 9.0}) {
    const GridIndex grid(pts, cell);
    std::multiset<std::pair<std::uint32_t, std::uint32_t>> seen;
    const auto order = grid.cellOrder();
    for (std::size_t slot = 0; slot < order.size(); ++slot)
      grid.forEachLaterWithin(slot, r, [&](std::uint32_t j) {
        seen.insert({std::min(order[slot], j), std::max(order[slot], j)});
        return true;
      });
    std::multiset<std::pair<std::uint32_t, std::uint32_t>> expected;
    for (std::uint32_t i = 0; i < pts.size(); ++i)
      for (std::uint32_t j : bruteForce(pts, pts[i], r))
        if (j > i) expected.insert({i, j});
    EXPECT_EQ(seen, expected) << "cell " << cell;
  }
}

TEST(GridIndex, CellOrderIsAPermutation) {
  const auto pts = integerPoints(700, 1, 50.0);
  const GridIndex grid(pts, 2.5);
  std::vector<std::uint32_t> order(grid.cellOrder().begin(), grid.cellOrder().end());
  std::sort(order.begin(), order.end());
  for (std::uint32_t i = 0; i < order.size(); ++i) ASSERT_EQ(order[i], i);
}

TEST(GridIndex, TinyCellsOverAHugeExtentStillWork) {
  const std::vector<Point> pts = {{0, 0}, {0.5, 0}, {1e7, 1e7}, {1e7 + 0.3, 1e7}};
  const GridIndex grid(pts, 1e-6);
  std::vector<std::uint32_t> found;
  grid.withinRadius({1e7, 1e7}, 0.4, found);
  std::sort(found.begin(), found.end());
  EXPECT_EQ(found, (std::vector<std::uint32_t>{2, 3}));
}

TEST(GridIndex, EmptyIndexFindsNothing) {
  const GridIndex grid(std::span<const Point>{}, 1.0);
  EXPECT_EQ(grid.countWithinRadius({0, 0}, 10.0), 0u);
  EXPECT_EQ(grid.size(), 0u);
}
