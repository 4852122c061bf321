// layers/followup: the status path, changes with their history and audit rows, and the
// follow-up figures on a store built in code whose answers are worked out by hand (and, for a
// seeded random store, by a direct count in the test).
#include "layers/followup/followup.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "layers/privacy/audit.h"
#include "tests/layers/analyses/fixtures.h"

using namespace veldwacht;
using namespace veldwacht::layers;
using namespace veldwacht::layers::testing;
using S = SignalStatus;

namespace {

struct Spec {
  std::string id;
  std::string gemeld;  ///< gemeld_op date, empty = NULL
  std::string van;     ///< waargenomen_van date
  std::string brontype;
  std::string status;
  std::string feedbackOn;  ///< terugkoppeling_op, empty = no feedback
};

Record signal(const Spec& s, int i) {
  std::vector<std::pair<std::string, Value>> v{
      {"signaal_id", s.id},
      {"categorie", std::string("DRUGSAFVAL")},
      {"brontype", s.brontype},
      {"waargenomen_van", s.van + "T21:00:00"},
      {"status", s.status},
      {"terugkoppeling", std::int64_t{s.feedbackOn.empty() ? 0 : 1}},
      {"synthetisch", std::int64_t{1}}};
  if (!s.gemeld.empty()) v.push_back({"gemeld_op", s.gemeld + "T20:30:00"});
  if (!s.feedbackOn.empty()) v.push_back({"terugkoppeling_op", s.feedbackOn});
  return recordOf("signalen", v, pointAt(kX0 + 10.0 * i, kY0));
}

std::unique_ptr<Store> storeOf(const TempDir& dir, const std::vector<Spec>& specs) {
  std::vector<Record> records;
  for (std::size_t i = 0; i < specs.size(); ++i) records.push_back(signal(specs[i], int(i)));
  return storeWith(dir, batch("signalen", std::move(records)));
}

// Six reports; today 2025-04-01. Days to feedback: A 6, B 20, F 10. C waits 28 days, E exactly
// 14, D 7. F has no gemeld_op: its date is waargenomen_van.
const std::vector<Spec> kSix = {
    {"A", "2025-03-04", "2025-03-01", "ondernemer", "doorgezet", "2025-03-10"},
    {"B", "2025-03-04", "2025-03-02", "ondernemer", "afgesloten", "2025-03-24"},
    {"C", "2025-03-04", "2025-03-03", "boer", "in_behandeling", ""},
    {"D", "2025-03-25", "2025-03-20", "ondernemer", "nieuw", ""},
    {"E", "2025-03-18", "2025-03-18", "boer", "nieuw", ""},
    {"F", "", "2025-02-10", "jager", "ongegrond", "2025-02-20"},
};

std::string statusOf(Store& store, const std::string& id) {
  return store.query("SELECT status FROM signalen WHERE signaal_id = '" + id + "'")
      .at(0)
      .at(0)
      .value_or("");
}

void expectFigures(const FollowupFigures& f, const std::string& group, int reported, int takenUp,
                   int handled, int feedback, int overdue, std::optional<double> median) {
  SCOPED_TRACE(group);
  EXPECT_EQ(f.group, group);
  EXPECT_EQ(f.reported, reported);
  EXPECT_EQ(f.takenUp, takenUp);
  EXPECT_EQ(f.handled, handled);
  EXPECT_EQ(f.feedbackGiven, feedback);
  EXPECT_EQ(f.overdue, overdue);
  EXPECT_EQ(f.medianDaysToFeedback.has_value(), median.has_value());
  if (median && f.medianDaysToFeedback) {
    EXPECT_DOUBLE_EQ(*f.medianDaysToFeedback, *median);
  }
}

}  // namespace

TEST(StatusPath, AllowsExactlyTheSixStepsForward) {
  const std::vector<std::pair<S, S>> allowed = {
      {S::Nieuw, S::InBehandeling},      {S::InBehandeling, S::Doorgezet},
      {S::InBehandeling, S::Afgesloten}, {S::InBehandeling, S::Ongegrond},
      {S::Doorgezet, S::Afgesloten},     {S::Doorgezet, S::Ongegrond}};
  const S all[] = {S::Nieuw, S::InBehandeling, S::Doorgezet, S::Afgesloten, S::Ongegrond};
  int count = 0;
  for (S from : all)
    for (S to : all) {
      const bool expected =
          std::find(allowed.begin(), allowed.end(), std::pair(from, to)) != allowed.end();
      EXPECT_EQ(transitionAllowed(from, to), expected)
          << statusName(from) << "->" << statusName(to);
      count += transitionAllowed(from, to);
    }
  EXPECT_EQ(count, 6);
  EXPECT_EQ(parseStatus("in_behandeling"), S::InBehandeling);
  EXPECT_THROW(parseStatus("klaar"), geo::OptionError);
}

