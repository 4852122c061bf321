#include "layers/privacy/audit.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "layers/privacy/sql_util.h"
#include "layers/store/ogr_values.h"

namespace veldwacht::layers {

namespace {

LayerDef auditDef() {
  LayerDef d;
  d.name = kAuditTable;
  d.title = "Veldwacht-audit";
  d.geometry = GeometryKind::None;
  d.help =
      "Eén rij per export, afdruk, openbare export, presentatiewissel of verwijdering "
      "(alleen toevoegen)";
  auto field = [](std::string name, bool required) {
    FieldDef f;
    f.name = std::move(name);
    f.type = FieldType::Text;
    f.required = required;
    return f;
  };
  d.fields = {field("wie", true),    field("wanneer", true),  field("actie", true),
              field("laag", false),  field("filter", false),  field("bestemming", false),
              field("klasse", true), field("uitkomst", true), field("opmerking", false)};
  return d;
}

}  // namespace

void ensureAuditTable(Store& store) {
  // A PostGIS store has it from its creation (layers/pgstore/pg_audit.h).
  if (store.hasTable(kAuditTable)) return;
  store.transaction([](GDALDataset& ds) { createOgrLayer(ds, auditDef()); });
  for (const char* event : {"UPDATE", "DELETE"})
    store.executeSql(std::string("CREATE TRIGGER IF NOT EXISTS veldwacht_audit_no_") + event +
                     " BEFORE " + event +
                     " ON veldwacht_audit BEGIN SELECT RAISE(ABORT, 'veldwacht_audit is "
                     "append-only: rows cannot be changed or removed'); END");
}

std::string currentOsUser() {
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) return pw->pw_name;
  if (const char* u = std::getenv("USER"); u && *u) return u;
  return "uid " + std::to_string(geteuid());
}

std::string auditInsertSql(AuditEntry e) {
  if (e.who.empty()) e.who = currentOsUser();
  if (e.when.empty()) e.when = localTimeIso();
  return "INSERT INTO veldwacht_audit (wie, wanneer, actie, laag, filter, bestemming, klasse, "
         "uitkomst, opmerking) VALUES (" +
         sqlQuote(e.who) + ", " + sqlQuote(e.when) + ", " + sqlQuote(e.action) + ", " +
         sqlQuote(e.layer) + ", " + sqlQuote(e.filter) + ", " + sqlQuote(e.destination) + ", " +
         sqlQuote(sensitivityName(e.sensitivity)) + ", " + sqlQuote(e.outcome) + ", " +
         sqlQuote(e.remark) + ")";
}

void recordAudit(Store& store, AuditEntry e) {
  if (!store.updatable())
    throw geo::Error("cannot record the audit row: the store is open read-only");
  ensureAuditTable(store);
  store.executeSql(auditInsertSql(std::move(e)));
}

AuditEntry auditEntryOfRow(const std::vector<std::optional<std::string>>& r) {
  AuditEntry e;
  e.id = std::stoll(r[0].value_or("0"));
  e.who = r[1].value_or("");
  e.when = r[2].value_or("");
  // PostGIS keeps a timestamp ("2024-06-01 10:00:00"); the GeoPackage the text written.
  if (e.when.size() >= 19 && e.when[10] == ' ') {
    e.when[10] = 'T';
    e.when.resize(19);  // fractions of a second, a zone
  }
  e.action = r[3].value_or("");
  e.layer = r[4].value_or("");
  e.filter = r[5].value_or("");
  e.destination = r[6].value_or("");
  e.sensitivity = r[7].value_or("") == "openbaar" ? Sensitivity::Public : Sensitivity::Confidential;
  e.outcome = r[8].value_or("");
  e.remark = r[9].value_or("");
  return e;
}

std::vector<AuditEntry> readAudit(Store& store, std::size_t last) {
  std::vector<AuditEntry> out;
  if (!store.hasTable(kAuditTable)) return out;
  std::string sql =
      "SELECT CAST(fid AS INTEGER), wie, CAST(wanneer AS TEXT), actie, laag, filter, bestemming, "
      "klasse, "
      "uitkomst, opmerking FROM veldwacht_audit ORDER BY fid";
  if (last > 0)
    sql =
        "SELECT * FROM (SELECT CAST(fid AS INTEGER) AS id, wie, CAST(wanneer AS TEXT) AS wanneer, "
        "actie, laag, filter, "
        "bestemming, klasse, uitkomst, opmerking FROM veldwacht_audit ORDER BY fid DESC LIMIT " +
        std::to_string(last) + ") AS laatste ORDER BY id";  // PostGIS needs the alias
  for (const auto& r : store.query(sql)) out.push_back(auditEntryOfRow(r));
  return out;
}

