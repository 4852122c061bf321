#include "geo/hotspots/emerging.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>

#include "geo/core/error.h"
#include "tests/geo/expect_error.h"

using namespace veldwacht::geo;
using C = EmergingCategory;

// ---------------------------------------------------------------------------------------------
// Constructed cube: a 25 x 20 lattice of 100 m bins, 12 steps, background ~5 per bin. Each
// pattern is a 3 x 3 block of bins whose values follow a known script over time: 15 when the
// script says hot, 0 when cold, background otherwise (trend patterns ramp instead). With a
// spatial-only neighbourhood (time step 0) the block centre is significant exactly in the
// scripted steps, so its category is known from the ArcGIS definitions.
namespace {

constexpr std::size_t kCols = 25, kRows = 20, kSteps = 12;

struct Pattern {
  C expected;
  std::function<double(std::size_t)> value;  // block value at step t
};

double background(std::size_t loc, std::size_t t) {
  return 5.0 + 0.3 * std::sin(static_cast<double>(loc) * 1.7 + static_cast<double>(t) * 0.9);
}

std::function<double(std::size_t)> script(const char* s) {
  // 'H' hot (15), 'C' cold (0), '.' background.
  return [s](std::size_t t) { return s[t] == 'H' ? 15.0 : s[t] == 'C' ? 0.0 : -1.0; };
}

const std::vector<Pattern>& patterns() {
  static const std::vector<Pattern> p{
      {C::NewHot, script("...........H")},
      {C::ConsecutiveHot, script(".........HHH")},
      {C::IntensifyingHot, [](std::size_t t) { return 10.0 + static_cast<double>(t); }},
      {C::PersistentHot, [](std::size_t t) { return 15.0 + 0.5 * static_cast<double>(t % 2); }},
      {C::DiminishingHot, [](std::size_t t) { return 21.0 - static_cast<double>(t); }},
      {C::SporadicHot, script("..H..H.....H")},
      {C::OscillatingHot, script("...C.......H")},
      {C::HistoricalHot, script("HHHHHHHHHHH.")},
      {C::NewCold, script("...........C")},
      {C::ConsecutiveCold, script("..........CC")},
      {C::IntensifyingCold, [](std::size_t t) { return 2.2 - 0.2 * static_cast<double>(t); }},
      {C::PersistentCold, [](std::size_t t) { return 0.5 * static_cast<double>(t % 2); }},
      {C::DiminishingCold, [](std::size_t t) { return 0.2 * static_cast<double>(t); }},
      {C::SporadicCold, script(".C...C.....C")},
      {C::OscillatingCold, script("..H........C")},
      {C::HistoricalCold, script("CCCCCCCCCCC.")},
      {C::NoPattern, script("............")},
  };
  return p;
}

std::size_t centreOf(std::size_t k) {  // block k's centre location index
  const std::size_t col = 2 + 5 * (k % 5), row = 2 + 5 * (k / 5);
  return row * kCols + col;
}

struct Fixture {
  SpaceTimeCube cube;
  EmergingHotSpotResult result;
};

const Fixture& fixture() {
  static const Fixture f = [] {
    Fixture out;
    SpaceTimeCube& c = out.cube;
    for (std::size_t r = 0; r < kRows; ++r)
      for (std::size_t q = 0; q < kCols; ++q) c.locations.push_back({q * 100.0, r * 100.0});
    c.timeSteps = kSteps;
    c.binSize = 100.0;
    const std::size_t nl = c.locations.size();
    c.values.resize(nl * kSteps);
    for (std::size_t t = 0; t < kSteps; ++t)
      for (std::size_t l = 0; l < nl; ++l) c.values[t * nl + l] = background(l, t);
    for (std::size_t k = 0; k < patterns().size(); ++k) {
      const std::size_t centre = centreOf(k);
      for (std::size_t t = 0; t < kSteps; ++t) {
        const double v = patterns()[k].value(t);
        if (v < 0) continue;
        for (int dr = -1; dr <= 1; ++dr)
          for (int dc = -1; dc <= 1; ++dc)
            c.values[t * nl + static_cast<std::size_t>(static_cast<long>(centre) +
                                                       dr * static_cast<long>(kCols) + dc)] = v;
      }
    }
    out.result = emergingHotSpots(c, {.neighbourhoodTimeStep = 0});
    return out;
  }();
  return f;
}

C categoryOf(C expected) {
  for (std::size_t k = 0; k < patterns().size(); ++k)
    if (patterns()[k].expected == expected) return fixture().result.category[centreOf(k)];
  return C::NoPattern;
}

}  // namespace

