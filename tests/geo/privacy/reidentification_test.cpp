#include "geo/privacy/reidentification.h"

#include <gtest/gtest.h>

#include <random>

#include "geo/core/error.h"
#include "geo/privacy/geomask.h"
#include "tests/geo/expect_error.h"
#include "tests/geo/privacy/synthetic_layouts.h"

using namespace veldwacht::geo;

TEST(NearestAddressAttack, CountsAGuessAsAHitOnlyForTheTrueAddress) {
  const std::vector<Point> addresses{{0, 0}, {100, 0}};
  const std::vector<Point> truth{{10, 0}, {90, 0}};
  const std::vector<Point> masked{{60, 0}, {95, 0}};
  const auto res = nearestAddressAttack(truth, masked, addresses);
  EXPECT_EQ(res.trueAddress, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(res.guessedAddress, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_EQ(res.hits, 1u);
  EXPECT_DOUBLE_EQ(res.successRate, 0.5);
  // An unmasked map gives everything away.
  EXPECT_DOUBLE_EQ(nearestAddressAttack(truth, truth, addresses).successRate, 1.0);
  EXPECT_THROW_WITH(nearestAddressAttack(truth, std::span(masked).first(1), addresses), InputError,
                    "masked: expected one masked point per true point (2), got 1");
}

TEST(AdjustedRandIndex, KnownValues) {
  const std::vector<std::int32_t> a{0, 0, 1, 1}, b{0, 0, 1, 2}, relabelled{5, 5, -1, -1};
  // scikit-learn: adjusted_rand_score([0, 0, 1, 1], [0, 0, 1, 2]) = 0.5714285714285714
  EXPECT_NEAR(adjustedRandIndex(a, b), 4.0 / 7.0, 1e-12);
  EXPECT_DOUBLE_EQ(adjustedRandIndex(a, relabelled), 1.0);
  // adjusted_rand_score([0, 0, 1, 1], [0, 1, 0, 1]) = -0.5
  const std::vector<std::int32_t> crossed{0, 1, 0, 1};
  EXPECT_NEAR(adjustedRandIndex(a, crossed), -0.5, 1e-12);
}

TEST(HotSpotKeeping, IdenticalPatternsKeepEveryHotCellAndNoiseKeepsFew) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<Point> pts;
  for (int i = 0; i < 300; ++i) pts.push_back({5000.0 * u(rng), 5000.0 * u(rng)});
  for (int i = 0; i < 200; ++i) pts.push_back({1000.0 + 400.0 * u(rng), 3000.0 + 400.0 * u(rng)});
  const auto same = hotSpotKeeping(pts, pts, {.cellSize = 250.0});
  EXPECT_GT(same.hotTrue, 0u);
  EXPECT_DOUBLE_EQ(same.kept, 1.0);
  EXPECT_DOUBLE_EQ(same.jaccard, 1.0);
  std::vector<Point> shuffled;  // the same number of points, no cluster at all
  for (std::size_t i = 0; i < pts.size(); ++i)
    shuffled.push_back({5000.0 * u(rng), 5000.0 * u(rng)});
  const auto lost = hotSpotKeeping(pts, shuffled, {.cellSize = 250.0});
  EXPECT_LT(lost.kept, 0.2);
}

TEST(DbscanKeeping, SmallMovesKeepTheClustersLargeOnesLoseThem) {
  std::mt19937_64 rng(4);
  std::normal_distribution<double> g(0.0, 40.0);
  std::vector<Point> pts;
  for (const Point c : {Point{0, 0}, Point{3000, 0}, Point{0, 3000}})
    for (int i = 0; i < 60; ++i) pts.push_back({c.x + g(rng), c.y + g(rng)});
  std::vector<Point> nudged, scattered;
  std::normal_distribution<double> small(0.0, 2.0), large(0.0, 1500.0);
  for (const auto& p : pts) {
    nudged.push_back({p.x + small(rng), p.y + small(rng)});
    scattered.push_back({p.x + large(rng), p.y + large(rng)});
  }
  const DbscanKeepingOptions o{.eps = 60.0, .minPts = 5};
  const auto kept = dbscanKeeping(pts, nudged, o);
  EXPECT_EQ(kept.clustersTrue, 3u);
  EXPECT_GT(kept.adjustedRand, 0.9);
  EXPECT_LT(dbscanKeeping(pts, scattered, o).adjustedRand, 0.2);
}

// The attack rate of the donut mask on the two synthetic layouts, k = 8: at most 1/k.
TEST(DonutMaskAttack, SuccessRateAtMostOneInKInADenseTown) {
  const auto town = testdata::denseTown(2000, 21);
  const auto mask = donutMask(town.signals, town.addresses, {.seed = 1});
  const auto attack = nearestAddressAttack(town.signals, mask.masked, town.addresses);
  RecordProperty("success_rate", std::to_string(attack.successRate));
  EXPECT_LE(attack.successRate, 1.0 / 8.0);
}

TEST(DonutMaskAttack, SuccessRateAtMostOneInKInASparseRuralLayout) {
  const auto rural = testdata::ruralLayout(2000, 22);
  const auto mask = donutMask(rural.signals, rural.addresses, {.seed = 1});
  const auto attack = nearestAddressAttack(rural.signals, mask.masked, rural.addresses);
  RecordProperty("success_rate", std::to_string(attack.successRate));
  EXPECT_LE(attack.successRate, 1.0 / 8.0);
}