TEST(ChangeStatus, WalksThePathWritingHistoryAndAuditRows) {
  TempDir dir;
  auto store = storeOf(dir, {{"SIG-1", "2025-03-04", "2025-03-01", "ondernemer", "nieuw", ""}});
  for (S to : {S::InBehandeling, S::Doorgezet, S::Afgesloten})
    changeStatus(*store, {.signal = "SIG-1", .to = to, .date = "2025-03-05", .who = "analist"});
  EXPECT_EQ(statusOf(*store, "SIG-1"), "afgesloten");
  const auto history = followupHistory(*store, "SIG-1");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].from, "nieuw");
  EXPECT_EQ(history[0].to, "in_behandeling");
  EXPECT_EQ(history[2].from, "doorgezet");
  EXPECT_EQ(history[2].to, "afgesloten");
  EXPECT_EQ(history[1].who, "analist");
  EXPECT_EQ(history[1].when, "2025-03-05");
  const auto audit = readAudit(*store);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[1].action, "status");
  EXPECT_EQ(audit[1].layer, "signalen");
  EXPECT_EQ(audit[1].filter, "signaal_id = 'SIG-1'");
  EXPECT_EQ(audit[1].remark, "in_behandeling -> doorgezet");
  EXPECT_EQ(audit[1].sensitivity, Sensitivity::Confidential);
  // The history cannot be rewritten.
  EXPECT_THROW(store->executeSql("UPDATE veldwacht_opvolging SET naar_status = 'nieuw'"),
               geo::LibraryError);
}

TEST(ChangeStatus, RefusesAnIllegalJumpNamingTheSignalAndWritesNothing) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  try {
    changeStatus(*store, {.signal = "D", .to = S::Afgesloten});
    FAIL() << "nieuw -> afgesloten was accepted";
  } catch (const geo::InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("signal 'D'"), std::string::npos) << what;
    EXPECT_NE(what.find("from nieuw to afgesloten"), std::string::npos) << what;
    EXPECT_NE(what.find("allowed next: in_behandeling"), std::string::npos) << what;
  }
  try {
    changeStatus(*store, {.signal = "B", .to = S::Doorgezet});
    FAIL() << "afgesloten -> doorgezet was accepted";
  } catch (const geo::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("afgesloten is final"), std::string::npos) << e.what();
  }
  EXPECT_EQ(statusOf(*store, "D"), "nieuw");
  EXPECT_EQ(statusOf(*store, "B"), "afgesloten");
  EXPECT_TRUE(followupHistory(*store).empty());
  EXPECT_TRUE(readAudit(*store).empty());
}

TEST(ChangeStatus, RefusesAnUnknownSignalAndBadOptions) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  try {
    changeStatus(*store, {.signal = "ZZZ", .to = S::InBehandeling});
    FAIL();
  } catch (const geo::InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no signal 'ZZZ'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(changeStatus(*store, {.signal = "D"}), geo::OptionError);  // nothing to change
  EXPECT_THROW(changeStatus(*store, {.signal = "D", .to = S::InBehandeling, .date = "1-4-2025"}),
               geo::OptionError);
  // Feedback dated before the report.
  EXPECT_THROW(changeStatus(*store, {.signal = "D", .feedback = "x", .date = "2025-03-24"}),
               geo::InputError);
  EXPECT_EQ(statusOf(*store, "D"), "nieuw");
}

TEST(ChangeStatus, FeedbackSetsTheFlagAndDateKeepsTheTextOutOfTheAuditLog) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  const auto r = changeStatus(
      *store, {.signal = "C", .feedback = "Doorgegeven aan de wijkagent", .date = "2025-03-30"});
  EXPECT_EQ(r.from, S::InBehandeling);
  EXPECT_EQ(r.to, S::InBehandeling);
  EXPECT_TRUE(r.feedbackRecorded);
  const auto row = store->query(
      "SELECT status, terugkoppeling, terugkoppeling_op FROM signalen WHERE signaal_id = 'C'");
  EXPECT_EQ(row.at(0).at(0).value_or(""), "in_behandeling");
  EXPECT_EQ(row.at(0).at(1).value_or(""), "1");
  EXPECT_EQ(row.at(0).at(2).value_or(""), "2025-03-30");
  const auto history = followupHistory(*store, "C");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].feedback, "Doorgegeven aan de wijkagent");
  const auto audit = readAudit(*store);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "terugkoppeling");
  EXPECT_EQ(audit[0].remark,
            "in_behandeling -> in_behandeling; terugkoppeling gegeven op 2025-03-30");
  // C now has feedback after 26 days: no longer overdue.
  const auto rep = followupReport(*store, {.days = 14, .today = "2025-04-01"});
  EXPECT_EQ(rep.total.overdue, 0);
  EXPECT_EQ(rep.total.feedbackGiven, 4);
  EXPECT_DOUBLE_EQ(*rep.total.medianDaysToFeedback, 15.0);  // {6, 10, 20, 26}
}

