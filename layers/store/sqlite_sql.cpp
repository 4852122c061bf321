#include "layers/store/sqlite_sql.h"

#include <cstdio>

namespace veldwacht::layers::sqlite {

namespace {

std::string doubled(std::string_view text, char quote) {
  std::string s(1, quote);
  for (char c : text) {
    s += c;
    if (c == quote) s += quote;
  }
  s += quote;
  return s;
}

/// One BEFORE trigger that aborts when `when` holds.
std::string abortTrigger(std::string_view name, std::string_view event, std::string_view table,
                         std::string_view when, std::string_view message) {
  return "CREATE TRIGGER IF NOT EXISTS " + ident(name) + " BEFORE " + std::string(event) + " ON " +
         ident(table) + " FOR EACH ROW WHEN " + std::string(when) + " BEGIN SELECT RAISE(ABORT, " +
         literal("veldwacht: " + std::string(message)) + "); END";
}

}  // namespace

std::string ident(std::string_view name) { return doubled(name, '"'); }
std::string literal(std::string_view text) { return doubled(text, '\''); }

std::string valueLiteral(const Value& value) {
  if (std::holds_alternative<std::monostate>(value)) return "NULL";
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return buf;
  }
  return literal(std::get<std::string>(value));
}

std::string walJournal() { return "PRAGMA journal_mode=WAL"; }

std::string busyTimeout(int milliseconds) {
  return "PRAGMA busy_timeout = " + std::to_string(milliseconds);
}

std::string setMeta(std::string_view key, std::string_view value) {
  return "INSERT OR REPLACE INTO veldwacht_meta (key, value) VALUES (" + literal(key) + ", " +
         literal(value) + ")";
}

std::vector<std::string> constraintTriggers(const LayerDef& layer) {
  // All checks of a row in ONE trigger per event (a trigger program per check costs more than
  // the insert itself: measured 31 vs 12 us per signalen row), each its own RAISE with a
  // precise message. Parent-side triggers (RESTRICT) stay one per reference.
  std::vector<std::string> sql;
  std::vector<std::pair<std::string, std::string>> checks;  // condition on NEW, message
  const std::string& t = layer.name;
  for (const FieldDef& f : layer.fields) {
    const std::string col = "NEW." + ident(f.name);
    const std::string where = t + "." + f.name;
    if (!f.reference.empty()) {
      const auto dot = f.reference.find('.');
      const std::string parent = f.reference.substr(0, dot);
      const std::string key = f.reference.substr(dot + 1);
      checks.emplace_back(col + " IS NOT NULL AND NOT EXISTS (SELECT 1 FROM " + ident(parent) +
                              " WHERE " + ident(key) + " = " + col + ")",
                          where + ": value not found in " + f.reference);
      const std::string used = "EXISTS (SELECT 1 FROM " + ident(t) + " WHERE " + ident(f.name) +
                               " = OLD." + ident(key) + ")";
      const std::string usedMsg = f.reference + ": still referenced by " + where;
      sql.push_back(abortTrigger("veldwacht_fk_" + t + "_" + f.name + "_parent_delete", "DELETE",
                                 parent, used, usedMsg));
      sql.push_back(abortTrigger(
          "veldwacht_fk_" + t + "_" + f.name + "_parent_update", "UPDATE OF " + ident(key), parent,
          "OLD." + ident(key) + " IS NOT NEW." + ident(key) + " AND " + used, usedMsg));
    }
    if (!f.allowed.empty() && !f.commaList) {
      std::string list;
      for (const auto& v : f.allowed) list += (list.empty() ? "" : ", ") + literal(v);
      checks.emplace_back(col + " IS NOT NULL AND " + col + " NOT IN (" + list + ")",
                          where + ": value not in the allowed list");
    }
    if (f.width > 0)
      checks.emplace_back("length(" + col + ") > " + std::to_string(f.width),
                          where + ": longer than " + std::to_string(f.width) + " characters");
    if (f.type == FieldType::Boolean)
      checks.emplace_back(col + " NOT IN (0, 1)", where + ": not a boolean 0/1");
  }
  if (checks.empty()) return sql;
  std::string body;
  for (const auto& [condition, message] : checks)
    body +=
        " SELECT RAISE(ABORT, " + literal("veldwacht: " + message) + ") WHERE " + condition + ";";
  for (const char* event : {"INSERT", "UPDATE"}) {
    std::string name = "veldwacht_check_" + t + "_" + (event[0] == 'I' ? "insert" : "update");
    sql.push_back("DROP TRIGGER IF EXISTS " + ident(name));
    sql.push_back("CREATE TRIGGER " + ident(name) + " BEFORE " + event + " ON " + ident(t) +
                  " FOR EACH ROW BEGIN" + body + " END");
  }
  return sql;
}

std::string suspendInsertChecks(std::string_view table) {
  return "DROP TRIGGER IF EXISTS " + ident("veldwacht_check_" + std::string(table) + "_insert");
}

std::vector<std::string> indexes(const LayerDef& layer) {
  std::vector<std::string> sql;
  for (const FieldDef& f : layer.fields) {
    if (!f.indexed || f.unique) continue;
    sql.push_back("CREATE INDEX IF NOT EXISTS " + ident("idx_" + layer.name + "_" + f.name) +
                  " ON " + ident(layer.name) + " (" + ident(f.name) + ")");
  }
  return sql;
}

std::string countRows(std::string_view table) { return "SELECT COUNT(*) FROM " + ident(table); }

std::string extentOf(std::string_view table, std::string_view geometryColumn, bool spatialite) {
  // Exact, from the geometries (the R-tree holds float32 bounds, up to 6 cm off in RD).
  const std::string g = ident(geometryColumn);
  const char* fn[4] = {"ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY"};  // GDAL's GeoPackage SQL
  const char* sl[4] = {"MbrMinX", "MbrMinY", "MbrMaxX", "MbrMaxY"};  // SpatiaLite
  std::string sql = "SELECT ";
  for (int i = 0; i < 4; ++i)
    sql += std::string(i ? ", " : "") + (i < 2 ? "MIN(" : "MAX(") + (spatialite ? sl[i] : fn[i]) +
           "(" + g + "))";
  return sql + " FROM " + ident(table);
}

std::string selectExisting(std::string_view table, std::string_view field,
                           const std::vector<std::string>& literals, std::size_t begin,
                           std::size_t end) {
  std::string sql = "SELECT DISTINCT " + ident(field) + " FROM " + ident(table) + " WHERE " +
                    ident(field) + " IN (";
  for (std::size_t i = begin; i < end; ++i) sql += (i > begin ? "," : "") + literals[i];
  return sql + ")";
}

}  // namespace veldwacht::layers::sqlite
