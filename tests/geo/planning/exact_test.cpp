// The heuristic against exact optima from COIN-OR CBC (label `cbc`): 50 seeded cases with up to
// 12 sites, 1-3 routes with their own bases and shifts, time windows, skills, and in every other
// case pairs of alternative sites (groups).
#include "geo/planning/exact.h"

#include <gtest/gtest.h>

#include "geo/planning/plan.h"
#include "random_instances.h"

using namespace veldwacht::geo;
using veldwacht::geo::testing::bruteForceOptimum;
using veldwacht::geo::testing::randomInstance;
using veldwacht::geo::testing::RandomSpec;

namespace {
RandomSpec specFor(std::uint64_t seed) {
  RandomSpec spec;
  spec.sites = 8 + seed % 5;  // 8..12
  spec.routes = 1 + seed % 3;
  spec.groups = seed % 2 == 0;
  return spec;
}
}  // namespace

// The MIP itself against the exhaustive subset DP, where both are cheap.
TEST(PlanExact, CbcModelMatchesExhaustiveSearchOnSmallCases) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    RandomSpec spec;
    spec.sites = 6 + seed % 3;
    spec.routes = 1 + seed % 3;
    const auto inst = randomInstance(1000 + seed, spec);
    const auto exact = solvePlanExact(inst.matrix(), inst.sites, inst.routes);
    ASSERT_TRUE(exact.optimal) << "seed " << seed;
    EXPECT_DOUBLE_EQ(exact.score, bruteForceOptimum(inst).score) << "seed " << seed;
  }
}

TEST(PlanExact, HeuristicFindsTheOptimumOnFiftySeededCases) {
  int hits = 0;
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    const auto inst = randomInstance(seed, specFor(seed));
    const auto exact = solvePlanExact(inst.matrix(), inst.sites, inst.routes);
    ASSERT_TRUE(exact.optimal) << "seed " << seed;
    PlanOptions o;
    o.seed = seed;
    o.iterations = 2000;
    o.timeLimitSeconds = 60.0;
    const auto plan = solvePlan(inst.matrix(), inst.sites, inst.routes, o);
    EXPECT_TRUE(checkPlan(inst.matrix(), inst.sites, inst.routes, plan).empty());
    EXPECT_DOUBLE_EQ(plan.totalScore, exact.score) << "seed " << seed << ": " << inst.sites.size()
                                                   << " sites, " << inst.routes.size() << " routes";
    hits += plan.totalScore == exact.score;
  }
  EXPECT_EQ(hits, 50);
}
