#include "geo/hotspots/moran.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "test_data.h"

using namespace veldwacht::geo;

TEST(GlobalMoran, CheckerboardIsPerfectlyNegativeWithRookWeights) {
  const auto pairs = testdata::rookPairs(8, 8);
  const auto w = SpatialWeights::fromPairs(64, pairs);
  std::vector<double> v(64);
  for (int r = 0; r < 8; ++r)
    for (int c = 0; c < 8; ++c) v[r * 8 + c] = (r + c) % 2 ? 1.0 : 0.0;
  for (bool row : {false, true}) {
    const auto g = globalMoran(v, w, {.rowStandardise = row});
    EXPECT_NEAR(g.i, -1.0, 1e-12);
    EXPECT_NEAR(g.expected, -1.0 / 63.0, 1e-15);
    EXPECT_LT(g.zNormal, -5.0);
    EXPECT_LT(g.pRandom, 1e-6);
  }
}

TEST(GlobalMoran, StripesArePositive) {
  const auto w = SpatialWeights::fromPairs(100, testdata::rookPairs(10, 10));
  std::vector<double> v(100);
  for (int i = 0; i < 100; ++i) v[i] = (i / 10) < 5 ? 1.0 : 0.0;  // top half 1, bottom 0
  const auto g = globalMoran(v, w, {.rowStandardise = false});
  // Binary rook on 10x10: S0 = 2 * 180 = 360 links; all agree but the 10 links across the
  // boundary (20 ordered). sum w z z = (360 - 20) * 0.25 - 20 * 0.25 = 80; sum z^2 = 25.
  EXPECT_NEAR(g.i, 100.0 / 360.0 * 80.0 / 25.0, 1e-12);
}

// The randomisation moments are the exact mean and variance of I over all n! permutations of
// the values (Cliff & Ord 1981): check them by enumeration on a 6-feature asymmetric graph.
TEST(GlobalMoran, RandomisationMomentsEqualExactPermutationMoments) {
  const std::vector<std::vector<std::uint32_t>> lists{{1, 2}, {0, 2, 3}, {3}, {4, 5}, {5}, {0}};
  const auto w = SpatialWeights::fromLists(lists, false);
  std::vector<double> v{1.0, 4.0, 2.0, 8.0, 3.0, 7.5};
  for (bool row : {false, true}) {
    const auto g = globalMoran(v, w, {.rowStandardise = row});
    std::vector<double> perm = v;
    std::sort(perm.begin(), perm.end());
    double sum = 0.0, sumSq = 0.0;
    int count = 0;
    do {
      const double iv = globalMoran(perm, w, {.rowStandardise = row}).i;
      sum += iv;
      sumSq += iv * iv;
      ++count;
    } while (std::next_permutation(perm.begin(), perm.end()));
    const double mean = sum / count;
    EXPECT_NEAR(mean, g.expected, 1e-12);
    EXPECT_NEAR(sumSq / count - mean * mean, g.varianceRandom, 1e-12) << "row " << row;
  }
}

TEST(GlobalMoran, IndexedEqualsDenseQuadraticSum) {
  const auto f = testdata::seededField(400, 8);
  const double band = 100.0;
  const auto w = distanceBandWeights(f.points, {.band = band}).weights;
  const auto g = globalMoran(f.values, w, {.rowStandardise = false});
  const double n = 400.0;
  const double mean = std::accumulate(f.values.begin(), f.values.end(), 0.0) / n;
  double num = 0.0, s0 = 0.0, den = 0.0;
  for (std::size_t i = 0; i < 400; ++i) {
    den += (f.values[i] - mean) * (f.values[i] - mean);
    for (std::size_t j = 0; j < 400; ++j) {
      if (i == j) continue;
      if (std::hypot(f.points[i].x - f.points[j].x, f.points[i].y - f.points[j].y) > band) continue;
      num += (f.values[i] - mean) * (f.values[j] - mean);
      s0 += 1.0;
    }
  }
  EXPECT_NEAR(g.i, n / s0 * num / den, 1e-12);
  EXPECT_GT(g.zRandom, 3.0);  // the planted bump is autocorrelated
}

// Anselin's randomisation moments of I_i are the exact moments over all permutations of the
// values among the features: check by enumeration (6! = 720).
TEST(LocalMoran, MomentsEqualExactPermutationMoments) {
  const std::vector<std::vector<std::uint32_t>> lists{{1, 2}, {0, 2, 3}, {3}, {4, 5}, {5}, {0}};
  const auto w = SpatialWeights::fromLists(lists, false);
  const std::vector<double> v{1.0, 4.0, 2.0, 8.0, 3.0, 7.5};
  const auto base = localMoran(v, w, {.permutations = 0});
  std::vector<double> perm = v;
  std::sort(perm.begin(), perm.end());
  std::vector<double> sum(6, 0.0), sumSq(6, 0.0);
  int count = 0;
  do {
    const auto r = localMoran(perm, w, {.permutations = 0});
    for (int i = 0; i < 6; ++i) {
      sum[i] += r.i[i];
      sumSq[i] += r.i[i] * r.i[i];
    }
    ++count;
  } while (std::next_permutation(perm.begin(), perm.end()));
  for (int i = 0; i < 6; ++i) {
    const double mean = sum[i] / count;
    EXPECT_NEAR(mean, base.expected[i], 1e-12) << i;
    EXPECT_NEAR(sumSq[i] / count - mean * mean, base.variance[i], 1e-12) << i;
  }
}

