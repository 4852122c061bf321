#include "geo/clustering/summary.h"

#include <gtest/gtest.h>

#include <cmath>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

namespace {
double ringArea(const std::vector<Point>& ring) {
  double a = 0;
  for (std::size_t i = 0; i + 1 < ring.size(); ++i)
    a += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  return std::abs(a) / 2;
}
std::uint32_t wkbType(const std::vector<unsigned char>& wkb) {
  EXPECT_GE(wkb.size(), 5u);
  EXPECT_EQ(wkb[0], 1);  // little-endian
  return std::uint32_t(wkb[1]) | std::uint32_t(wkb[2]) << 8 | std::uint32_t(wkb[3]) << 16 |
         std::uint32_t(wkb[4]) << 24;
}
}  // namespace

TEST(ClusterSummary, CountsSizesCentroidAndSquareHull) {
  // Cluster 0: a 10 m square with its centre; cluster 1: two points; one noise point.
  const std::vector<Point> pts = {{0, 0}, {10, 0},    {10, 10},   {0, 10},
                                  {5, 5}, {100, 100}, {104, 100}, {500, 500}};
  const std::vector<std::int32_t> labels = {0, 0, 0, 0, 0, 1, 1, kNoise};
  const auto r = summarizeClusters(pts, labels, {}, ClusterSummaryOptions{});
  ASSERT_EQ(r.clusters.size(), 2u);
  EXPECT_EQ(r.clusterSize, (std::vector<std::size_t>{5, 5, 5, 5, 5, 2, 2, 0}));
  EXPECT_EQ(r.clusters[0].count, 5u);
  EXPECT_DOUBLE_EQ(r.clusters[0].centroid.x, 5.0);
  EXPECT_DOUBLE_EQ(r.clusters[1].centroid.x, 102.0);
  ASSERT_TRUE(r.clusters[0].convexHull);
  const Hull& h = *r.clusters[0].convexHull;
  EXPECT_EQ(wkbType(h.wkb), 3u);  // Polygon
  EXPECT_EQ(h.ring.size(), 5u);   // four corners, closed
  EXPECT_EQ(h.ring.front(), h.ring.back());
  EXPECT_DOUBLE_EQ(ringArea(h.ring), 100.0);
  EXPECT_EQ(wkbType(r.clusters[1].convexHull->wkb), 2u);  // two points: LineString
  EXPECT_FALSE(r.clusters[0].concaveHull);
  EXPECT_FALSE(r.clusters[0].timeMin);
}

TEST(ClusterSummary, SinglePointClusterHullIsAPoint) {
  const std::vector<Point> pts = {{3, 4}};
  const std::vector<std::int32_t> labels = {0};
  const auto r = summarizeClusters(pts, labels, {}, ClusterSummaryOptions{});
  EXPECT_EQ(wkbType(r.clusters[0].convexHull->wkb), 1u);
  EXPECT_EQ(r.clusters[0].convexHull->ring, (std::vector<Point>{{3, 4}}));
}

TEST(ClusterSummary, ConcaveHullOfAUShapeIsSmallerThanItsConvexHull) {
  std::vector<Point> pts;
  for (int i = 0; i <= 20; ++i) {
    for (int j = 0; j <= 2; ++j) {
      pts.push_back({double(i), double(j)});  // bottom, 2 m thick
      if (i > 2) {
        pts.push_back({double(j), double(i)});  // left arm
        pts.push_back({20.0 - j, double(i)});   // right arm
      }
    }
  }
  const std::size_t distinct = pts.size();
  for (std::size_t i = 0; i < distinct; i += 2) pts.push_back(pts[i]);  // duplicates are common
  const std::vector<std::int32_t> labels(pts.size(), 0);
  ClusterSummaryOptions opt;
  opt.concaveHull = true;
  opt.concaveRatio = 0.1;
  const auto r = summarizeClusters(pts, labels, {}, opt);
  ASSERT_TRUE(r.clusters[0].concaveHull);
  const double convex = ringArea(r.clusters[0].convexHull->ring);
  const double concave = ringArea(r.clusters[0].concaveHull->ring);
  EXPECT_DOUBLE_EQ(convex, 400.0);
  EXPECT_LT(concave, 0.5 * convex);
  opt.concaveRatio = 1.0;  // ratio 1 is the convex hull
  const auto same = summarizeClusters(pts, labels, {}, opt);
  EXPECT_DOUBLE_EQ(ringArea(same.clusters[0].concaveHull->ring), convex);
}

TEST(ClusterSummary, TimeSpanCategoryCountsAndDistinctSources) {
  const std::vector<Point> pts = {{0, 0}, {1, 0}, {2, 0}, {50, 50}};
  const std::vector<std::int32_t> labels = {0, 0, 0, kNoise};
  const std::vector<TimeSeconds> from = {100, 50, 300, 0};
  const std::vector<TimeSeconds> to = {200, 60, 900, 5000};
  const std::vector<std::int64_t> cat = {7, 3, 7, 3};
  const std::vector<std::int64_t> src = {1, 1, 2, 9};
  ClusterSummaryOptions opt;
  opt.convexHull = false;
  const auto windows = summarizeClusters(pts, labels, {from, to, cat, src}, opt);
  const auto& s = windows.clusters[0];
  EXPECT_EQ(*s.timeMin, 50);
  EXPECT_EQ(*s.timeMax, 900);  // the noise point's window does not count
  EXPECT_EQ(s.categoryCounts, (std::vector<std::pair<std::int64_t, std::size_t>>{{3, 1}, {7, 2}}));
  EXPECT_EQ(s.distinctSources, 2u);
  EXPECT_FALSE(s.convexHull);
  const auto moments = summarizeClusters(pts, labels, {from, {}, {}, {}}, opt);
  EXPECT_EQ(*moments.clusters[0].timeMin, 50);
  EXPECT_EQ(*moments.clusters[0].timeMax, 300);
}

TEST(ClusterSummary, BadInputThrows) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  const std::vector<std::int32_t> good = {0, 0};
  const std::vector<std::int32_t> shortLabels = {0};
  const std::vector<std::int32_t> badLabel = {0, -2};
  const std::vector<std::int64_t> oneCat = {1};
  EXPECT_THROW_WITH(summarizeClusters(pts, shortLabels, {}, {}), InputError,
                    "field 'label': expected 2 labels, got 1");
  EXPECT_THROW_WITH(summarizeClusters(pts, badLabel, {}, {}), InputError,
                    "row 2, field 'label': must be -1 (noise) or >= 0");
  EXPECT_THROW_WITH(summarizeClusters(pts, good, {{}, {}, oneCat, {}}, {}), InputError,
                    "field 'category': expected 2 values, got 1");
  ClusterSummaryOptions opt;
  opt.concaveRatio = 1.5;
  EXPECT_OPTION_ERROR(summarizeClusters(pts, good, {}, opt), "concaveRatio");
}

TEST(ClusterSummary, CancelThrowsCancelledError) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  const std::vector<std::int32_t> labels = {0, 1};
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW(summarizeClusters(pts, labels, {}, {}, progress), CancelledError);
}
