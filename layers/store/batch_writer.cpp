#include "layers/store/batch_writer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "geo/core/error.h"
#include "geo/core/gpkg_rtree.h"
#include "layers/store/ogr_values.h"
#include "layers/store/sqlite_sql.h"
#include "layers/store/statement.h"
#include "layers/store/store_internal.h"

namespace veldwacht::layers {

namespace geo = veldwacht::geo;

namespace {

void putLe(std::vector<std::uint8_t>& out, const void* p, std::size_t n) {
  const auto* b = static_cast<const std::uint8_t*>(p);
  out.insert(out.end(), b, b + n);  // x86/ARM little endian, as the flags say
}

bool isStorageCode(int rc) {
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
      return true;
    default:
      return false;
  }
}

}  // namespace

/// A GeoPackage geometry blob (GeoPackage 1.2 §2.1.3): header, envelope (none for points, as
/// GDAL writes them), ISO WKB little endian.
void encodeGpkgGeometry(const OGRGeometry& g, std::int32_t srsId, std::vector<std::uint8_t>& out,
                        OGREnvelope& env, bool& hasEnvelope) {
  out.clear();
  const bool empty = g.IsEmpty();
  const bool point = wkbFlatten(g.getGeometryType()) == wkbPoint;
  std::uint8_t flags = 0x01;
  if (empty) flags |= 0x10;
  if (!empty && !point) flags |= 0x02;
  out.push_back('G');
  out.push_back('P');
  out.push_back(0);
  out.push_back(flags);
  putLe(out, &srsId, 4);
  hasEnvelope = !empty;
  if (!empty) g.getEnvelope(&env);
  if (!empty && !point) {
    for (double v : {env.MinX, env.MaxX, env.MinY, env.MaxY}) putLe(out, &v, 8);
  }
  const std::size_t at = out.size();
  out.resize(at + std::size_t(g.WkbSize()));
  if (g.exportToWkb(wkbNDR, out.data() + at, wkbVariantIso) != OGRERR_NONE)
    throw geo::LibraryError("cannot encode a geometry as WKB");
}

struct BatchWriter::Impl {
  GDALDataset& ds;
  const LayerDef& def;
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;  // GeoPackage path
  OGRLayer* layer = nullptr;       // GDAL path
  std::vector<int> ogrIndex;
  std::int64_t importId = 0;
  std::int64_t fidBase = 0;
  bool baseSet = false;
  std::int64_t rows = 0;
  std::int32_t srsId = 0;
  bool hasGeometry = false;
  bool finished = false;
  OGREnvelope extent;
  bool anyExtent = false;
  std::vector<std::uint8_t> blob;
  sqlite3_stmt* rtreeInsert = nullptr;  // the R-tree entry of each row (its trigger is off)
  /// The table's INSERT triggers (GDAL's R-tree and feature count, our row checks), dropped
  /// while writing and re-created by finish(): an INSERT with triggers needs a statement
  /// journal, which cost more than the row itself. Their work is done here instead.
  std::vector<std::string> insertTriggers;
  bool countTrigger = false;
  OGREnvelope rowBox;  // of the row just inserted
  bool rowHasBox = false;
  /// The layer's R-tree was empty: the entries are collected and the index is packed in one
  /// pass by finish() (geo::bulkCreateGpkgRtree), instead of one rtree INSERT per row. Beyond
  /// 262 144 entries (6 MiB) they go to a temporary file in sorted runs: memory stays bounded.
  bool bulkIndex = false;
  geo::GpkgRtreeEntrySpool entries{std::size_t(1) << 18};
  /// The layer had no rows: its secondary (non-unique) indexes are dropped while writing and
  /// built by finish() in one sorted pass each; filled row by row, an index on a column in no
  /// particular order (postcode) touched pages at random and fell out of the page cache.
  std::vector<std::string> deferredIndexes;  // their CREATE INDEX statements
  std::int64_t unindexed = 0;                // rows without a box (NULL or empty geometry)

  std::string rtreeName() const { return "rtree_" + def.name + "_" + kGeometryColumn; }

