#include "geo/hotspots/trend.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace veldwacht::geo;

// Worked example "Mann-Kendall by hand" (D. Little, College of the Holy Cross, Montserrat
// course notes): 14 values with one pair of ties. S = 72 - 18 = 54,
// V = 14 * 13 * 33 / 18 - 2 * 1 * 9 / 18, Z = (S - 1) / sqrt(V) = 2.9058.
TEST(MannKendall, MatchesPublishedWorkedExample) {
  const std::vector<double> x{12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9,
                              11.0, 17.3, 15.9, 19.0, 18.3, 20.1, 21.7};
  const auto r = mannKendall(x);
  EXPECT_EQ(r.s, 54.0);
  EXPECT_NEAR(r.varianceS, 14.0 * 13.0 * 33.0 / 18.0 - 2.0 * 1.0 * 9.0 / 18.0, 1e-12);
  EXPECT_NEAR(r.z, 2.9058, 5e-5);
  EXPECT_NEAR(r.p, 2.0 * 0.0018, 2e-4);  // one-sided 0.0018 in the example
  EXPECT_NEAR(r.tau, 54.0 / 91.0, 1e-12);
}

// By hand: 1 2 2 2 3 1 -> pairs: from 1: +1+1+1+1 0 = 4; from each 2: (0 0 +1 -1), (0 +1 -1),
// (+1 -1) = 0; from 3: -1. S = 3. Ties: {1,1} t=2, {2,2,2} t=3:
// Var = [6*5*17 - (2*1*9 + 3*2*11)] / 18 = (510 - 84) / 18.
TEST(MannKendall, CorrectsTheVarianceForSeveralTieGroups) {
  const std::vector<double> x{1, 2, 2, 2, 3, 1};
  const auto r = mannKendall(x);
  EXPECT_EQ(r.s, 3.0);
  EXPECT_NEAR(r.varianceS, 426.0 / 18.0, 1e-12);
  EXPECT_NEAR(r.z, 2.0 / std::sqrt(426.0 / 18.0), 1e-12);
}

TEST(MannKendall, DecreasingSeriesHasNegativeSAndConstantHasNone) {
  const auto down = mannKendall(std::vector<double>{5, 4, 3, 2, 1, 0});
  EXPECT_EQ(down.s, -15.0);
  EXPECT_NEAR(down.z, (-15.0 + 1.0) / std::sqrt(6.0 * 5.0 * 17.0 / 18.0), 1e-12);
  EXPECT_DOUBLE_EQ(down.tau, -1.0);
  const auto flat = mannKendall(std::vector<double>{2, 2, 2, 2});
  EXPECT_EQ(flat.s, 0.0);
  EXPECT_EQ(flat.p, 1.0);
}
