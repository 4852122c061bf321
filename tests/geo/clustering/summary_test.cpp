#include "geo/clustering/summary.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <random>

#include "geo/core/error.h"
#include "geo/core/geos.h"
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
  EXPECT_EQ(r.clusters[0].label, 0);
  EXPECT_EQ(r.clusters[0].count, 5u);
  EXPECT_EQ(r.clusters[1].label, 1);
  EXPECT_EQ(r.clusters[1].count, 2u);
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
  EXPECT_THROW_WITH(summarizeClusters(pts, labels, {}, {}, progress), CancelledError, "cancelled");
}

namespace {
/// Brute force: GEOS's convex hull of every member point (duplicates and all, in input order)
/// as little-endian 2-D WKB, as the summary computed it before it passed GEOS only the points
/// that can be hull vertices.
std::vector<unsigned char> geosHullOfAll(const std::vector<Point>& pts) {
  GeosContext& ctx = GeosContext::forThisThread();
  std::vector<GeosGeometry> parts;
  for (const Point& p : pts)
    parts.push_back(
        checkedGeos(ctx, GEOSGeom_createPointFromXY_r(ctx.handle(), p.x, p.y), "point"));
  const GeosGeometry mp = collectionOf(ctx, GEOS_MULTIPOINT, std::move(parts), "multipoint");
  const GeosGeometry hull = checkedGeos(ctx, GEOSConvexHull_r(ctx.handle(), mp.get()), "hull");
  std::unique_ptr<GEOSWKBWriter, GeosWkbWriterDeleter> writer(GEOSWKBWriter_create_r(ctx.handle()),
                                                              {ctx.handle()});
  GEOSWKBWriter_setOutputDimension_r(ctx.handle(), writer.get(), 2);
  GEOSWKBWriter_setByteOrder_r(ctx.handle(), writer.get(), GEOS_WKB_NDR);
  std::size_t size = 0;
  std::unique_ptr<unsigned char, GeosBufferDeleter> buf(
      GEOSWKBWriter_write_r(ctx.handle(), writer.get(), hull.get(), &size), {ctx.handle()});
  return {buf.get(), buf.get() + size};
}
}  // namespace

// The convex hull of every cluster is byte for byte GEOS's hull of all its points, on shapes
// where a pre-filter could go wrong: many points on the boundary (a grid, a rotated square with
// points along its edges, a circle), collinear clusters (a LineString), 1-3 points and
// duplicates, a tiny cluster far from the origin, and seeded Gaussian and uniform clusters.
TEST(ClusterSummary, ConvexHullEqualsGeosHullOfAllPoints) {
  std::mt19937_64 rng(20261205);
  std::normal_distribution<double> gauss(0.0, 300.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<std::vector<Point>> clusters;
  for (int size : {4, 10, 51, 200, 5000, 20000}) {  // Gaussian
    std::vector<Point> c;
    for (int i = 0; i < size; ++i) c.push_back({155000 + gauss(rng), 463000 + gauss(rng)});
    clusters.push_back(c);
  }
  for (int size : {60, 3000}) {  // uniform in a square
    std::vector<Point> c;
    for (int i = 0; i < size; ++i) c.push_back({1000 * unit(rng), 400000 + 1000 * unit(rng)});
    clusters.push_back(c);
  }
  {  // an integer grid: every boundary point collinear with its neighbours
    std::vector<Point> c;
    for (int i = 0; i <= 30; ++i)
      for (int j = 0; j <= 20; ++j) c.push_back({150000.0 + i, 450000.0 + 2.0 * j});
    clusters.push_back(c);
  }
  {  // a square turned 30 degrees with points along its edges, and inside
    std::vector<Point> c;
    const double a = 0.5235987755982988, ca = std::cos(a), sa = std::sin(a);
    const auto at = [&](double u, double v) {
      return Point{200000 + 100 * (u * ca - v * sa), 500000 + 100 * (u * sa + v * ca)};
    };
    for (int i = 0; i <= 40; ++i) {
      const double t = i / 40.0;
      for (const Point& p : {at(t, 0), at(1, t), at(t, 1), at(0, t)}) c.push_back(p);
      c.push_back(at(0.1 + 0.8 * unit(rng), 0.1 + 0.8 * unit(rng)));
    }
    clusters.push_back(c);
  }
  {  // a circle (every point a vertex) with points inside
    std::vector<Point> c;
    for (int i = 0; i < 360; ++i)
      c.push_back({120000 + 50 * std::cos(i * 0.017453292519943295),
                   480000 + 50 * std::sin(i * 0.017453292519943295)});
    for (int i = 0; i < 200; ++i)
      c.push_back({120000 + 60 * unit(rng) - 30, 480000 + 20 * unit(rng)});
    clusters.push_back(c);
  }
  {  // collinear: a LineString
    std::vector<Point> c;
    for (int i = 0; i < 100; ++i) c.push_back({100000.0 + 3 * i, 400000.0 + 2 * i});
    clusters.push_back(c);
  }
  clusters.push_back({{5, 5}});
  clusters.push_back({{5, 5}, {7, 8}});
  clusters.push_back({{5, 5}, {7, 8}, {5, 5}, {9, 5}});
  clusters.push_back({{5, 5}, {5, 5}, {5, 5}, {5, 5}, {5, 5}});
  {  // a millimetre cluster far from the origin
    std::vector<Point> c;
    for (int i = 0; i < 500; ++i)
      c.push_back({250000.123 + 1e-3 * unit(rng), 600000.456 + 1e-3 * unit(rng)});
    clusters.push_back(c);
  }
  std::vector<Point> pts;
  std::vector<std::int32_t> labels;
  for (std::size_t c = 0; c < clusters.size(); ++c)
    for (const Point& p : clusters[c]) {
      pts.push_back(p);
      labels.push_back(std::int32_t(c));
    }
  // interleave the clusters: members are not contiguous in the input
  std::vector<std::size_t> order(pts.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Point> shuffled;
  std::vector<std::int32_t> shuffledLabels;
  for (std::size_t i : order) {
    shuffled.push_back(pts[i]);
    shuffledLabels.push_back(labels[i]);
  }
  const auto r = summarizeClusters(shuffled, shuffledLabels, {}, ClusterSummaryOptions{});
  ASSERT_EQ(r.clusters.size(), clusters.size());
  for (std::size_t c = 0; c < clusters.size(); ++c) {
    std::vector<Point> members;
    for (std::size_t i = 0; i < shuffled.size(); ++i)
      if (shuffledLabels[i] == std::int32_t(c)) members.push_back(shuffled[i]);
    ASSERT_TRUE(r.clusters[c].convexHull) << "cluster " << c;
    EXPECT_EQ(r.clusters[c].convexHull->wkb, geosHullOfAll(members)) << "cluster " << c;
  }
}
