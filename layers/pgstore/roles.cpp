#include "layers/pgstore/roles.h"

#include <cmath>

#include "geo/core/error.h"
#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

using pg::ident;
using pg::literal;

namespace {

const std::vector<std::string> kRlsTables = {"signalen", "partner_werkgebieden",
                                             "schouwresultaten"};

bool plainName(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return !(s[0] >= '0' && s[0] <= '9');
}

std::string createRoleIfMissing(const std::string& role) {
  return "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + literal(role) +
         ") THEN CREATE ROLE " + ident(role) + " NOLOGIN; END IF; END $$";
}

}  // namespace

void RoleOptions::validate() const {
  if (!prefix.empty() && !plainName(prefix))
    throw geo::OptionError("prefix", "lower-case letters, digits and _ only, at most 40");
  if (minAggregateCount < 1) throw geo::OptionError("minAggregateCount", "must be at least 1");
  if (!(cellSize >= 100.0 && cellSize <= 100000.0))
    throw geo::OptionError("cellSize", "must be in [100, 100000] metres");
}

std::string RoleOptions::groupRole(Role role) const {
  switch (role) {
    case Role::Analist:
      return prefix + "analist";
    case Role::Partner:
      return prefix + "partner";
    case Role::Publiek:
      return prefix + "publiek";
  }
  return {};
}

const std::vector<std::string>& publicLayers() {
  static const std::vector<std::string> layers = {
      "gemeenten", "wijken", "buurten",           "bedrijventerreinen",
      "wegvakken", "panden", "verblijfsobjecten", "signaal_categorieen"};
  return layers;
}

