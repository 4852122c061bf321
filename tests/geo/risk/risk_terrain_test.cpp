#include "geo/risk/risk_terrain.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "geo/core/error.h"

using namespace veldwacht::geo;

namespace {

// 30 x 30 cells of 100 m. Counts drawn (seeded) from a known risk terrain:
//   log mu = -1.0 + 1.2 [a barn within 300 m] + 0.8 [a business park within 600 m]
// plus a third factor (scattered sheds) with no effect.
struct Terrain {
  RasterGrid grid{0.0, 3000.0, 100.0, 30, 30};
  std::vector<RiskFactor> factors;
  std::vector<double> counts;
  std::vector<double> trueEta;
};

std::vector<Point> scatter(std::size_t n, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(200.0, 2800.0);
  std::vector<Point> p(n);
  for (auto& q : p) q = {u(rng), u(rng)};
  return p;
}

Terrain simulate(std::uint64_t seed) {
  Terrain t;
  std::mt19937_64 rng(seed);
  const auto barns = scatter(6, rng), parks = scatter(2, rng), sheds = scatter(8, rng);
  InfluenceOptions o;
  o.distances = {100, 300, 600};
  t.factors.push_back(influenceCandidates("barns", barns, t.grid, {}, o));
  t.factors.push_back(influenceCandidates("parks", parks, t.grid, {}, o));
  t.factors.push_back(influenceCandidates("sheds", sheds, t.grid, {}, o));
  const auto nearBarn = proximityFromDistance(nearestFeatureDistance(barns, t.grid), 300.0);
  const auto nearPark = proximityFromDistance(nearestFeatureDistance(parks, t.grid), 600.0);
  for (std::size_t i = 0; i < t.grid.size(); ++i) {
    const double eta = -1.0 + 1.2 * nearBarn[i] + 0.8 * nearPark[i];
    std::poisson_distribution<int> pois(std::exp(eta));
    t.trueEta.push_back(eta);
    t.counts.push_back(pois(rng));
  }
  return t;
}

const FactorSummary& factor(const RiskTerrainResult& r, const std::string& name) {
  for (const auto& f : r.factors)
    if (f.name == name) return f;
  throw std::runtime_error("no factor " + name);
}

RiskTerrainOptions fastOptions() {
  RiskTerrainOptions o;
  o.cv.folds = 4;
  o.net.nLambda = 20;
  return o;
}

/// One fit of the seed-2026 terrain, shared by the tests that only read it (Debug and sanitizer
/// builds make every fit count).
const std::pair<Terrain, RiskTerrainResult>& plantedFit() {
  static const auto fit = [] {
    auto t = simulate(2026);
    auto r = fitRiskTerrain(t.counts, {}, t.factors, fastOptions());
    return std::make_pair(std::move(t), std::move(r));
  }();
  return fit;
}

}  // namespace

TEST(RiskTerrain, FindsThePlantedOperationalisationsAndRelativeRisks) {
  const auto& [t, r] = plantedFit();
  const auto& barns = factor(r, "barns");
  const auto& parks = factor(r, "parks");
  EXPECT_EQ(barns.operationalisation, "proximity 300 m");
  EXPECT_EQ(parks.operationalisation, "proximity 600 m");
  ASSERT_TRUE(barns.selected);
  ASSERT_TRUE(parks.selected);
  EXPECT_NEAR(barns.coefficient, 1.2, 3 * barns.standardError);
  EXPECT_NEAR(parks.coefficient, 0.8, 3 * parks.standardError);
  EXPECT_NEAR(barns.relativeRisk, std::exp(barns.coefficient), 1e-12);
  EXPECT_NEAR(r.intercept, -1.0, 0.15);
  // The sheds carry no risk: if they enter at all, their importance is small.
  EXPECT_GT(barns.importance, factor(r, "sheds").importance);
  EXPECT_GT(parks.importance, factor(r, "sheds").importance);
  double share = 0.0;
  for (const auto& f : r.factors) share += f.importance;
  EXPECT_NEAR(share, 1.0, 1e-12);
  EXPECT_LT(r.modelCvDeviance, r.nullCvDeviance);
}

