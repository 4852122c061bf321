#include "geo/hotspots/gistar.h"

#include <gtest/gtest.h>

#include <cmath>

#include "geo/core/error.h"
#include "test_data.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;

// Five features on a line, 1 m apart, values 2 4 6 8 10, band 1 m (each sees its neighbours).
// By hand: n = 5, mean 6, S^2 = (16 + 4 + 0 + 4 + 16) / 5 = 8.
// Feature 4: sum w x = 8 + 10 = 18, W = 2, sum w^2 = 2; numerator 18 - 6 * 2 = 6;
// denominator sqrt(8) * sqrt((5 * 2 - 2^2) / 4) = sqrt(8 * 1.5) = sqrt(12); z = 6 / sqrt(12).
TEST(GiStar, MatchesHandWorkedExampleOnALine) {
  const std::vector<Point> pts{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {4, 0}};
  const std::vector<double> v{2, 4, 6, 8, 10};
  const auto w = distanceBandWeights(pts, {.band = 1.0}).weights;
  const auto r = getisOrdGiStar(v, w, {.permutations = 0});
  EXPECT_NEAR(r.z[4], 6.0 / std::sqrt(12.0), 1e-12);
  EXPECT_NEAR(r.z[0], -6.0 / std::sqrt(12.0), 1e-12);
  // Feature 1: 2 + 4 + 6 = 12, W = 3; numerator 12 - 18 = -6; denominator
  // sqrt(8 * (15 - 9) / 4) = sqrt(12).
  EXPECT_NEAR(r.z[1], -6.0 / std::sqrt(12.0), 1e-12);
  EXPECT_NEAR(r.z[2], 0.0, 1e-12);
  EXPECT_NEAR(r.p[4], std::erfc(6.0 / std::sqrt(12.0) / std::sqrt(2.0)), 1e-12);
  EXPECT_EQ(r.neighbourCount[2], 3u);
  EXPECT_FALSE(r.warnings.empty());  // fewer than 30 features
}

TEST(GiStar, RowStandardisedEqualsBinaryWhenNeighbourhoodsAreEqualSize) {
  // On a ring every feature has the same number of neighbours; Gi* is then invariant to scaling.
  std::vector<std::vector<std::uint32_t>> lists(40);
  std::vector<double> v(40);
  for (std::uint32_t i = 0; i < 40; ++i) {
    lists[i] = {(i + 1) % 40, (i + 39) % 40};
    v[i] = std::sin(i * 0.7) * 3.0 + (i % 5);
  }
  const auto w = SpatialWeights::fromLists(lists);
  const auto bin = getisOrdGiStar(v, w, {.permutations = 0});
  const auto row = getisOrdGiStar(v, w, {.rowStandardise = true, .permutations = 0});
  for (std::size_t i = 0; i < v.size(); ++i) EXPECT_NEAR(bin.z[i], row.z[i], 1e-12);
}

TEST(GiStar, IndexedWeightsEqualDirectQuadraticSum) {
  const auto f = testdata::seededField(600, 11);
  const double band = 90.0;
  const auto w = distanceBandWeights(f.points, {.band = band}).weights;
  const auto r = getisOrdGiStar(f.values, w, {.permutations = 0});
  const double n = static_cast<double>(f.values.size());
  double mean = 0.0, sq = 0.0;
  for (double v : f.values) mean += v / n;
  for (double v : f.values) sq += v * v / n;
  const double s = std::sqrt(sq - mean * mean);
  for (std::size_t i = 0; i < f.values.size(); ++i) {
    double wx = 0.0, wsum = 0.0, w2 = 0.0;
    for (std::size_t j = 0; j < f.values.size(); ++j) {
      const double d = std::hypot(f.points[i].x - f.points[j].x, f.points[i].y - f.points[j].y);
      const double wij = d <= band ? 1.0 : 0.0;  // i itself at d = 0 is included (Gi*)
      wx += wij * f.values[j];
      wsum += wij;
      w2 += wij * wij;
    }
    const double z = (wx - mean * wsum) / (s * std::sqrt((n * w2 - wsum * wsum) / (n - 1.0)));
    ASSERT_NEAR(r.z[i], z, 1e-9) << "feature " << i;
  }
}

TEST(GiStar, FindsThePlantedHotSpotWithBothInferences) {
  const auto f = testdata::seededField(800, 5);
  const auto w = distanceBandWeights(f.points, {.band = 80.0}).weights;
  const auto r = getisOrdGiStar(f.values, w, {.permutations = 199, .seed = 9});
  // The bump is centred at (300, 600).
  std::size_t centre = 0;
  double best = 1e300;
  for (std::size_t i = 0; i < f.points.size(); ++i) {
    const double d = std::hypot(f.points[i].x - 300.0, f.points[i].y - 600.0);
    if (d < best) best = d, centre = i;
  }
  EXPECT_GT(r.z[centre], 3.0);
  EXPECT_EQ(r.bin[centre], 3);
  EXPECT_NEAR(r.pPermutation[centre], 1.0 / 200.0, 1e-12);
  // Far from the bump nothing is a hot spot at 99 % after FDR.
  for (std::size_t i = 0; i < f.points.size(); ++i) {
    if (std::hypot(f.points[i].x - 300.0, f.points[i].y - 600.0) > 400.0) {
      EXPECT_LT(r.bin[i], 3);
    }
  }
}

TEST(GiStar, PermutationPValuesReproducibleForSeedAndThreadCount) {
  const auto f = testdata::seededField(700, 21);
  const auto w = distanceBandWeights(f.points, {}).weights;
  const auto a = getisOrdGiStar(f.values, w, {.permutations = 99, .seed = 4, .threads = 1});
  const auto b = getisOrdGiStar(f.values, w, {.permutations = 99, .seed = 4, .threads = 2});
  const auto c = getisOrdGiStar(f.values, w, {.permutations = 99, .seed = 5, .threads = 2});
  EXPECT_EQ(a.pPermutation, b.pPermutation);
  EXPECT_NE(a.pPermutation, c.pPermutation);
}

TEST(GiStar, ConstantValuesGiveNoHotSpotsAndAWarning) {
  std::vector<std::vector<std::uint32_t>> lists(35);
  for (std::uint32_t i = 0; i + 1 < 35; ++i) lists[i] = {i + 1};
  const auto w = SpatialWeights::fromLists(lists);
  const std::vector<double> v(35, 4.0);
  const auto r = getisOrdGiStar(v, w, {.permutations = 9});
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(r.z[i], 0.0);
    EXPECT_EQ(r.bin[i], 0);
  }
  EXPECT_FALSE(r.warnings.empty());
}

TEST(GiStar, RejectsMismatchedAndNonFiniteInput) {
  const auto w = SpatialWeights::fromPairs(
      3, std::vector<std::pair<std::uint32_t, std::uint32_t>>{{0, 1}, {1, 2}});
  EXPECT_THROW_WITH(getisOrdGiStar(std::vector<double>{1, 2}, w, {}), InputError,
                    "got 2 values for 3 features in the weights");
  EXPECT_THROW_WITH(getisOrdGiStar(std::vector<double>{1, NAN, 3}, w, {}), InputError,
                    "row 2, field 'value': value must be finite");
  EXPECT_THROW_WITH((GiStarOptions{.permutations = 1000000}.validate()), OptionError,
                    "permutations: must be at most 99999, got 1000000");
}