  /// finish() in bulk mode: drops the empty R-tree with its remaining triggers and extension row
  /// and packs a new one from the entries, with GDAL's triggers (all inside the transaction).
  void packIndex() {
    const std::string rtree = rtreeName();
    for (const auto& row : runQuery(ds,
                                    "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = " +
                                        sqlite::literal(def.name) + " AND name LIKE " +
                                        sqlite::literal(rtree + "_%")))
      if (row[0]) runSql(ds, "DROP TRIGGER " + sqlite::ident(*row[0]));
    runSql(ds, "DROP TABLE " + sqlite::ident(rtree));
    runSql(ds, "DELETE FROM gpkg_extensions WHERE lower(table_name) = lower(" +
                   sqlite::literal(def.name) + ") AND extension_name = 'gpkg_rtree_index'");
    try {
      geo::bulkCreateGpkgRtree(db, def.name, kGeometryColumn, std::move(entries), unindexed,
                               geo::nullProgress());
    } catch (const geo::LibraryError& e) {
      if (const auto storage = storageFailure(ds, true, e.what())) throw storageError(*storage);
      throw;
    }
  }

  void indexRow(std::int64_t fid) {
    sqlite3_reset(rtreeInsert);
    check(sqlite3_bind_int64(rtreeInsert, 1, fid), "bind");
    check(sqlite3_bind_double(rtreeInsert, 2, rowBox.MinX), "bind");
    check(sqlite3_bind_double(rtreeInsert, 3, rowBox.MaxX), "bind");
    check(sqlite3_bind_double(rtreeInsert, 4, rowBox.MinY), "bind");
    check(sqlite3_bind_double(rtreeInsert, 5, rowBox.MaxY), "bind");
    const int rc = sqlite3_step(rtreeInsert);
    if (rc != SQLITE_DONE) fail(rc, "spatial index");
  }

  Impl(GDALDataset& d, const LayerDef& l) : ds(d), def(l) {}
  ~Impl() {
    if (insert) sqlite3_finalize(insert);
    if (rtreeInsert) sqlite3_finalize(rtreeInsert);
  }

  [[noreturn]] void fail(int rc, const std::string& what) {
    const std::string message = sqlite3_errmsg(db);
    if (isStorageCode(rc)) {
      if (const auto storage = storageFailure(ds, true, message)) throw storageError(*storage);
      throw storageError(std::string(sqlite3_errstr(rc)) + " (" + what + ")");
    }
    if (sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_COMMITHOOK)
      throw storageError(
          storageFailure(ds, true, message).value_or("SQLite ended the transaction by itself"));
    throw geo::LibraryError("cannot write to layer '" + def.name + "' (" + what + "): " + message);
  }
  void check(int rc, const char* what) {
    if (rc != SQLITE_OK) fail(rc, what);
  }

