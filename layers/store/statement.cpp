#include "layers/store/statement.h"

#include <cstdio>
#include <set>

#include "layers/store/sqlite_sql.h"
#include "layers/store/store_internal.h"

namespace veldwacht::layers {

namespace {

bool isAllocationOrIo(int rc) {
  const int primary = rc & 0xff;
  return primary == SQLITE_NOMEM || primary == SQLITE_IOERR || primary == SQLITE_FULL ||
         primary == SQLITE_TOOBIG || primary == SQLITE_BUSY || primary == SQLITE_LOCKED ||
         primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB || primary == SQLITE_READONLY ||
         primary == SQLITE_CANTOPEN || primary == SQLITE_PROTOCOL;
}

}  // namespace

Statement::Statement(GDALDataset& ds, const std::string& sql) : ds_(ds), sql_(sql) {
  db_ = sqliteHandle(ds);
  if (!db_) throw geo::LibraryError("not an SQLite-based store: cannot run " + sql);
  const int rc =
      sqlite3_prepare_v2(db_, sql.c_str(), static_cast<int>(sql.size()), &stmt_, nullptr);
  if (rc != SQLITE_OK || !stmt_) fail(rc == SQLITE_OK ? SQLITE_MISUSE : rc, "prepare");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::fail(int rc, const char* what) {
  const std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  if (isAllocationOrIo(rc)) {
    if (const auto storage = storageFailure(ds_, false, message)) throw storageError(*storage);
    throw storageError(std::string(sqlite3_errstr(rc)) + " (" + what + ")");
  }
  // Our commit hook turned an autocommit statement into a rollback: SQLite had ended our
  // transaction by itself (full disk, I/O error, out of memory) before this statement.
  if (db_ && sqlite3_extended_errcode(db_) == SQLITE_CONSTRAINT_COMMITHOOK)
    throw storageError(
        storageFailure(ds_, true, message).value_or("SQLite ended the transaction by itself"));
  throw geo::LibraryError(std::string("SQL failed (") + what + "): " + message + " [" +
                          sql_.substr(0, 200) + "]");
}

void Statement::checkBind(int rc, int i) {
  if (rc == SQLITE_OK) return;
  // A failed bind leaves NULL in the parameter: never step with it. A bind fails for lack of
  // memory (the copy of a text) or a too large value: a storage failure, not the input's fault.
  const int primary = rc & 0xff;
  if (primary == SQLITE_NOMEM || primary == SQLITE_TOOBIG)
    throw storageError(std::string(sqlite3_errstr(rc)) + " (binding value " + std::to_string(i) +
                       ")");
  fail(rc, "bind");
}

Statement& Statement::text(int i, std::string_view value) {
  checkBind(
      sqlite3_bind_text(stmt_, i, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT),
      i);
  return *this;
}

Statement& Statement::textOrNull(int i, std::string_view value) {
  return value.empty() ? null(i) : text(i, value);
}

Statement& Statement::integer(int i, std::int64_t value) {
  checkBind(sqlite3_bind_int64(stmt_, i, static_cast<sqlite3_int64>(value)), i);
  return *this;
}

Statement& Statement::real(int i, double value) {
  checkBind(sqlite3_bind_double(stmt_, i, value), i);
  return *this;
}

Statement& Statement::null(int i) {
  checkBind(sqlite3_bind_null(stmt_, i), i);
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // sqlite3_step's code is the extended one (prepare_v2); reset returns the same.
  sqlite3_reset(stmt_);
  fail(rc, "step");
}

void Statement::run() {
  while (step()) {
  }
  sqlite3_reset(stmt_);
}

std::int64_t Statement::columnInteger(int i) const { return sqlite3_column_int64(stmt_, i); }

std::string Statement::columnText(int i) const {
  const unsigned char* t = sqlite3_column_text(stmt_, i);
  if (!t && sqlite3_column_type(stmt_, i) != SQLITE_NULL)
    throw storageError("out of memory (reading a value)");
  return t ? std::string(reinterpret_cast<const char*>(t),
                         static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string();
}

std::int64_t Statement::lastInsertId() const { return sqlite3_last_insert_rowid(db_); }

WrittenValues::WrittenValues(GDALDataset& ds, OGRLayer& layer)
    : ds_(ds),
      layer_(layer),
      fields_(static_cast<std::size_t>(layer.GetLayerDefn()->GetFieldCount())) {
  const std::string fid = layer.GetFIDColumn();
  if (fid.empty()) return;
  {
    // GDAL creates a new layer's table at its first feature: until then every row is new.
    Statement exists(ds, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    exists.text(1, layer.GetName());
    if (!exists.step()) return;
  }
  Statement max(ds, "SELECT COALESCE(MAX(" + sqlite::ident(fid) + "), 0) FROM " +
                        sqlite::ident(layer.GetName()));
  if (max.step()) fidBefore_ = max.columnInteger(0);
}

void WrittenValues::note(const OGRFeature& feature) {
  ++rows_;
  for (std::size_t i = 0; i < fields_.size(); ++i)
    if (feature.IsFieldSetAndNotNull(static_cast<int>(i))) ++fields_[i];
  if (feature.GetGeometryRef()) ++geometries_;
}

void WrittenValues::verify() {
  const std::string fid = layer_.GetFIDColumn();
  if (fid.empty() || rows_ == 0) return;
  const OGRFeatureDefn& defn = *layer_.GetLayerDefn();
  std::string sql = "SELECT COUNT(*)";
  for (std::size_t i = 0; i < fields_.size(); ++i)
    sql += ", COUNT(" + sqlite::ident(defn.GetFieldDefn(static_cast<int>(i))->GetNameRef()) + ")";
  const std::string geometry = layer_.GetGeometryColumn();
  if (!geometry.empty()) sql += ", COUNT(" + sqlite::ident(geometry) + ")";
  sql += " FROM " + sqlite::ident(layer_.GetName()) + " WHERE " + sqlite::ident(fid) + " > " +
         std::to_string(fidBefore_);
  Statement count(ds_, sql);
  if (!count.step())
    throw storageError("the rows just written to '" + std::string(layer_.GetName()) +
                       "' cannot be counted");
  std::string lost;
  if (count.columnInteger(0) < rows_) lost = "rows";
  for (std::size_t i = 0; i < fields_.size() && lost.empty(); ++i)
    if (count.columnInteger(static_cast<int>(i) + 1) < fields_[i])
      lost = defn.GetFieldDefn(static_cast<int>(i))->GetNameRef();
  if (lost.empty() && !geometry.empty() &&
      count.columnInteger(static_cast<int>(fields_.size()) + 1) < geometries_)
    lost = geometry;
  if (!lost.empty())
    throw storageError("values of '" + std::string(layer_.GetName()) + "." + lost +
                       "' were lost while writing (SQLite could not take them: out of memory?)");
}

namespace {

/// Every table and trigger name of the schema: one plain scan of sqlite_master (a query with
/// correlated subqueries on it cost SQLite ~20,000 allocations per transaction).
struct SchemaNames {
  std::set<std::string> tables;
  std::set<std::string> triggers;
};

SchemaNames schemaNames(GDALDataset& ds) {
  SchemaNames names;
  Statement all(ds, "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger')");
  while (all.step())
    (all.columnText(0) == "table" ? names.tables : names.triggers).insert(all.columnText(1));
  return names;
}

}  // namespace

std::vector<std::string> restoreFeatureCountTriggers(GDALDataset& ds) {
  std::vector<std::string> tables;
  const SchemaNames names = schemaNames(ds);
  if (!names.tables.count("gpkg_ogr_contents")) return tables;
  {
    Statement counted(ds, "SELECT table_name FROM gpkg_ogr_contents");
    while (counted.step()) {
      std::string t = counted.columnText(0);
      if (names.tables.count(t) && (!names.triggers.count("trigger_insert_feature_count_" + t) ||
                                    !names.triggers.count("trigger_delete_feature_count_" + t)))
        tables.push_back(std::move(t));
    }
  }
  for (const std::string& t : tables) {
    // GDAL 3.6's own trigger text (ogrgeopackagetablelayer.cpp, CreateFeatureCountTriggers).
    const std::string where = " WHERE lower(table_name) = lower(" + sqlite::literal(t) + ")";
    for (const char* event : {"insert", "delete"}) {
      const bool insert = event[0] == 'i';
      Statement(ds, "CREATE TRIGGER IF NOT EXISTS " +
                        sqlite::ident(std::string("trigger_") + event + "_feature_count_" + t) +
                        (insert ? " AFTER INSERT ON " : " AFTER DELETE ON ") + sqlite::ident(t) +
                        " BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count " +
                        (insert ? "+" : "-") + " 1" + where + "; END")
          .run();
    }
    // A count GDAL left NULL means "unknown, count when asked" (GDAL nulls it when it drops the
    // triggers and does not know the count): left so, as GDAL itself would have. A number may
    // be stale: set from the table.
    Statement(ds, "UPDATE gpkg_ogr_contents SET feature_count = (SELECT COUNT(*) FROM " +
                      sqlite::ident(t) + ")" + where + " AND feature_count IS NOT NULL")
        .run();
  }
  return tables;
}

void checkSpatialIndexTriggers(GDALDataset& ds) {
  const SchemaNames names = schemaNames(ds);
  if (!names.tables.count("gpkg_extensions")) return;
  Statement indexed(ds,
                    "SELECT table_name, column_name FROM gpkg_extensions WHERE extension_name = "
                    "'gpkg_rtree_index'");
  while (indexed.step()) {
    const std::string t = indexed.columnText(0);
    const std::string rtree = "rtree_" + t + "_" + indexed.columnText(1);
    if (!names.tables.count(t)) continue;
    if (!names.tables.count(rtree) || !names.triggers.count(rtree + "_insert") ||
        !names.triggers.count(rtree + "_delete"))
      throw storageError("the spatial index of '" + t +
                         "' could not be completed (SQLite failed to create it: out of memory?)");
  }
}

void requireSpatialIndex(GDALDataset& ds, const std::string& table,
                         const std::string& geometryColumn) {
  const SchemaNames names = schemaNames(ds);
  const std::string rtree = "rtree_" + table + "_" + geometryColumn;
  if (!names.tables.count(rtree) || !names.triggers.count(rtree + "_insert") ||
      !names.triggers.count(rtree + "_delete"))
    throw storageError("the spatial index of '" + table +
                       "' could not be created (SQLite failed to create it: out of memory?)");
}

std::string gpkgDateTime(const std::string& isoLocal) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, used = 0;
  if (isoLocal.size() == 19 &&
      std::sscanf(isoLocal.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &used) ==
          6 &&
      used == 19) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.000", y, mo, d, h, mi, s);
    return buf;
  }
  return isoLocal;
}

}  // namespace veldwacht::layers
