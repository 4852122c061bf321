#include "layers/pgstore/pg_audit.h"

#include "layers/privacy/classification.h"

namespace veldwacht::layers::pgstore {

using pg::ident;

std::vector<std::string> historyTablesSql() {
  const std::string t = ident(kAuditTable);
  const std::string k = ident(kClassificationTable), o = ident(kFollowupTable);
  return {
      "CREATE TABLE IF NOT EXISTS " + t +
          " (fid bigserial PRIMARY KEY, wie text NOT NULL, wanneer timestamp(0) NOT NULL "
          "DEFAULT localtimestamp(0), actie text NOT NULL, laag text, filter text, bestemming "
          "text, klasse text NOT NULL CHECK (klasse IN ('openbaar', 'vertrouwelijk')), uitkomst "
          "text NOT NULL, opmerking text, login text NOT NULL DEFAULT session_user)",
      "COMMENT ON TABLE " + t +
          " IS 'Eén rij per export, afdruk, synchronisatie, registerupdate of rolwijziging "
          "(alleen toevoegen)'",
      // The login is the server's word, whatever the client sent.
      "CREATE OR REPLACE FUNCTION veldwacht_audit_login() RETURNS trigger LANGUAGE plpgsql AS "
      "$$ BEGIN NEW.login := session_user; RETURN NEW; END $$",
      "CREATE OR REPLACE TRIGGER veldwacht_audit_login BEFORE INSERT ON " + t +
          " FOR EACH ROW EXECUTE FUNCTION veldwacht_audit_login()",
      "CREATE OR REPLACE FUNCTION veldwacht_audit_alleen_toevoegen() RETURNS trigger LANGUAGE "
      "plpgsql AS $$ BEGIN RAISE EXCEPTION 'veldwacht_audit is append-only: rows cannot be "
      "changed or removed' USING ERRCODE = '42501'; END $$",
      "CREATE OR REPLACE TRIGGER veldwacht_audit_geen_wijziging BEFORE UPDATE OR DELETE ON " + t +
          " FOR EACH ROW EXECUTE FUNCTION veldwacht_audit_alleen_toevoegen()",
      "CREATE OR REPLACE TRIGGER veldwacht_audit_geen_truncate BEFORE TRUNCATE ON " + t +
          " FOR EACH STATEMENT EXECUTE FUNCTION veldwacht_audit_alleen_toevoegen()",
      // The layers' classification (layers/privacy/classification.h): the GeoPackage store's
      // columns, its closed list as a CHECK.
      "CREATE TABLE IF NOT EXISTS " + k +
          " (fid bigserial PRIMARY KEY, laag text NOT NULL UNIQUE, klasse text NOT NULL CHECK "
          "(klasse IN ('openbaar', 'vertrouwelijk')), reden text, gezet_door text, gezet_op "
          "text)",
      "COMMENT ON TABLE " + k +
          " IS 'Per laag: vertrouwelijk of openbaar, waarom, door wie en wanneer'",
      // The follow-up history of the signals (layers/followup/followup.h): rows are never
      // changed; they go with their signal (retention).
      "CREATE TABLE IF NOT EXISTS " + o +
          " (fid bigserial PRIMARY KEY, signaal_id text NOT NULL, wanneer text NOT NULL, wie "
          "text NOT NULL, van_status text NOT NULL, naar_status text NOT NULL, terugkoppeling "
          "text)",
      "COMMENT ON TABLE " + o +
          " IS 'Eén rij per statuswijziging of terugkoppeling van een signaal'",
      "CREATE INDEX IF NOT EXISTS veldwacht_opvolging_signaal ON " + o + " (signaal_id)",
      "CREATE OR REPLACE FUNCTION veldwacht_opvolging_geschiedenis() RETURNS trigger LANGUAGE "
      "plpgsql AS $$ BEGIN RAISE EXCEPTION 'veldwacht_opvolging is a history: rows cannot be "
      "changed' USING ERRCODE = '42501'; END $$",
      "CREATE OR REPLACE TRIGGER veldwacht_opvolging_geen_wijziging BEFORE UPDATE ON " + o +
          " FOR EACH ROW EXECUTE FUNCTION veldwacht_opvolging_geschiedenis()",
  };
}

bool hasAuditTable(pg::Connection& c) { return pg::tableExists(c, kAuditTable); }

bool hasHistoryTables(pg::Connection& c) {
  return hasAuditTable(c) && pg::tableExists(c, kClassificationTable) &&
         pg::tableExists(c, kFollowupTable);
}

void recordAudit(pg::Connection& c, AuditEntry e) {
  if (e.who.empty()) e.who = currentOsUser();
  c.query(
      "INSERT INTO " + ident(kAuditTable) +
          " (wie, wanneer, actie, laag, filter, bestemming, klasse, uitkomst, opmerking) "
          "VALUES ($1, COALESCE($2::timestamp, localtimestamp(0)), $3, $4, $5, $6, $7, $8, "
          "$9)",
      {e.who, e.when.empty() ? std::nullopt : std::optional<std::string>(e.when), e.action, e.layer,
       e.filter, e.destination, std::string(sensitivityName(e.sensitivity)), e.outcome, e.remark});
}

std::vector<AuditEntry> readAudit(pg::Connection& c, std::size_t last) {
  std::vector<AuditEntry> out;
  if (!hasAuditTable(c)) return out;
  std::string sql =
      "SELECT fid, wie, to_char(wanneer, 'YYYY-MM-DD\"T\"HH24:MI:SS'), actie, laag, filter, "
      "bestemming, klasse, uitkomst, opmerking, login FROM " +
      ident(kAuditTable);
  if (last > 0)
    sql = "SELECT * FROM (" + sql + " ORDER BY fid DESC LIMIT " + std::to_string(last) + ") a";
  sql += " ORDER BY fid";
  for (const auto& r : c.query(sql)) {
    AuditEntry e = auditEntryOfRow(r);
    const std::string login = r[10].value_or("");
    if (login != e.who) {
      // Not `(…) + ("[login " + login + "]")`: GCC 12 at -O3 warns (-Wrestrict, a false
      // positive) on const char* + std::string&&, which fails a Release build with -Werror.
      if (!e.remark.empty()) e.remark += ' ';
      e.remark += "[login " + login + "]";
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace veldwacht::layers::pgstore
