#include "layers/followup/followup.h"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <map>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "layers/privacy/audit.h"
#include "layers/privacy/sql_util.h"
#include "layers/store/ogr_values.h"

namespace veldwacht::layers {

namespace {

constexpr std::array<const char*, 5> kStatusNames = {"nieuw", "in_behandeling", "doorgezet",
                                                     "afgesloten", "ongegrond"};

bool isIsoDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  const int month = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

void checkDate(const char* option, const std::string& d) {
  if (!d.empty() && !isIsoDate(d))
    throw geo::OptionError(option, "expected a date YYYY-MM-DD, got '" + d + "'");
}

/// " WHERE <column> BETWEEN ..." for a period of dates (either end may be open), or "".
std::string periodWhere(const std::string& column, const std::string& from, const std::string& to) {
  std::string where;
  if (!from.empty()) where += column + " >= " + sqlQuote(from);
  if (!to.empty()) where += (where.empty() ? "" : " AND ") + column + " <= " + sqlQuote(to);
  return where.empty() ? where : " WHERE " + where;
}

/// The date (YYYY-MM-DD) of a Date or DateTime column in SQL that SQLite and PostgreSQL both
/// read: the GeoPackage keeps text, PostGIS a date or timestamp (as text in ISO form).
std::string dateOf(const std::string& column) {
  return "substr(CAST(" + column + " AS TEXT), 1, 10)";
}

/// Days since 1970-01-01 of an ISO date, nullopt when it is not one (SQLite's julianday gives
/// NULL then).
std::optional<long> dayNumber(const std::string& iso) {
  if (!isIsoDate(iso)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(iso.substr(0, 4))),
                                        std::chrono::month(unsigned(std::stoi(iso.substr(5, 2)))),
                                        std::chrono::day(unsigned(std::stoi(iso.substr(8, 2))))};
  if (!ymd.ok()) return std::nullopt;
  return long(std::chrono::sys_days(ymd).time_since_epoch().count());
}

LayerDef followupDef() {
  LayerDef d;
  d.name = kFollowupTable;
  d.title = "Veldwacht-opvolging";
  d.geometry = GeometryKind::None;
  d.help = "Eén rij per statuswijziging of terugkoppeling van een signaal";
  auto field = [](std::string name, bool required) {
    FieldDef f;
    f.name = std::move(name);
    f.type = FieldType::Text;
    f.required = required;
    return f;
  };
  d.fields = {field("signaal_id", true),  field("wanneer", true),
              field("wie", true),         field("van_status", true),
              field("naar_status", true), field("terugkoppeling", false)};
  return d;
}

/// The history table; rows cannot be changed (they may be removed with their signal, by
/// retention).
void ensureFollowupTable(Store& store) {
  // A PostGIS store has the table from its creation (layers/pgstore/pg_audit.h).
  if (store.hasTable(kFollowupTable)) return;
  if (store.meta("backend") == "postgis")
    throw geo::Error("the store " + store.path() + " has no " + kFollowupTable +
                     " yet; let the store's owner open it for writing once");
  store.transaction([](GDALDataset& ds) { createOgrLayer(ds, followupDef()); });
  store.executeSql(
      "CREATE TRIGGER IF NOT EXISTS veldwacht_opvolging_no_update BEFORE UPDATE ON "
      "veldwacht_opvolging BEGIN SELECT RAISE(ABORT, 'veldwacht_opvolging is a history: rows "
      "cannot be changed'); END");
  store.executeSql(
      "CREATE INDEX IF NOT EXISTS veldwacht_opvolging_signaal ON veldwacht_opvolging "
      "(signaal_id)");
}

void runSql(GDALDataset& ds, const std::string& sql) {
  geo::GdalErrorCapture capture;
  CPLErrorReset();
  OGRLayer* rs = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (rs) ds.ReleaseResultSet(rs);
  if (CPLGetLastErrorType() >= CE_Failure)
    throw geo::LibraryError("cannot record the follow-up: " + geo::lastGdalError());
}

std::string allowedList(SignalStatus from) {
  std::string s;
  for (SignalStatus n : nextStatuses(from))
    s += (s.empty() ? "" : ", ") + std::string(statusName(n));
  return s.empty() ? "none: " + std::string(statusName(from)) + " is final" : s;
}

std::optional<double> median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::string decimalComma(double v) {
  std::string s = fmt::format("{:.1f}", v);
  std::replace(s.begin(), s.end(), '.', ',');
  return s;
}

}  // namespace

