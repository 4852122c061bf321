#include "geo/hotspots/inference.h"
#include "tests/geo/expect_error.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace veldwacht::geo;

TEST(Inference, TwoSidedNormalPMatchesTables) {
  EXPECT_NEAR(twoSidedNormalP(1.959963985), 0.05, 1e-9);
  EXPECT_NEAR(twoSidedNormalP(-2.575829304), 0.01, 1e-9);
  EXPECT_NEAR(twoSidedNormalP(1.644853627), 0.10, 1e-9);
  EXPECT_DOUBLE_EQ(twoSidedNormalP(0.0), 1.0);
}

// The 15 p-values of Benjamini & Hochberg (1995), section 4: at q = 0.05 the procedure rejects
// the four smallest, Bonferroni only three.
TEST(Inference, BenjaminiHochbergRejectsFourOfThePaperExample) {
  const std::vector<double> p{0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344,
                              0.0459, 0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.000};
  const auto q = benjaminiHochberg(p);
  EXPECT_EQ(std::count_if(q.begin(), q.end(), [](double v) { return v <= 0.05; }), 4);
  const auto b = bonferroni(p);
  EXPECT_EQ(std::count_if(b.begin(), b.end(), [](double v) { return v <= 0.05; }), 3);
  // By hand: q_(4) = min(15 * 0.0095 / 4, later ones) = 0.035625; q_(5) = 0.0603.
  EXPECT_NEAR(q[3], 0.035625, 1e-12);
  EXPECT_NEAR(q[4], 0.0201 * 15 / 5, 1e-12);
}

TEST(Inference, BenjaminiHochbergAdjustedValuesAreStepUpMinima) {
  // Sorted 0.005, 0.01, 0.03, 0.04, 0.2; m p / rank = .025 .025 .05 .05 .2 (already monotone).
  const std::vector<double> p{0.01, 0.04, 0.03, 0.005, 0.20};
  const auto q = benjaminiHochberg(p);
  const std::vector<double> expected{0.025, 0.05, 0.05, 0.025, 0.20};
  for (std::size_t i = 0; i < p.size(); ++i) EXPECT_NEAR(q[i], expected[i], 1e-15);
}

TEST(Inference, ConfidenceBinsFollowArcGisLevels) {
  const std::vector<double> z{2.0, -2.7, 1.7, 1.0, -1.8};
  std::vector<double> p;
  for (double v : z) p.push_back(twoSidedNormalP(v));
  const auto bins = confidenceBins(z, p, Correction::None);
  EXPECT_EQ(bins, (std::vector<std::int8_t>{2, -3, 1, 0, -1}));
  // Bonferroni over 5 tests: 0.0069 * 5 = 0.035 -> only the -2.7 survives, at 95 %.
  const auto bonf = confidenceBins(z, p, Correction::Bonferroni);
  EXPECT_EQ(bonf, (std::vector<std::int8_t>{0, -2, 0, 0, 0}));
}

TEST(Inference, RngStreamsAreReproducibleAndBoundedDrawsUniform) {
  Rng a = Rng::stream(42, 7), b = Rng::stream(42, 7), c = Rng::stream(42, 8);
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const auto va = a.next();
    EXPECT_EQ(va, b.next());
    differs |= va != c.next();
  }
  EXPECT_TRUE(differs);
  Rng r(1);
  std::vector<int> hist(7, 0);
  for (int i = 0; i < 70000; ++i) ++hist[r.below(7)];
  for (int h : hist) EXPECT_NEAR(h, 10000, 500);  // ~5 sigma
}

// Feature 0 has two neighbours among n = 6; the conditional permutation distribution of their
// sum is uniform over the C(5, 2) = 10 pairs of the other values, so the exact folded p is known.
TEST(Inference, ConditionalPermutationConvergesToExactEnumeration) {
  const std::vector<double> x{0.0, 9.0, 8.0, 1.0, 2.0, 3.0};
  const std::vector<std::vector<std::uint32_t>> lists{{1, 2}, {0}, {0}, {}, {}, {}};
  const auto w = SpatialWeights::fromLists(lists, false);
  // Observed sum 17; pair sums of {9,8,1,2,3}: 17,10,11,12,9,10,11,3,4,5 -> >= 17: 1, <= 17: 10.
  const double exact = (1.0) / 10.0;
  const auto r = conditionalPermutation(x, w, 20000, 99, 1, nullProgress());
  EXPECT_NEAR(r.pseudoP[0], exact, 0.01);
  // Feature 1 has one neighbour (x_0 = 0), drawn uniformly from {0, 8, 1, 2, 3}: the smallest,
  // so #<= is 1 of 5.
  EXPECT_NEAR(r.pseudoP[1], 0.2, 0.01);
  EXPECT_DOUBLE_EQ(r.pseudoP[3], 1.0);  // no neighbours
  // Mean of the sum of 2 draws from {9,8,1,2,3}: 2 * 23 / 5.
  EXPECT_NEAR(r.simMean[0], 9.2, 0.05);
}

TEST(Inference, ConditionalPermutationIdenticalForAnyThreadCount) {
  std::vector<double> x(1500);
  std::vector<std::vector<std::uint32_t>> lists(x.size());
  Rng g(5);
  for (std::size_t i = 0; i < x.size(); ++i) {
    x[i] = g.uniform();
    const std::size_t k = 1 + g.below(40);  // exercises both the scan and the stamp paths
    for (std::size_t t = 0; t < k; ++t) lists[i].push_back(g.below(1500));
  }
  const auto w = SpatialWeights::fromLists(lists, false);
  const auto one = conditionalPermutation(x, w, 99, 3, 1, nullProgress());
  const auto two = conditionalPermutation(x, w, 99, 3, 2, nullProgress());
  const auto all = conditionalPermutation(x, w, 99, 3, 0, nullProgress());
  EXPECT_EQ(one.pseudoP, two.pseudoP);
  EXPECT_EQ(one.pseudoP, all.pseudoP);
  EXPECT_EQ(one.simSd, two.simSd);
  const auto other = conditionalPermutation(x, w, 99, 4, 2, nullProgress());
  EXPECT_NE(one.pseudoP, other.pseudoP);
}

TEST(Inference, ConditionalPermutationCanBeCancelled) {
  std::vector<double> x(5000, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<double>(i % 17);
  std::vector<std::vector<std::uint32_t>> lists(x.size());
  for (std::uint32_t i = 0; i + 1 < x.size(); ++i) lists[i].push_back(i + 1);
  const auto w = SpatialWeights::fromLists(lists);
  CancellableProgress progress;
  progress.cancel();
  EXPECT_THROW_WITH(conditionalPermutation(x, w, 99, 1, 2, progress), CancelledError, "cancelled");
}
