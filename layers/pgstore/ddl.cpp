#include "layers/pgstore/ddl.h"

#include <algorithm>

#include "geo/core/error.h"
#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_audit.h"
#include "layers/store/store.h"

namespace veldwacht::layers {
// Defined in layers/store (store.cpp): the columns of veldwacht_resultaten, shared so that both
// backends record results alike.
LayerDef resultsTableDef();
}  // namespace veldwacht::layers

namespace veldwacht::layers::pgstore {

using pg::ident;
using pg::literal;

namespace {

int insertionRank(const LayerDef& def, const std::vector<LayerDef>& all) {
  int rank = 0;
  for (const auto& f : def.fields) {
    if (f.reference.empty()) continue;
    const std::string parent = f.reference.substr(0, f.reference.find('.'));
    if (parent == def.name || parent == kImportsTable) continue;
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const LayerDef& d) { return d.name == parent; });
    if (it != all.end()) rank = std::max(rank, 1 + insertionRank(*it, all));
  }
  return rank;
}

std::string arrayOf(const std::vector<std::string>& values) {
  std::string s = "ARRAY[";
  for (std::size_t i = 0; i < values.size(); ++i) s += (i ? ", " : "") + literal(values[i]);
  return s + "]::text[]";
}

/// The CHECK of a closed value list (each item of a comma list).
std::string checkExpression(const FieldDef& f) {
  return f.commaList ? "array_remove(regexp_split_to_array(btrim(" + ident(f.name) +
                           "), '\\s*,\\s*'), '') <@ " + arrayOf(f.allowed)
                     : ident(f.name) + " = ANY (" + arrayOf(f.allowed) + ")";
}

std::string columnSql(const LayerDef& layer, const FieldDef& f) {
  std::string s = ident(f.name) + " " + pgType(f);
  if (f.required) s += " NOT NULL";
  if (f.unique) s += " UNIQUE";
  if (!f.defaultValue.empty())
    s += " DEFAULT " + (f.type == FieldType::Text || f.type == FieldType::Boolean ||
                                f.type == FieldType::Date || f.type == FieldType::DateTime
                            ? literal(f.defaultValue)
                            : f.defaultValue);
  if (!f.allowed.empty())
    s += " CONSTRAINT " + ident("ck_" + layer.name + "_" + f.name) + " CHECK (" +
         checkExpression(f) + ")";
  if (!f.reference.empty()) {
    const auto dot = f.reference.find('.');
    s += " CONSTRAINT " + ident("fk_" + layer.name + "_" + f.name) + " REFERENCES " +
         ident(f.reference.substr(0, dot)) + " (" + ident(f.reference.substr(dot + 1)) +
         ") ON DELETE RESTRICT";
  }
  return s;
}

/// A bookkeeping table from a LayerDef-like list of fields, with `pk` as bigserial primary key.
std::string bookkeepingTable(const LayerDef& d, const std::string& pk) {
  std::string s = "CREATE TABLE " + ident(d.name) + " (" + ident(pk) + " bigserial PRIMARY KEY";
  for (const auto& f : d.fields) s += ", " + columnSql(d, f);
  return s + ")";
}

FieldDef field(std::string name, FieldType type, bool required = false) {
  FieldDef f;
  f.name = std::move(name);
  f.type = type;
  f.required = required;
  return f;
}

}  // namespace

std::string pgType(const FieldDef& f) {
  switch (f.type) {
    case FieldType::Text:
      return f.width > 0 ? "varchar(" + std::to_string(f.width) + ")" : "text";
    case FieldType::Integer:
      return "bigint";
    case FieldType::Real:
      return "double precision";
    case FieldType::Boolean:
      return "boolean";
    case FieldType::Date:
      return "date";
    case FieldType::DateTime:
      return "timestamp";
  }
  throw geo::Error("unknown field type");
}

std::string pgGeometryType(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::None:
      return {};
    case GeometryKind::Point:
      return "geometry(Point, 28992)";
    case GeometryKind::LineString:
      return "geometry(LineString, 28992)";
    case GeometryKind::MultiPolygon:
      return "geometry(MultiPolygon, 28992)";
  }
  return {};
}

std::vector<std::string> createLayerSql(const LayerDef& layer) {
  std::vector<std::string> sql;
  std::string create =
      "CREATE TABLE " + ident(layer.name) + " (" + ident(kFidColumn) + " bigserial PRIMARY KEY";
  for (const auto& f : layer.fields) create += ", " + columnSql(layer, f);
  if (layer.geometry != GeometryKind::None)
    create += ", " + ident(kGeometryColumn) + " " + pgGeometryType(layer.geometry);
  create += ")";
  sql.push_back(create);
  sql.push_back("COMMENT ON TABLE " + ident(layer.name) + " IS " +
                literal(layer.title + (layer.help.empty() ? "" : ": " + layer.help)));
  for (const auto& f : layer.fields) {
    if (!f.help.empty())
      sql.push_back("COMMENT ON COLUMN " + ident(layer.name) + "." + ident(f.name) + " IS " +
                    literal(f.help));
    if (f.indexed && !f.unique)
      sql.push_back("CREATE INDEX " + ident("idx_" + layer.name + "_" + f.name) + " ON " +
                    ident(layer.name) + " (" + ident(f.name) + ")");
  }
  if (layer.geometry != GeometryKind::None)
    sql.push_back("CREATE INDEX " + ident("gix_" + layer.name + "_" + kGeometryColumn) + " ON " +
                  ident(layer.name) + " USING gist (" + ident(kGeometryColumn) + ")");
  return sql;
}