  void prepare() {
    std::string cols = "fid", vals = "?";
    if (hasGeometry) {
      cols += ", " + sqlite::ident(kGeometryColumn);
      vals += ", ?";
    }
    for (const FieldDef& f : def.fields) {
      cols += ", " + sqlite::ident(f.name);
      // A NULL leaves the field to its default, as GDAL's CreateFeature does (field unset).
      vals += f.defaultValue.empty() ? ", ?" : ", COALESCE(?, " + f.defaultValue + ")";
    }
    const std::string sql =
        "INSERT INTO " + sqlite::ident(def.name) + " (" + cols + ") VALUES (" + vals + ")";
    const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &insert, nullptr);
    if (rc != SQLITE_OK) fail(rc, "prepare");
  }

  /// Binds and steps one record; returns SQLite's result code.
  int insertSqlite(const Record& r) {
    rowHasBox = false;
    sqlite3_reset(insert);
    sqlite3_clear_bindings(insert);
    int p = 1;
    check(sqlite3_bind_int64(insert, p++, fidBase + r.sourceRow), "bind");
    if (hasGeometry) {
      if (r.geometry) {
        const geo::GeometryPtr g = geometryForLayer(*r.geometry, def.geometry);
        OGREnvelope& env = rowBox;
        bool has = false;
        encodeGpkgGeometry(*g, srsId, blob, env, has);
        rowHasBox = has;
        if (has) {
          if (!anyExtent)
            extent = env;
          else
            extent.Merge(env);
          anyExtent = true;
        }
        check(sqlite3_bind_blob(insert, p, blob.data(), int(blob.size()), SQLITE_TRANSIENT),
              "bind geometry");
      }
      ++p;
    }
    const int importField = def.fieldIndex("import_id");
    for (std::size_t i = 0; i < def.fields.size(); ++i, ++p) {
      if (int(i) == importField) {
        check(sqlite3_bind_int64(insert, p, importId), "bind");
        continue;
      }
      if (i >= r.values.size() || isNull(r.values[i])) continue;
      const Value& v = r.values[i];
      const FieldType t = def.fields[i].type;
      if (const auto* s = std::get_if<std::string>(&v)) {
        if (t == FieldType::DateTime) {
          const std::string dt = gpkgDateTime(*s);
          check(sqlite3_bind_text(insert, p, dt.data(), int(dt.size()), SQLITE_TRANSIENT), "bind");
        } else {
          check(sqlite3_bind_text(insert, p, s->data(), int(s->size()), SQLITE_TRANSIENT), "bind");
        }
      } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
        if (t == FieldType::Real)
          check(sqlite3_bind_double(insert, p, double(*n)), "bind");
        else
          check(sqlite3_bind_int64(insert, p, *n), "bind");
      } else if (const auto* d = std::get_if<double>(&v)) {
        check(sqlite3_bind_double(insert, p, *d), "bind");
      }
    }
    return sqlite3_step(insert);
  }

  /// GDAL's path (SpatiaLite): returns the failure message, empty when written.
  std::string insertOgr(const Record& r) {
    geo::FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetFID(fidBase + r.sourceRow);
    const int importField = def.fieldIndex("import_id");
    for (std::size_t i = 0; i < def.fields.size(); ++i) {
      if (ogrIndex[i] < 0)
        throw geo::LibraryError("layer '" + def.name + "' lacks field '" + def.fields[i].name +
                                "'");
      if (int(i) == importField) {
        f->SetField(ogrIndex[i], static_cast<GIntBig>(importId));
        continue;
      }
      if (i >= r.values.size() || isNull(r.values[i])) continue;
      setOgrField(*f, ogrIndex[i], def.fields[i].type, r.values[i]);
    }
    if (r.geometry) f->SetGeometryDirectly(geometryForLayer(*r.geometry, def.geometry).release());
    geo::GdalErrorCapture capture;
    CPLErrorReset();
    const OGRErr created = layer->CreateFeature(f.get());
    throwIfStorageFailed(ds, capture.messages());
    if (created == OGRERR_NONE) return {};
    if (const auto storage = storageFailure(ds, true, capture.messages()))
      throw storageError(*storage);
    return capture.messages().empty() ? geo::lastGdalError() : capture.messages();
  }

  /// The field a "UNIQUE constraint failed: t.field" message names, and the row holding it.
  UniqueConflict conflict(std::size_t index, const Record& r, const std::string& message) {
    UniqueConflict c;
    c.record = index;
    for (std::size_t i = 0; i < def.fields.size(); ++i) {
      const FieldDef& f = def.fields[i];
      if (!f.unique || i >= r.values.size() || isNull(r.values[i])) continue;
      if (message.find("." + f.name) == std::string::npos && !c.field.empty()) continue;
      const auto rows = runQuery(
          ds, "SELECT CAST(fid AS INTEGER), import_id FROM " + sqlite::ident(def.name) + " WHERE " +
                  sqlite::ident(f.name) + " = " + sqlite::valueLiteral(r.values[i]) + " LIMIT 1");
      if (rows.empty()) continue;
      c.field = f.name;
      c.value = r.values[i];
      c.otherFid = rows[0][0] ? std::stoll(*rows[0][0]) : 0;
      c.otherImportId = rows[0].size() > 1 && rows[0][1] ? std::stoll(*rows[0][1]) : 0;
      if (message.find("." + f.name) != std::string::npos) break;
    }
    if (c.field.empty())
      throw geo::LibraryError("the store refused a record of '" + def.name + "': " + message);
    return c;
  }
};