void installRoles(pg::Connection& c, const RoleOptions& o) {
  o.validate();
  const std::string analist = ident(o.groupRole(Role::Analist));
  const std::string partner = ident(o.groupRole(Role::Partner));
  const std::string publiek = ident(o.groupRole(Role::Publiek));
  const std::string schema = *c.query("SELECT current_schema()").at(0).at(0);
  pg::Transaction t(c);
  // Two installs at once would race on CREATE ROLE; the lock makes the second wait.
  c.exec("SELECT pg_advisory_xact_lock(hashtext('veldwacht_roles'))");
  for (Role r : {Role::Analist, Role::Partner, Role::Publiek})
    c.exec(createRoleIfMissing(o.groupRole(r)));
  c.exec("CREATE TABLE IF NOT EXISTS " + ident(kUsersTable) +
         " (login text PRIMARY KEY, rol text NOT NULL CHECK (rol IN ('analist', 'partner', "
         "'publiek')), partner_id text REFERENCES partners (partner_id) ON DELETE RESTRICT, "
         "CHECK ((rol = 'partner') = (partner_id IS NOT NULL)))");
  const std::string path = "SET search_path = " + ident(schema) + ", public";
  c.exec(
      "CREATE OR REPLACE FUNCTION veldwacht_eigen_partner() RETURNS text LANGUAGE sql STABLE "
      "SECURITY DEFINER " +
      path + " AS $$ SELECT partner_id FROM " + ident(kUsersTable) +
      " WHERE login = session_user $$");
  c.exec(
      "CREATE OR REPLACE FUNCTION veldwacht_eigen_gebied() RETURNS geometry LANGUAGE sql "
      "STABLE SECURITY DEFINER " +
      path +
      " AS $$ SELECT ST_Union(geom) FROM partner_werkgebieden WHERE partner_id = "
      "veldwacht_eigen_partner() $$");
  for (const char* fn : {"veldwacht_eigen_partner()", "veldwacht_eigen_gebied()"}) {
    c.exec(std::string("REVOKE ALL ON FUNCTION ") + fn + " FROM PUBLIC");
    c.exec(std::string("GRANT EXECUTE ON FUNCTION ") + fn + " TO " + partner);
  }
  const std::string cell = std::to_string(std::llround(o.cellSize));
  c.exec("DROP VIEW IF EXISTS signalen_geaggregeerd");
  c.exec("CREATE VIEW signalen_geaggregeerd WITH (security_barrier) AS SELECT cx * " + cell +
         " AS cel_x, cy * " + cell +
         " AS cel_y, categorie, maand, count(*) AS aantal, ST_MakeEnvelope(cx * " + cell +
         ", cy * " + cell + ", (cx + 1) * " + cell + ", (cy + 1) * " + cell +
         ", 28992)::geometry(Polygon, 28992) AS geom FROM (SELECT floor(ST_X(geom) / " + cell +
         ")::bigint AS cx, floor(ST_Y(geom) / " + cell +
         ")::bigint AS cy, categorie, date_trunc('month', waargenomen_van)::date AS maand FROM "
         "signalen) s GROUP BY cx, cy, categorie, maand HAVING count(*) >= " +
         std::to_string(o.minAggregateCount));
  c.exec("COMMENT ON VIEW signalen_geaggregeerd IS " +
         literal("Signalen geteld per cel van " + cell +
                 " m, categorie en maand; groepen met minder dan " +
                 std::to_string(o.minAggregateCount) + " signalen weggelaten"));

  // Privileges: start from nothing for partner and publiek.
  c.exec("GRANT USAGE ON SCHEMA " + ident(schema) + " TO " + analist + ", " + partner + ", " +
         publiek);
  c.exec("REVOKE ALL ON ALL TABLES IN SCHEMA " + ident(schema) + " FROM " + partner + ", " +
         publiek);
  c.exec("GRANT CREATE ON SCHEMA " + ident(schema) + " TO " + analist);
  c.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + ident(schema) + " TO " +
         analist);
  c.exec("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + ident(schema) + " TO " + analist);
  for (const auto& layer : publicLayers())
    c.exec("GRANT SELECT ON " + ident(layer) + " TO " + partner + ", " + publiek);
  // The schema version and creation date, so that the CLI and QGIS can open the store.
  c.exec("GRANT SELECT ON " + ident(kMetaTable) + " TO " + partner + ", " + publiek);
  c.exec("GRANT SELECT ON signalen_geaggregeerd TO " + partner);
  c.exec("GRANT SELECT, INSERT ON signalen, schouwresultaten TO " + partner);
  c.exec("GRANT SELECT ON partner_werkgebieden TO " + partner);
  c.exec("GRANT USAGE ON SEQUENCE signalen_fid_seq, schouwresultaten_fid_seq TO " + partner);

  // Row-level security on the tables partners reach.
  for (const auto& table : kRlsTables) {
    c.exec("ALTER TABLE " + ident(table) + " ENABLE ROW LEVEL SECURITY");
    for (const char* policy : {"analist_alles", "partner_lezen", "partner_melden"})
      c.exec("DROP POLICY IF EXISTS " + std::string(policy) + " ON " + ident(table));
    c.exec("CREATE POLICY analist_alles ON " + ident(table) + " TO " + analist +
           " USING (true) WITH CHECK (true)");
  }
  const std::string inArea =
      "geom && veldwacht_eigen_gebied() AND ST_Intersects(geom, veldwacht_eigen_gebied())";
  c.exec("CREATE POLICY partner_lezen ON signalen FOR SELECT TO " + partner + " USING (" + inArea +
         ")");
  c.exec("CREATE POLICY partner_melden ON signalen FOR INSERT TO " + partner +
         " WITH CHECK (bron_partner_id = veldwacht_eigen_partner() AND " + inArea + ")");
  c.exec("CREATE POLICY partner_lezen ON partner_werkgebieden FOR SELECT TO " + partner +
         " USING (partner_id = veldwacht_eigen_partner())");
  c.exec("CREATE POLICY partner_lezen ON schouwresultaten FOR SELECT TO " + partner +
         " USING (partner_id = veldwacht_eigen_partner())");
  c.exec("CREATE POLICY partner_melden ON schouwresultaten FOR INSERT TO " + partner +
         " WITH CHECK (partner_id = veldwacht_eigen_partner())");
  t.commit();
}

void addLogin(pg::Connection& c, const std::string& login, Role role, const std::string& partnerId,
              const std::string& password, const RoleOptions& o) {
  o.validate();
  if (!plainName(login))
    throw geo::OptionError("login",
                           "lower-case letters, digits and _ only, at most 40: '" + login + "'");
  if ((role == Role::Partner) != !partnerId.empty())
    throw geo::OptionError("partnerId", role == Role::Partner
                                            ? "a partner login needs a partner id"
                                            : "only a partner login has a partner id");
  pg::Transaction t(c);
  if (role == Role::Partner &&
      c.query("SELECT 1 FROM partners WHERE partner_id = $1", {partnerId}).empty())
    throw geo::OptionError("partnerId", "no partner '" + partnerId + "' in layer partners");
  c.exec("CREATE ROLE " + ident(login) + " LOGIN" +
         (password.empty() ? std::string() : " PASSWORD " + literal(password)) + " IN ROLE " +
         ident(o.groupRole(role)));
  const char* rol = role == Role::Analist   ? "analist"
                    : role == Role::Partner ? "partner"
                                            : "publiek";
  c.query("INSERT INTO " + ident(kUsersTable) + " (login, rol, partner_id) VALUES ($1, $2, $3)",
          {login, std::string(rol),
           partnerId.empty() ? std::nullopt : std::optional<std::string>(partnerId)});
  t.commit();
}

}  // namespace veldwacht::layers::pgstore