TEST(FollowupFigures, PerEveningByHand) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  const auto rep =
      followupReport(*store, {.days = 14, .per = FollowupGrouping::Avond, .today = "2025-04-01"});
  ASSERT_EQ(rep.groups.size(), 4u);
  expectFigures(rep.groups[0], "2025-02-10", 1, 1, 1, 1, 0, 10.0);
  expectFigures(rep.groups[1], "2025-03-04", 3, 3, 1, 2, 1, 13.0);
  expectFigures(rep.groups[2], "2025-03-18", 1, 0, 0, 0, 0, std::nullopt);
  expectFigures(rep.groups[3], "2025-03-25", 1, 0, 0, 0, 0, std::nullopt);
  expectFigures(rep.total, "totaal", 6, 4, 2, 3, 1, 10.0);
  // Only C waits more than 14 days; E waits exactly 14 and is not yet overdue.
  ASSERT_EQ(rep.overdue.size(), 1u);
  EXPECT_EQ(rep.overdue[0].signal, "C");
  EXPECT_EQ(rep.overdue[0].daysWaiting, 28);
  EXPECT_EQ(rep.overdue[0].reportedOn, "2025-03-04");
  EXPECT_TRUE(rep.warnings.empty());
}

TEST(FollowupFigures, PerMonthAndPerSourceTypeByHand) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  const auto month =
      followupReport(*store, {.days = 14, .per = FollowupGrouping::Maand, .today = "2025-04-01"});
  ASSERT_EQ(month.groups.size(), 2u);
  expectFigures(month.groups[0], "2025-02", 1, 1, 1, 1, 0, 10.0);
  expectFigures(month.groups[1], "2025-03", 5, 3, 1, 2, 1, 13.0);
  const auto source = followupReport(
      *store, {.days = 13, .per = FollowupGrouping::Brontype, .today = "2025-04-01"});
  ASSERT_EQ(source.groups.size(), 3u);
  expectFigures(source.groups[0], "boer", 2, 1, 0, 0, 2, std::nullopt);  // C and E (14 > 13)
  expectFigures(source.groups[1], "jager", 1, 1, 1, 1, 0, 10.0);
  expectFigures(source.groups[2], "ondernemer", 3, 2, 1, 2, 0, 13.0);
  ASSERT_EQ(source.overdue.size(), 2u);
  EXPECT_EQ(source.overdue[0].signal, "C");  // longest waiting first
  EXPECT_EQ(source.overdue[1].signal, "E");
  EXPECT_EQ(source.overdue[1].daysWaiting, 14);
}

TEST(FollowupFigures, CsvUsesSemicolonsAndDecimalCommas) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  const auto csv = followupCsv(
      followupReport(*store, {.days = 14, .per = FollowupGrouping::Maand, .today = "2025-04-01"}));
  EXPECT_EQ(csv,
            "groep;gemeld;in_behandeling_genomen;afgehandeld;teruggekoppeld;te_laat;"
            "mediaan_dagen_tot_terugkoppeling\n"
            "2025-02;1;1;1;1;0;10,0\n"
            "2025-03;5;3;1;2;1;13,0\n"
            "totaal;6;4;2;3;1;10,0\n");
}