BatchWriter::BatchWriter(GDALDataset& ds, const ImportBatch& info, const std::string& startedAt)
    : impl_(std::make_unique<Impl>(ds, layerDef(info.layer))) {
  Impl& m = *impl_;
  m.hasGeometry = m.def.geometry != GeometryKind::None;
  m.db = EQUAL(ds.GetDriverName(), "GPKG") ? sqliteHandle(ds) : nullptr;
  {
    std::string warnings;
    for (const auto& w : info.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
    Statement insert(ds,
                     "INSERT INTO veldwacht_imports (laag, bron_bestand, bestand_sha256, rijen, "
                     "gestart_op, bron_crs, transformatie, waarschuwingen) "
                     "VALUES (?, ?, ?, 0, ?, ?, ?, ?)");
    insert.text(1, m.def.name)
        .text(2, info.sourceFile)
        .text(3, info.sourceSha256)
        .text(4, gpkgDateTime(startedAt))
        .text(5, info.sourceCrs)
        .text(6, info.transformation)
        .text(7, warnings);
    insert.run();
    m.importId = insert.lastInsertId();
  }
  runSql(ds, sqlite::suspendInsertChecks(m.def.name));
  if (m.db) {
    for (const auto& row :
         runQuery(ds,
                  "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                  "tbl_name = " +
                      sqlite::literal(m.def.name) + " AND sql LIKE '%INSERT ON%'")) {
      if (!row[0] || !row[1]) continue;
      const std::string& name = *row[0];
      const std::string rtreeTrigger = "rtree_" + m.def.name + "_" + kGeometryColumn + "_insert";
      const std::string countName = "trigger_insert_feature_count_" + m.def.name;
      if (name != rtreeTrigger && name != countName)
        continue;  // not one whose work this writer does: it stays and fires
      m.insertTriggers.push_back(*row[1]);
      if (name == countName) m.countTrigger = true;
      if (name == rtreeTrigger && m.hasGeometry) {
        const auto empty =
            runQuery(ds, "SELECT NOT EXISTS (SELECT 1 FROM " + sqlite::ident(m.rtreeName()) + ")");
        m.bulkIndex = !empty.empty() && empty[0][0] && *empty[0][0] == "1";
      }
      if (name == rtreeTrigger && m.bulkIndex) {
        // Not re-created by finish(): packIndex() makes the index with all its triggers.
        m.insertTriggers.pop_back();
      } else if (name == rtreeTrigger) {
        const std::string sql = "INSERT OR REPLACE INTO " +
                                sqlite::ident("rtree_" + m.def.name + "_" + kGeometryColumn) +
                                " VALUES (?, ?, ?, ?, ?)";
        const int rc = sqlite3_prepare_v2(m.db, sql.c_str(), -1, &m.rtreeInsert, nullptr);
        if (rc != SQLITE_OK) m.fail(rc, "prepare the spatial index insert");
      }
      runSql(ds, "DROP TRIGGER " + sqlite::ident(name));
    }
  }
  const auto maxFid = runQuery(
      ds, "SELECT CAST(COALESCE(MAX(fid), 0) AS INTEGER) FROM " + sqlite::ident(m.def.name));
  m.fidBase = maxFid.empty() || !maxFid[0][0] ? 0 : std::stoll(*maxFid[0][0]);
  if (m.db) {
    const auto empty =
        runQuery(ds, "SELECT NOT EXISTS (SELECT 1 FROM " + sqlite::ident(m.def.name) + ")");
    if (!empty.empty() && empty[0][0] && *empty[0][0] == "1") {
      // Only non-unique indexes: a UNIQUE one must refuse the conflicting row when it is written.
      for (const auto& row : runQuery(ds,
                                      "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                      "AND tbl_name = " +
                                          sqlite::literal(m.def.name) +
                                          " AND sql IS NOT NULL AND sql NOT LIKE "
                                          "'CREATE UNIQUE%'")) {
        if (!row[0] || !row[1]) continue;
        // SQLite keeps the statement without IF NOT EXISTS; another writer's finish() in the
        // same transaction (createConstraints) may have made the index again already.
        std::string sql = *row[1];
        if (sql.rfind("CREATE INDEX ", 0) == 0 && sql.find("IF NOT EXISTS") == std::string::npos)
          sql.insert(13, "IF NOT EXISTS ");
        m.deferredIndexes.push_back(sql);
        runSql(ds, "DROP INDEX " + sqlite::ident(*row[0]));
      }
    }
    if (m.hasGeometry) {
      const auto srs = runQuery(ds, "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = " +
                                        sqlite::literal(m.def.name));
      m.srsId = srs.empty() || !srs[0][0] ? 28992 : std::int32_t(std::stol(*srs[0][0]));
    }
    m.prepare();
  } else {
    m.layer = ds.GetLayerByName(m.def.name.c_str());
    if (!m.layer) throw geo::LibraryError("the store has no layer '" + m.def.name + "'");
    m.ogrIndex = ogrFieldIndexes(*m.layer->GetLayerDefn(), m.def.fields);
  }
}

BatchWriter::~BatchWriter() = default;

std::vector<UniqueConflict> BatchWriter::write(std::span<const Record> records) {
  Impl& m = *impl_;
  auto fidOf = [&m](const Record& r) { return m.fidBase + r.sourceRow; };
  if (m.finished) throw geo::LibraryError("BatchWriter::write after finish()");
  std::vector<UniqueConflict> conflicts;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    if (!m.baseSet) {
      // The first record gets the next fid; the later ones follow their source rows.
      m.fidBase = m.fidBase + 1 - r.sourceRow;
      m.baseSet = true;
    }
    if (m.db) {
      const int rc = m.insertSqlite(r);
      if (rc == SQLITE_DONE) {
        ++m.rows;
        if (m.rtreeInsert && m.rowHasBox) m.indexRow(fidOf(r));
        if (m.bulkIndex) {
          if (m.rowHasBox)
            m.entries.add(geo::GpkgRtreeEntry::of(fidOf(r), m.rowBox.MinX, m.rowBox.MaxX,
                                                  m.rowBox.MinY, m.rowBox.MaxY));
          else
            ++m.unindexed;
        }
        continue;
      }
      if ((sqlite3_extended_errcode(m.db) == SQLITE_CONSTRAINT_UNIQUE ||
           sqlite3_extended_errcode(m.db) == SQLITE_CONSTRAINT_PRIMARYKEY) &&
          !sqlite3_get_autocommit(m.db)) {
        const std::string message = sqlite3_errmsg(m.db);
        sqlite3_reset(m.insert);
        conflicts.push_back(m.conflict(i, r, message));
        continue;
      }
      m.fail(rc, "insert");
    } else {
      const std::string failure = m.insertOgr(r);
      if (failure.empty()) {
        ++m.rows;
        continue;
      }
      if (failure.find("UNIQUE constraint failed") != std::string::npos) {
        conflicts.push_back(m.conflict(i, r, failure));
        continue;
      }
      throw geo::LibraryError("the store refused a record of '" + m.def.name + "': " + failure);
    }
  }
  return conflicts;
}

