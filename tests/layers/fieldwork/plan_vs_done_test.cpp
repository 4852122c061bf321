// Plan versus done on a plan and schouw results built in code, with counts known by hand; the
// greedy matching against exhaustive matching on seeded random cases.
#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "layers/fieldwork/plan_vs_done.h"
#include "layers/fieldwork/schouw_import.h"
#include "tests/layers/fieldwork/fieldwork_fixtures.h"

namespace veldwacht::layers {
namespace {

using namespace testing;

/// The plan "week" and its schouw results (fieldwork_fixtures.h), imported.
std::unique_ptr<Store> weekStore(TempDir& dir) {
  auto store = fieldStore(dir.file("s.gpkg"));
  const std::string csv = writeWeekPlanAndSchouw(*store, dir);
  SchouwImportOptions o;
  o.now = "2026-12-01T00:00:00";
  const std::vector<std::string> files = {csv};
  importSchouw(*store, files, o);
  return store;
}

const Tally& of(const std::vector<Tally>& ts, const std::string& partner) {
  for (const Tally& t : ts)
    if (t.partnerId == partner) return t;
  throw std::runtime_error("no tally for " + partner);
}

TEST(PlanVsDone, CountsDoneMissedAndUnplannedVisitsPerPartnerAndSite) {
  TempDir dir;
  auto store = weekStore(dir);
  PlanVsDoneOptions o;
  o.plan = "week";
  const PlanVsDone r = comparePlanWithDone(*store, o);
  EXPECT_TRUE(r.shiftsFromRoutes);
  EXPECT_EQ(r.from, "2026-11-02");
  EXPECT_EQ(r.to, "2026-11-03");
  EXPECT_EQ(r.total.gepland, 5);
  EXPECT_EQ(r.total.gedaan, 3);
  EXPECT_EQ(r.total.gemist, 2);
  EXPECT_EQ(r.total.ongepland, 2);
  EXPECT_DOUBLE_EQ(r.total.percentDone(), 60.0);
  EXPECT_EQ(r.total.bevindingen, 3);  // donker, deur open, vaten
  EXPECT_EQ(r.total.signalen, 1);
  ASSERT_EQ(r.perPartner.size(), 3u);
  const Tally& p01 = of(r.perPartner, "P01");
  EXPECT_EQ(std::tie(p01.gepland, p01.gedaan, p01.gemist, p01.ongepland),
            std::make_tuple(std::int64_t(3), std::int64_t(2), std::int64_t(1), std::int64_t(0)));
  const Tally& p07 = of(r.perPartner, "P07");
  EXPECT_EQ(std::tie(p07.gepland, p07.gedaan, p07.gemist, p07.ongepland),
            std::make_tuple(std::int64_t(2), std::int64_t(1), std::int64_t(1), std::int64_t(1)));
  const Tally& p04 = of(r.perPartner, "P04");
  EXPECT_EQ(std::tie(p04.gepland, p04.ongepland, p04.signalen),
            std::make_tuple(std::int64_t(0), std::int64_t(1), std::int64_t(1)));
  // Per site: vab 1 planned twice (P01 done, P07 missed) and visited unplanned once by P07.
  ASSERT_EQ(r.perSite.size(), 3u);
  EXPECT_EQ(r.perSite[0].siteId, "VAB-1979-0001");
  EXPECT_EQ(std::tie(r.perSite[0].gepland, r.perSite[0].gedaan, r.perSite[0].ongepland),
            std::make_tuple(std::int64_t(2), std::int64_t(1), std::int64_t(1)));
  // The missed visits, and which result proves a done one.
  ASSERT_EQ(r.visits.size(), 7u);
  EXPECT_EQ(r.visits[1].status, "gedaan");
  EXPECT_EQ(r.visits[1].tijdstip, "2026-11-03T01:30:00");
  EXPECT_EQ(r.visits[2].status, "gemist");
  EXPECT_EQ(r.visits[4].status, "gemist");
  EXPECT_EQ(r.visits[5].status, "ongepland");
  EXPECT_EQ(r.visits[5].partnerId, "P04");
  EXPECT_DOUBLE_EQ(r.visits[5].x, kX0 + 2000);  // at the site

  // Without tolerance P07's visit at 14:30 is outside the 09:00..13:00 shift.
  o.toleranceHours = 0;
  const PlanVsDone strict = comparePlanWithDone(*store, o);
  EXPECT_EQ(strict.total.gedaan, 2);
  EXPECT_EQ(strict.total.ongepland, 3);
}

TEST(PlanVsDone, APeriodReportsOnlyItsDaysButMatchesAcrossIt) {
  TempDir dir;
  auto store = weekStore(dir);
  PlanVsDoneOptions o;
  o.plan = "week";
  o.from = o.to = "2026-11-03";
  const PlanVsDone r = comparePlanWithDone(*store, o);
  EXPECT_EQ(r.total.gepland, 3);  // P01 #3 (01:00) and P07 #1, #2
  EXPECT_EQ(r.total.gedaan, 1);
  // P01's result at 01:30 on the 3rd proves the visit of the 2nd: not unplanned.
  EXPECT_EQ(r.total.ongepland, 2);
  o.from = o.to = "2026-11-10";
  const PlanVsDone later = comparePlanWithDone(*store, o);
  EXPECT_EQ(later.total.gepland, 0);
  EXPECT_EQ(later.total.ongepland, 1);
}

TEST(PlanVsDone, WritesTheResultTablesAndACsv) {
  TempDir dir;
  auto store = weekStore(dir);
  PlanVsDoneOptions o;
  o.plan = "week";
  const PlanVsDone r = comparePlanWithDone(*store, o);
  writeResultSet(*store, planVsDoneLayers(r, o));
  EXPECT_EQ(rowCount(*store, "week_gedaan_bezoeken"), 7);
  EXPECT_EQ(rowCount(*store, "week_gedaan_partners"), 4);  // 3 partners + totaal
  const auto total = store->query(
      "SELECT gedaan, pct_gedaan FROM week_gedaan_partners WHERE partner_id = 'totaal'");
  ASSERT_EQ(total.size(), 1u);
  EXPECT_EQ(total[0][0], std::optional<std::string>("3"));
  EXPECT_DOUBLE_EQ(std::stod(total[0][1].value_or("nan")), 60.0);
  EXPECT_EQ(store->query("SELECT status FROM week_gedaan_bezoeken WHERE partner_id = 'P04'")[0][0],
            std::optional<std::string>("ongepland"));
  const std::string csv = planVsDoneCsv(r);
  EXPECT_NE(csv.find("partner;P01;;;3;2;1;0;66,7;1;0\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("totaal;;;;5;3;2;2;60,0;3;1\n"), std::string::npos) << csv;
  const std::string text = formatPlanVsDone(r);
  EXPECT_NE(text.find("P01 d1 #3 vab VAB-1979-0003"), std::string::npos) << text;
}

TEST(PlanVsDone, WithoutRoutesAVisitCountsOnItsPlannedDay) {
  TempDir dir;
  auto store = weekStore(dir);
  store->executeSql("DROP TABLE week_routes");
  PlanVsDoneOptions o;
  o.plan = "week";
  o.toleranceHours = 0;
  const PlanVsDone r = comparePlanWithDone(*store, o);
  EXPECT_FALSE(r.shiftsFromRoutes);
  // P01 vab 2 planned on the 2nd, done at 01:30 on the 3rd: not the planned day. P07 vab 3 at
  // 14:30 and vab 1 at 16:00 are on the planned day.
  EXPECT_EQ(r.total.gedaan, 3);
  EXPECT_EQ(r.total.gemist, 2);
}

TEST(PlanVsDone, RefusesAMissingPlanAndBadOptions) {
  TempDir dir;
  auto store = fieldStore(dir.file("s.gpkg"));
  PlanVsDoneOptions o;
  o.plan = "nope";
  EXPECT_THROW(comparePlanWithDone(*store, o), geo::InputError);
  o.plan = "Bad Name";
  EXPECT_THROW(o.validate(), geo::OptionError);
  o.plan = "week";
  o.from = "2026-11-05";
  o.to = "2026-11-01";
  EXPECT_THROW(o.validate(), geo::OptionError);
}

/// The largest matching by augmenting paths (Kuhn), the brute force for matchWindows.
int maximumMatching(const std::vector<std::pair<double, double>>& w, const std::vector<double>& t) {
  std::vector<int> owner(t.size(), -1);
  int n = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::vector<bool> seen(t.size(), false);
    std::function<bool(std::size_t)> augment = [&](std::size_t a) {
      for (std::size_t k = 0; k < t.size(); ++k) {
        if (seen[k] || t[k] < w[a].first || t[k] > w[a].second) continue;
        seen[k] = true;
        if (owner[k] < 0 || augment(std::size_t(owner[k]))) {
          owner[k] = int(a);
          return true;
        }
      }
      return false;
    };
    n += augment(i);
  }
  return n;
}

TEST(PlanVsDone, GreedyMatchingIsMaximalAgainstExhaustiveMatching) {
  std::mt19937 rng(20261205);
  for (int trial = 0; trial < 500; ++trial) {
    std::uniform_int_distribution<int> count(0, 7), at(0, 100), len(0, 40);
    std::vector<std::pair<double, double>> windows(std::size_t(count(rng)));
    for (auto& w : windows) {
      w.first = at(rng);
      w.second = w.first + len(rng);
    }
    std::vector<double> times(std::size_t(count(rng)));
    for (auto& t : times) t = at(rng);
    const auto match = matchWindows(windows, times);
    std::vector<bool> used(times.size(), false);
    int n = 0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      if (match[i] < 0) continue;
      const auto k = std::size_t(match[i]);
      ASSERT_FALSE(used[k]);
      used[k] = true;
      EXPECT_GE(times[k], windows[i].first);
      EXPECT_LE(times[k], windows[i].second);
      ++n;
    }
    ASSERT_EQ(n, maximumMatching(windows, times)) << "trial " << trial;
  }
}

TEST(PlanVsDone, IsoMinutesCountsDaysAcrossMonthsAndYears) {
  EXPECT_EQ(*isoMinutes("1970-01-01T00:00:00"), 0.0);
  EXPECT_EQ(*isoMinutes("1970-01-02"), 1440.0);
  EXPECT_EQ(*isoMinutes("2026-03-01T00:00:00") - *isoMinutes("2026-02-28T23:00"), 60.0);
  EXPECT_EQ(*isoMinutes("2025-01-01T00:00:00") - *isoMinutes("2024-12-31T00:00:00"), 1440.0);
  EXPECT_EQ(*isoMinutes("2024-03-01") - *isoMinutes("2024-02-28"), 2 * 1440.0);  // leap year
  EXPECT_FALSE(isoMinutes("2024-02-30T00:00:00"));
}

}  // namespace
}  // namespace veldwacht::layers
