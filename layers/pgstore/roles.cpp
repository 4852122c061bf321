#include "layers/pgstore/roles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geo/core/error.h"
#include "layers/pgstore/pg_audit.h"
#include "layers/pgstore/pg_results.h"
#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

using pg::ident;
using pg::literal;
using pg::tableExists;

const FieldDef* partnerField(const LayerDef& def) {
  for (const auto& f : def.fields)
    if (f.reference.rfind("partners.", 0) == 0) return &f;
  return nullptr;
}

std::string policyTest(pg::Connection& c, const std::string& table, const std::string& command,
                       bool checks) {
  const auto rows = c.query(
      "SELECT permissive = 'PERMISSIVE', " +
          std::string(checks ? "coalesce(with_check, qual)" : "qual") +
          " FROM pg_policies WHERE schemaname = current_schema() AND tablename = $1 AND cmd IN "
          "($2, 'ALL') AND ('public' = ANY (roles) OR EXISTS (SELECT 1 FROM unnest(roles) r "
          "WHERE pg_has_role(r, 'MEMBER')))",
      {table, command});
  std::string permissive, restrictive;
  for (const auto& r : rows) {
    // Appended piece by piece, not `const char* + std::string&&`: GCC 12 at -O3 reports a
    // false -Wrestrict there (GCC bug 105329), as in pg_audit.cpp.
    std::string& to = r.at(0) == std::optional<std::string>("t") ? permissive : restrictive;
    to += &to == &permissive ? (permissive.empty() ? "(" : " OR (") : " AND (";
    to += r.at(1).value_or("true");
    to += ')';
  }
  // No permissive policy: row-level security refuses every row.
  return (permissive.empty() ? std::string("false") : "(" + permissive + ")") + restrictive;
}

