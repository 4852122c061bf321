// The eps/sqrt(2) grid behind geo::dbscan (geo/clustering/dbscan_grid.h) against the quadratic
// reference and against the GridIndex path it replaced, on seeded points with many pairs at
// exactly eps; and its fallback when the grid does not fit.
#include "geo/clustering/dbscan_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "geo/clustering/dbscan.h"
#include "geo/index/grid_index.h"
#include "reference_dbscan.h"
#include "test_points.h"

using namespace veldwacht::geo;
using veldwacht::geo::testing::blobsOnIntegerGrid;
using veldwacht::geo::testing::referenceDbscan;

namespace {

bool within(const Point& a, const Point& b, double eps) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return dx * dx + dy * dy <= eps * eps;
}

detail::DensityParams params(double minWeight, bool star, int threads,
                             std::span<const double> weights = {}) {
  detail::DensityParams p;
  p.weights = weights;
  p.minWeight = minWeight;
  p.borderPointsAreNoise = star;
  p.threads = threads;
  return p;
}

/// The path geo::dbscan took before the grid: GridIndex (cells of eps) + clusterByDensity.
detail::DensityLabels gridIndexPath(std::span<const Point> pts, double eps,
                                    const detail::DensityParams& p) {
  const GridIndex grid(pts, eps);
  auto each = [&](std::uint32_t i, auto&& f) { grid.forEachWithin(pts[i], eps, f); };
  auto later = [&](std::size_t slot, auto&& f) { grid.forEachLaterWithin(slot, eps, f); };
  return detail::clusterByDensity(grid.cellOrder(), each, later, p, nullProgress());
}

std::vector<double> seededWeights(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> w(0, 4);  // quarters: sums are exact
  std::vector<double> out(n);
  for (auto& v : out) v = 0.25 * w(rng);
  return out;
}

}  // namespace

TEST(DbscanGrid, EqualsTheQuadraticReferenceIncludingTiesAtEps) {
  // eps = k * sqrt(2) puts integer points on the cell boundaries (cells a hair under k).
  for (const double eps : {1.0, 5.0, std::sqrt(2.0), 5.0 * std::sqrt(2.0), 12.0})
    for (const std::size_t minPts : {1u, 4u, 15u})
      for (const bool star : {false, true})
        for (unsigned seed : {1u, 2u}) {
          const auto pts = blobsOnIntegerGrid(700, seed);
          const auto got =
              detail::gridDbscan(pts, {}, eps, params(double(minPts), star, 1), nullProgress());
          ASSERT_TRUE(got.has_value());
          const auto want = referenceDbscan(
              pts.size(), [&](std::size_t i, std::size_t j) { return within(pts[i], pts[j], eps); },
              double(minPts), {}, star);
          ASSERT_EQ(got->labels, want.labels)
              << "eps " << eps << " minPts " << minPts << " star " << star << " seed " << seed;
          ASSERT_EQ(got->core, want.core) << "eps " << eps << " minPts " << minPts;
          const auto maxLabel = *std::max_element(want.labels.begin(), want.labels.end());
          EXPECT_EQ(got->clusterCount, std::size_t(maxLabel + 1));
        }
}

TEST(DbscanGrid, WeightedEqualsTheQuadraticReference) {
  const auto pts = blobsOnIntegerGrid(600, 7);
  const auto w = seededWeights(pts.size(), 7);
  for (const double eps : {3.0, 6.0})
    for (const double minWeight : {1.0, 2.5, 7.75}) {
      const auto got =
          detail::gridDbscan(pts, w, eps, params(minWeight, false, 1, w), nullProgress());
      ASSERT_TRUE(got.has_value());
      const auto want = referenceDbscan(
          pts.size(), [&](std::size_t i, std::size_t j) { return within(pts[i], pts[j], eps); },
          minWeight, w, false);
      EXPECT_EQ(got->labels, want.labels) << "eps " << eps << " minWeight " << minWeight;
      EXPECT_EQ(got->core, want.core) << "eps " << eps << " minWeight " << minWeight;
    }
}

TEST(DbscanGrid, EqualsTheGridIndexPathOnLargerSeededInputsForAnyThreadCount) {
  for (unsigned seed : {3u}) {
    const auto pts = blobsOnIntegerGrid(15000, seed, 12, 2000.0, 25.0);
    const auto w = seededWeights(pts.size(), seed);
    for (const double eps : {4.0, 9.0})
      for (const std::size_t minPts : {4u, 10u})
        for (const bool weighted : {false, true}) {
          const std::span<const double> ws =
              weighted ? std::span<const double>(w) : std::span<const double>();
          const auto want = gridIndexPath(pts, eps, params(double(minPts), false, 1, ws));
          for (const int threads : {1, 2}) {
            const auto got = detail::gridDbscan(
                pts, ws, eps, params(double(minPts), false, threads, ws), nullProgress());
            ASSERT_TRUE(got.has_value());
            EXPECT_EQ(got->labels, want.labels) << "seed " << seed << " eps " << eps;
            EXPECT_EQ(got->core, want.core) << "seed " << seed << " eps " << eps;
            EXPECT_EQ(got->clusterCount, want.clusterCount);
          }
        }
  }
}

TEST(DbscanGrid, FallsBackWhenTheGridDoesNotFitAndDbscanStillEqualsTheReference) {
  // Three groups 5000 km apart with eps 1 m: the grid would need millions of rows.
  std::vector<Point> pts;
  for (int g = 0; g < 3; ++g)
    for (int i = 0; i < 12; ++i) pts.push_back({double(i % 4), 5.0e6 * g + double(i / 4)});
  EXPECT_FALSE(detail::gridDbscan(pts, {}, 1.0, params(3.0, false, 1), nullProgress()));
  DbscanOptions o;
  o.eps = 1.0;
  o.minPts = 3;
  o.threads = 1;
  const auto got = dbscan(pts, o);
  const auto want = referenceDbscan(
      pts.size(), [&](std::size_t i, std::size_t j) { return within(pts[i], pts[j], 1.0); }, 3.0);
  EXPECT_EQ(got.labels, want.labels);
  EXPECT_EQ(got.core, want.core);
  EXPECT_EQ(got.clusterCount, 3u);
}

TEST(DbscanGrid, EmptyInputGivesNoLabels) {
  const auto got = detail::gridDbscan({}, {}, 5.0, params(3.0, false, 1), nullProgress());
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->labels.empty());
  EXPECT_EQ(got->clusterCount, 0u);
}