TEST(RiskTerrain, SurfaceIsTheProductOfRelativeRiskValues) {
  const auto& [t, r] = plantedFit();
  ASSERT_EQ(r.relativeRisk.size(), t.grid.size());
  for (std::size_t i = 0; i < t.grid.size(); ++i) {
    double rrs = 1.0;
    for (std::size_t f = 0; f < r.factors.size(); ++f) {
      const auto& s = r.factors[f];
      if (!s.selected) continue;
      for (const auto& c : t.factors[f].candidates)
        if (c.label == s.operationalisation && c.values[i] != 0.0)
          rrs *= std::pow(s.relativeRisk, c.values[i]);
    }
    ASSERT_NEAR(r.relativeRisk[i], rrs, 1e-9 * rrs) << "cell " << i;
    ASSERT_NEAR(r.expectedCount[i], std::exp(r.intercept) * rrs, 1e-9 * rrs);
  }
}

TEST(RiskTerrain, SameSeedSameModelAndStudyAreaMasksCells) {
  const auto t = simulate(11);
  std::vector<std::uint8_t> in(t.grid.size(), 1);
  for (std::size_t i = 0; i < 30; ++i) in[i] = 0;  // the top row lies outside
  const auto a = fitRiskTerrain(t.counts, in, t.factors, fastOptions());
  const auto b = fitRiskTerrain(t.counts, in, t.factors, fastOptions());
  EXPECT_EQ(a.cells, t.grid.size() - 30);
  for (std::size_t f = 0; f < a.factors.size(); ++f) {
    EXPECT_EQ(a.factors[f].operationalisation, b.factors[f].operationalisation);
    EXPECT_EQ(a.factors[f].coefficient, b.factors[f].coefficient);
  }
  EXPECT_EQ(a.relativeRisk[3], a.nodata);
  EXPECT_NE(a.relativeRisk[40], a.nodata);
}

TEST(RiskTerrain, NoRiskFactorsGiveAFlatSurface) {
  auto t = simulate(3);
  std::mt19937_64 rng(5);
  std::poisson_distribution<int> pois(0.3);
  for (auto& c : t.counts) c = pois(rng);  // counts no longer depend on anything
  auto o = fastOptions();
  o.oneStandardError = true;
  const auto r = fitRiskTerrain(t.counts, {}, t.factors, o);
  std::size_t selected = 0;
  for (const auto& f : r.factors) selected += f.selected;
  EXPECT_LE(selected, 1u);
  if (selected == 0) {
    for (double v : r.relativeRisk) ASSERT_EQ(v, 1.0);
  }
}

TEST(RiskTerrain, ASeparatedCandidateGetsNoAbsurdRelativeRisk) {
  // A factor that marks 12 cells, none of which has an event: its MLE is minus infinity.
  auto t = simulate(2026);
  Operationalisation marks{InfluenceKind::Proximity, 100.0, "proximity 100 m",
                           std::vector<double>(t.grid.size(), 0.0), 0.0};
  for (std::size_t i = 0; i < 12; ++i) {
    marks.values[i * 61 % t.grid.size()] = 1.0;
    t.counts[i * 61 % t.grid.size()] = 0.0;
  }
  t.factors.push_back({"sealed", {marks}});
  const auto r = fitRiskTerrain(t.counts, {}, t.factors, fastOptions());
  const auto& sealed = factor(r, "sealed");
  EXPECT_FALSE(sealed.selected);
  EXPECT_EQ(sealed.operationalisation, "");
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || w.rfind("sealed: no candidate", 0) == 0;
  EXPECT_TRUE(warned);
  EXPECT_TRUE(factor(r, "barns").selected);
}

TEST(RiskTerrain, RejectsMisSizedCandidatesNamingTheFactor) {
  auto t = simulate(3);
  t.factors[1].candidates[2].values.pop_back();
  try {
    fitRiskTerrain(t.counts, {}, t.factors, fastOptions());
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().file, "parks");
    EXPECT_EQ(e.where().field, t.factors[1].candidates[2].label);
  }
}