TEST(FollowupFigures, OnlyTheReportsOfThePeriodByHand) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  // 2025-03-01 .. 2025-03-18: A, B, C (03-04) and E (03-18, the last day counts); not F (02-10,
  // by waargenomen_van) nor D (03-25).
  const auto rep = followupReport(*store, {.days = 14,
                                           .per = FollowupGrouping::Avond,
                                           .today = "2025-04-01",
                                           .from = "2025-03-01",
                                           .to = "2025-03-18"});
  ASSERT_EQ(rep.groups.size(), 2u);
  expectFigures(rep.groups[0], "2025-03-04", 3, 3, 1, 2, 1, 13.0);
  expectFigures(rep.groups[1], "2025-03-18", 1, 0, 0, 0, 0, std::nullopt);
  expectFigures(rep.total, "totaal", 4, 3, 1, 2, 1, 13.0);
  // An open end.
  const auto since = followupReport(*store, {.today = "2025-04-01", .from = "2025-03-18"});
  EXPECT_EQ(since.total.reported, 2);  // D and E
  EXPECT_THROW(followupReport(*store, {.from = "2025-03-18", .to = "2025-03-01"}),
               geo::OptionError);
  EXPECT_THROW(followupReport(*store, {.from = "18-03-2025"}), geo::OptionError);
}

TEST(FollowupFigures, RejectBadOptions) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  EXPECT_THROW(followupReport(*store, {.days = 0}), geo::OptionError);
  EXPECT_THROW(followupReport(*store, {.today = "2025/04/01"}), geo::OptionError);
  EXPECT_THROW(parseGrouping("week"), geo::OptionError);
  EXPECT_EQ(parseGrouping("brontype"), FollowupGrouping::Brontype);
}

// A seeded random store: the report's totals against a direct count over the specs.
TEST(FollowupFigures, MatchADirectCountOnASeededStore) {
  std::mt19937_64 rng(20251205);
  std::uniform_int_distribution<int> dayOf(1, 28), monthOf(1, 3), wait(0, 40), pick(0, 4);
  const char* statuses[] = {"nieuw", "in_behandeling", "doorgezet", "afgesloten", "ongegrond"};
  const char* sources[] = {"burger", "ondernemer", "boer"};
  std::vector<Spec> specs;
  int taken = 0, handled = 0, feedback = 0, overdue = 0;
  std::vector<double> waits;
  // today 2025-05-01 = julian day of 2025-01-01 + 120.
  for (int i = 0; i < 120; ++i) {
    Spec s;
    s.id = "R-" + std::to_string(i);
    const int m = monthOf(rng), d = dayOf(rng);
    char date[40];
    std::snprintf(date, sizeof date, "2025-%02d-%02d", m, d);
    s.gemeld = date;
    s.van = date;
    s.brontype = sources[pick(rng) % 3];
    s.status = statuses[pick(rng)];
    const int dayOfYear = (m == 1 ? 0 : m == 2 ? 31 : 59) + d - 1;
    if (pick(rng) < 2) {
      const int w = std::min(wait(rng), 119 - dayOfYear);
      const int fb = dayOfYear + w;  // day of year of the feedback, before today
      const int fm = fb < 31 ? 1 : fb < 59 ? 2 : fb < 90 ? 3 : 4;
      const int fd = fb - (fm == 1 ? 0 : fm == 2 ? 31 : fm == 3 ? 59 : 90) + 1;
      std::snprintf(date, sizeof date, "2025-%02d-%02d", fm, fd);
      s.feedbackOn = date;
      ++feedback;
      waits.push_back(w);
    } else {
      overdue += 120 - dayOfYear > 14;
    }
    taken += s.status != "nieuw";
    handled += s.status == "afgesloten" || s.status == "ongegrond";
    specs.push_back(s);
  }
  TempDir dir;
  auto store = storeOf(dir, specs);
  const auto rep = followupReport(*store, {.days = 14, .today = "2025-05-01"});
  EXPECT_EQ(rep.total.reported, 120);
  EXPECT_EQ(rep.total.takenUp, taken);
  EXPECT_EQ(rep.total.handled, handled);
  EXPECT_EQ(rep.total.feedbackGiven, feedback);
  EXPECT_EQ(rep.total.overdue, overdue);
  EXPECT_EQ(int(rep.overdue.size()), overdue);
  std::sort(waits.begin(), waits.end());
  const std::size_t n = waits.size();
  ASSERT_GT(n, 0u);
  const double median = n % 2 ? waits[n / 2] : (waits[n / 2 - 1] + waits[n / 2]) / 2;
  ASSERT_TRUE(rep.total.medianDaysToFeedback);
  EXPECT_DOUBLE_EQ(*rep.total.medianDaysToFeedback, median);
  int sum = 0;
  for (const auto& g : rep.groups) sum += g.reported;
  EXPECT_EQ(sum, 120);
  EXPECT_EQ(rep.groups.size(), 3u);  // the three months
}

