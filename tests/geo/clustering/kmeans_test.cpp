#include "geo/clustering/kmeans.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "geo/core/error.h"
#include "test_points.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

namespace {
struct Blobs {
  std::vector<Point> pts;
  std::vector<int> truth;
  std::vector<Point> means;
};

Blobs threeSquares() {
  Blobs b;
  const std::vector<Point> corners = {{0, 0}, {500, 0}, {0, 800}};
  for (std::size_t c = 0; c < corners.size(); ++c) {
    double sx = 0, sy = 0;
    int count = 0;
    for (int i = 0; i < 7; ++i)
      for (int j = 0; j < 5 + int(c); ++j) {
        b.pts.push_back({corners[c].x + 3.0 * i, corners[c].y + 2.0 * j});
        b.truth.push_back(int(c));
        sx += b.pts.back().x;
        sy += b.pts.back().y;
        ++count;
      }
    b.means.push_back({sx / count, sy / count});
  }
  return b;
}
}  // namespace

TEST(Kmeans, SeparatesThreeSquaresAndPutsCentresAtTheirMeans) {
  const auto b = threeSquares();
  KmeansOptions opt;
  opt.k = 3;
  opt.seed = 7;
  const auto r = kmeans(b.pts, opt);
  ASSERT_EQ(r.centres.size(), 3u);
  std::map<int, std::int32_t> labelOf;
  for (std::size_t i = 0; i < b.pts.size(); ++i) {
    auto [it, inserted] = labelOf.emplace(b.truth[i], r.labels[i]);
    EXPECT_EQ(it->second, r.labels[i]);
  }
  ASSERT_EQ(labelOf.size(), 3u);
  double inertia = 0;
  for (int c = 0; c < 3; ++c) {
    const Point centre = r.centres[std::size_t(labelOf[c])];
    EXPECT_NEAR(centre.x, b.means[std::size_t(c)].x, 1e-9);
    EXPECT_NEAR(centre.y, b.means[std::size_t(c)].y, 1e-9);
  }
  for (std::size_t i = 0; i < b.pts.size(); ++i) {
    const Point m = b.means[std::size_t(b.truth[i])];
    inertia += (b.pts[i].x - m.x) * (b.pts[i].x - m.x) + (b.pts[i].y - m.y) * (b.pts[i].y - m.y);
  }
  EXPECT_NEAR(r.inertia, inertia, 1e-6 * inertia);
}

TEST(Kmeans, OneClusterCentreIsTheWeightedMean) {
  const std::vector<Point> pts = {{0, 0}, {4, 8}};
  const std::vector<double> w = {1.0, 3.0};
  KmeansOptions opt;
  opt.k = 1;
  const auto r = kmeans(pts, w, opt);
  EXPECT_DOUBLE_EQ(r.centres[0].x, 3.0);
  EXPECT_DOUBLE_EQ(r.centres[0].y, 6.0);
  EXPECT_DOUBLE_EQ(r.inertia, 1.0 * (9 + 36) + 3.0 * (1 + 4));
}

TEST(Kmeans, SameSeedSameResultAndThreadCountDoesNotMatter) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(20000, 4, 8, 2000.0, 40.0);
  KmeansOptions opt;
  opt.k = 8;
  opt.seed = 123;
  opt.nInit = 3;
  opt.threads = 1;
  const auto a = kmeans(pts, opt);
  opt.threads = 2;
  const auto b = kmeans(pts, opt);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.inertia, b.inertia);
}

TEST(Kmeans, MoreRestartsNeverIncreaseInertia) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(3000, 6, 10, 1000.0, 30.0);
  KmeansOptions opt;
  opt.k = 10;
  opt.seed = 99;
  opt.nInit = 1;
  const double single = kmeans(pts, opt).inertia;
  opt.nInit = 8;
  EXPECT_LE(kmeans(pts, opt).inertia, single);
}

TEST(Kmeans, KEqualToNumberOfPointsGivesZeroInertia) {
  const std::vector<Point> pts = {{0, 0}, {10, 0}, {0, 10}, {10, 10}};
  KmeansOptions opt;
  opt.k = 4;
  const auto r = kmeans(pts, opt);
  EXPECT_DOUBLE_EQ(r.inertia, 0.0);
}

TEST(Kmeans, IdenticalPointsGiveZeroInertiaAndValidLabels) {
  const std::vector<Point> pts(10, Point{1, 2});
  KmeansOptions opt;
  opt.k = 3;
  const auto r = kmeans(pts, opt);
  EXPECT_EQ(r.inertia, 0.0);
  for (auto l : r.labels) {
    EXPECT_GE(l, 0);
    EXPECT_LT(l, 3);
  }
}

TEST(Kmeans, InvalidOptionsThrow) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  KmeansOptions opt;
  opt.k = 3;
  EXPECT_THROW_WITH(kmeans(pts, opt), OptionError, "k: is larger than the number of points (2)");
  opt.k = 0;
  EXPECT_OPTION_ERROR(kmeans(pts, opt), "k");
  opt = {};
  opt.k = 1;
  opt.nInit = 0;
  EXPECT_OPTION_ERROR(kmeans(pts, opt), "nInit");
  opt.nInit = 1;
  opt.tolerance = -1;
  EXPECT_OPTION_ERROR(kmeans(pts, opt), "tolerance");
}

TEST(Kmeans, CancelThrowsCancelledError) {
  const auto pts = veldwacht::geo::testing::blobsOnIntegerGrid(2000, 1);
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW_WITH(kmeans(pts, KmeansOptions{}, progress), CancelledError, "cancelled");
}
