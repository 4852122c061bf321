#include "geo/risk/influence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "geo/core/error.h"

using namespace veldwacht::geo;

namespace {

// 40 x 30 cells of 50 m, top-left corner at (100000, 500000).
RasterGrid grid() { return {100000.0, 500000.0, 50.0, 40, 30}; }

std::vector<Point> seededPoints(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> x(99800.0, 102200.0), y(498300.0, 500200.0);
  std::vector<Point> p(n);
  for (auto& q : p) q = {x(rng), y(rng)};
  return p;
}

}  // namespace

TEST(Influence, NearestDistanceEqualsBruteForce) {
  const auto g = grid();
  const auto pts = seededPoints(300, 1);
  const auto d = nearestFeatureDistance(pts, g);
  ASSERT_EQ(d.size(), g.size());
  for (std::int32_t r = 0; r < g.rows; ++r)
    for (std::int32_t c = 0; c < g.cols; ++c) {
      double best = 1e300;
      for (const auto& p : pts)
        best = std::min(best, std::hypot(p.x - g.centreX(c), p.y - g.centreY(r)));
      ASSERT_NEAR(d[std::size_t(r * g.cols + c)], best, 1e-9) << r << "," << c;
    }
  EXPECT_TRUE(std::isinf(nearestFeatureDistance({}, g)[0]));
}

TEST(Influence, ProximityIncludesTheBoundary) {
  const RasterGrid g{0.0, 100.0, 100.0, 3, 1};   // centres at x = 50, 150, 250; y = 50
  const std::vector<Point> barn{{50.0, 150.0}};  // 100 m north of the first centre
  const auto prox = proximityFromDistance(nearestFeatureDistance(barn, g), 100.0);
  EXPECT_EQ(prox, (std::vector<double>{1.0, 0.0, 0.0}));  // second centre is sqrt(2)*100 away
}

TEST(Influence, DensityEqualsDirectQuarticSum) {
  const auto g = grid();
  const auto pts = seededPoints(200, 2);
  const double h = 300.0;
  const auto dens = featureDensity(pts, {}, g, h);
  for (std::int32_t r = 0; r < g.rows; ++r)
    for (std::int32_t c = 0; c < g.cols; ++c) {
      double s = 0.0;
      for (const auto& p : pts) {
        const double u2 =
            (std::pow(p.x - g.centreX(c), 2) + std::pow(p.y - g.centreY(r), 2)) / (h * h);
        if (u2 <= 1.0) s += 3.0 / (std::numbers::pi * h * h) * (1 - u2) * (1 - u2) * 1e6;
      }
      ASSERT_NEAR(dens[std::size_t(r * g.cols + c)], s, 1e-9 * (1 + s)) << r << "," << c;
    }
}

TEST(Influence, HighValueCellsAreTwoSdAboveTheAreaMean) {
  // mean 2, sd 4 over the first five cells: threshold 2 + 2 * 4 = 10.
  const std::vector<double> v{0, 0, 0, 0, 10, 50};
  const std::vector<std::uint8_t> in{1, 1, 1, 1, 1, 0};
  EXPECT_EQ(highValueCells(v, in, 2.0), (std::vector<double>{0, 0, 0, 0, 1, 0}));
  EXPECT_EQ(highValueCells(std::vector<double>(4, 3.0), {}, 2.0), std::vector<double>(4, 0.0));
}