class EmergingCategoryOnConstructedCube : public ::testing::TestWithParam<C> {};

TEST_P(EmergingCategoryOnConstructedCube, BlockCentreGetsItsScriptedCategory) {
  EXPECT_EQ(emergingCategoryName(categoryOf(GetParam())), emergingCategoryName(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(AllSeventeen, EmergingCategoryOnConstructedCube,
                         ::testing::Values(C::NewHot, C::ConsecutiveHot, C::IntensifyingHot,
                                           C::PersistentHot, C::DiminishingHot, C::SporadicHot,
                                           C::OscillatingHot, C::HistoricalHot, C::NewCold,
                                           C::ConsecutiveCold, C::IntensifyingCold,
                                           C::PersistentCold, C::DiminishingCold, C::SporadicCold,
                                           C::OscillatingCold, C::HistoricalCold, C::NoPattern),
                         [](const ::testing::TestParamInfo<C>& param) {
                           std::string name(emergingCategoryName(param.param));
                           std::erase(name, ' ');
                           return name;
                         });

// ---------------------------------------------------------------------------------------------
// The classification rules on their own, at the 90 % boundary.
TEST(ClassifyEmerging, NinetyPercentBoundaryAndPrecedence) {
  MannKendallResult noTrend;  // p = 1
  MannKendallResult rising{.s = 30, .varianceS = 125, .z = 2.6, .p = 0.009, .tau = 0.7};
  const std::vector<std::int8_t> nineOfTen{1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
  EXPECT_EQ(classifyEmerging(nineOfTen, noTrend), C::PersistentHot);
  EXPECT_EQ(classifyEmerging(nineOfTen, rising), C::IntensifyingHot);
  const std::vector<std::int8_t> eightOfTen{1, 1, 0, 1, 0, 1, 1, 1, 1, 1};
  EXPECT_EQ(classifyEmerging(eightOfTen, rising), C::SporadicHot);  // < 90 %: no trend class
  const std::vector<std::int8_t> runAfterHot{1, 0, 0, 0, 0, 0, 0, 1, 1, 1};
  EXPECT_EQ(classifyEmerging(runAfterHot, noTrend), C::SporadicHot);  // hot before the run
  const std::vector<std::int8_t> newAfterCold{0, -1, 0, 0, 0, 0, 0, 0, 0, 1};
  EXPECT_EQ(classifyEmerging(newAfterCold, noTrend), C::OscillatingHot);  // documented order
  const std::vector<std::int8_t> historicalEndingCold{1, 1, 1, 1, 1, 1, 1, 1, 1, -1};
  EXPECT_EQ(classifyEmerging(historicalEndingCold, noTrend), C::HistoricalHot);
  EXPECT_EQ(classifyEmerging(std::vector<std::int8_t>{}, noTrend), C::NoPattern);
}

// ---------------------------------------------------------------------------------------------
// Building cubes from points.
namespace {
TimeSeconds utc(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  return duration_cast<seconds>(sys_days{year{y} / month{m} / day{d}}.time_since_epoch()).count();
}
}  // namespace

TEST(SpaceTimeCube, MonthlyStepsAlignToTheEndOrTheStart) {
  const std::vector<Point> pts{{10, 10}, {10, 10}, {10, 10}, {260, 10}};
  const std::vector<TimeSeconds> t{utc(2024, 1, 5), utc(2024, 2, 20), utc(2024, 4, 30),
                                   utc(2024, 4, 1)};
  SpaceTimeCubeOptions o{.binSize = 100.0, .timeUnit = TimeUnit::Months, .timeStep = 3};
  const auto end = buildSpaceTimeCube(pts, t, o);
  // End alignment, 3 months: [Nov 2023, Feb 2024), [Feb, May).
  ASSERT_EQ(end.timeSteps, 2u);
  EXPECT_EQ(end.stepBounds.front(), utc(2023, 11, 1));
  EXPECT_EQ(end.stepBounds.back(), utc(2024, 5, 1));
  ASSERT_EQ(end.size(), 2u);  // two occupied bins
  EXPECT_EQ(end.at(0, 0), 1.0);
  EXPECT_EQ(end.at(0, 1), 2.0);
  EXPECT_EQ(end.at(1, 1), 1.0);
  o.alignment = TimeAlignment::Start;  // [Jan, Apr), [Apr, Jul)
  const auto start = buildSpaceTimeCube(pts, t, o);
  EXPECT_EQ(start.stepBounds.front(), utc(2024, 1, 1));
  EXPECT_EQ(start.at(0, 0), 2.0);
  EXPECT_EQ(start.at(0, 1), 1.0);
}

TEST(SpaceTimeCube, DailyStepsEndJustAfterTheLatestPoint) {
  const std::vector<Point> pts{{0, 0}, {0, 0}, {0, 0}};
  const std::vector<TimeSeconds> t{utc(2024, 3, 1), utc(2024, 3, 8), utc(2024, 3, 15)};
  const auto cube =
      buildSpaceTimeCube(pts, t, {.binSize = 50.0, .timeUnit = TimeUnit::Days, .timeStep = 7});
  // 14 days + 1 s span in 7-day steps: 3 steps ending at 15 March + 1 s.
  ASSERT_EQ(cube.timeSteps, 3u);
  EXPECT_EQ(cube.stepBounds.back(), utc(2024, 3, 15) + 1);
  for (std::size_t s = 0; s < 3; ++s) EXPECT_EQ(cube.at(0, s), 1.0);
}

TEST(EmergingHotSpots, PersistentClusterFromPointsWithSpaceTimeNeighbours) {
  // 20 x 20 bins of 100 m over 12 months; one random incident per bin per month plus a steady
  // cluster of 12 extra incidents per month in the bins around (1050, 1050).
  std::vector<Point> pts;
  std::vector<TimeSeconds> times;
  Rng rng(3);
  for (unsigned m = 1; m <= 12; ++m) {
    for (int i = 0; i < 400; ++i) {
      pts.push_back({rng.uniform() * 2000.0, rng.uniform() * 2000.0});
      times.push_back(utc(2023, m, 1 + rng.below(27)));
    }
    for (int i = 0; i < 12; ++i) {
      pts.push_back({1000.0 + rng.uniform() * 100.0, 1000.0 + rng.uniform() * 100.0});
      times.push_back(utc(2023, m, 1 + rng.below(27)));
    }
  }
  const auto cube =
      buildSpaceTimeCube(pts, times, {.binSize = 100.0, .extent = {0, 0, 2000, 2000}});
  EXPECT_EQ(cube.timeSteps, 12u);
  const auto r = emergingHotSpots(cube, {});
  EXPECT_EQ(r.neighbourhoodTimeStep, 1u);
  EXPECT_NEAR(r.neighbourhoodDistance, 100.0 * std::sqrt(2.0), 1e-6);
  std::size_t centre = 0;
  for (std::size_t l = 0; l < cube.size(); ++l)
    if (std::hypot(cube.locations[l].x - 1050.0, cube.locations[l].y - 1050.0) < 1.0) centre = l;
  EXPECT_EQ(emergingCategoryName(r.category[centre]), emergingCategoryName(C::PersistentHot));
  EXPECT_EQ(r.bin[(cube.timeSteps - 1) * cube.size() + centre], 3);  // 99 % in the last month
  std::map<C, int> histogram;
  for (C c : r.category) ++histogram[c];
  EXPECT_GT(histogram[C::NoPattern], 300);  // the random background stays quiet
}

TEST(EmergingHotSpots, RejectsMismatchedCubeAndBadOptions) {
  SpaceTimeCube c;
  c.locations = {{0, 0}, {1, 0}};
  c.timeSteps = 3;
  c.values = {1, 2, 3};
  EXPECT_THROW_WITH(emergingHotSpots(c, {}), InputError,
                    "the cube holds 3 values for 2 locations x 3 steps");
  EXPECT_THROW_WITH((EmergingHotSpotOptions{.alpha = 0.0}.validate()), OptionError,
                    "alpha: must lie in (0, 1), got 0");
  EXPECT_THROW_WITH((EmergingHotSpotOptions{.trendAlpha = 1.5}.validate()), OptionError,
                    "trendAlpha: must lie in (0, 1), got 1.5");
  EXPECT_THROW_WITH((SpaceTimeCubeOptions{.timeStep = 0}.validate()), OptionError,
                    "timeStep: must be at least 1, got 0");
}

TEST(SpaceTimeCube, RefusesAbsurdlyManyTimeSteps) {
  const std::vector<Point> pts{{0, 0}, {10, 10}};
  const std::vector<TimeSeconds> t{utc(1990, 1, 1), utc(2024, 1, 1)};
  // 1990-01-01 .. 2024-01-01 is 12,418 days: 12,419 daily steps.
  EXPECT_THROW_WITH(buildSpaceTimeCube(pts, t, {.binSize = 50.0, .timeUnit = TimeUnit::Days}),
                    OptionError, "timeStep: 12419 time steps; choose a longer time step");
}