TEST(LocalMoran, IndexedEqualsDirectSumAndGlobalIsMeanOfLocals) {
  const auto f = testdata::seededField(500, 13);
  const auto w = distanceBandWeights(f.points, {.band = 85.0}).weights;
  const auto r = localMoran(f.values, w, {.rowStandardise = false, .permutations = 0});
  const double n = 500.0;
  const double mean = std::accumulate(f.values.begin(), f.values.end(), 0.0) / n;
  double m2 = 0.0;
  for (double v : f.values) m2 += (v - mean) * (v - mean) / n;
  double s0 = 0.0, total = 0.0;
  for (std::size_t i = 0; i < 500; ++i) {
    double lag = 0.0;
    for (std::size_t j = 0; j < 500; ++j)
      if (j != i &&
          std::hypot(f.points[i].x - f.points[j].x, f.points[i].y - f.points[j].y) <= 85.0) {
        lag += f.values[j] - mean;
        s0 += 1.0;
      }
    ASSERT_NEAR(r.i[i], (f.values[i] - mean) / m2 * lag, 1e-9);
    total += r.i[i];
  }
  // Anselin (1995): sum_i I_i = S0 * I (binary weights).
  const auto g = globalMoran(f.values, w, {.rowStandardise = false});
  EXPECT_NEAR(total, s0 * g.i, 1e-8);
}

TEST(LocalMoran, ClassifiesClustersAndOutliers) {
  // 20x20 rook lattice of middling values: a 6x6 block of highs in one corner (HH), a 6x6 block
  // of lows in the opposite one (LL), one high inside the low block (HL) and one low inside
  // the high block (LH).
  const std::uint32_t side = 20;
  const auto w = SpatialWeights::fromPairs(side * side, testdata::rookPairs(side, side));
  std::vector<double> v(side * side);
  Rng g(3);
  for (auto& x : v) x = 5.0 + g.uniform();
  for (std::uint32_t r = 0; r < 6; ++r)
    for (std::uint32_t c = 0; c < 6; ++c) {
      v[r * side + c] = 10.0 + g.uniform();               // HH block
      v[(r + 14) * side + (c + 14)] = 0.0 + g.uniform();  // LL block
    }
  v[16 * side + 16] = 12.0;  // a high in the middle of the low block: HL
  v[3 * side + 3] = 0.0;     // a low in the middle of the high block: LH
  const auto r = localMoran(v, w, {.permutations = 999, .seed = 1, .correction = Correction::None});
  EXPECT_EQ(r.type[2 * side + 2], ClusterType::HighHigh);
  EXPECT_EQ(r.type[15 * side + 15], ClusterType::LowLow);
  EXPECT_EQ(r.type[16 * side + 16], ClusterType::HighLow);
  EXPECT_EQ(r.type[3 * side + 3], ClusterType::LowHigh);
  EXPECT_EQ(r.type[10 * side + 0], ClusterType::NotSignificant);  // mid-field, far from both
}

TEST(IncrementalGlobalMoran, EqualsGlobalMoranWithMaterialisedBandWeights) {
  // Integer lattice coordinates make many pairs sit exactly on a band: ties must agree too.
  std::vector<Point> pts;
  std::vector<double> v;
  Rng g(17);
  for (int r = 0; r < 18; ++r)
    for (int c = 0; c < 18; ++c) {
      pts.push_back({c * 100.0, r * 100.0});
      v.push_back(std::floor(g.uniform() * 5.0) + (r < 6 && c < 6 ? 4.0 : 0.0));
    }
  const std::vector<double> bands{100.0, 141.5, 200.0, 300.0, 500.0};
  for (bool row : {true, false}) {
    const auto inc = incrementalGlobalMoran(pts, v, bands, {.rowStandardise = row});
    ASSERT_EQ(inc.size(), bands.size());
    for (std::size_t b = 0; b < bands.size(); ++b) {
      const auto w = distanceBandWeights(pts, {.band = bands[b]}).weights;
      const auto ref = globalMoran(v, w, {.rowStandardise = row});
      EXPECT_NEAR(inc[b].i, ref.i, 1e-12) << bands[b];
      EXPECT_NEAR(inc[b].varianceNormal, ref.varianceNormal, 1e-12) << bands[b];
      EXPECT_NEAR(inc[b].varianceRandom, ref.varianceRandom, 1e-12) << bands[b];
      EXPECT_NEAR(inc[b].zRandom, ref.zRandom, 1e-9) << bands[b];
      EXPECT_EQ(inc[b].islands, ref.islands);
    }
  }
}
