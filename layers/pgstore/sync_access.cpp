#include "layers/pgstore/sync_access.h"

#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_values.h"
#include "layers/pgstore/roles.h"

namespace veldwacht::layers::pgstore {

namespace {

bool yes(const std::optional<std::string>& v) { return v && *v == "t"; }

}  // namespace

ServerAccess::ServerAccess(Store& server) : pg_(dynamic_cast<PgStore*>(&server)) {
  if (!pg_) return;
  pg::Connection& c = pg_->connection();
  const std::string login = c.user();
  std::string roles;
  for (const auto& r :
       c.query("SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN "
               "pg_roles u ON u.oid = m.member WHERE u.rolname = current_user ORDER BY 1")) {
    // Appended piece by piece: GCC 12 at -O3 flags `const char* + std::string&&` with a false
    // -Wrestrict (GCC bug 105329), as in pg_audit.cpp.
    if (!roles.empty()) roles += ", ";
    roles += r.at(0).value_or("");
  }
  who_ = "login '" + login + "'";
  if (!roles.empty()) who_ += " (role " + roles + ")";
}

const LayerAccess& ServerAccess::of(const std::string& layer) {
  if (const auto it = layers_.find(layer); it != layers_.end()) return it->second;
  LayerAccess a;
  if (pg_) {
    pg::Connection& c = pg_->connection();
    const auto row = c.query(
                          "SELECT has_table_privilege(t, 'SELECT'), has_table_privilege(t, "
                          "'INSERT'), has_table_privilege(t, 'UPDATE'), has_table_privilege(t, "
                          "'DELETE'), row_security_active(t) FROM to_regclass($1) t",
                          {layer})
                         .at(0);
    a.read = yes(row.at(0));
    a.insert = yes(row.at(1));
    a.update = yes(row.at(2));
    a.remove = yes(row.at(3));
    a.partial = a.read && yes(row.at(4)) && policyTest(c, layer, "SELECT", false) != "((true))";
  }
  return layers_.emplace(layer, a).first->second;
}

std::set<std::string> ServerAccess::existing(const LayerDef& def,
                                             const std::vector<std::string>& keys) {
  if (!pg_ || keys.empty()) return {};
  return pg_->existing(def.name, *def.field(def.key), keys);
}

std::vector<std::size_t> ServerAccess::refusedByPolicies(const LayerDef& def, const char* command,
                                                         std::span<const Record* const> rows) {
  std::vector<std::size_t> out;
  if (!pg_ || rows.empty()) return out;
  pg::Connection& c = pg_->connection();
  if (!yes(c.query("SELECT row_security_active(to_regclass($1))", {def.name}).at(0).at(0)))
    return out;
  const std::string test = policyTest(c, def.name, command, true);
  std::string columns;
  for (const auto& f : def.fields) columns += ", " + pg::ident(f.name);
  if (def.geometry != GeometryKind::None) columns += ", " + pg::ident(kGeometryColumn);
  // The rows numbered by their place in `rows`, in a temporary table shaped as the layer; the
  // policies' expressions name the layer's columns, so they read the same over it.
  pg::Transaction t(c);  // rolled back: nothing stays
  c.exec("CREATE TEMP TABLE veldwacht_toets ON COMMIT DROP AS SELECT 0::bigint AS veldwacht_nr" +
         columns + " FROM " + pg::ident(def.name) + " WITH NO DATA");
  {
    pg::CopyIn copy(c, "COPY veldwacht_toets (veldwacht_nr" + columns + ") FROM STDIN");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      copy.buffer() += std::to_string(i) + '\t';
      appendCopyRow(copy.buffer(), def, *rows[i], {});
      copy.rowDone();
    }
    copy.finish();
  }
  for (const auto& r : c.query("SELECT veldwacht_nr FROM veldwacht_toets WHERE NOT coalesce(" +
                               test + ", false) ORDER BY 1"))
    out.push_back(std::size_t(std::stoll(*r.at(0))));
  return out;
}

}  // namespace veldwacht::layers::pgstore