namespace {

/// What a partner may do in a PerPartner layer: the table privileges and the policies (besides
/// analist_alles). One entry per such layer; installRoles refuses a PerPartner layer without one.
struct PartnerRules {
  const char* privileges;              ///< "SELECT" or "SELECT, INSERT"
  std::vector<std::string> policySql;  ///< CREATE POLICY statements; {P} = the partner role
};

std::string replaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

const PartnerRules* partnerRules(const std::string& layer) {
  static const std::string inArea =
      "geom && veldwacht_eigen_gebied() AND ST_Intersects(geom, veldwacht_eigen_gebied())";
  static const std::vector<std::pair<std::string, PartnerRules>> rules = {
      // Signals inside its own werkgebieden (anyone's), and new ones there in its own name.
      {"signalen",
       {"SELECT, INSERT",
        {"CREATE POLICY partner_lezen ON signalen FOR SELECT TO {P} USING (" + inArea + ")",
         "CREATE POLICY partner_melden ON signalen FOR INSERT TO {P} WITH CHECK (bron_partner_id "
         "= veldwacht_eigen_partner() AND " +
             inArea + ")"}}},
      // Its own areas, read only (the analist draws them).
      {"partner_werkgebieden",
       {"SELECT",
        {"CREATE POLICY partner_lezen ON partner_werkgebieden FOR SELECT TO {P} USING "
         "(partner_id = veldwacht_eigen_partner())"}}},
      // Its own inspections, and new ones in its own name.
      {"schouwresultaten",
       {"SELECT, INSERT",
        {"CREATE POLICY partner_lezen ON schouwresultaten FOR SELECT TO {P} USING (partner_id = "
         "veldwacht_eigen_partner())",
         "CREATE POLICY partner_melden ON schouwresultaten FOR INSERT TO {P} WITH CHECK "
         "(partner_id = veldwacht_eigen_partner())"}}},
  };
  for (const auto& [name, r] : rules)
    if (name == layer) return &r;
  return nullptr;
}

bool plainName(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return !(s[0] >= '0' && s[0] <= '9');
}

/// The body of kExistingKeysFunction: one branch per (layer, field) it answers for: the key of
/// every per-partner layer and every field such a layer references.
std::string existingKeysFunctionSql(pg::Connection& c, const std::string& searchPath) {
  std::vector<std::pair<std::string, std::string>> pairs;
  const auto defs = layerDefs();
  auto add = [&](const std::string& layer, const std::string& field) {
    // Layers of the schema only (import_id references the store's own veldwacht_imports).
    if (field.empty() ||
        std::none_of(defs.begin(), defs.end(), [&](const LayerDef& d) { return d.name == layer; }))
      return;
    if (!tableExists(c, layer)) return;
    if (std::find(pairs.begin(), pairs.end(), std::pair(layer, field)) == pairs.end())
      pairs.emplace_back(layer, field);
  };
  for (const auto& def : defs) {
    if (!partnerField(def) || !tableExists(c, def.name)) continue;
    add(def.name, def.key);
    for (const auto& f : def.fields)
      if (const auto dot = f.reference.find('.'); dot != std::string::npos)
        add(f.reference.substr(0, dot), f.reference.substr(dot + 1));
  }
  std::string body;
  for (const auto& [layer, field] : pairs) {
    const FieldDef* f = layerDef(layer).field(field);
    const std::string cast = f && f->type == FieldType::Integer ? "::bigint[]" : "";
    body += "IF laag = " + literal(layer) + " AND veld = " + literal(field) +
            " THEN RETURN QUERY SELECT " + ident(field) + "::text FROM " + ident(layer) +
            " WHERE " + ident(field) + " = ANY (sleutels" + cast + "); RETURN; END IF; ";
  }
  return std::string("CREATE OR REPLACE FUNCTION ") + kExistingKeysFunction +
         "(laag text, veld text, sleutels text[]) RETURNS SETOF text LANGUAGE plpgsql STABLE "
         "SECURITY DEFINER " +
         searchPath + " AS $f$ BEGIN " + body +
         "RAISE EXCEPTION '%.% is not a key a partner may look up', laag, veld; END $f$";
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

Sharing sharingOf(const LayerDef& def) {
  if (partnerField(def)) return Sharing::PerPartner;
  if (def.group == "Context") return Sharing::Openbaar;
  if (def.geometry == GeometryKind::None)
    for (const auto& other : layerDefs())
      if (partnerField(other))
        for (const auto& f : other.fields)
          if (f.reference.rfind(def.name + ".", 0) == 0) return Sharing::Opzoeklijst;
  return Sharing::Vertrouwelijk;
}

const char* sharingName(Sharing s) {
  switch (s) {
    case Sharing::PerPartner:
      return "per partner";
    case Sharing::Openbaar:
      return "openbaar";
    case Sharing::Opzoeklijst:
      return "opzoeklijst";
    case Sharing::Vertrouwelijk:
      return "vertrouwelijk";
  }
  return "";
}

std::vector<std::string> publicLayers() {
  std::vector<std::string> out;
  for (const auto& def : layerDefs())
    if (sharingOf(def) == Sharing::Openbaar) out.push_back(def.name);
  return out;
}

namespace {

/// The functions a partner's login calls (SECURITY DEFINER, run with `path`): its own partner id
/// and werkgebied, the existing keys of a streamed import and the end of such an import.
void createPartnerFunctions(pg::Connection& c, const std::string& path,
                            const std::string& partner) {
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
  c.exec(existingKeysFunctionSql(c, path));
  const std::string existingKeys = std::string(kExistingKeysFunction) + "(text, text, text[])";
  // A partner's streamed import sets its row count at the end (roles.h says why a function).
  c.exec(std::string("CREATE OR REPLACE FUNCTION ") + kFinishImportFunction +
         "(id bigint, aantal bigint) RETURNS void LANGUAGE plpgsql VOLATILE SECURITY DEFINER " +
         path + " AS $f$ BEGIN UPDATE " + ident(kImportsTable) +
         " SET rijen = aantal WHERE import_id = id AND rijen = 0 AND ingelezen_door = "
         "session_user; IF NOT FOUND THEN RAISE EXCEPTION 'import % is not an unfinished import "
         "of login %', id, session_user; END IF; END $f$");
  const std::string finishImport = std::string(kFinishImportFunction) + "(bigint, bigint)";
  for (const std::string& fn :
       {std::string("veldwacht_eigen_partner()"), std::string("veldwacht_eigen_gebied()"),
        existingKeys, finishImport}) {
    c.exec(std::string("REVOKE ALL ON FUNCTION ") + fn + " FROM PUBLIC");
    c.exec(std::string("GRANT EXECUTE ON FUNCTION ") + fn + " TO " + partner);
  }
}

/// The view a partner reads instead of the signals: counts per cell, category and month, groups
/// under the minimum left out.
void createAggregateView(pg::Connection& c, const RoleOptions& o) {
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
}

/// The privileges on the schema's layers and the store's own tables, per role.
void grantLayers(pg::Connection& c, const std::string& schema, const std::string& analist,
                 const std::string& partner, const std::string& publiek) {
  // Privileges: start from nothing for partner and publiek, then one rule per class of
  // sharingOf() for every layer of the schema this store has.
  const std::string in = " IN SCHEMA " + ident(schema);
  c.exec("GRANT USAGE ON SCHEMA " + ident(schema) + " TO " + analist + ", " + partner + ", " +
         publiek);
  c.exec("REVOKE ALL ON ALL TABLES" + in + " FROM " + partner + ", " + publiek);
  c.exec("REVOKE ALL ON ALL SEQUENCES" + in + " FROM " + partner + ", " + publiek);
  c.exec("GRANT CREATE ON SCHEMA " + ident(schema) + " TO " + analist);
  c.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES" + in + " TO " + analist);
  c.exec("GRANT USAGE, SELECT ON ALL SEQUENCES" + in + " TO " + analist);
  for (const auto& def : layerDefs()) {
    if (!tableExists(c, def.name)) continue;  // an older store: granted when it is migrated
    const std::string table = ident(def.name);
    switch (sharingOf(def)) {
      case Sharing::Openbaar:
        c.exec("GRANT SELECT ON " + table + " TO " + partner + ", " + publiek);
        break;
      case Sharing::Opzoeklijst:
        c.exec("GRANT SELECT ON " + table + " TO " + partner);
        break;
      case Sharing::Vertrouwelijk:
        break;
      case Sharing::PerPartner: {
        const PartnerRules* rules = partnerRules(def.name);
        if (!rules)
          throw geo::Error("layer '" + def.name + "' belongs to partners (field '" +
                           partnerField(def)->name +
                           "' references partners) but has no row-level-security rules for the "
                           "partner role; add them to partnerRules() in layers/pgstore/roles.cpp");
        c.exec("ALTER TABLE " + table + " ENABLE ROW LEVEL SECURITY");
        for (const char* policy : {"analist_alles", "partner_lezen", "partner_melden"})
          c.exec("DROP POLICY IF EXISTS " + std::string(policy) + " ON " + table);
        c.exec("CREATE POLICY analist_alles ON " + table + " TO " + analist +
               " USING (true) WITH CHECK (true)");
        for (const auto& sql : rules->policySql) c.exec(replaceAll(sql, "{P}", partner));
        c.exec("GRANT " + std::string(rules->privileges) + " ON " + table + " TO " + partner);
        if (std::string(rules->privileges).find("INSERT") != std::string::npos) {
          const auto seq =
              c.query("SELECT pg_get_serial_sequence($1, $2)", {table, std::string(kFidColumn)})
                  .at(0)
                  .at(0);
          if (seq) c.exec("GRANT USAGE ON SEQUENCE " + *seq + " TO " + partner);
        }
        break;
      }
    }
  }
  // The schema version and creation date, so that the CLI and QGIS can open the store.
  c.exec("GRANT SELECT ON " + ident(kMetaTable) + " TO " + partner + ", " + publiek);
  c.exec("GRANT SELECT ON signalen_geaggregeerd TO " + partner);
  // A partner's own signals carry the id of their import: it adds that row and reads back only
  // the id (RETURNING), not the store's other imports.
  c.exec("GRANT INSERT, SELECT (import_id) ON " + ident(kImportsTable) + " TO " + partner);
  if (const auto seq =
          c.query("SELECT pg_get_serial_sequence($1, 'import_id')", {std::string(kImportsTable)})
              .at(0)
              .at(0))
    c.exec("GRANT USAGE ON SEQUENCE " + *seq + " TO " + partner);
  // Which layers are public (presenter mode and publiceer ask): no secret, read by every role.
  if (tableExists(c, kClassificationTable))
    c.exec("GRANT SELECT ON " + ident(kClassificationTable) + " TO " + partner + ", " + publiek);
  // The audit trail (pg_audit.h): every role records its exports; only analist reads it.
  if (hasAuditTable(c)) {
    c.exec("GRANT INSERT ON " + ident(kAuditTable) + " TO " + partner + ", " + publiek);
    c.exec("GRANT USAGE ON SEQUENCE " + ident(std::string(kAuditTable) + "_fid_seq") + " TO " +
           partner + ", " + publiek);
  }
}

/// QGIS's layer_styles, shared by the whole database: each role reads and writes the styles of
/// exactly the tables it may read and change.
void secureLayerStyles(pg::Connection& c, const std::string& analist, const std::string& partner,
                       const std::string& publiek) {
  // QGIS's layer_styles (one table for the whole database, in public): every login reads the
  // styles of the tables it may read and writes those of the tables it may change (so a
  // partner or publiek login reads the styles of exactly its layers, and only the analist
  // writes the store's). Created here when absent, so that the store's owner owns it.
  c.exec("SELECT pg_advisory_xact_lock(hashtext('veldwacht_layer_styles'))");
  c.exec(createLayerStylesSql());
  const auto styleOwner =
      c.query(
           "SELECT pg_get_userbyid(relowner), current_user, (SELECT rolsuper FROM pg_roles "
           "WHERE rolname = current_user) FROM pg_class WHERE oid = "
           "'public.layer_styles'::regclass")
          .at(0);
  if (*styleOwner.at(0) != *styleOwner.at(1) && styleOwner.at(2).value_or("f") != "t")
    throw geo::Error("public.layer_styles belongs to '" + *styleOwner.at(0) + "', not to '" +
                     *styleOwner.at(1) +
                     "': only its owner can limit which styles each role reads; let '" +
                     *styleOwner.at(0) + "' (or a superuser) install the roles");
  const auto visible = [](const char* privilege) {
    return std::string(
               "(f_table_catalog IS NULL OR f_table_catalog = current_database()) AND EXISTS "
               "(SELECT 1 FROM pg_catalog.pg_class k JOIN pg_catalog.pg_namespace n ON n.oid = "
               "k.relnamespace WHERE n.nspname = f_table_schema AND k.relname = f_table_name AND "
               "has_table_privilege(k.oid, '") +
           privilege + "'))";
  };
  c.exec("ALTER TABLE public.layer_styles ENABLE ROW LEVEL SECURITY");
  c.exec("DROP POLICY IF EXISTS veldwacht_stijl_lezen ON public.layer_styles");
  c.exec("DROP POLICY IF EXISTS veldwacht_stijl_schrijven ON public.layer_styles");
  c.exec("CREATE POLICY veldwacht_stijl_lezen ON public.layer_styles FOR SELECT TO PUBLIC USING (" +
         visible("SELECT") + ")");
  c.exec("CREATE POLICY veldwacht_stijl_schrijven ON public.layer_styles TO PUBLIC USING (" +
         visible("UPDATE") + ") WITH CHECK (" + visible("UPDATE") + ")");
  c.exec("GRANT SELECT ON public.layer_styles TO " + partner + ", " + publiek);
  c.exec("GRANT SELECT, INSERT, UPDATE, DELETE ON public.layer_styles TO " + analist);
  if (const auto seq =
          c.query("SELECT pg_get_serial_sequence('public.layer_styles', 'id')").at(0).at(0))
    c.exec("GRANT USAGE, SELECT ON SEQUENCE " + *seq + " TO " + analist);
}

/// Records what was installed (kRolesTable), so that a later Veldwacht can bring the grants up to
/// date.
void recordRoles(pg::Connection& c, const RoleOptions& o, const std::string& analist) {
  c.exec("CREATE TABLE IF NOT EXISTS " + ident(kRolesTable) +
         " (prefix text NOT NULL, min_aantal integer NOT NULL, celgrootte double precision NOT "
         "NULL, rechtenversie integer NOT NULL, bijgewerkt_op timestamp NOT NULL DEFAULT "
         "localtimestamp)");
  c.exec("DELETE FROM " + ident(kRolesTable));
  c.query("INSERT INTO " + ident(kRolesTable) +
              " (prefix, min_aantal, celgrootte, rechtenversie) VALUES ($1, $2, $3, $4)",
          {o.prefix, std::to_string(o.minAggregateCount), std::to_string(o.cellSize),
           std::to_string(kGrantsVersion)});
  c.exec("GRANT SELECT ON " + ident(kRolesTable) + " TO " + analist);
}

}  // namespace

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
  createPartnerFunctions(c, path, partner);
  createAggregateView(c, o);
  grantLayers(c, schema, analist, partner, publiek);
  secureLayerStyles(c, analist, partner, publiek);
  recordRoles(c, o, analist);
  t.commit();
}

std::string passwordVerifier(pg::Connection& c, const std::string& login,
                             const std::string& password) {
  if (password.empty()) throw geo::OptionError("password", "an empty password is not a password");
  // The SCRAM verifier is computed here (as psql's \password does), so the password itself is
  // never sent to the server and cannot end up in its statement log.
  char* v = PQencryptPasswordConn(c.get(), password.c_str(), login.c_str(), "scram-sha-256");
  if (!v) throw geo::Error(std::string("cannot encrypt the password: ") + PQerrorMessage(c.get()));
  std::string verifier(v);
  PQfreemem(v);
  return verifier;
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
         (password.empty() ? std::string()
                           : " PASSWORD " + literal(passwordVerifier(c, login, password))) +
         " IN ROLE " + ident(o.groupRole(role)));
  const char* rol = role == Role::Analist   ? "analist"
                    : role == Role::Partner ? "partner"
                                            : "publiek";
  c.query("INSERT INTO " + ident(kUsersTable) + " (login, rol, partner_id) VALUES ($1, $2, $3)",
          {login, std::string(rol),
           partnerId.empty() ? std::nullopt : std::optional<std::string>(partnerId)});
  t.commit();
}