void BatchWriter::finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  m.finished = true;
  if (m.insert) {
    sqlite3_finalize(m.insert);
    m.insert = nullptr;
  }
  if (m.rtreeInsert) {
    sqlite3_finalize(m.rtreeInsert);
    m.rtreeInsert = nullptr;
  }
  for (const auto& sql : m.insertTriggers) runSql(m.ds, sql);
  // The importer keeps temporary storage in memory while writing (statement journals). For the
  // index building below it must be files: with temp_store MEMORY SQLite's sorter sets no limit
  // and keeps a whole CREATE INDEX in memory (10M rows: 540 MiB and rising, measured). Allowed
  // inside the transaction while no temporary table is open; if SQLite refuses, the setting
  // stays. (The transaction's sub-journal stays in memory whatever this says: SQLite decides
  // that when the transaction begins; walking it was 84 % of a perf sample of the R-tree's
  // packing at 10M rows, not yet addressed.)
  const auto tempStore = [&](const char* value) {
    sqlite3_exec(m.db, (std::string("PRAGMA temp_store = ") + value).c_str(), nullptr, nullptr,
                 nullptr);
  };
  bool tempInMemory = false;
  if (m.db && (m.bulkIndex || !m.deferredIndexes.empty())) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(m.db, "PRAGMA temp_store", -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
      tempInMemory = sqlite3_column_int(q, 0) == 2;
    sqlite3_finalize(q);
    if (tempInMemory) tempStore("FILE");
  }
  try {
    if (m.bulkIndex) m.packIndex();
    if (!m.deferredIndexes.empty()) {
      // CREATE INDEX sorts with up to a page cache's worth of memory (SQLite's sorter spills to
      // temporary files beyond it), on top of the cache itself: a small cache for these statements
      // keeps the import under its memory bound (256 MiB at 10M rows). Set on SQLite's handle:
      // the sorter reads the connection's cache_size when each statement starts.
      const auto cacheSize = [&](sqlite3_int64 kib) {
        const std::string sql = "PRAGMA cache_size = " + std::to_string(kib);
        const int rc = sqlite3_exec(m.db, sql.c_str(), nullptr, nullptr, nullptr);
        if (rc != SQLITE_OK) m.fail(rc, "cache_size");
      };
      sqlite3_int64 before = -2000;
      {
        sqlite3_stmt* q = nullptr;
        if (sqlite3_prepare_v2(m.db, "PRAGMA cache_size", -1, &q, nullptr) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
          before = sqlite3_column_int64(q, 0);
        sqlite3_finalize(q);
      }
      cacheSize(-8192);
      try {
        for (const auto& sql : m.deferredIndexes) runSql(m.ds, sql);
      } catch (...) {
        sqlite3_exec(m.db, ("PRAGMA cache_size = " + std::to_string(before)).c_str(), nullptr,
                     nullptr, nullptr);
        throw;
      }
      cacheSize(before);
    }
  } catch (...) {
    if (tempInMemory) tempStore("MEMORY");
    throw;
  }
  if (tempInMemory) tempStore("MEMORY");
  if (m.countTrigger)
    runSql(m.ds, "UPDATE gpkg_ogr_contents SET feature_count = feature_count + " +
                     std::to_string(m.rows) + " WHERE lower(table_name) = lower(" +
                     sqlite::literal(m.def.name) + ")");
  runSql(m.ds, "UPDATE veldwacht_imports SET rijen = " + std::to_string(m.rows) +
                   " WHERE import_id = " + std::to_string(m.importId));
  if (m.db && m.anyExtent) {
    const auto num = [](double v) { return sqlite::valueLiteral(Value{v}); };
    runSql(m.ds, "UPDATE gpkg_contents SET min_x = CASE WHEN min_x IS NULL OR min_x > " +
                     num(m.extent.MinX) + " THEN " + num(m.extent.MinX) +
                     " ELSE min_x END, min_y = CASE WHEN min_y IS NULL OR min_y > " +
                     num(m.extent.MinY) + " THEN " + num(m.extent.MinY) +
                     " ELSE min_y END, max_x = CASE WHEN max_x IS NULL OR max_x < " +
                     num(m.extent.MaxX) + " THEN " + num(m.extent.MaxX) +
                     " ELSE max_x END, max_y = CASE WHEN max_y IS NULL OR max_y < " +
                     num(m.extent.MaxY) + " THEN " + num(m.extent.MaxY) +
                     " ELSE max_y END WHERE table_name = " + sqlite::literal(m.def.name));
  }
  createConstraints(m.ds, m.def);
}

