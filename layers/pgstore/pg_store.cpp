#include "layers/pgstore/pg_store.h"

#include "layers/pgstore/pg_audit.h"
#include "layers/pgstore/roles.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <set>

#include "geo/core/gdal.h"
#include "layers/pgstore/ddl.h"
#include "layers/pgstore/pg_import.h"
#include "layers/pgstore/pg_values.h"
#include "layers/store/append_checks.h"
#include "layers/store/ogr_values.h"
#include "layers/store/store_internal.h"
#include "layers/store/styles.h"
#include "layers/version.h"

namespace veldwacht::layers::pgstore {

using pg::ident;
using pg::literal;

std::string realText(double d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

/// A value as text, as PostgreSQL reads it (and as keys compare): NULL as nullopt.
std::optional<std::string> valueText(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&v)) return realText(*d);
  return std::nullopt;
}

/// Value of the text PostgreSQL returned for a field of `type`.
Value valueOf(const std::optional<std::string>& text, FieldType type) {
  if (!text) return {};
  switch (type) {
    case FieldType::Integer:
      return std::int64_t(std::stoll(*text));
    case FieldType::Real:
      return std::stod(*text);
    case FieldType::Boolean:
      return std::int64_t(*text == "t" || *text == "true" || *text == "1");
    case FieldType::DateTime: {
      std::string s = *text;  // "YYYY-MM-DD HH:MM:SS" -> ISO with T
      if (s.size() > 10 && s[10] == ' ') s[10] = 'T';
      return s;
    }
    case FieldType::Text:
    case FieldType::Date:
      return *text;
  }
  return *text;
}