std::optional<RoleOptions> installedRoles(pg::Connection& c, int* grantsVersion) {
  RoleOptions o;
  int version = 0;
  if (tableExists(c, kRolesTable)) {
    const auto rows =
        c.query("SELECT prefix, min_aantal, celgrootte, rechtenversie FROM " + ident(kRolesTable));
    if (rows.empty()) return std::nullopt;
    o.prefix = rows[0][0].value_or("");
    o.minAggregateCount = std::stoi(rows[0][1].value_or("3"));
    o.cellSize = std::stod(rows[0][2].value_or("1000"));
    version = std::stoi(rows[0][3].value_or("1"));
  } else if (tableExists(c, kUsersTable)) {
    // Installed before veldwacht_rollen existed (grants version 1): read the options back.
    const auto roles = c.query(
        "SELECT r::text FROM pg_policies p, unnest(p.roles) r WHERE p.schemaname = "
        "current_schema() AND p.tablename = 'signalen' AND p.policyname = 'analist_alles'");
    const std::string suffix = "analist";
    if (roles.empty() || !roles[0][0] || roles[0][0]->size() < suffix.size() ||
        roles[0][0]->compare(roles[0][0]->size() - suffix.size(), suffix.size(), suffix) != 0)
      throw geo::Error("the store has " + std::string(kUsersTable) +
                       " but no analist policy on signalen: its roles cannot be read back; "
                       "install them again (veldwacht rollen STORE --install)");
    o.prefix = roles[0][0]->substr(0, roles[0][0]->size() - suffix.size());
    if (tableExists(c, "signalen_geaggregeerd"))
      if (const auto comment =
              c.query("SELECT obj_description('signalen_geaggregeerd'::regclass, 'pg_class')")
                  .at(0)
                  .at(0)) {
        int cell = 0, count = 0;
        const auto at = comment->find("cel van "), min = comment->find("minder dan ");
        if (at != std::string::npos && std::sscanf(comment->c_str() + at, "cel van %d", &cell) == 1)
          o.cellSize = cell;
        if (min != std::string::npos &&
            std::sscanf(comment->c_str() + min, "minder dan %d", &count) == 1)
          o.minAggregateCount = count;
      }
    version = 1;
  } else {
    return std::nullopt;
  }
  if (grantsVersion) *grantsVersion = version;
  return o;
}