std::vector<MissingReference> BatchWriter::missingReferences(std::size_t limit) {
  Impl& m = *impl_;
  std::vector<MissingReference> out;
  for (const FieldDef& f : m.def.fields) {
    if (f.reference.empty() || out.size() >= limit) continue;
    const std::string parent = f.reference.substr(0, f.reference.find('.'));
    const std::string key = f.reference.substr(f.reference.find('.') + 1);
    if (parent == kImportsTable) continue;
    const auto rows = runQuery(
        m.ds, "SELECT CAST(fid AS INTEGER), " + sqlite::ident(f.name) + " FROM " +
                  sqlite::ident(m.def.name) + " WHERE import_id = " + std::to_string(m.importId) +
                  " AND " + sqlite::ident(f.name) + " IS NOT NULL AND " + sqlite::ident(f.name) +
                  " NOT IN (SELECT " + sqlite::ident(key) + " FROM " + sqlite::ident(parent) +
                  " WHERE " + sqlite::ident(key) + " IS NOT NULL) ORDER BY fid LIMIT " +
                  std::to_string(limit - out.size()));
    for (const auto& r : rows)
      out.push_back({r[0] ? std::stoll(*r[0]) : 0, f.name, r[1].value_or("")});
  }
  return out;
}

std::int64_t BatchWriter::rows() const { return impl_->rows; }
std::int64_t BatchWriter::importId() const { return impl_->importId; }
std::int64_t BatchWriter::fidBase() const { return impl_->fidBase; }

}  // namespace veldwacht::layers