static std::string hex(const unsigned char* p, std::size_t n) {
  static const char* digits = "0123456789ABCDEF";
  std::string s;
  s.reserve(2 * n);
  for (std::size_t i = 0; i < n; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

/// EWKB (little endian, with SRID 28992) of `g` as hex, fit for the layer's geometry column.
std::string ewkbHex(const OGRGeometry& g, GeometryKind kind) {
  geo::GeometryPtr fit = geometryForLayer(g, kind);
  std::vector<unsigned char> wkb(std::size_t(fit->WkbSize()));
  if (fit->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso) != OGRERR_NONE)
    throw geo::LibraryError("cannot encode a geometry as WKB");
  // Byte 0 is the byte order, 1..4 the type; EWKB flags the SRID and inserts it after the type.
  std::uint32_t type = std::uint32_t(wkb[1]) | std::uint32_t(wkb[2]) << 8 |
                       std::uint32_t(wkb[3]) << 16 | std::uint32_t(wkb[4]) << 24;
  type |= 0x20000000u;
  const std::uint32_t srid = 28992;
  std::vector<unsigned char> out;
  out.reserve(wkb.size() + 4);
  out.push_back(wkb[0]);
  for (int i = 0; i < 4; ++i) out.push_back((type >> (8 * i)) & 0xff);
  for (int i = 0; i < 4; ++i) out.push_back((srid >> (8 * i)) & 0xff);
  out.insert(out.end(), wkb.begin() + 5, wkb.end());
  return hex(out.data(), out.size());
}

void appendCopyRow(std::string& data, const LayerDef& d, const Record& r,
                   const std::string& importId) {
  const int importField = d.fieldIndex("import_id");
  for (std::size_t i = 0; i < d.fields.size(); ++i) {
    if (i) data += '\t';
    if (int(i) == importField && !importId.empty()) {
      data += importId;
      continue;
    }
    const Value& v = i < r.values.size() ? r.values[i] : Value{};
    auto text = int(i) == importField ? std::nullopt : valueText(v);
    if (!text && !d.fields[i].defaultValue.empty()) text = d.fields[i].defaultValue;
    if (text)
      pg::appendCopyText(data, *text);
    else
      data += "\\N";
  }
  if (d.geometry != GeometryKind::None) {
    data += '\t';
    data += r.geometry ? ewkbHex(*r.geometry, d.geometry) : std::string("\\N");
  }
  data += '\n';
}

geo::GeometryPtr geometryFromHex(const std::string& text) {
  // bytea in hex output: "\x0101…"
  std::size_t at = text.rfind("\\x", 0) == 0 ? 2 : 0;
  std::vector<unsigned char> bytes;
  bytes.reserve((text.size() - at) / 2);
  auto nib = [](char c) -> unsigned char {
    return static_cast<unsigned char>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  };
  for (; at + 1 < text.size(); at += 2)
    bytes.push_back(static_cast<unsigned char>(nib(text[at]) << 4 | nib(text[at + 1])));
  OGRGeometry* g = nullptr;
  if (OGRGeometryFactory::createFromWkb(bytes.data(), nullptr, &g, bytes.size()) != OGRERR_NONE)
    throw geo::LibraryError("cannot decode a geometry read from PostgreSQL");
  return geo::GeometryPtr(g);
}

namespace {

/// Where an append's record sits: batch and record index.
struct Occurrence {
  std::size_t batch;
  std::size_t record;
};

const Value& valueAt(std::span<const ImportBatch> batches, std::size_t bi, std::size_t ri, int fi) {
  static const Value kNull;
  const auto& vals = batches[bi].records[ri].values;
  return fi >= 0 && std::size_t(fi) < vals.size() ? vals[std::size_t(fi)] : kNull;
}

geo::Location locationOf(std::span<const ImportBatch> batches, const Occurrence& o,
                         const std::string& field) {
  return {batches[o.batch].sourceFile, batches[o.batch].records[o.record].sourceRow, field};
}

}  // namespace

bool isPostgresUrl(const std::string& path) {
  return path.rfind("postgresql://", 0) == 0 || path.rfind("postgres://", 0) == 0 ||
         path.rfind("PG:", 0) == 0;
}

std::string conninfoOf(const std::string& path) {
  return path.rfind("PG:", 0) == 0 ? path.substr(3) : path;
}

std::string withoutPassword(const std::string& path) {
  std::string s = path;
  // postgresql://user:secret@host/db
  const auto scheme = s.find("://");
  if (scheme != std::string::npos) {
    const auto at = s.find('@', scheme + 3);
    const auto slash = s.find('/', scheme + 3);
    const auto colon = s.find(':', scheme + 3);
    if (at != std::string::npos && colon < at && (slash == std::string::npos || at < slash))
      s.replace(colon + 1, at - colon - 1, "***");
  }
  // password=secret: URL parameters (up to '&') and libpq's key = value strings, where spaces
  // may surround '=' and a value in single quotes may hold spaces and \' (libpq's rules).
  for (std::size_t p = s.find("password"); p != std::string::npos; p = s.find("password", p + 1)) {
    std::size_t i = p + 8;
    while (i < s.size() && s[i] == ' ') ++i;
    if (i >= s.size() || s[i] != '=') continue;  // another word, e.g. in a host name
    ++i;
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t begin = i;
    if (i < s.size() && s[i] == '\'') {
      for (++i; i < s.size() && s[i] != '\''; ++i)
        if (s[i] == '\\') ++i;
      i = std::min(i + 1, s.size());
    } else {
      while (i < s.size() && s[i] != ' ' && s[i] != '&') ++i;
    }
    s.replace(begin, i - begin, "***");
  }
  return s;
}

PgStore::PgStore(std::string url, bool update)
    : url_(std::move(url)),
      shown_(withoutPassword(url_)),
      update_(update),
      conn_(conninfoOf(url_)) {
  conn_.exec("SET DateStyle = ISO; SET TimeZone = 'Europe/Amsterdam'");
}

std::unique_ptr<PgStore> PgStore::create(const std::string& url, const CreateOptions& options) {
  const int created = options.schemaVersion;
  if (created < 1 || created > kSchemaVersion)
    throw geo::OptionError("schemaVersion", "a store has schema version 1.." +
                                                std::to_string(kSchemaVersion) + ", not " +
                                                std::to_string(created));
  std::unique_ptr<PgStore> s(new PgStore(url, true));
  pg::Connection& c = s->conn_;
  if (pg::tableExists(c, kMetaTable))
    throw geo::Error("the database already holds a Veldwacht store (" + std::string(kMetaTable) +
                     " exists); refusing to create another one over it");
  if (c.query("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").empty()) {
    try {
      c.exec("CREATE EXTENSION postgis");
    } catch (const pg::PgError& e) {
      throw geo::LibraryError("the database has no PostGIS and this role may not add it (" +
                              std::string(e.what()) +
                              "); ask its administrator to run CREATE EXTENSION postgis");
    }
  }
  pg::Transaction t(c);
  for (const auto& sql : createStoreSql(created)) c.exec(sql);
  // The domain layers' default styles in layer_styles, as the GeoPackage store embeds them:
  // QGIS opens the layers styled, also without the plugin.
  if (options.embedStyles) {
    const std::string styles = stylesDirectory(options.stylesDir);
    for (const LayerDef& def : layerDefsForVersion(created))
      if (auto qml = shippedLayerStyle(styles, def.name))
        embedDefaultStyle(c, def.name, def.geometry, def.name, *qml,
                          shippedLayerStyleDescription(def.title));
  }
  const std::string now = localNowIso();
  c.exec("INSERT INTO " + ident(kMetaTable) + " (key, value) VALUES ('schema_version', " +
         literal(std::to_string(created)) + "), ('created_at', " + literal(now) +
         "), ('veldwacht_version', " + literal(std::string(version())) +
         "), ('backend', 'postgis')");
  c.exec("INSERT INTO " + ident(kSchemaHistoryTable) + " (versie, veldwacht_versie) VALUES (" +
         std::to_string(created) + ", " + literal(std::string(version())) + ")");
  t.commit();
  s->version_ = created;
  return s;
}

std::unique_ptr<PgStore> PgStore::open(const std::string& url, bool update) {
  std::unique_ptr<PgStore> s(new PgStore(url, update));
  pg::Connection& c = s->conn_;
  if (!pg::tableExists(c, kMetaTable))
    throw geo::Error("the database holds no Veldwacht store (no " + std::string(kMetaTable) +
                     "); create one with: veldwacht init \"" + withoutPassword(url) + "\"");
  const std::string v = s->meta("schema_version");
  int version = 0;
  try {
    version = std::stoi(v);
  } catch (const std::exception&) {
    throw geo::Error("the store's schema version '" + v + "' cannot be read");
  }
  if (version > kSchemaVersion)
    throw geo::Error("the store has schema version " + v + ", newer than this Veldwacht (" +
                     std::to_string(kSchemaVersion) + "); update Veldwacht");
  if (version < 1) throw geo::Error("the store's schema version '" + v + "' is not a version");
  s->version_ = version;
  // Read-only, an older store is read as it is (its layers and fields of that version).
  const bool migrated = update && version < kSchemaVersion;
  if (migrated) s->migrate();
  // Grants of an older install (or of layers this migration added) brought up to date, by the
  // store's owner (or a superuser) only: another login opens the store with the grants it has.
  if (update && *c.query("SELECT pg_get_userbyid(relowner) = current_user OR (SELECT rolsuper "
                         "FROM pg_roles WHERE rolname = current_user) FROM pg_class WHERE oid = " +
                         literal(kMetaTable) + "::regclass")
                        .at(0)
                        .at(0) == "t") {
    // The audit, classification and follow-up tables of a store made before they existed.
    if (!hasHistoryTables(c)) {
      pg::Transaction t(c);
      for (const auto& sql : historyTablesSql()) c.exec(sql);
      t.commit();
    }
    updateGrants(c, /*force=*/migrated);
  }
  return s;
}

void PgStore::migrate() {
  const int from = version_;
  try {
    pg::Transaction t(conn_);
    // One migrator at a time; a second one finds the store migrated when the lock is free.
    conn_.exec("LOCK TABLE " + ident(kMetaTable) + " IN EXCLUSIVE MODE");
    const int now = std::stoi(meta("schema_version"));
    for (int v = now; v < kSchemaVersion; ++v) {
      for (const auto& sql : migrationSql(v)) conn_.exec(sql);
      conn_.exec("INSERT INTO " + ident(kSchemaHistoryTable) +
                 " (versie, veldwacht_versie) VALUES (" + std::to_string(v + 1) + ", " +
                 literal(std::string(version())) + ")");
    }
    if (now < kSchemaVersion) {
      // The layers this migration added get their shipped default style, as create() gives
      // every layer (QGIS then opens them styled without the plugin too).
      const auto before = layerDefsForVersion(now);
      const std::string styles = stylesDirectory({});
      for (const LayerDef& def : layerDefsForVersion(kSchemaVersion)) {
        if (std::any_of(before.begin(), before.end(),
                        [&](const LayerDef& d) { return d.name == def.name; }))
          continue;
        if (auto qml = shippedLayerStyle(styles, def.name))
          embedDefaultStyle(conn_, def.name, def.geometry, def.name, *qml,
                            shippedLayerStyleDescription(def.title));
      }
      conn_.query("UPDATE " + ident(kMetaTable) + " SET value = $1 WHERE key = 'schema_version'",
                  {std::to_string(kSchemaVersion)});
      conn_.query(
          "DELETE FROM " + ident(kMetaTable) + " WHERE key IN ('migrated_at', 'veldwacht_version')",
          {});
      conn_.query("INSERT INTO " + ident(kMetaTable) +
                      " (key, value) VALUES ('migrated_at', $1), ('veldwacht_version', $2)",
                  {localNowIso(), std::string(version())});
    }
    t.commit();
  } catch (const pg::PgError& e) {
    if (e.permissionDenied() || e.sqlState() == "42501")
      throw geo::Error("the store " + shown_ + " has schema version " + std::to_string(from) +
                       " and must be migrated to " + std::to_string(kSchemaVersion) +
                       ", which login '" + conn_.user() + "' may not do (" + e.what() +
                       "); nothing was changed. Let the store's owner open it for writing once "
                       "(any writing command migrates it, e.g. veldwacht sync LAPTOP.gpkg \"" +
                       shown_ + "\")");
    throw geo::Error("migrating the store " + shown_ + " from schema version " +
                     std::to_string(from) + " failed (" + e.what() + "); nothing was changed");
  }
  version_ = kSchemaVersion;
}

void PgStore::requireUpdate() const {
  if (!update_) throw geo::Error("the store " + shown_ + " was opened read-only");
}

bool PgStore::hasTable(const std::string& name) { return pg::tableExists(conn_, name); }

std::string PgStore::meta(const std::string& key) {
  const auto rows =
      conn_.query("SELECT value FROM " + ident(kMetaTable) + " WHERE key = $1", {key});
  return rows.empty() || !rows[0][0] ? std::string() : *rows[0][0];
}

std::vector<LayerSummary> PgStore::summary() {
  // `sql` gives count, xmin, ymin, xmax, ymax (NULLs without geometry or rows).
  const auto countAndExtent = [this](LayerSummary& s, const std::string& sql) {
    const auto rows = conn_.query(sql);
    s.count = std::stoll(rows.at(0).at(0).value_or("0"));
    if (rows[0][1]) {
      s.extent.minX = std::stod(*rows[0][1]);
      s.extent.minY = std::stod(*rows[0][2]);
      s.extent.maxX = std::stod(*rows[0][3]);
      s.extent.maxY = std::stod(*rows[0][4]);
    }
  };
  std::set<std::string> results;
  for (const auto& r : conn_.query("SELECT DISTINCT laag FROM " + ident(kResultsTable)))
    if (r[0]) results.insert(*r[0]);
  std::vector<LayerSummary> out;
  for (const auto& d : layerDefsForVersion(version_)) {
    LayerSummary s;
    s.name = d.name;
    s.title = d.title;
    s.geometryType = d.geometry == GeometryKind::None         ? "None"
                     : d.geometry == GeometryKind::Point      ? "Point"
                     : d.geometry == GeometryKind::LineString ? "Line String"
                                                              : "Multi Polygon";
    const std::string ext = d.geometry == GeometryKind::None
                                ? "NULL, NULL, NULL, NULL"
                                : "ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)";
    countAndExtent(s, "SELECT n, " + ext + " FROM (SELECT count(*) AS n" +
                          (d.geometry == GeometryKind::None
                               ? ""
                               : ", ST_Extent(" + ident(kGeometryColumn) + ") AS e") +
                          " FROM " + ident(d.name) + ") q");
    s.isResult = results.count(d.name) > 0;
    out.push_back(std::move(s));
  }
  // Then the result tables (registered in veldwacht_resultaten) by name, as the GeoPackage
  // store lists them: publiceer, the classification and QGIS find them here.
  for (const auto& name : results) {
    const auto& defs = layerDefs();
    if (std::any_of(defs.begin(), defs.end(), [&](const LayerDef& d) { return d.name == name; }) ||
        !pg::tableExists(conn_, name))
      continue;
    LayerSummary s;
    s.name = name;
    s.title = name;
    s.isResult = true;
    const auto g = conn_.query(
        "SELECT type, f_geometry_column FROM geometry_columns WHERE f_table_name = $1 AND "
        "f_table_schema = ANY (current_schemas(false)) LIMIT 1",
        {name});
    std::string sql = "SELECT count(*), NULL, NULL, NULL, NULL FROM " + ident(name);
    if (g.empty() || !g[0][0]) {
      s.geometryType = "None";
    } else {
      s.geometryType = OGRGeometryTypeToName(OGRFromOGCGeomType(g[0][0]->c_str()));
      const std::string e = "ST_Extent(" + ident(g[0][1].value_or(kGeometryColumn)) + ")";
      sql = "SELECT count(*), ST_XMin(" + e + "), ST_YMin(" + e + "), ST_XMax(" + e +
            "), ST_YMax(" + e + ") FROM " + ident(name);
    }
    countAndExtent(s, sql);
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ImportInfo> PgStore::imports() {
  std::vector<ImportInfo> out;
  for (const auto& r :
       conn_.query("SELECT import_id, laag, bron_bestand, bestand_sha256, rijen, "
                   "to_char(gestart_op, 'YYYY-MM-DD\"T\"HH24:MI:SS'), bron_crs, transformatie, "
                   "waarschuwingen FROM " +
                   ident(kImportsTable) + " ORDER BY import_id")) {
    ImportInfo i;
    i.importId = std::stoll(*r[0]);
    i.layer = r[1].value_or("");
    i.sourceFile = r[2].value_or("");
    i.sourceSha256 = r[3].value_or("");
    i.rows = std::stoll(r[4].value_or("0"));
    i.startedAt = r[5].value_or("");
    i.sourceCrs = r[6].value_or("");
    i.transformation = r[7].value_or("");
    i.warnings = r[8].value_or("");
    out.push_back(std::move(i));
  }
  return out;
}

std::int64_t PgStore::removeImport(std::int64_t importId) {
  requireUpdate();
  pg::Transaction t(conn_);
  std::int64_t removed = 0;
  const std::string id = std::to_string(importId);
  if (conn_.query("SELECT 1 FROM " + ident(kImportsTable) + " WHERE import_id = " + id).empty())
    throw geo::Error("there is no import " + id);
  auto layers = layersInInsertOrder(version_);
  std::reverse(layers.begin(), layers.end());  // referencing layers first
  try {
    for (const auto& d : layers)
      removed +=
          std::stoll(conn_
                         .query("WITH d AS (DELETE FROM " + ident(d.name) +
                                " WHERE import_id = " + id + " RETURNING 1) SELECT count(*) FROM d")
                         .at(0)
                         .at(0)
                         .value_or("0"));
    conn_.exec("DELETE FROM " + ident(kImportsTable) + " WHERE import_id = " + id);
  } catch (const pg::PgError& e) {
    if (e.sqlState() == "23503")
      throw geo::Error("import " + id +
                       " cannot be removed: other rows still reference its rows; nothing was "
                       "deleted (" +
                       e.detail() + ")");
    throw;
  }
  t.commit();
  return removed;
}

bool asksExistingKeys(pg::Connection& c, const std::string& table) {
  const auto hidden =
      c.query(
           "SELECT NOT has_table_privilege(t, 'SELECT') OR row_security_active(t), "
           "to_regprocedure($2) IS NOT NULL AND has_function_privilege($2, 'EXECUTE') "
           "FROM to_regclass($1) t",
           {table, std::string(kExistingKeysFunction) + "(text, text, text[])"})
          .at(0);
  return hidden.at(0) == std::optional<std::string>("t") &&
         hidden.at(1) == std::optional<std::string>("t");
}

std::set<std::string> existingKeys(pg::Connection& c, const std::string& table,
                                   const FieldDef& field, const std::vector<std::string>& keys,
                                   bool askFunction) {
  std::set<std::string> found;
  if (keys.empty()) return found;
  const std::string cast = field.type == FieldType::Integer ? "bigint[]" : "text[]";
  const auto rows =
      askFunction ? c.query(std::string("SELECT * FROM ") + kExistingKeysFunction + "($1, $2, $3)",
                            {table, field.name, pg::arrayLiteral(keys)})
                  : c.query("SELECT " + ident(field.name) + "::text FROM " + ident(table) +
                                " WHERE " + ident(field.name) + " = ANY ($1::" + cast + ")",
                            {pg::arrayLiteral(keys)});
  for (const auto& r : rows)
    if (r[0]) found.insert(*r[0]);
  return found;
}

std::set<std::string> PgStore::existing(const std::string& table, const FieldDef& field,
                                        const std::vector<std::string>& keys) {
  if (keys.empty()) return {};
  return existingKeys(conn_, table, field, keys, asksExistingKeys(conn_, table));
}

void PgStore::append(std::span<const ImportBatch> batches, geo::Progress& progress) {
  requireUpdate();
  if (batches.empty()) return;
  append(batches, progress, {});
}

void PgStore::append(std::span<const ImportBatch> batches, geo::Progress& progress,
                     const std::function<void(pg::Connection&)>& more) {
  requireUpdate();
  std::vector<const LayerDef*> defs;
  const auto storeDefs = layerDefsForVersion(version_);  // defs point into it
  if (!batches.empty()) {
    refuseIfNoRows(batches);
    std::vector<Problem> problems;
    const KeyLookup keys{
        [](const Value& v) { return *valueText(v); },
        [this](const std::string& table, const FieldDef& field,
               const std::vector<std::string>& texts) { return existing(table, field, texts); }};
    defs = checkBatches(batches, storeDefs, keys, problems, progress);
    if (!problems.empty()) throw ValidationError(std::move(problems));
  }
  writeBatches(batches, defs, progress, more);
}

void PgStore::writeBatches(std::span<const ImportBatch> batches,
                           const std::vector<const LayerDef*>& defs, geo::Progress& progress,
                           const std::function<void(pg::Connection&)>& more) {
  const auto ordered = layersInInsertOrder(version_);
  auto rank = [&](const LayerDef* d) {
    return std::find_if(ordered.begin(), ordered.end(),
                        [&](const LayerDef& x) { return x.name == d->name; }) -
           ordered.begin();
  };
  std::vector<std::size_t> order(batches.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank(defs[a]) < rank(defs[b]); });
  geo::ProgressStep step(progress, 0.2, 1.0, "writing");
  const std::string started = localNowIso();
  std::size_t done = 0, total = 0;
  for (const auto& b : batches) total += b.records.size();
  // Which batch wrote a key, to name the row when the database refuses it (a concurrent import
  // committed the same key between our check and our write).
  std::size_t current = 0;
  try {
    pg::Transaction t(conn_);
    for (std::size_t bi : order) {
      current = bi;
      const ImportBatch& b = batches[bi];
      const LayerDef& d = *defs[bi];
      if (b.records.empty()) continue;
      std::string warnings;
      for (const auto& w : b.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
      const auto id = conn_.query(
          "INSERT INTO " + ident(kImportsTable) +
              " (laag, bron_bestand, bestand_sha256, rijen, gestart_op, bron_crs, transformatie, "
              "waarschuwingen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING import_id",
          {d.name, b.sourceFile, b.sourceSha256, std::to_string(b.records.size()), started,
           b.sourceCrs, b.transformation, warnings});
      const std::string importId = *id.at(0).at(0);
      const std::string columns = copyColumns(d);
      // COPY is refused by PostgreSQL on a table with row-level security ("COPY FROM not
      // supported with row-level security"): there the rows go through a temporary table and
      // one INSERT … SELECT, which the policies then check row by row.
      const bool rls =
          conn_.query("SELECT relrowsecurity FROM pg_class WHERE oid = to_regclass($1)", {d.name})
              .at(0)
              .at(0) == std::optional<std::string>("t");
      if (rls)
        conn_.exec("CREATE TEMP TABLE veldwacht_copy ON COMMIT DROP AS SELECT " + columns +
                   " FROM " + ident(d.name) + " WITH NO DATA");
      // The rows go to the server while they are written (a few MiB at a time), not as one
      // text of every row.
      pg::CopyIn copy(conn_, "COPY " + (rls ? std::string("veldwacht_copy") : ident(d.name)) +
                                 " (" + columns + ") FROM STDIN");
      std::string& data = copy.buffer();
      for (const Record& r : b.records) {
        appendCopyRow(data, d, r, importId);
        copy.rowDone();
        step.tick(++done, total);
      }
      copy.finish();
      if (rls) {
        conn_.exec("INSERT INTO " + ident(d.name) + " (" + columns + ") SELECT " + columns +
                   " FROM veldwacht_copy");
        conn_.exec("DROP TABLE veldwacht_copy");
      }
    }
    if (more) {
      current = batches.size();
      more(conn_);
    }
    t.commit();
  } catch (const pg::PgError& e) {
    if (current >= batches.size()) {
      if (e.sqlState() == "40001" || e.sqlState() == "40P01")
        throw geo::Error("another user changed the store at the same time (" +
                         std::string(e.what()) + "); nothing was written; try again");
      throw geo::Error("the store refused the change (" + std::string(e.what()) +
                       "); nothing was written");
    }
    const ImportBatch& b = batches[current];
    if (e.sqlState() == "23505") {
      // A unique key another import committed while this one was checking.
      if (const auto key = pg::keyOfDetail(e.detail())) {
        const int fi = defs[current]->fieldIndex(key->first);
        for (std::size_t ri = 0; ri < b.records.size(); ++ri)
          if (valueText(valueAt(batches, current, ri, fi)) == key->second)
            throw ValidationError(
                {{locationOf(batches, {current, ri}, key->first),
                  key->first + " '" + key->second +
                      "' was written by another import at the same time; nothing of this "
                      "import was written"}});
      }
    }
    throwWriteRefused(e, conn_.user(), b.layer, b.sourceFile);
  }
  step.done();
}

void throwWriteRefused(const pg::PgError& e, const std::string& user, const std::string& layer,
                       const std::string& file) {
  if (e.sqlState() == "23503" || e.sqlState() == "23505" || e.sqlState() == "23514")
    throw ValidationError(
        {{{file, std::nullopt, ""},
          std::string("the database refused the import (") + e.what() + "); nothing was written"}});
  if (e.sqlState() == "40001" || e.sqlState() == "40P01")
    throw geo::Error("another user changed the store at the same time (" + std::string(e.what()) +
                     "); nothing was written; run the import again");
  if (e.permissionDenied())
    throw geo::Error("role '" + user + "' may not write " +
                     (layer.empty() ? std::string("to") : "layer '" + layer + "' in") +
                     " this store (" + e.what() + "); nothing was written");
  throw StorageError("the store could not be written: " + std::string(e.what()) +
                     "; nothing was changed");
}

std::string copyColumns(const LayerDef& d) {
  std::string columns;
  for (const auto& f : d.fields) columns += (columns.empty() ? "" : ", ") + ident(f.name);
  if (d.geometry != GeometryKind::None) columns += ", " + ident(kGeometryColumn);
  return columns;
}

void PgStore::importTransaction(const std::function<void(GDALDataset*)>& work) {
  requireUpdate();
  try {
    pg::Transaction t(conn_);
    importsBefore_ =
        std::stoll(conn_.query("SELECT coalesce(max(import_id), 0) FROM " + ident(kImportsTable))
                       .at(0)
                       .at(0)
                       .value_or("0"));
    work(nullptr);
    t.commit();
  } catch (const pg::PgError& e) {
    throwWriteRefused(e, conn_.user(), "", "");
  }
}

std::unique_ptr<ImportWriter> PgStore::importWriter(GDALDataset* /*ds*/, const ImportBatch& info,
                                                    const std::string& startedAt) {
  return std::make_unique<PgImportWriter>(conn_, info, startedAt, importsBefore_);
}

std::string recordColumns(const LayerDef& def) {
  std::string sql = ident(kFidColumn);
  for (const auto& f : def.fields) sql += ", " + ident(f.name) + "::text";
  if (def.geometry != GeometryKind::None) sql += ", ST_AsBinary(" + ident(kGeometryColumn) + ")";
  return sql;
}

Record recordOfRow(const LayerDef& def, const std::vector<std::optional<std::string>>& row) {
  Record r;
  r.sourceRow = std::stoll(*row.at(0));
  r.values.reserve(def.fields.size());
  for (std::size_t i = 0; i < def.fields.size(); ++i)
    r.values.push_back(valueOf(row.at(i + 1), def.fields[i].type));
  if (def.geometry != GeometryKind::None && row.back()) r.geometry = geometryFromHex(*row.back());
  return r;
}

std::vector<Record> PgStore::readSql(const LayerDef& def, const std::string& where) {
  std::string sql = "SELECT " + recordColumns(def) + " FROM " + ident(def.name);
  if (!where.empty()) sql += " WHERE " + where;
  sql += " ORDER BY " + ident(kFidColumn);
  pg::Rows rows;
  if (!where.empty()) {
    // Bounded like the GeoPackage store's filtered reads: a time limit, read-only.
    pg::Transaction t(conn_, "BEGIN READ ONLY");
    conn_.exec("SET LOCAL statement_timeout = " +
               std::to_string(std::int64_t(limits_.seconds * 1000.0)));
    try {
      rows = conn_.query(sql);
    } catch (const pg::PgError& e) {
      if (e.sqlState() == "57014")
        throw geo::Error("reading layer '" + def.name + "' took longer than the limit of " +
                         realText(limits_.seconds) + " s");
      throw;
    }
    t.commit();
  } else {
    rows = conn_.query(sql);
  }
  std::vector<Record> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(recordOfRow(def, row));
  return out;
}

std::vector<Record> PgStore::read(const std::string& layer, const FilterSql& where) {
  if (!where.empty() && where.layer() != layer)
    throw geo::Error("the filter was made for layer '" + where.layer() + "', not '" + layer + "'");
  const auto defs = layerDefsForVersion(version_);
  const auto it =
      std::find_if(defs.begin(), defs.end(), [&](const LayerDef& d) { return d.name == layer; });
  if (it == defs.end()) throw geo::Error("the store has no layer '" + layer + "'");
  return readSql(*it, where.sql());
}

std::vector<Record> PgStore::readWithin(const std::string& layer, const geo::Extent& area,
                                        const FilterSql& where) {
  if (!where.empty() && where.layer() != layer)
    throw geo::Error("the filter was made for layer '" + where.layer() + "', not '" + layer + "'");
  const LayerDef& def = layerDef(layer);
  if (def.geometry == GeometryKind::None) throw geo::Error("layer '" + layer + "' has no geometry");
  // ST_Intersects, not `&&` alone: `&&` compares the float4 boxes of the index, which take in
  // a point up to a float4 step (3 cm at y = 500 000) outside an edge; ST_Intersects uses the
  // same index and then tests exactly, as the GeoPackage store's spatial filter does.
  std::string sql = "ST_Intersects(" + ident(kGeometryColumn) + ", ST_MakeEnvelope(" +
                    realText(area.minX) + ", " + realText(area.minY) + ", " + realText(area.maxX) +
                    ", " + realText(area.maxY) + ", 28992))";
  if (!where.empty()) sql += " AND (" + where.sql() + ")";
  return readSql(def, sql);
}

void PgStore::setReadLimits(const ReadLimits& limits) {
  limits.validate();
  limits_ = limits;
}

GDALDataset& PgStore::dataset() {
  if (!gdal_) {
    const std::string ci = conninfoOf(url_);
    const std::string name = "PG:" + ci;
    geo::ensureGdalRegistered();  // the CLI registers no driver before a PostGIS store needs one
    CPLErrorReset();
    gdal_.reset(GDALDataset::Open(name.c_str(),
                                  GDAL_OF_VECTOR | (update_ ? GDAL_OF_UPDATE : GDAL_OF_READONLY),
                                  nullptr, nullptr, nullptr));
    if (!gdal_)
      throw geo::LibraryError("GDAL cannot open the PostGIS store " + shown_ + ": " +
                              CPLGetLastErrorMsg());
  }
  return *gdal_;
}

void PgStore::transaction(const std::function<void(GDALDataset&)>& work) {
  requireUpdate();
  GDALDataset& ds = dataset();
  if (ds.StartTransaction() != OGRERR_NONE)
    throw StorageError(
        "the store could not be written: cannot start a transaction; nothing was "
        "changed");
  try {
    work(ds);
  } catch (...) {
    ds.RollbackTransaction();
    throw;
  }
  if (ds.CommitTransaction() != OGRERR_NONE)
    throw StorageError("the store could not be written: the commit failed (" +
                       std::string(CPLGetLastErrorMsg()) + "); nothing was changed");
}

void PgStore::executeSql(const std::string& sql) { conn_.exec(sql); }

std::vector<std::vector<std::optional<std::string>>> PgStore::query(const std::string& sql) {
  return conn_.query(sql);
}

}  // namespace veldwacht::layers::pgstore
