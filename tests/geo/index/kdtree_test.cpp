#include "geo/index/kdtree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace veldwacht::geo;

namespace {
std::vector<Point> randomPoints(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1000.0);
  std::vector<Point> pts(n);
  for (auto& p : pts) p = {u(rng), u(rng)};
  return pts;
}
}  // namespace

TEST(KdTree, RadiusQueryMatchesBruteForceWithSeededPoints) {
  const auto pts = randomPoints(2000, 42);
  KdTree tree(pts);
  std::vector<std::uint32_t> found;
  for (std::size_t q = 0; q < pts.size(); q += 37) {
    tree.withinRadius(pts[q], 55.0, found);
    std::sort(found.begin(), found.end());
    std::vector<std::uint32_t> expected;
    for (std::uint32_t i = 0; i < pts.size(); ++i)
      if (std::hypot(pts[i].x - pts[q].x, pts[i].y - pts[q].y) <= 55.0) expected.push_back(i);
    EXPECT_EQ(found, expected) << "query " << q;
    EXPECT_EQ(tree.countWithinRadius(pts[q], 55.0), expected.size());
  }
}

TEST(KdTree, RadiusBoundaryIsInclusive) {
  const std::vector<Point> pts = {{0, 0}, {3, 4}, {6, 8}};
  KdTree tree(pts);
  std::vector<std::pair<std::uint32_t, double>> found;
  tree.withinRadius({0, 0}, 5.0, found);
  ASSERT_EQ(found.size(), 2u);
  for (auto& [i, d] : found) EXPECT_LE(d, 5.0);
}

TEST(KdTree, NearestMatchesBruteForceOrderAndDistances) {
  const auto pts = randomPoints(500, 7);
  KdTree tree(pts);
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  const Point q{500, 500};
  tree.nearest(q, 8, idx, dist);
  std::vector<double> all;
  for (auto& p : pts) all.push_back(std::hypot(p.x - q.x, p.y - q.y));
  std::sort(all.begin(), all.end());
  ASSERT_EQ(dist.size(), 8u);
  for (std::size_t i = 0; i < 8; ++i) EXPECT_NEAR(dist[i], all[i], 1e-9);
}

TEST(KdTree, NearestOnSmallTreeReturnsAllPoints) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  KdTree tree(pts);
  std::vector<std::uint32_t> idx;
  std::vector<double> dist;
  tree.nearest({0, 0}, 5, idx, dist);
  EXPECT_EQ(idx.size(), 2u);
}
