#include "geo/clustering/st_dbscan.h"

#include <gtest/gtest.h>

#include <random>

#include "geo/core/error.h"
#include "reference_dbscan.h"
#include "test_points.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;
using veldwacht::geo::testing::blobsOnIntegerGrid;
using veldwacht::geo::testing::referenceDbscan;

namespace {
constexpr TimeSeconds kHour = 3600;
constexpr TimeSeconds kDay = 24 * kHour;

bool within(const Point& a, const Point& b, double eps) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return dx * dx + dy * dy <= eps * eps;
}
}  // namespace

TEST(WindowGap, IsZeroForOverlapAndTheGapOtherwise) {
  EXPECT_EQ(windowGapSeconds(0, 10, 5, 20), 0.0);   // overlap
  EXPECT_EQ(windowGapSeconds(0, 10, 10, 20), 0.0);  // touching
  EXPECT_EQ(windowGapSeconds(0, 10, 13, 20), 3.0);
  EXPECT_EQ(windowGapSeconds(13, 20, 0, 10), 3.0);   // symmetric
  EXPECT_EQ(windowGapSeconds(7, 7, 2, 2), 5.0);      // two moments: |t1 - t2|
  EXPECT_EQ(windowGapSeconds(0, 100, 40, 41), 0.0);  // containment
}

TEST(StDbscan, SamePlaceDifferentMonthsGivesTwoClustersWhereDbscanGivesOne) {
  std::vector<Point> pts;
  std::vector<TimeSeconds> t;
  for (int i = 0; i < 4; ++i) {
    pts.push_back({double(i), 0});
    t.push_back(i * kHour);
  }
  for (int i = 0; i < 4; ++i) {
    pts.push_back({double(i), 1});
    t.push_back(30 * kDay + i * kHour);
  }
  StDbscanOptions opt;
  opt.eps = 10;
  opt.epsSeconds = double(kDay);
  opt.minPts = 3;
  const auto st = stDbscan(pts, t, opt);
  EXPECT_EQ(st.clusterCount, 2u);
  EXPECT_EQ(st.labels, (std::vector<std::int32_t>{0, 0, 0, 0, 1, 1, 1, 1}));

  DbscanOptions spaceOnly;
  spaceOnly.eps = 10;
  spaceOnly.minPts = 3;
  EXPECT_EQ(dbscan(pts, spaceOnly).clusterCount, 1u);
}

TEST(StDbscan, WindowBridgesTwoMomentsThatAreTooFarApart) {
  // P0 at day 0, P1 at day 10, P2 "somewhere between day 1 and day 9", all at one spot.
  // With epsSeconds = 1 day: gap(P0, P2) = 1 day, gap(P2, P1) = 1 day, gap(P0, P1) = 10 days.
  const std::vector<Point> pts = {{0, 0}, {0, 1}, {1, 0}};
  const std::vector<TimeSeconds> from = {0, 10 * kDay, 1 * kDay};
  const std::vector<TimeSeconds> to = {0, 10 * kDay, 9 * kDay};
  StDbscanOptions opt;
  opt.eps = 5;
  opt.epsSeconds = double(kDay);
  opt.minPts = 3;
  const auto r = stDbscan(pts, from, to, opt);
  EXPECT_EQ(r.core, (std::vector<std::uint8_t>{0, 0, 1}));
  EXPECT_EQ(r.labels, (std::vector<std::int32_t>{0, 0, 0}));

  opt.borderPointsAreNoise = true;
  EXPECT_EQ(stDbscan(pts, from, to, opt).labels, (std::vector<std::int32_t>{kNoise, kNoise, 0}));

  // The same signal as a moment at day 5 is a neighbour of neither: everything is noise.
  opt.borderPointsAreNoise = false;
  const std::vector<TimeSeconds> moments = {0, 10 * kDay, 5 * kDay};
  EXPECT_EQ(stDbscan(pts, moments, opt).labels,
            (std::vector<std::int32_t>{kNoise, kNoise, kNoise}));
}