namespace {

// Near repeats: 30 x 30 cells of 100 m; before the reference time T, six recent clusters (3
// signals each, 5-25 days old) and six old ones (5 signals each, 380-420 days old). After T,
// counts follow log mu = -1.5 + 1.5 [decayed weight within 300 m, half-life 30 d, >= 1/2]:
// only the recent clusters raise the risk. Candidates: 100/300/600 m x 30/90/365 days. Half-
// lives 30 and 90 days mark the same cells here (the recent clusters only; 365 days also marks
// the old ones), so the model must pick 300 m with a half-life of at most 90 days.
struct NearRepeats {
  RasterGrid grid{0.0, 3000.0, 100.0, 30, 30};
  TimeSeconds reference = 1'700'000'000;
  std::vector<Point> earlier;
  std::vector<TimeSeconds> times;
  std::vector<double> counts;
  InfluenceOptions options;
};

NearRepeats nearRepeats(std::uint64_t seed) {
  NearRepeats n;
  n.options.distances = {100, 300, 600};
  n.options.halfLivesDays = {30, 90, 365};
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(300.0, 2700.0), jitter(-40.0, 40.0);
  auto cluster = [&](std::size_t size, int minDays, int maxDays) {
    const Point c{u(rng), u(rng)};
    std::uniform_int_distribution<int> age(minDays * 86400, maxDays * 86400);
    for (std::size_t k = 0; k < size; ++k) {
      n.earlier.push_back({c.x + jitter(rng), c.y + jitter(rng)});
      n.times.push_back(n.reference - age(rng));
    }
  };
  for (int k = 0; k < 6; ++k) cluster(3, 5, 25);
  for (int k = 0; k < 6; ++k) cluster(5, 380, 420);
  const auto truth = decayedCounts(n.earlier, n.times, n.grid, 300.0, n.reference, 30.0 * 86400);
  for (std::size_t i = 0; i < n.grid.size(); ++i) {
    std::poisson_distribution<int> pois(std::exp(-1.5 + (truth[i] >= 0.5 ? 1.5 : 0.0)));
    n.counts.push_back(pois(rng));
  }
  return n;
}

}  // namespace

TEST(RiskTerrain, EarlierSignalsFactorFindsThePlantedDistanceAndHalfLife) {
  const auto n = nearRepeats(77);
  const std::vector<RiskFactor> factors{
      decayedSignalCandidates("eerder", n.earlier, n.times, n.grid, n.reference, n.options)};
  auto r = fitRiskTerrain(n.counts, {}, factors, fastOptions());
  const auto& f = factor(r, "eerder");
  ASSERT_TRUE(f.selected);
  EXPECT_EQ(f.kind, InfluenceKind::Decayed);
  EXPECT_EQ(f.distance, 300.0);
  EXPECT_LE(f.halfLifeDays, 90.0);
  EXPECT_EQ(factors[0].candidates.at(std::size_t(f.candidate)).label, f.operationalisation);
  EXPECT_NEAR(f.coefficient, 1.5, 3 * f.standardError);
  EXPECT_NEAR(r.intercept, -1.5, 0.2);

  // Applying the model to the factor it was fitted on gives its own surfaces.
  const auto fitted = r.relativeRisk;
  const auto expected = r.expectedCount;
  applyRiskTerrain(r, factors, {});
  for (std::size_t i = 0; i < fitted.size(); ++i) {
    ASSERT_DOUBLE_EQ(r.relativeRisk[i], fitted[i]);
    ASSERT_DOUBLE_EQ(r.expectedCount[i], expected[i]);
  }
  // A year and a half later every cluster is old: at most 90 days of half-life marks nothing,
  // so the forecast is flat (relative risk 1, the intercept's count) everywhere in the area.
  const auto later = decayedSignalCandidates("eerder", n.earlier, n.times, n.grid,
                                             n.reference + 540 * 86400, n.options);
  std::vector<std::uint8_t> in(n.grid.size(), 1);
  in[0] = 0;
  applyRiskTerrain(r, std::span(&later, 1), in);
  EXPECT_EQ(r.relativeRisk[0], r.nodata);
  for (std::size_t i = 1; i < n.grid.size(); ++i) {
    ASSERT_EQ(r.relativeRisk[i], 1.0);
    ASSERT_DOUBLE_EQ(r.expectedCount[i], std::exp(r.intercept));
  }
  // The model's factors, by name and operationalisation.
  auto renamed = later;
  renamed.name = "anders";
  EXPECT_THROW(applyRiskTerrain(r, std::span(&renamed, 1), {}), InputError);
  EXPECT_THROW(applyRiskTerrain(r, {}, {}), InputError);
}
