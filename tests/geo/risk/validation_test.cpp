#include "geo/risk/validation.h"

#include <gtest/gtest.h>

#include <vector>

#include "geo/core/error.h"

using namespace veldwacht::geo;

// Ten cells; scores with ties, held-out counts summing to N = 8.
const std::vector<double> kScores{5, 4, 4, 3, 3, 3, 2, 1, 0, 0};
const std::vector<double> kCounts{3, 1, 0, 2, 0, 1, 0, 0, 1, 0};

TEST(ForecastAccuracy, HandComputedHitRateAndPaiWithFractionalTies) {
  const std::vector<double> fractions{0.1, 0.2, 0.5, 1.0};
  const auto r = forecastAccuracy(kScores, kCounts, {}, fractions);
  EXPECT_EQ(r.events, 8.0);
  EXPECT_EQ(r.cells, 10u);
  // 10 %: one cell, the top one (3 events): 3/8, PAI 3.75.
  EXPECT_DOUBLE_EQ(r.at[0].hits, 3.0);
  EXPECT_DOUBLE_EQ(r.at[0].hitRate, 0.375);
  EXPECT_DOUBLE_EQ(r.at[0].pai, 3.75);
  // 20 %: the top cell plus one of the two tied 4s (1 and 0 events): 3 + 1/2.
  EXPECT_DOUBLE_EQ(r.at[1].hits, 3.5);
  EXPECT_DOUBLE_EQ(r.at[1].pai, 3.5 / 8 / 0.2);
  // 50 %: 5, both 4s, then 2 of the three tied 3s (2, 0, 1 events): 3 + 1 + 3 * 2/3 = 6.
  EXPECT_DOUBLE_EQ(r.at[2].hits, 6.0);
  EXPECT_DOUBLE_EQ(r.at[2].hitRate, 0.75);
  EXPECT_DOUBLE_EQ(r.at[2].pai, 1.5);
  // 100 %: everything, PAI 1.
  EXPECT_DOUBLE_EQ(r.at[3].hitRate, 1.0);
  EXPECT_DOUBLE_EQ(r.at[3].pai, 1.0);
}

TEST(ForecastAccuracy, OnlyStudyAreaCellsCount) {
  // Leave out the top cell: N = 5 over 9 cells; 1/9 of the area is one cell, half of each 4.
  std::vector<std::uint8_t> in(10, 1);
  in[0] = 0;
  const std::vector<double> fractions{1.0 / 9.0};
  const auto r = forecastAccuracy(kScores, kCounts, in, fractions);
  EXPECT_EQ(r.events, 5.0);
  EXPECT_EQ(r.cells, 9u);
  EXPECT_DOUBLE_EQ(r.at[0].hits, 0.5);
  EXPECT_NEAR(r.at[0].pai, 0.5 / 5.0 * 9.0, 1e-12);
}

TEST(ForecastAccuracy, AConstantSurfaceScoresLikeChance) {
  const std::vector<double> flat(10, 1.0);
  const std::vector<double> fractions{0.1, 0.3};
  const auto r = forecastAccuracy(flat, kCounts, {}, fractions);
  for (const auto& h : r.at) EXPECT_NEAR(h.pai, 1.0, 1e-12);
}

TEST(ForecastAccuracy, RejectsBadInputClearly) {
  const std::vector<double> fractions{0.0};
  EXPECT_THROW(forecastAccuracy(kScores, kCounts, {}, fractions), OptionError);
  const std::vector<double> ok{0.1};
  EXPECT_THROW(forecastAccuracy(kScores, std::vector<double>(3, 0.0), {}, ok), InputError);
  std::vector<double> nan = kScores;
  nan[4] = std::numeric_limits<double>::quiet_NaN();
  try {
    forecastAccuracy(nan, kCounts, {}, ok);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 5);
  }
}

TEST(SelectionAccuracy, HandComputed) {
  const std::vector<std::uint8_t> flagged{1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  const auto h = selectionAccuracy(flagged, kCounts, {});
  EXPECT_DOUBLE_EQ(h.hits, 5.0);
  EXPECT_DOUBLE_EQ(h.areaFraction, 0.2);
  EXPECT_DOUBLE_EQ(h.hitRate, 5.0 / 8.0);
  EXPECT_DOUBLE_EQ(h.pai, 5.0 / 8.0 / 0.2);
}