TEST(Influence, DecayedCountsEqualBruteForceAndIgnoreLaterEvents) {
  const auto g = grid();
  const auto pts = seededPoints(400, 3);
  std::mt19937_64 rng(4);
  const TimeSeconds ref = 1'700'000'000;
  const double halfLife = 30.0 * 86400.0;
  std::vector<TimeSeconds> t(pts.size());
  for (auto& v : t)
    v = ref - 200 * 86400 + TimeSeconds(rng() % (260ull * 86400ull));  // some after ref
  const double radius = 250.0;
  const auto dc = decayedCounts(pts, t, g, radius, ref, halfLife);
  for (std::int32_t r = 0; r < g.rows; ++r)
    for (std::int32_t c = 0; c < g.cols; ++c) {
      double s = 0.0;
      for (std::size_t i = 0; i < pts.size(); ++i)
        if (t[i] < ref && std::hypot(pts[i].x - g.centreX(c), pts[i].y - g.centreY(r)) <= radius)
          s += std::pow(0.5, double(ref - t[i]) / halfLife);
      ASSERT_NEAR(dc[std::size_t(r * g.cols + c)], s, 1e-12) << r << "," << c;
    }
  // One event exactly one half-life old counts one half; one at the reference time not at all.
  const RasterGrid one{0.0, 10.0, 10.0, 1, 1};
  const std::vector<Point> two{{5.0, 5.0}, {5.0, 5.0}};
  const std::vector<TimeSeconds> when{ref - 86400, ref};
  EXPECT_DOUBLE_EQ(decayedCounts(two, when, one, 1.0, ref, 86400.0)[0], 0.5);
  EXPECT_DOUBLE_EQ(decayedCounts(two, when, one, 1.0, ref, 0.0)[0], 1.0);
}

TEST(Influence, DecayedSignalCandidatesThresholdTheDecayedCounts) {
  // Every (distance, half-life) candidate is decayedCounts >= 1/2, computed independently.
  const auto g = grid();
  const auto pts = seededPoints(500, 5);
  std::mt19937_64 rng(6);
  const TimeSeconds ref = 1'700'000'000;
  std::vector<TimeSeconds> t(pts.size());
  for (auto& v : t) v = ref - 400 * 86400 + TimeSeconds(rng() % (430ull * 86400ull));
  InfluenceOptions o;
  o.distances = {100, 250, 400};
  o.halfLivesDays = {20, 90, 365};
  const auto f = decayedSignalCandidates("eerder", pts, t, g, ref, o);
  EXPECT_EQ(f.name, "eerder");
  ASSERT_EQ(f.candidates.size(), 9u);
  std::size_t marked = 0;
  for (std::size_t k = 0; k < 3; ++k)
    for (std::size_t h = 0; h < 3; ++h) {
      const auto& c = f.candidates[k * 3 + h];
      EXPECT_EQ(c.kind, InfluenceKind::Decayed);
      EXPECT_EQ(c.distance, o.distances[k]);
      EXPECT_EQ(c.halfLifeDays, o.halfLivesDays[h]);
      const auto dc = decayedCounts(pts, t, g, o.distances[k], ref, o.halfLivesDays[h] * 86400.0);
      for (std::size_t i = 0; i < g.size(); ++i) {
        ASSERT_EQ(c.values[i], dc[i] >= 0.5 ? 1.0 : 0.0) << c.label << " cell " << i;
        marked += c.values[i] != 0.0;
      }
    }
  EXPECT_GT(marked, 0u);
  EXPECT_EQ(f.candidates[4].label, "signalen 250 m, halfwaardetijd 90 d");
}