const char* statusName(SignalStatus status) { return kStatusNames.at(std::size_t(status)); }

SignalStatus parseStatus(std::string_view name) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i)
    if (name == kStatusNames[i]) return SignalStatus(i);
  throw geo::OptionError("status",
                         "expected nieuw, in_behandeling, doorgezet, afgesloten or "
                         "ongegrond, got '" +
                             std::string(name) + "'");
}

std::vector<SignalStatus> nextStatuses(SignalStatus from) {
  using S = SignalStatus;
  switch (from) {
    case S::Nieuw:
      return {S::InBehandeling};
    case S::InBehandeling:
      return {S::Doorgezet, S::Afgesloten, S::Ongegrond};
    case S::Doorgezet:
      return {S::Afgesloten, S::Ongegrond};
    case S::Afgesloten:
    case S::Ongegrond:
      return {};
  }
  return {};
}

bool transitionAllowed(SignalStatus from, SignalStatus to) {
  const auto next = nextStatuses(from);
  return std::find(next.begin(), next.end(), to) != next.end();
}

void StatusChange::validate() const {
  if (signal.empty()) throw geo::OptionError("signal", "name the signal (signaal_id)");
  if (!to && feedback.empty())
    throw geo::OptionError("status", "give a new status, feedback (terugkoppeling), or both");
  checkDate("date", date);
}

StatusChangeResult changeStatus(Store& store, const StatusChange& change) {
  change.validate();
  if (!store.updatable())
    throw geo::Error("cannot change signal '" + change.signal + "': the store is open read-only");
  const auto rows = store.query("SELECT status, " + dateOf("COALESCE(gemeld_op, waargenomen_van)") +
                                " FROM signalen WHERE signaal_id = " + sqlQuote(change.signal));
  const geo::Location where{"signalen", std::nullopt, "signaal_id"};
  if (rows.empty()) throw geo::InputError(where, "no signal '" + change.signal + "' in the store");
  StatusChangeResult result;
  result.from = parseStatus(rows[0][0].value_or(""));
  result.to = change.to.value_or(result.from);
  if (change.to && !transitionAllowed(result.from, *change.to))
    throw geo::InputError(where, "signal '" + change.signal + "' cannot go from " +
                                     statusName(result.from) + " to " + statusName(*change.to) +
                                     " (allowed next: " + allowedList(result.from) + ")");
  const std::string day = change.date.empty() ? localTimeIso("%Y-%m-%d") : change.date;
  const std::string reported = rows[0][1].value_or("");
  if (!reported.empty() && day < reported)
    throw geo::InputError(where, "signal '" + change.signal + "' was reported on " + reported +
                                     "; a change dated " + day + " lies before that");
  result.feedbackRecorded = !change.feedback.empty();

  ensureAuditTable(store);
  ensureFollowupTable(store);
  const std::string who = change.who.empty() ? currentOsUser() : change.who;
  const std::string when = change.date.empty() ? localTimeIso() : change.date;
  std::string set = "status = " + sqlQuote(statusName(result.to));
  // TRUE: SQLite's 1, PostgreSQL's boolean.
  if (result.feedbackRecorded)
    set += ", terugkoppeling = TRUE, terugkoppeling_op = " + sqlQuote(day);
  std::string remark = std::string(statusName(result.from)) + " -> " + statusName(result.to);
  if (result.feedbackRecorded) remark += "; terugkoppeling gegeven op " + day;
  store.transaction([&](GDALDataset& ds) {
    runSql(ds, "UPDATE signalen SET " + set + " WHERE signaal_id = " + sqlQuote(change.signal));
    runSql(ds,
           "INSERT INTO veldwacht_opvolging (signaal_id, wanneer, wie, van_status, naar_status, "
           "terugkoppeling) VALUES (" +
               sqlQuote(change.signal) + ", " + sqlQuote(when) + ", " + sqlQuote(who) + ", " +
               sqlQuote(statusName(result.from)) + ", " + sqlQuote(statusName(result.to)) + ", " +
               (result.feedbackRecorded ? sqlQuote(change.feedback) : "NULL") + ")");
    runSql(ds, auditInsertSql({.who = who,
                               .action = change.to ? "status" : "terugkoppeling",
                               .layer = "signalen",
                               .filter = "signaal_id = " + sqlQuote(change.signal),
                               .sensitivity = Sensitivity::Confidential,
                               .remark = remark}));
  });
  return result;
}