std::vector<LayerDef> layersInInsertOrder(int version) {
  std::vector<LayerDef> defs = layerDefsForVersion(version);
  std::vector<int> rank;
  for (const auto& d : defs) rank.push_back(insertionRank(d, defs));
  std::vector<std::size_t> order(defs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank[a] < rank[b]; });
  std::vector<LayerDef> out;
  for (std::size_t i : order) out.push_back(std::move(defs[i]));
  return out;
}

std::vector<std::string> createStoreSql(int version) {
  std::vector<std::string> sql;
  sql.push_back("CREATE TABLE " + ident(kMetaTable) + " (key text PRIMARY KEY, value text)");
  sql.push_back("CREATE TABLE " + ident(kSchemaHistoryTable) +
                " (versie integer PRIMARY KEY, toegepast_op timestamp NOT NULL DEFAULT "
                "localtimestamp(0), veldwacht_versie text)");
  LayerDef imports;
  imports.name = kImportsTable;
  imports.fields = {
      field("laag", FieldType::Text, true),           field("bron_bestand", FieldType::Text),
      field("bestand_sha256", FieldType::Text),       field("rijen", FieldType::Integer, true),
      field("gestart_op", FieldType::DateTime, true), field("bron_crs", FieldType::Text),
      field("transformatie", FieldType::Text),        field("waarschuwingen", FieldType::Text)};
  sql.push_back(bookkeepingTable(imports, "import_id"));
  // Who imported: filled in by the server, not by the client.
  sql.push_back("ALTER TABLE " + ident(kImportsTable) +
                " ADD COLUMN ingelezen_door text NOT NULL DEFAULT current_user");
  sql.push_back(bookkeepingTable(resultsTableDef(), kFidColumn));
  for (const auto& layer : layersInInsertOrder(version))
    for (auto& s : createLayerSql(layer)) sql.push_back(std::move(s));
  if (version >= 1) {
    std::string seed = "INSERT INTO signaal_categorieen (code, naam, indicatoren) VALUES ";
    bool first = true;
    for (const auto& c : signalCategorySeeds()) {
      seed += std::string(first ? "" : ", ") + "(" + literal(c.code) + ", " + literal(c.naam) +
              ", " + (c.indicatoren.empty() ? "NULL" : literal(c.indicatoren)) + ")";
      first = false;
    }
    sql.push_back(seed);
  }
  for (auto& s : historyTablesSql()) sql.push_back(std::move(s));
  return sql;
}

std::vector<std::string> migrationSql(int from) {
  if (from < 1 || from >= kSchemaVersion)
    throw geo::Error("no migration from schema version " + std::to_string(from));
  const auto before = layerDefsForVersion(from);
  std::vector<std::string> sql;
  for (const auto& layer : layersInInsertOrder(from + 1)) {
    const auto old = std::find_if(before.begin(), before.end(),
                                  [&](const LayerDef& d) { return d.name == layer.name; });
    if (old == before.end()) {  // a new layer: created whole
      for (auto& s : createLayerSql(layer)) sql.push_back(std::move(s));
      continue;
    }
    for (const auto& f : layer.fields) {
      if (old->field(f.name)) continue;
      // A new field: NULL in the rows there are (a new field is never required without a default).
      sql.push_back("ALTER TABLE " + ident(layer.name) + " ADD COLUMN " + columnSql(layer, f));
      if (!f.help.empty())
        sql.push_back("COMMENT ON COLUMN " + ident(layer.name) + "." + ident(f.name) + " IS " +
                      literal(f.help));
      if (f.indexed && !f.unique)
        sql.push_back("CREATE INDEX " + ident("idx_" + layer.name + "_" + f.name) + " ON " +
                      ident(layer.name) + " (" + ident(f.name) + ")");
    }
    // Value lists may have grown: every CHECK of an old field made again from this version.
    for (const auto& f : layer.fields) {
      if (f.allowed.empty() || !old->field(f.name)) continue;
      const std::string name = ident("ck_" + layer.name + "_" + f.name);
      sql.push_back("ALTER TABLE " + ident(layer.name) + " DROP CONSTRAINT IF EXISTS " + name +
                    ", ADD CONSTRAINT " + name + " CHECK (" + checkExpression(f) + ")");
    }
  }
  return sql;
}

}  // namespace veldwacht::layers::pgstore