TEST(Influence, DecayedSignalCandidatesKnowTheirHalfLife) {
  // One cell of 10 m; half-life 10 days; default threshold 1/2: a cell is marked by one signal
  // at most one half-life old, or two at most two half-lives old. A signal at or after the
  // reference time never counts.
  const RasterGrid one{0.0, 10.0, 10.0, 1, 1};
  const TimeSeconds ref = 1'700'000'000, halfLife = 10 * 86400;
  InfluenceOptions o;
  o.distances = {5, 20};  // the points lie 5.1 m from the centre (5, 5)
  o.halfLivesDays = {10};
  EXPECT_EQ(o.decayedThreshold, 0.5);
  const std::vector<Point> two{{5.0, 10.1}, {5.0, -0.1}};
  auto value = [&](std::vector<TimeSeconds> when, std::size_t candidate) {
    return decayedSignalCandidates("x", two, when, one, ref, o).candidates.at(candidate).values[0];
  };
  EXPECT_EQ(value({ref - halfLife, ref}, 1), 1.0);
  EXPECT_EQ(value({ref - halfLife, ref}, 0), 0.0);  // beyond 5 m
  EXPECT_EQ(value({ref - halfLife - 3600, ref}, 1), 0.0);
  EXPECT_EQ(value({ref - halfLife - 3600, ref + 86400}, 1), 0.0);
  EXPECT_EQ(value({ref - 2 * halfLife, ref - 2 * halfLife}, 1), 1.0);
  EXPECT_EQ(value({ref - 2 * halfLife - 3600, ref - 2 * halfLife}, 1), 0.0);
  o.decayedThreshold = 1.0;
  EXPECT_EQ(value({ref - halfLife, ref}, 1), 0.0);
  EXPECT_EQ(value({ref - halfLife, ref - halfLife}, 1), 1.0);
  o.halfLivesDays = {0.0};
  EXPECT_THROW(value({ref, ref}, 0), OptionError);
  o.halfLivesDays = {10};
  EXPECT_THROW(decayedSignalCandidates("x", two, std::vector<TimeSeconds>{ref}, one, ref, o),
               InputError);
}

TEST(Influence, DensifiedPolylineHasEvenSteps) {
  const std::vector<Point> line{{0, 0}, {250, 0}, {250, 50}};
  const auto p = densifyPolyline(line, 100.0);
  // 250 m in ceil(2.5) = 3 pieces, then 50 m in one piece.
  ASSERT_EQ(p.size(), 5u);
  EXPECT_NEAR(p[1].x, 250.0 / 3.0, 1e-12);
  EXPECT_NEAR(p[2].x, 500.0 / 3.0, 1e-12);
  EXPECT_EQ(p[3], (Point{250, 0}));
  EXPECT_EQ(p[4], (Point{250, 50}));
  EXPECT_THROW(densifyPolyline(line, 0.0), OptionError);
}

TEST(Influence, CandidatesPerKindAndDistance) {
  const auto g = grid();
  const auto pts = seededPoints(20, 5);
  InfluenceOptions o;
  o.distances = {100, 400};
  const auto f = influenceCandidates("barns", pts, g, {}, o);
  ASSERT_EQ(f.candidates.size(), 4u);
  EXPECT_EQ(f.candidates[0].label, "proximity 100 m");
  EXPECT_EQ(f.candidates[3].label, "density 400 m");
  EXPECT_EQ(f.candidates[3].kind, InfluenceKind::Density);
  const auto near = nearestFeatureDistance(pts, g);
  for (std::size_t i = 0; i < g.size(); ++i) {
    ASSERT_EQ(f.candidates[1].values[i], near[i] <= 400.0 ? 1.0 : 0.0);
    ASSERT_TRUE(f.candidates[3].values[i] == 0.0 || f.candidates[3].values[i] == 1.0);
  }
  const auto dens = featureDensity(pts, {}, g, 400.0);
  EXPECT_EQ(f.candidates[3].values, highValueCells(dens, {}, 2.0));
}

TEST(Influence, RemotenessIsTheComplementOfProximity) {
  const auto g = grid();
  const auto pts = seededPoints(30, 6);
  const std::vector<double> ds{250.0};
  const auto f = remotenessCandidates("dwellings", pts, g, ds);
  ASSERT_EQ(f.candidates.size(), 1u);
  EXPECT_EQ(f.candidates[0].label, "remote 250 m");
  const auto prox = proximityFromDistance(nearestFeatureDistance(pts, g), 250.0);
  for (std::size_t i = 0; i < g.size(); ++i) ASSERT_EQ(f.candidates[0].values[i], 1.0 - prox[i]);
}

TEST(Influence, RejectsBadInput) {
  std::vector<Point> pts{{0, 0}, {std::nan(""), 1}};
  try {
    nearestFeatureDistance(pts, grid());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 2);
  }
  EXPECT_THROW(nearestFeatureDistance({}, RasterGrid{0, 0, 10, 0, 5}), OptionError);
}