std::vector<FollowupEvent> followupHistory(Store& store, const std::string& signal) {
  std::vector<FollowupEvent> out;
  if (!store.hasTable(kFollowupTable)) return out;
  std::string sql =
      "SELECT signaal_id, wanneer, wie, van_status, naar_status, terugkoppeling FROM "
      "veldwacht_opvolging";
  if (!signal.empty()) sql += " WHERE signaal_id = " + sqlQuote(signal);
  sql += " ORDER BY fid";
  for (const auto& r : store.query(sql))
    out.push_back({r[0].value_or(""), r[1].value_or(""), r[2].value_or(""), r[3].value_or(""),
                   r[4].value_or(""), r[5].value_or("")});
  return out;
}

const char* groupingName(FollowupGrouping grouping) {
  switch (grouping) {
    case FollowupGrouping::Avond:
      return "avond";
    case FollowupGrouping::Maand:
      return "maand";
    case FollowupGrouping::Brontype:
      return "brontype";
  }
  return "?";
}

FollowupGrouping parseGrouping(std::string_view name) {
  for (auto g : {FollowupGrouping::Avond, FollowupGrouping::Maand, FollowupGrouping::Brontype})
    if (name == groupingName(g)) return g;
  throw geo::OptionError("per",
                         "expected avond, maand or brontype, got '" + std::string(name) + "'");
}

void FollowupOptions::validate() const {
  if (days < 1 || days > 3650) throw geo::OptionError("days", "must lie in 1..3650");
  checkDate("today", today);
  checkDate("from", from);
  checkDate("to", to);
  if (!from.empty() && !to.empty() && to < from)
    throw geo::OptionError("to", "the period ends (" + to + ") before it starts (" + from + ")");
}

FollowupReport followupReport(Store& store, const FollowupOptions& options) {
  options.validate();
  const std::string today = options.today.empty() ? localTimeIso("%Y-%m-%d") : options.today;
  // Stores of schema 1 (read-only, not migrated) have no terugkoppeling_op.
  const std::string feedbackOn =
      store.schemaVersion() >= 2 ? dateOf("terugkoppeling_op") : std::string("NULL");
  // The same SQL on either backend; the days between dates are counted here (no julianday).
  const std::string sql =
      "SELECT signaal_id, d, status, brontype, categorie, f, o FROM (SELECT signaal_id, " +
      dateOf("COALESCE(gemeld_op, waargenomen_van)") +
      " AS d, status, brontype, categorie, CASE WHEN terugkoppeling THEN 1 ELSE 0 END AS f, " +
      feedbackOn + " AS o FROM signalen) AS s" + periodWhere("d", options.from, options.to) +
      " ORDER BY signaal_id";
  const auto todayNumber = dayNumber(today);
  struct Acc {
    FollowupFigures figures;
    std::vector<double> days;
  };
  std::map<std::string, Acc> groups;
  Acc total;
  total.figures.group = "totaal";
  FollowupReport report;
  for (const auto& r : store.query(sql)) {
    const std::string id = r[0].value_or(""), day = r[1].value_or("");
    const auto reportedNumber = dayNumber(day);
    const auto feedbackNumber = r[6] ? dayNumber(*r[6]) : std::nullopt;
    const std::optional<long> waiting = reportedNumber && todayNumber
                                            ? std::optional<long>(*todayNumber - *reportedNumber)
                                            : std::nullopt;
    const std::string status = r[2].value_or(""), brontype = r[3].value_or("");
    std::string key = options.per == FollowupGrouping::Avond   ? day
                      : options.per == FollowupGrouping::Maand ? day.substr(0, 7)
                                                               : brontype;
    Acc& g = groups[key];
    g.figures.group = key;
    const bool feedback = r[5].value_or("0") != "0";
    const bool overdue = !feedback && waiting && *waiting > options.days;
    std::optional<double> toFeedback;
    if (feedback && feedbackNumber && reportedNumber) {
      toFeedback = double(*feedbackNumber - *reportedNumber);
      if (*toFeedback < 0) {
        report.warnings.push_back("signal '" + id + "': feedback dated before the report (" + day +
                                  "), left out of the median");
        toFeedback.reset();
      }
    }
    for (Acc* a : {&g, &total}) {
      ++a->figures.reported;
      a->figures.takenUp += status != "nieuw";
      a->figures.handled += status == "afgesloten" || status == "ongegrond";
      a->figures.feedbackGiven += feedback;
      a->figures.overdue += overdue;
      if (toFeedback) a->days.push_back(*toFeedback);
    }
    if (overdue)
      report.overdue.push_back({id, day, int(*waiting), status, brontype, r[4].value_or("")});
  }
  for (auto& [key, acc] : groups) {
    acc.figures.medianDaysToFeedback = median(acc.days);
    report.groups.push_back(acc.figures);
  }
  total.figures.medianDaysToFeedback = median(total.days);
  report.total = total.figures;
  std::stable_sort(
      report.overdue.begin(), report.overdue.end(),
      [](const OverdueReport& a, const OverdueReport& b) { return a.daysWaiting > b.daysWaiting; });
  return report;
}