TEST(Retention, RemovesTheHistoryWithItsSignals) {
  TempDir dir;
  auto store = storeOf(dir, kSix);
  changeStatus(*store, {.signal = "F", .feedback = "Bedankt", .date = "2025-02-21"});
  changeStatus(*store, {.signal = "D", .to = S::InBehandeling, .date = "2025-03-26"});
  ASSERT_EQ(followupHistory(*store).size(), 2u);
  // Retention 30 days on 2025-04-01: everything reported before 2025-03-02, i.e. F only.
  EXPECT_EQ(removeRetained(*store, 30, "2025-04-01"), 1u);
  const auto left = followupHistory(*store);
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].signal, "D");
}

TEST(CategoryTrend, CountsPerCategoryPerMonthWithTheEmptyMonthsByHand) {
  // DRUGSAFVAL: 2 in January, 1 in March; HENNEP: 2 in March; OPSLAG: 1 in January.
  const std::vector<std::pair<std::string, std::string>> kSignals = {
      {"DRUGSAFVAL", "2025-01-03"}, {"DRUGSAFVAL", "2025-01-30"}, {"DRUGSAFVAL", "2025-03-01"},
      {"HENNEP", "2025-03-10"},     {"HENNEP", "2025-03-31"},     {"OPSLAG", "2025-01-15"}};
  std::vector<Record> records;
  for (std::size_t i = 0; i < kSignals.size(); ++i)
    records.push_back(recordOf("signalen",
                               {{"signaal_id", "T" + std::to_string(i)},
                                {"categorie", kSignals[i].first},
                                {"brontype", std::string("boer")},
                                {"status", std::string("nieuw")},
                                {"waargenomen_van", kSignals[i].second + "T12:00:00"},
                                {"synthetisch", std::int64_t{1}}},
                               pointAt(kX0 + 10.0 * double(i), kY0)));
  TempDir dir;
  auto store = storeWith(dir, batch("signalen", std::move(records)));

  const CategoryTrend trend = categoryTrend(*store);
  EXPECT_EQ(trend.months, (std::vector<std::string>{"2025-01", "2025-02", "2025-03"}));
  ASSERT_EQ(trend.series.size(), 3u);
  EXPECT_EQ(trend.series[0].category, "DRUGSAFVAL");
  EXPECT_EQ(trend.series[0].counts, (std::vector<int>{2, 0, 1}));
  EXPECT_EQ(trend.series[0].total, 3);
  EXPECT_EQ(trend.series[1].category, "HENNEP");
  EXPECT_EQ(trend.series[1].counts, (std::vector<int>{0, 0, 2}));
  EXPECT_EQ(trend.series[2].category, "OPSLAG");
  EXPECT_EQ(trend.series[2].counts, (std::vector<int>{1, 0, 0}));

  // Two series at most: the largest, and the rest summed as "overig".
  const CategoryTrend two = categoryTrend(*store, 2);
  ASSERT_EQ(two.series.size(), 2u);
  EXPECT_EQ(two.series[0].category, "DRUGSAFVAL");
  EXPECT_EQ(two.series[1].category, "overig");
  EXPECT_EQ(two.series[1].counts, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(two.series[1].total, 3);

  // A period (both ends inclusive): DRUGSAFVAL 01-30 and 03-01 only; the months stay those of
  // the signals counted.
  const CategoryTrend period = categoryTrend(*store, 0, "2025-01-20", "2025-03-01");
  EXPECT_EQ(period.months, (std::vector<std::string>{"2025-01", "2025-02", "2025-03"}));
  ASSERT_EQ(period.series.size(), 1u);
  EXPECT_EQ(period.series[0].category, "DRUGSAFVAL");
  EXPECT_EQ(period.series[0].counts, (std::vector<int>{1, 0, 1}));
  const CategoryTrend march = categoryTrend(*store, 0, "2025-03-01");
  EXPECT_EQ(march.months, (std::vector<std::string>{"2025-03"}));
  ASSERT_EQ(march.series.size(), 2u);
  EXPECT_EQ(march.series[0].category, "HENNEP");  // 2, before DRUGSAFVAL's 1
  EXPECT_THROW(categoryTrend(*store, 0, "2025-03-01", "2025-01-01"), geo::OptionError);
}

TEST(CategoryTrend, IsEmptyWithoutSignals) {
  TempDir dir;
  auto store = Store::create(dir.file("t.gpkg"));
  const CategoryTrend trend = categoryTrend(*store);
  EXPECT_TRUE(trend.months.empty());
  EXPECT_TRUE(trend.series.empty());
}