std::vector<RetentionCandidate> retentionCandidates(Store& store, int retentionDays,
                                                    const std::string& today) {
  if (retentionDays < 1) throw geo::OptionError("retentionDays", "must be >= 1 day");
  const std::string day = today.empty() ? localTimeIso("%Y-%m-%d") : today;
  if (day.size() != 10 || day[4] != '-' || day[7] != '-')
    throw geo::OptionError("today", "expected YYYY-MM-DD, got '" + day + "'");
  // The last day kept: reported before it is past the period. Counted here, and the dates
  // compared as ISO text, so that the same SQL runs on SQLite and PostgreSQL (a timestamp is
  // text there only when cast).
  const std::chrono::year_month_day ymd{std::chrono::year(std::stoi(day.substr(0, 4))),
                                        std::chrono::month(unsigned(std::stoi(day.substr(5, 2)))),
                                        std::chrono::day(unsigned(std::stoi(day.substr(8, 2))))};
  if (!ymd.ok()) throw geo::OptionError("today", "'" + day + "' is not a date");
  const std::chrono::year_month_day cutoff{std::chrono::sys_days(ymd) -
                                           std::chrono::days(retentionDays)};
  const std::string first = fmt::format("{:04d}-{:02d}-{:02d}", int(cutoff.year()),
                                        unsigned(cutoff.month()), unsigned(cutoff.day()));
  const std::string sql =
      "SELECT signaal_id, d FROM (SELECT signaal_id, CAST(COALESCE(gemeld_op, waargenomen_van) "
      "AS TEXT) AS d FROM signalen) AS s WHERE substr(d, 1, 10) < " +
      sqlQuote(first) + " ORDER BY d, signaal_id";
  std::vector<RetentionCandidate> out;
  for (const auto& r : store.query(sql)) {
    std::string when = r[1].value_or("");
    // To the second, as both backends show it: PostgreSQL's timestamp text has a space, GDAL
    // writes a GeoPackage's datetimes with milliseconds.
    if (when.size() > 10 && when[10] == ' ') when[10] = 'T';
    if (when.size() > 19 && when[19] == '.') when.resize(19);
    out.push_back({r[0].value_or(""), when});
  }
  return out;
}

std::size_t removeRetained(Store& store, int retentionDays, const std::string& today) {
  if (!store.updatable()) throw geo::Error("cannot remove signals: the store is open read-only");
  const auto list = retentionCandidates(store, retentionDays, today);
  if (list.empty()) return 0;
  std::string ids;
  for (const auto& c : list) ids += (ids.empty() ? "" : ", ") + sqlQuote(c.key);
  const bool hasFollowup = store.hasTable(kFollowupTable);
  store.transaction([&](GDALDataset& ds) {
    geo::GdalErrorCapture capture;
    CPLErrorReset();
    OGRLayer* rs = ds.ExecuteSQL(("DELETE FROM signalen WHERE signaal_id IN (" + ids + ")").c_str(),
                                 nullptr, nullptr);
    if (rs) ds.ReleaseResultSet(rs);
    if (CPLGetLastErrorType() >= CE_Failure)
      throw geo::LibraryError("cannot remove the signals: " + geo::lastGdalError());
    // Their follow-up history (layers/followup) goes with them: it holds the feedback texts.
    if (hasFollowup) {
      rs = ds.ExecuteSQL(
          ("DELETE FROM veldwacht_opvolging WHERE signaal_id IN (" + ids + ")").c_str(), nullptr,
          nullptr);
      if (rs) ds.ReleaseResultSet(rs);
      if (CPLGetLastErrorType() >= CE_Failure)
        throw geo::LibraryError("cannot remove the signals' follow-up history: " +
                                geo::lastGdalError());
    }
  });
  std::string remark = std::to_string(list.size()) + " signalen ouder dan " +
                       std::to_string(retentionDays) + " dagen: ";
  for (const auto& c : list) remark += c.key + " ";
  recordAudit(store, {.action = "verwijder",
                      .layer = "signalen",
                      .filter = "bewaartermijn " + std::to_string(retentionDays) + " dagen",
                      .destination = "",
                      .sensitivity = Sensitivity::Confidential,
                      .outcome = "uitgevoerd",
                      .remark = remark});
  return list.size();
}

}  // namespace veldwacht::layers
