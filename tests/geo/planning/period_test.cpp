#include "geo/planning/period.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "geo/core/error.h"

using namespace veldwacht::geo;

namespace {

constexpr double kDay = 1440.0;  // minutes

struct Week {
  std::vector<double> times{0, 15, 15, 0};  // base (0) and one barn (1), 15 minutes apart
  std::vector<PlanSite> sites;
  std::vector<std::vector<TimeWindow>> nights;
  std::vector<PlanRoute> shifts;
};

/// A barn (score 10) and a business-park gate (score 1) at the same place, both only after dark
/// (20:00-06:00, seven nights); one night shift 19:00-07:00 every day from the base.
Week week() {
  Week w;
  for (double score : {10.0, 1.0}) {
    PlanSite s;
    s.node = 1;
    s.score = score;
    s.service = 12;
    w.sites.push_back(s);
    std::vector<TimeWindow> list;
    for (int d = 0; d < 7; ++d) list.push_back({d * kDay + 20 * 60, d * kDay + 30 * 60});
    w.nights.push_back(list);
  }
  for (int d = 0; d < 7; ++d) {
    PlanRoute r;
    r.start = d * kDay + 19 * 60;
    r.end = d * kDay + 31 * 60;
    w.shifts.push_back(r);
  }
  return w;
}

std::vector<double> visitTimes(const Week& w, const PeriodSites& ps, const PlanResult& plan,
                               std::size_t site, std::vector<std::size_t>* slots = nullptr) {
  std::vector<double> t;
  for (const auto& r : plan.routes)
    for (const auto& v : r.visits)
      if (ps.origin[v.site] == site) {
        t.push_back(v.serviceStart);
        if (slots) slots->push_back(ps.slot[v.site]);
      }
  (void)w;
  std::sort(t.begin(), t.end());
  return t;
}

PlanResult solveWeek(const Week& w, const PeriodSites& ps) {
  PlanOptions o;
  o.iterations = 300;
  o.timeLimitSeconds = 60;
  const TravelTimes m{2, w.times};
  auto plan = solvePlan(m, ps.sites, w.shifts, o);
  const auto problems = checkPlan(m, ps.sites, w.shifts, plan);
  for (const auto& p : problems) ADD_FAILURE() << p;
  return plan;
}

}  // namespace

TEST(PeriodPlan, HighPrioritySiteVisitedOncePerSlotOthersAtMostOnce) {
  const Week w = week();
  PeriodOptions o;
  o.visits = 3;
  o.highPriority = 5;
  o.periodEnd = 7 * kDay + 7 * 60;
  const auto ps = periodVisits(w.sites, w.nights, o);
  ASSERT_EQ(ps.slotBounds.size(), 4u);
  const auto plan = solveWeek(w, ps);
  std::vector<std::size_t> slots;
  const auto barn = visitTimes(w, ps, plan, 0, &slots);
  ASSERT_EQ(barn.size(), 3u);
  EXPECT_EQ(std::set<std::size_t>(slots.begin(), slots.end()).size(), 3u);
  for (std::size_t i = 0; i < barn.size(); ++i) {
    EXPECT_GE(barn[i], ps.slotBounds[slots[i]]);
    EXPECT_LE(barn[i], ps.slotBounds[slots[i] + 1]);
    const double clock = std::fmod(barn[i], kDay);
    EXPECT_TRUE(clock >= 20 * 60 || clock <= 6 * 60) << "not after dark: " << clock;
  }
  // Varied moments: not the same time of night twice.
  std::set<long> clocks;
  for (double t : barn) clocks.insert(std::lround(std::fmod(t, kDay)));
  EXPECT_EQ(clocks.size(), 3u);
  EXPECT_EQ(visitTimes(w, ps, plan, 1).size(), 1u);
}

TEST(PeriodPlan, AnotherSeedGivesOtherMoments) {
  const Week w = week();
  PeriodOptions o;
  o.visits = 2;
  o.highPriority = 5;
  const auto a = periodVisits(w.sites, w.nights, o);
  o.seed = 2;
  const auto b = periodVisits(w.sites, w.nights, o);
  EXPECT_NE(visitTimes(w, a, solveWeek(w, a), 0), visitTimes(w, b, solveWeek(w, b), 0));
}

TEST(PeriodPlan, RejectsBadOptionsAndWindows) {
  PeriodOptions o;
  o.periodEnd = o.periodStart;
  EXPECT_THROW(o.validate(), OptionError);
  o = PeriodOptions{};
  o.varyFraction = 0;
  EXPECT_THROW(o.validate(), OptionError);
  Week w = week();
  w.nights[1][3] = TimeWindow{100, 50};
  try {
    periodVisits(w.sites, w.nights, PeriodOptions{});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where().row, 2);
  }
}