bool updateGrants(pg::Connection& c, bool force) {
  int version = 0;
  const auto o = installedRoles(c, &version);
  if (!o || (!force && version >= kGrantsVersion)) return false;
  installRoles(c, *o);
  return true;
}

Role parseRole(const std::string& name) {
  for (Role r : {Role::Analist, Role::Partner, Role::Publiek})
    if (name == roleName(r)) return r;
  throw geo::OptionError("role", "unknown role '" + name + "': analist, partner or publiek");
}

const char* roleName(Role role) {
  switch (role) {
    case Role::Analist:
      return "analist";
    case Role::Partner:
      return "partner";
    case Role::Publiek:
      return "publiek";
  }
  return "";
}

namespace {

void requireInstalled(pg::Connection& c) {
  if (!tableExists(c, kUsersTable))
    throw geo::Error("no Veldwacht roles are installed in this store (no " +
                     std::string(kUsersTable) +
                     "); let the store's owner install them: veldwacht rollen STORE --install");
}

/// The store's group roles `login` is a member of, as short names ("analist", ...).
std::vector<std::string> groupsOf(pg::Connection& c, const std::string& login,
                                  const RoleOptions& o) {
  std::vector<std::string> out;
  for (Role r : {Role::Analist, Role::Partner, Role::Publiek})
    if (!c.query("SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN "
                 "pg_roles u ON u.oid = m.member WHERE u.rolname = $1 AND g.rolname = $2",
                 {login, o.groupRole(r)})
             .empty())
      out.emplace_back(roleName(r));
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

/// Runs `work` in one transaction; a refusal for lack of rights becomes a geo::Error saying
/// what the login needs.
template <class Work>
void asAdmin(pg::Connection& c, const std::string& what, Work&& work) {
  try {
    pg::Transaction t(c);
    c.exec("SELECT pg_advisory_xact_lock(hashtext('veldwacht_roles'))");
    work();
    t.commit();
  } catch (const pg::PgError& e) {
    if (e.permissionDenied())
      throw geo::Error("login '" + c.user() + "' may not " + what + " in this store (" + e.what() +
                       "); it needs CREATEROLE (or to be the store's owner or a superuser); "
                       "nothing was changed");
    throw;
  }
}

void recordAuditIfPresent(pg::Connection& c, const std::string& auditSql) {
  if (!auditSql.empty() && tableExists(c, "veldwacht_audit")) c.exec(auditSql);
}

}  // namespace

std::vector<RoleMember> roleMembers(pg::Connection& c, const RoleOptions& o) {
  o.validate();
  requireInstalled(c);
  std::vector<RoleMember> out;
  for (Role r : {Role::Analist, Role::Partner, Role::Publiek})
    for (const auto& row :
         c.query("SELECT u.rolname, u.rolcanlogin, (SELECT partner_id FROM " + ident(kUsersTable) +
                     " g WHERE g.login = u.rolname) FROM pg_auth_members m JOIN pg_roles g ON "
                     "g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = $1 "
                     "ORDER BY u.rolname",
                 {o.groupRole(r)}))
      out.push_back({roleName(r), row[0].value_or(""), row[2].value_or(""), row[1] == "t"});
  return out;
}

void grantRole(pg::Connection& c, Role role, const std::string& login, const std::string& partnerId,
               const RoleOptions& o, const std::string& auditSql,
               const std::optional<std::string>& password) {
  o.validate();
  if (password && password->empty())
    throw geo::OptionError("password", "an empty password is not a password");
  if (!plainName(login))
    throw geo::OptionError("login",
                           "lower-case letters, digits and _ only, at most 40: '" + login + "'");
  if ((role == Role::Partner) != !partnerId.empty())
    throw geo::OptionError("partner", role == Role::Partner
                                          ? "a partner login needs a partner id (--partner)"
                                          : "only a partner login has a partner id");
  requireInstalled(c);
  asAdmin(c, "grant roles", [&] {
    if (role == Role::Partner &&
        c.query("SELECT 1 FROM partners WHERE partner_id = $1", {partnerId}).empty())
      throw geo::OptionError("partner", "no partner '" + partnerId + "' in layer partners");
    const auto has = groupsOf(c, login, o);
    if (!has.empty())
      throw geo::OptionError("login", "login '" + login + "' already has role " + joined(has) +
                                          " (a login has one role); revoke it first");
    if (c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", {login}).empty())
      c.exec("CREATE ROLE " + ident(login) + " LOGIN IN ROLE " + ident(o.groupRole(role)));
    else
      c.exec("GRANT " + ident(o.groupRole(role)) + " TO " + ident(login));
    if (password)
      c.exec("ALTER ROLE " + ident(login) + " PASSWORD " +
             literal(passwordVerifier(c, login, *password)));
    c.query("DELETE FROM " + ident(kUsersTable) + " WHERE login = $1", {login});
    c.query("INSERT INTO " + ident(kUsersTable) + " (login, rol, partner_id) VALUES ($1, $2, $3)",
            {login, std::string(roleName(role)),
             partnerId.empty() ? std::nullopt : std::optional<std::string>(partnerId)});
    recordAuditIfPresent(c, auditSql);
  });
}

void revokeRole(pg::Connection& c, Role role, const std::string& login, const RoleOptions& o,
                const std::string& auditSql) {
  o.validate();
  requireInstalled(c);
  asAdmin(c, "revoke roles", [&] {
    const auto has = groupsOf(c, login, o);
    if (std::find(has.begin(), has.end(), roleName(role)) == has.end())
      throw geo::OptionError("login", "login '" + login + "' does not have role " + roleName(role) +
                                          " (it has: " + joined(has) + ")");
    c.exec("REVOKE " + ident(o.groupRole(role)) + " FROM " + ident(login));
    c.query("DELETE FROM " + ident(kUsersTable) + " WHERE login = $1", {login});
    recordAuditIfPresent(c, auditSql);
  });
}

}  // namespace veldwacht::layers::pgstore