std::string followupCsv(const FollowupReport& report) {
  std::string out =
      "groep;gemeld;in_behandeling_genomen;afgehandeld;teruggekoppeld;te_laat;"
      "mediaan_dagen_tot_terugkoppeling\n";
  auto row = [&](const FollowupFigures& f) {
    out += fmt::format("{};{};{};{};{};{};{}\n", f.group, f.reported, f.takenUp, f.handled,
                       f.feedbackGiven, f.overdue,
                       f.medianDaysToFeedback ? decimalComma(*f.medianDaysToFeedback) : "");
  };
  for (const auto& g : report.groups) row(g);
  row(report.total);
  return out;
}

namespace {

/// "YYYY-MM" -> months since year 0, and back.
int monthIndex(const std::string& ym) {
  return std::stoi(ym.substr(0, 4)) * 12 + std::stoi(ym.substr(5, 2)) - 1;
}

std::string monthName(int index) {
  return fmt::format("{:04d}-{:02d}", index / 12, index % 12 + 1);
}

bool isYearMonth(const std::string& s) {
  return s.size() == 7 && s[4] == '-' &&
         std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
}

}  // namespace

CategoryTrend categoryTrend(Store& store, std::size_t maxSeries, const std::string& from,
                            const std::string& to) {
  checkDate("from", from);
  checkDate("to", to);
  if (!from.empty() && !to.empty() && to < from)
    throw geo::OptionError("to", "the period ends (" + to + ") before it starts (" + from + ")");
  std::string period = periodWhere(dateOf("waargenomen_van"), from, to);
  if (!period.empty()) period = " AND" + period.substr(6);  // after "WHERE waargenomen_van ..."
  const auto rows = store.query(
      "SELECT substr(CAST(waargenomen_van AS TEXT), 1, 7) AS m, COALESCE(categorie, "
      "'onbekend'), count(*) FROM signalen WHERE waargenomen_van IS NOT NULL" +
      period + " GROUP BY m, categorie ORDER BY m");
  std::map<std::string, std::map<int, int>> perCategory;  // category -> month -> count
  int first = 0, last = -1;
  for (const auto& r : rows) {
    if (r.size() < 3 || !r[0] || !r[2] || !isYearMonth(*r[0])) continue;
    const int m = monthIndex(*r[0]);
    perCategory[r[1].value_or("onbekend")][m] += std::stoi(*r[2]);
    if (last < first) first = last = m;
    first = std::min(first, m);
    last = std::max(last, m);
  }
  CategoryTrend trend;
  for (int m = first; m <= last; ++m) trend.months.push_back(monthName(m));
  for (const auto& [category, counts] : perCategory) {
    CategoryTrend::Series s{category, std::vector<int>(trend.months.size(), 0), 0};
    for (const auto& [m, n] : counts) {
      s.counts[std::size_t(m - first)] = n;
      s.total += n;
    }
    trend.series.push_back(std::move(s));
  }
  std::sort(trend.series.begin(), trend.series.end(), [](const auto& a, const auto& b) {
    return a.total != b.total ? a.total > b.total : a.category < b.category;
  });
  if (maxSeries > 0 && trend.series.size() > maxSeries) {
    CategoryTrend::Series rest{"overig", std::vector<int>(trend.months.size(), 0), 0};
    for (std::size_t i = maxSeries - 1; i < trend.series.size(); ++i) {
      for (std::size_t m = 0; m < rest.counts.size(); ++m)
        rest.counts[m] += trend.series[i].counts[m];
      rest.total += trend.series[i].total;
    }
    trend.series.resize(maxSeries - 1);
    trend.series.push_back(std::move(rest));
  }
  return trend;
}

}  // namespace veldwacht::layers