TEST(StDbscan, WindowsMatchQuadraticReferenceOnSeededData) {
  const auto pts = blobsOnIntegerGrid(800, 17, 3, 200.0, 6.0);
  std::mt19937_64 rng(4);
  std::uniform_int_distribution<TimeSeconds> start(0, 60 * kDay);
  std::uniform_int_distribution<TimeSeconds> length(0, 3 * kDay);
  std::vector<TimeSeconds> from(pts.size()), to(pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i) {
    from[i] = start(rng);
    to[i] = (i % 2 == 0) ? from[i] : from[i] + length(rng);  // half moments, half windows
  }
  for (bool star : {false, true}) {
    StDbscanOptions opt;
    opt.eps = 6;
    opt.epsSeconds = double(5 * kDay);
    opt.minPts = 4;
    opt.borderPointsAreNoise = star;
    const auto got = stDbscan(pts, from, to, opt);
    const auto want = referenceDbscan(
        pts.size(),
        [&](std::size_t i, std::size_t j) {
          return within(pts[i], pts[j], opt.eps) &&
                 windowGapSeconds(from[i], to[i], from[j], to[j]) <= opt.epsSeconds;
        },
        4.0, {}, star);
    EXPECT_EQ(got.labels, want.labels);
    EXPECT_EQ(got.core, want.core);
    EXPECT_GT(got.clusterCount, 1u);
  }
}

TEST(StDbscan, TemporalBoundaryIsInclusive) {
  const std::vector<Point> pts = {{0, 0}, {0, 0}};
  const std::vector<TimeSeconds> t = {0, kDay};
  StDbscanOptions opt;
  opt.minPts = 2;
  opt.epsSeconds = double(kDay);
  EXPECT_EQ(stDbscan(pts, t, opt).clusterCount, 1u);
  opt.epsSeconds = double(kDay - 1);
  EXPECT_EQ(stDbscan(pts, t, opt).clusterCount, 0u);
}

TEST(StDbscan, ResultIsTheSameForAnyThreadCount) {
  const auto pts = blobsOnIntegerGrid(6000, 8, 5, 500.0, 10.0);
  std::vector<TimeSeconds> t(pts.size());
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = TimeSeconds(i % 97) * kDay;
  StDbscanOptions opt;
  opt.eps = 8;
  opt.epsSeconds = 20.0 * kDay;
  opt.minPts = 3;
  opt.threads = 1;
  const auto one = stDbscan(pts, t, opt);
  opt.threads = 2;
  EXPECT_EQ(stDbscan(pts, t, opt).labels, one.labels);
}

TEST(StDbscan, BadInputThrows) {
  const std::vector<Point> pts = {{0, 0}, {1, 1}};
  const std::vector<TimeSeconds> one = {0};
  const std::vector<TimeSeconds> from = {0, 10};
  const std::vector<TimeSeconds> to = {5, 9};
  EXPECT_THROW_WITH(stDbscan(pts, one, StDbscanOptions{}), InputError, "expected 2 values, got 1");
  EXPECT_THROW_WITH(stDbscan(pts, from, to, StDbscanOptions{}), InputError,
                    "row 2, field 'to': time window ends before it starts");
  StDbscanOptions opt;
  opt.epsSeconds = -1;
  EXPECT_OPTION_ERROR(stDbscan(pts, from, from, opt), "epsSeconds");
  opt = {};
  opt.eps = -5;
  EXPECT_OPTION_ERROR(stDbscan(pts, from, from, opt), "eps");
}

TEST(StDbscan, CancelThrowsCancelledError) {
  const auto pts = blobsOnIntegerGrid(3000, 3);
  const std::vector<TimeSeconds> t(pts.size(), 0);
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW_WITH(stDbscan(pts, t, StDbscanOptions{}, progress), CancelledError, "cancelled");
}
