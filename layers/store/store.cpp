// The GDAL-backed store (GeoPackage; SpatiaLite through the same code). Layout of the work:
// create = build the schema in one transaction, close, reopen; append = check everything in
// memory and with read-only queries first, then write inside one transaction. A refused append
// therefore never starts writing, and a failure while writing (a database constraint, a full
// disk, cancel) rolls back and reopens the dataset so that no cached GDAL state (extents,
// feature counts) can leak into the file later.
#include "layers/store/store.h"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

#include "geo/core/error.h"
#include "layers/filter/read_guard.h"
#include "layers/store/append_checks.h"
#include "layers/store/batch_writer.h"
#include "layers/store/ogr_values.h"
#include "layers/store/sqlite_sql.h"
#include "layers/store/statement.h"
#include "layers/store/store_internal.h"
#include "layers/version.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;

std::string localNowIso() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return buf;
}

namespace {

/// A field of a bookkeeping table.
FieldDef f(std::string name, FieldType type, bool required = false) {
  FieldDef x;
  x.name = std::move(name);
  x.type = type;
  x.required = required;
  return x;
}

/// Tables that hold bookkeeping, not map layers: every veldwacht_* table (meta, imports,
/// resultaten, and those of other parts: veldwacht_audit, veldwacht_classificatie,
/// veldwacht_netwerk, …), the styles table and SQLite's/GeoPackage's own tables.
bool isBookkeeping(std::string_view name) {
  return name == kMetaTable || name == kImportsTable || name == kResultsTable ||
         name.starts_with("veldwacht_") || name == kStylesTableName ||
         name.starts_with("sqlite_") || name.starts_with("gpkg_") || name.starts_with("rtree_");
}

/// veldwacht_meta as an attribute table registered in gpkg_contents: QGIS lists every table of a
/// GeoPackage and could not open an unregistered one. `key` is UNIQUE NOT NULL (GeoPackage
/// attribute tables need an INTEGER primary key, here fid).
LayerDef metaDef() {
  LayerDef d;
  d.name = kMetaTable;
  d.title = "Veldwacht-metagegevens";
  d.geometry = GeometryKind::None;
  d.help = "Schemaversie, aanmaakdatum en Veldwacht-versie van deze opslag";
  d.fields = {f("key", FieldType::Text, true), f("value", FieldType::Text)};
  d.fields[0].unique = true;
  return d;
}

LayerDef importsDef() {
  LayerDef d;
  d.name = kImportsTable;
  d.title = "Veldwacht-imports";
  d.geometry = GeometryKind::None;
  d.help = "Eén rij per importbatch: bron, controlesom, aantal rijen, CRS en transformatie";
  d.fields = {f("laag", FieldType::Text, true),           f("bron_bestand", FieldType::Text),
              f("bestand_sha256", FieldType::Text),       f("rijen", FieldType::Integer, true),
              f("gestart_op", FieldType::DateTime, true), f("bron_crs", FieldType::Text),
              f("transformatie", FieldType::Text),        f("waarschuwingen", FieldType::Text)};
  return d;
}

}  // namespace

LayerDef resultsTableDef() {
  LayerDef d;
  d.name = kResultsTable;
  d.title = "Veldwacht-resultaten";
  d.geometry = GeometryKind::None;
  d.help = "Eén rij per resultaatlaag of rasterbestand: algoritme, parameters, invoer, seed, tijd";
  d.fields = {f("laag", FieldType::Text, true),        f("algoritme", FieldType::Text, true),
              f("parameters_json", FieldType::Text),   f("invoer_laag", FieldType::Text),
              f("invoer_rijen", FieldType::Integer),   f("seed", FieldType::Integer),
              f("gestart_op", FieldType::DateTime),    f("duur_s", FieldType::Real),
              f("veldwacht_versie", FieldType::Text),  f("bestand", FieldType::Text),
              f("geschreven_op", FieldType::DateTime), f("stijl", FieldType::Text)};
  return d;
}

namespace {

/// Insertion rank: a layer comes after every layer it references.
int insertionRank(const LayerDef& def) {
  int rank = 0;
  for (const auto& f : def.fields) {
    if (f.reference.empty()) continue;
    const std::string parent = f.reference.substr(0, f.reference.find('.'));
    if (parent == def.name || parent == kImportsTable) continue;
    rank = std::max(rank, 1 + insertionRank(layerDef(parent)));
  }
  return rank;
}

const LayerDef* findDef(const std::string& name) {
  for (const auto& d : layerDefs())
    if (d.name == name) return &d;
  return nullptr;
}

constexpr int kBusyTimeoutMs = 5000;

/// SQLite's "database is locked" means another program holds the write lock.
std::string explainLock(const std::string& message) {
  if (message.find("locked") == std::string::npos && message.find("busy") == std::string::npos)
    return message;
  return message +
         " (another program is writing to the store, e.g. a layer being edited in "
         "QGIS: save or stop editing and try again)";
}

const char* driverFor(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext == ".gpkg") return "GPKG";
  if (ext == ".sqlite" || ext == ".db") return "SQLite";
  return nullptr;
}

void removeStoreFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(path + suffix, ec);
}

/// A schema version as stored in veldwacht_meta: decimal digits only, at most 9 of them (so it
/// fits an int); nullopt otherwise ("2junk", "99999999999", "", "-1").
std::optional<int> parseSchemaVersion(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

/// Why SQLite itself cannot read `path`, in its own short words ("file is not a database",
/// "database disk image is malformed"); empty when it reads the schema fine.
std::string sqliteDiagnosis(const std::string& path) {
  sqlite3* db = nullptr;
  std::string reason;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    reason = db ? sqlite3_errmsg(db) : "cannot open";
  } else {
    sqlite3_busy_timeout(db, kBusyTimeoutMs);
    char* err = nullptr;
    if (sqlite3_exec(db, "SELECT COUNT(*) FROM sqlite_master; PRAGMA quick_check(1)", nullptr,
                     nullptr, &err) != SQLITE_OK)
      reason = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
  }
  sqlite3_close(db);
  return reason;
}

/// SQLite's page cache during an import (KiB). 48 MiB since the secondary indexes of an empty
/// layer are built after its rows and its R-tree from sorted runs (issue 13): the rows and the
/// unique key are written in order and need little cache. SQLite's own allocations peaked at
/// about twice the nominal 96 MiB before (heaptrack, 1M rows; the cause was not pinned down).
constexpr int kImportCacheKiB = 48 * 1024;

class GdalStore final : public Store {
 public:
  /// Every write is committed by transaction(), with GDAL's deferred writes synced inside it, so
  /// GDAL has nothing left to write on close. What it still tries there runs outside any
  /// transaction: under an allocation failure during the close after a result write it dropped
  /// a new layer's R-tree trigger (allocation-failure sweep, cluster n = 28325). The connection
  /// is made read-only first, so such writes fail quietly and the file stays as committed.
  ~GdalStore() override {
    if (!ds_) return;
    geo::GdalErrorCapture quiet;
    if (sqlite3* db = sqliteHandle(*ds_))
      sqlite3_exec(db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
    ds_.reset();
  }
  GdalStore(std::string path, bool update, bool migrateOld = true)
      : path_(std::move(path)), update_(update) {
    if (!fs::exists(path_)) throw geo::Error("no Veldwacht store at '" + path_ + "'");
    try {
      geo::GdalErrorCapture quiet;  // GDAL's own words about a damaged file mislead
      openDs();
    } catch (const geo::LibraryError& e) {
      // GDAL's reasons for a damaged file are misleading ("WAL-enabled ... presumably
      // read-only"): ask SQLite itself.
      const std::string why = sqliteDiagnosis(path_);
      throw geo::Error("'" + path_ + "' is not a Veldwacht store or is damaged (" +
                       (why.empty() ? std::string(e.what()) : why) + ")");
    }
    const auto rows = tryQuery("SELECT value FROM veldwacht_meta WHERE key = 'schema_version'");
    if (!rows || rows->empty() || !rows->front().front()) {
      const std::string why = sqliteDiagnosis(path_);
      if (!why.empty())
        throw geo::Error("'" + path_ + "' is not a Veldwacht store or is damaged (" + why + ")");
      throw geo::Error("'" + path_ + "' is not a Veldwacht store (it has no veldwacht_meta table)");
    }
    const auto parsed = parseSchemaVersion(*rows->front().front());
    if (!parsed)
      throw geo::Error("'" + path_ + "' has an invalid schema version '" +
                       rows->front().front()->substr(0, 40) + "' (expected a whole number)");
    version_ = *parsed;
    if (version_ > kSchemaVersion)
      throw geo::Error("'" + path_ + "' has schema version " + std::to_string(version_) +
                       ", written by a newer Veldwacht; this Veldwacht (" + version() +
                       ") knows versions up to " + std::to_string(kSchemaVersion) +
                       ": update Veldwacht to open it");
    if (version_ < 1) throw geo::Error("'" + path_ + "' has an invalid schema version");
    if (update_ && migrateOld && version_ < kSchemaVersion) migrate();
  }

  const std::string& path() const override { return path_; }
  bool updatable() const override { return update_; }
  int schemaVersion() const override { return version_; }
  GDALDataset& dataset() override { return *ds_; }
  void reopen() override {
    // The new dataset first, the old one closed after: should opening fail (out of memory),
    // the store keeps the old dataset, whose view lacks only the tables just written (the
    // result writer copes: it drops a table GDAL does not know with SQL). One retry, for a
    // passing failure.
    geo::DatasetPtr fresh;
    for (int attempt = 0; attempt < 2 && !fresh; ++attempt) {
      try {
        geo::GdalErrorCapture quiet;
        fresh = openFresh();
      } catch (const std::exception&) {
        fresh.reset();
      }
    }
    if (!fresh) return;
    {
      // As on close (~GdalStore): nothing is left for GDAL to write, and should it try, the
      // connection refuses quietly and the file stays as committed.
      geo::GdalErrorCapture quiet;
      if (sqlite3* db = sqliteHandle(*ds_))
        sqlite3_exec(db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
      ds_ = std::move(fresh);
    }
  }

  std::string meta(const std::string& key) override {
    const auto rows = query("SELECT value FROM veldwacht_meta WHERE key = " + sqlite::literal(key));
    return rows.empty() || !rows.front().front() ? std::string() : *rows.front().front();
  }

  void executeSql(const std::string& sql) override { runSql(*ds_, sql); }

  std::vector<std::vector<std::optional<std::string>>> query(const std::string& sql) override {
    return runQuery(*ds_, sql);
  }

  void transaction(const std::function<void(GDALDataset&)>& work) override {
    transaction(work, nullptr);
  }
  void importTransaction(const std::function<void(GDALDataset*)>& work) override {
    // Connection settings for a large write, set before the transaction (SQLite ignores
    // temp_store inside one) and put back after (a rollback reopens the store, which resets
    // them):
    // - a page cache large enough that the rows and the unique and R-tree indexes are not
    //   spilled to the write-ahead log and re-written over and over; it counts in the memory
    //   bound of 256 MiB;
    // - the statement journal of each INSERT (it has triggers: R-tree, feature count) in
    //   memory: in a temporary file it was ~30 small writes per row, 99% of the system time.
    const auto cache = query("PRAGMA cache_size");
    const auto tempStore = query("PRAGMA temp_store");
    executeSql("PRAGMA cache_size = -" + std::to_string(kImportCacheKiB));
    executeSql("PRAGMA temp_store = MEMORY");
    auto restore = [&] {
      try {
        if (!cache.empty() && cache[0][0]) executeSql("PRAGMA cache_size = " + *cache[0][0]);
        if (!tempStore.empty() && tempStore[0][0])
          executeSql("PRAGMA temp_store = " + *tempStore[0][0]);
      } catch (const geo::Error&) {
        // settings of this connection only; nothing in the file depends on them
      }
    };
    try {
      transaction([&](GDALDataset& ds) { work(&ds); });
    } catch (...) {
      restore();
      throw;
    }
    restore();
  }
  void transaction(const std::function<void(GDALDataset&)>& work,
                   const std::function<void()>& lastStep) override {
    requireUpdate();
    beginWrite();
    StorageWatch watch;  // storage failures that GDAL reports and then carries on from
    try {
      work(*ds_);
      // What GDAL defers to a sync (count triggers, feature counts, extents, a deferred
      // R-tree) is written now, inside the transaction, not on close after it.
      for (int i = 0; i < ds_->GetLayerCount(); ++i) ds_->GetLayer(i)->SyncToDisk();
      throwIfTransactionLost(watch.failure());
      // GDAL re-creates the feature-count triggers it dropped for a bulk insert at that sync,
      // and gives up silently when it cannot: check and put them back in this transaction.
      // The same for a new layer's R-tree triggers, which cannot be put back: roll back.
      if (sqliteHandle(*ds_)) {
        restoreFeatureCountTriggers(*ds_);
        checkSpatialIndexTriggers(*ds_);
      }
      throwIfTransactionLost(watch.failure());
      if (lastStep) {
        lastStep();
        throwIfTransactionLost(watch.failure());
      }
    } catch (const geo::CancelledError&) {
      rollbackAndReopen();
      throw;
    } catch (const StorageError&) {
      rollbackAndReopen();
      throw;
    } catch (const std::exception& e) {
      // Storage first: a full disk surfaces as a failed insert or statement of `work`.
      const auto storage = storageFailure(*ds_, /*inTransaction=*/true,
                                          watch.failure().empty() ? e.what() : watch.failure());
      rollbackAndReopen();
      if (storage) throw storageError(*storage);
      throw;
    }
    CPLErrorReset();
    commitAllowed_ = true;
    // GDAL writes the layers' metadata before its COMMIT: should that fail and SQLite roll
    // back, the hooks keep the rest from being committed statement by statement.
    OGRErr committed;
    std::string commitMessages;
    {
      geo::GdalErrorCapture capture;  // a failed COMMIT is reported by the exception below
      committed = ds_->CommitTransaction();
      commitMessages = capture.messages();
    }
    if (sqlite3* db = sqliteHandle(*ds_)) {
      sqlite3_commit_hook(db, nullptr, nullptr);
      sqlite3_rollback_hook(db, nullptr, nullptr);
    }
    if (committed != OGRERR_NONE || transactionLost_) {
      const std::string msg =
          explainLock(commitMessages.empty() ? geo::lastGdalError() : commitMessages);
      auto storage = storageFailure(*ds_, /*inTransaction=*/false,
                                    watch.failure().empty() ? msg : watch.failure());
      if (!storage &&
          (transactionLost_ || msg.find("no transaction is active") != std::string::npos))
        storage = "SQLite ended the transaction by itself (" + msg + ")";
      rollbackAndReopen();
      if (storage) throw storageError(*storage);
      throw geo::LibraryError("cannot commit to '" + path_ + "': " + msg);
    }
  }

  std::vector<LayerSummary> summary() override;
  std::vector<ImportInfo> imports() override;
  std::int64_t removeImport(std::int64_t importId) override;
  void append(std::span<const ImportBatch> batches, geo::Progress& progress) override;
  std::vector<Record> read(const std::string& layer, const FilterSql& where) override {
    return readImpl(layer, where, nullptr);
  }
  std::vector<Record> readWithin(const std::string& layer, const geo::Extent& area,
                                 const FilterSql& where) override {
    if (area.empty()) return {};
    return readImpl(layer, where, &area);
  }
  std::optional<geo::GpkgPoints> readPointColumns(const std::string& layer, const FilterSql& where,
                                                  const std::vector<std::string>& fields,
                                                  geo::Progress& progress,
                                                  geo::GpkgRowSink* sink = nullptr) override;
  void setReadLimits(const ReadLimits& limits) override {
    limits.validate();
    readLimits_ = limits;
  }
  const ReadLimits& readLimits() const override { return readLimits_; }

 private:
  void openDs() { ds_ = openFresh(); }
  geo::DatasetPtr openFresh() const {
    const char* drivers[] = {"GPKG", "SQLite", nullptr};
    geo::DatasetPtr ds = geo::openDataset(
        path_, GDAL_OF_VECTOR | (update_ ? GDAL_OF_UPDATE : GDAL_OF_READONLY), nullptr, drivers);
    // Wait for a reader or an editing session in QGIS instead of failing at once. Per
    // connection: nothing is written to the file.
    runSql(*ds, sqlite::busyTimeout(kBusyTimeoutMs));
    return ds;
  }
  /// Starts GDAL's transaction and takes SQLite's write lock at once, waiting up to the busy
  /// timeout for another writer (QGIS editing, another import). A deferred BEGIN would take it
  /// at the first write, after reads of the same transaction, when SQLite no longer waits but
  /// fails at once (it cannot upgrade a read snapshot past another writer).
  void beginWrite() {
    CPLErrorReset();
    if (ds_->StartTransaction(FALSE) != OGRERR_NONE) {
      const auto storage = storageFailure(*ds_, false, geo::lastGdalError());
      if (storage) throw storageError(*storage);
      throw geo::LibraryError("cannot start a transaction on '" + path_ +
                              "': " + explainLock(geo::lastGdalError()));
    }
    if (sqlite3* db = sqliteHandle(*ds_)) {
      // Until our COMMIT, SQLite commits nothing: after a full disk or an I/O error SQLite may
      // roll the transaction back by itself, and GDAL, not knowing, would go on writing in
      // autocommit mode (an extent, a feature count, R-tree rows), each statement committed
      // at once. The hook turns each such commit into a rollback.
      commitAllowed_ = false;
      commitVetoed_ = false;
      transactionLost_ = false;
      sqlite3_commit_hook(db, &GdalStore::vetoCommit, this);
      sqlite3_rollback_hook(db, &GdalStore::noteRollback, this);
      // A write that changes nothing: SQLite takes the RESERVED/WAL write lock for it.
      if (sqlite3_exec(db, "DELETE FROM veldwacht_meta WHERE 0", nullptr, nullptr, nullptr) !=
          SQLITE_OK) {
        const auto storage = storageFailure(*ds_, true);
        rollbackAndReopen();
        throw storageError(storage.value_or(sqlite3_errmsg(db)));
      }
    }
  }
  /// GDAL keeps per-layer state that a rollback does not undo: on the first insert into a layer
  /// it drops the gpkg_ogr_contents count triggers and would re-create them (and write a
  /// feature count, and copy a deferred R-tree) when the layer is synced on close, i.e. after
  /// our rollback, outside any transaction. So: roll back, forbid the connection to write
  /// (PRAGMA query_only), reopen, close the old one. Whatever GDAL still wants to flush on close
  /// then fails quietly and the file is left exactly as the rollback left it (tests compare it byte
  /// for byte). This holds also when SQLite has already rolled back by itself (disk full, I/O
  /// error), when GDAL's own ROLLBACK finds no transaction.
  void rollbackAndReopen() {
    {
      geo::GdalErrorCapture quiet;  // the database may be why we roll back
      sqlite3* db = sqliteHandle(*ds_);
      commitAllowed_ = false;  // nothing GDAL does from here on may commit
      if (db) sqlite3_commit_hook(db, &GdalStore::vetoCommit, this);
      if (db && !sqlite3_get_autocommit(db)) {
        // Still in our transaction: let GDAL sync inside it (all undone by the rollback).
        for (int i = 0; i < ds_->GetLayerCount(); ++i) {
          if (sqlite3_get_autocommit(db)) break;  // a sync failed and SQLite rolled back
          ds_->GetLayer(i)->SyncToDisk();
        }
      }
      if (db) sqlite3_exec(db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
      ds_->RollbackTransaction();
    }
    // The new dataset is opened before the old one is closed. When memory is exhausted even
    // that can fail (allocation-failure sweep, persistent mode): then the store keeps the old,
    // rolled-back connection, which refuses every write (query_only, and the commit hook vetoes
    // any commit), so that the caller gets the StorageError of the failed write rather than a
    // failed open, and a later write is refused as a storage failure too.
    geo::DatasetPtr fresh;
    for (int attempt = 0; attempt < 2 && !fresh; ++attempt) {
      try {
        geo::GdalErrorCapture quiet;
        fresh = openFresh();
      } catch (const std::exception&) {
        fresh.reset();
      }
    }
    if (!fresh) return;
    geo::GdalErrorCapture quiet;  // whatever GDAL still wants to flush is refused
    ds_ = std::move(fresh);
  }
  /// Throws StorageError when SQLite has ended our transaction by itself (after a full disk
  /// or an I/O error; the commit hook then vetoed GDAL's writes since) or `seen` quotes a
  /// storage failure that GDAL carried on from.
  void throwIfTransactionLost(const std::string& seen) {
    sqlite3* db = sqliteHandle(*ds_);
    if (!db) return;
    if (transactionLost_ || commitVetoed_ || sqlite3_get_autocommit(db)) {
      const auto storage = storageFailure(*ds_, /*inTransaction=*/true, seen);
      throw storageError(storage.value_or("SQLite ended the transaction by itself"));
    }
    if (!seen.empty()) throwIfStorageFailed(*ds_, seen);
  }
  static int vetoCommit(void* self) {
    auto* store = static_cast<GdalStore*>(self);
    if (store->commitAllowed_ && !store->transactionLost_) return 0;
    store->commitVetoed_ = true;
    return 1;  // turns the commit into a rollback
  }
  /// SQLite calls this for every rollback of a whole transaction, also the ones it does by
  /// itself after a full disk or an I/O error: from then on GDAL's writes are no longer ours.
  static void noteRollback(void* self) { static_cast<GdalStore*>(self)->transactionLost_ = true; }
  void requireUpdate() const {
    if (!update_) throw geo::Error("the store '" + path_ + "' was opened read-only");
  }
  std::optional<std::vector<std::vector<std::optional<std::string>>>> tryQuery(
      const std::string& sql) {
    try {
      return query(sql);
    } catch (const geo::LibraryError&) {
      return std::nullopt;
    }
  }
  void migrate();
  // append(): the checks (append_checks.h), then the write.
  void writeBatches(std::span<const ImportBatch> batches, const std::vector<const LayerDef*>& defs,
                    geo::Progress& progress);
  static std::int64_t recordImport(GDALDataset& ds, const ImportBatch& b, const LayerDef& d,
                                   const std::string& started);
  static void writeRecords(GDALDataset& ds, const ImportBatch& b, const LayerDef& d,
                           std::int64_t importId, const std::function<void()>& tick);
  std::vector<Record> readImpl(const std::string& layer, const FilterSql& filter,
                               const geo::Extent* area);
  /// Values of `field` in `table` (SQL literals) that are among `literals`.
  std::set<std::string> existing(const std::string& table, const FieldDef& field,
                                 const std::vector<std::string>& literals);

  std::string path_;
  bool update_ = false;
  int version_ = 0;
  geo::DatasetPtr ds_;
  bool commitAllowed_ = true;     ///< false inside transaction() until our own COMMIT
  bool commitVetoed_ = false;     ///< a commit outside ours was turned into a rollback
  bool transactionLost_ = false;  ///< SQLite rolled our transaction back (by itself or not)
  ReadLimits readLimits_;         ///< for reads with a user filter
};

std::set<std::string> GdalStore::existing(const std::string& table, const FieldDef& field,
                                          const std::vector<std::string>& literals) {
  std::set<std::string> found;
  constexpr std::size_t kChunk = 500;
  for (std::size_t b = 0; b < literals.size(); b += kChunk) {
    const auto rows = query(sqlite::selectExisting(table, field.name, literals, b,
                                                   std::min(literals.size(), b + kChunk)));
    for (const auto& row : rows) {
      if (!row.front()) continue;
      found.insert(field.type == FieldType::Integer ? *row.front() : sqlite::literal(*row.front()));
    }
  }
  return found;
}

void GdalStore::migrate() {
  const int from = version_;
  transaction([&](GDALDataset& ds) {
    for (int v = from; v < kSchemaVersion; ++v) migrateStep(ds, v);
    runSql(ds, sqlite::setMeta("schema_version", std::to_string(kSchemaVersion)));
    runSql(ds, sqlite::setMeta("migrated_at", localNowIso()));
    runSql(ds, sqlite::setMeta("veldwacht_version", version()));
  });
  version_ = kSchemaVersion;
}

std::vector<LayerSummary> GdalStore::summary() {
  std::set<std::string> results;
  if (auto rows = tryQuery("SELECT laag FROM veldwacht_resultaten"))
    for (const auto& r : *rows)
      if (r.front()) results.insert(*r.front());

  std::vector<LayerSummary> out;
  std::vector<std::string> names;
  for (int i = 0; i < ds_->GetLayerCount(); ++i) {
    const std::string name = ds_->GetLayer(i)->GetName();
    if (!isBookkeeping(name)) names.push_back(name);
  }
  // GDAL's SQLite driver does not list tables without geometry (signaal_categorieen, result
  // tables) in a SpatiaLite database, but opens them by name.
  auto addUnlisted = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end() &&
        ds_->GetLayerByName(name.c_str()))
      names.push_back(name);
  };
  for (const auto& d : layerDefs()) addUnlisted(d.name);
  for (const auto& r : results) addUnlisted(r);
  // Schema layers in drawing order, then the rest (results) by name.
  auto rank = [](const std::string& n) {
    const auto& defs = layerDefs();
    for (std::size_t i = 0; i < defs.size(); ++i)
      if (defs[i].name == n) return static_cast<int>(i);
    return static_cast<int>(defs.size());
  };
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    return std::pair(rank(a), a) < std::pair(rank(b), b);
  });
  for (const auto& name : names) {
    OGRLayer* l = ds_->GetLayerByName(name.c_str());
    LayerSummary s;
    s.name = name;
    if (const LayerDef* d = findDef(name))
      s.title = d->title;
    else if (const char* id = l->GetMetadataItem("IDENTIFIER"); id && *id)
      s.title = id;
    else
      s.title = name;
    const OGRwkbGeometryType gt = l->GetGeomType();
    s.geometryType = gt == wkbNone ? "None" : OGRGeometryTypeToName(gt);
    // Counted and measured in SQL: GDAL's GetFeatureCount/GetExtent cache what they find and,
    // on a dataset open for update, write it back on close, which would change the file.
    const auto count = query(sqlite::countRows(name));
    s.count = std::atoll(count.at(0).at(0).value_or("0").c_str());
    if (gt != wkbNone && s.count > 0) {
      const bool spatialite = EQUAL(ds_->GetDriverName(), "SQLite");
      if (auto ext = tryQuery(sqlite::extentOf(name, l->GetGeometryColumn(), spatialite));
          ext && ext->size() == 1 && ext->front().size() == 4 && ext->front()[0] &&
          ext->front()[3]) {
        const auto& e = ext->front();
        s.extent.include({std::atof(e[0]->c_str()), std::atof(e[1]->c_str())});
        s.extent.include({std::atof(e[2]->c_str()), std::atof(e[3]->c_str())});
      }
    }
    s.isResult = results.count(name) > 0;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<ImportInfo> GdalStore::imports() {
  std::vector<ImportInfo> out;
  const auto rows = query(
      "SELECT CAST(import_id AS INTEGER), laag, bron_bestand, bestand_sha256, rijen, gestart_op, "
      "bron_crs, "
      "transformatie, waarschuwingen FROM veldwacht_imports ORDER BY import_id");
  for (const auto& r : rows) {
    auto s = [&](std::size_t i) { return r[i] ? *r[i] : std::string(); };
    ImportInfo info;
    info.importId = std::atoll(s(0).c_str());
    info.layer = s(1);
    info.sourceFile = s(2);
    info.sourceSha256 = s(3);
    info.rows = std::atoll(s(4).c_str());
    info.startedAt = s(5).substr(0, 19);
    info.sourceCrs = s(6);
    info.transformation = s(7);
    info.warnings = s(8);
    out.push_back(std::move(info));
  }
  return out;
}

std::int64_t GdalStore::removeImport(std::int64_t importId) {
  requireUpdate();
  const auto rows =
      query("SELECT laag FROM veldwacht_imports WHERE import_id = " + std::to_string(importId));
  if (rows.empty() || !rows.front().front())
    throw geo::Error("no import " + std::to_string(importId) + " in '" + path_ + "'");
  const std::string layer = *rows.front().front();
  std::int64_t removed = 0;
  try {
    transaction([&](GDALDataset& ds) {
      const std::string where = " WHERE import_id = " + std::to_string(importId);
      removed = std::atoll(
          runQuery(ds, "SELECT COUNT(*) FROM " + sqlite::ident(layer) + where)[0][0]->c_str());
      runSql(ds, "DELETE FROM " + sqlite::ident(layer) + where);
      runSql(ds, "DELETE FROM veldwacht_imports" + where);
    });
  } catch (const geo::LibraryError& e) {
    throw geo::Error("import " + std::to_string(importId) + " (" + layer +
                     ") cannot be removed: " + e.what());
  }
  return removed;
}

std::vector<Record> GdalStore::readImpl(const std::string& layer, const FilterSql& filter,
                                        const geo::Extent* area) {
  const LayerDef& def = layerDef(layer);
  if (!filter.empty() && filter.layer() != def.name)
    throw geo::Error("a filter made for '" + filter.layer() + "' cannot be applied to '" + layer +
                     "'");
  const std::string& where = filter.sql();
  OGRLayer* l = ds_->GetLayerByName(layer.c_str());
  if (!l) throw geo::Error("layer '" + layer + "' is not in the store '" + path_ + "'");
  geo::GdalErrorCapture capture;  // a bad filter only fails when reading starts
  CPLErrorReset();
  if (l->SetAttributeFilter(where.empty() ? nullptr : where.c_str()) != OGRERR_NONE)
    throw geo::Error("invalid filter '" + where + "' on '" + layer + "': " + geo::lastGdalError());
  struct Reset {
    OGRLayer* l;
    ~Reset() {
      l->SetAttributeFilter(nullptr);
      l->SetSpatialFilter(nullptr);
      l->ResetReading();
    }
  } reset{l};
  if (area) {
    if (l->GetGeomType() == wkbNone)
      throw geo::Error("layer '" + layer + "' has no geometry to select by area");
    l->SetSpatialFilterRect(area->minX, area->minY, area->maxX, area->maxY);
    // SQLite connects a GeoPackage's R-tree (a virtual table) on its first use in a connection
    // and then prepares the module's own statements (UPDATE sqlite_master, INSERT into the
    // shadow tables), which the read guard below refuses as writes: connect it before.
    if (sqlite3* db =
            !filter.empty() && EQUAL(ds_->GetDriverName(), "GPKG") ? sqliteHandle(*ds_) : nullptr) {
      const std::string rtree =
          sqlite::ident(std::string("rtree_") + l->GetName() + "_" + l->GetGeometryColumn());
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, ("SELECT id FROM " + rtree + " LIMIT 0").c_str(), -1, &st,
                             nullptr) == SQLITE_OK)
        sqlite3_finalize(st);
    }
  }
  // While a user filter runs, the connection may only read (defence in depth: the filter
  // language already generates SQL without functions or subqueries).
  std::optional<SqliteReadGuard> guard;
  if (!filter.empty()) guard.emplace(*ds_, readLimits_);
  l->ResetReading();
  const std::vector<int> idx = ogrFieldIndexes(*l->GetLayerDefn(), def.fields);
  std::vector<Record> out;
  for (geo::FeaturePtr f(l->GetNextFeature()); f; f.reset(l->GetNextFeature())) {
    Record r;
    r.values.reserve(def.fields.size());
    for (std::size_t i = 0; i < def.fields.size(); ++i)
      r.values.push_back(getOgrField(*f, idx[i], def.fields[i].type));
    r.geometry.reset(f->StealGeometry());
    r.sourceRow = f->GetFID();
    out.push_back(std::move(r));
  }
  // Cancel, a limit reached or a denied action first: GDAL reports them as a failed step.
  if (guard)
    guard->throwIfStopped(layer, CPLGetLastErrorType() >= CE_Failure ? geo::lastGdalError() : "");
  if (CPLGetLastErrorType() >= CE_Failure)
    throw geo::Error("cannot read '" + layer + "'" +
                     (where.empty() ? "" : " with filter '" + where + "'") + ": " +
                     geo::lastGdalError());
  // Through the R-tree the rows come in the index's order; readers (PointInput) and the
  // PostGIS store give them in feature-id order, and DBSCAN's cluster numbers follow the order.
  if (area)
    std::sort(out.begin(), out.end(),
              [](const Record& a, const Record& b) { return a.sourceRow < b.sourceRow; });
  return out;
}

std::optional<geo::GpkgPoints> GdalStore::readPointColumns(const std::string& layer,
                                                           const FilterSql& filter,
                                                           const std::vector<std::string>& fields,
                                                           geo::Progress& progress,
                                                           geo::GpkgRowSink* sink) {
  const LayerDef& def = layerDef(layer);
  if (def.geometry != GeometryKind::Point || !EQUAL(ds_->GetDriverName(), "GPKG"))
    return std::nullopt;
  sqlite3* db = sqliteHandle(*ds_);
  if (!db) return std::nullopt;
  if (!filter.empty() && filter.layer() != def.name)
    throw geo::Error("a filter made for '" + filter.layer() + "' cannot be applied to '" + layer +
                     "'");
  OGRLayer* l = ds_->GetLayerByName(layer.c_str());
  if (!l) throw geo::Error("layer '" + layer + "' is not in the store '" + path_ + "'");
  geo::GpkgPointReadOptions options;
  options.table = l->GetName();
  options.fidColumn = l->GetFIDColumn();
  options.geometryColumn = l->GetGeometryColumn();
  options.where = filter.sql();
  options.multiPointFirst = false;  // read() gives a multipoint whole (its centroid is taken)
  if (options.fidColumn.empty() || options.geometryColumn.empty()) return std::nullopt;
  const OGRFeatureDefn& defn = *l->GetLayerDefn();
  for (const std::string& name : fields) {
    const FieldDef* f = def.field(name);
    if (!f) throw geo::Error("layer '" + layer + "' has no field '" + name + "'");
    if (defn.GetFieldIndex(name.c_str()) < 0) return std::nullopt;  // an older store: NULLs
    geo::GpkgFieldType type = geo::GpkgFieldType::Text;
    switch (f->type) {
      case FieldType::Integer:
        type = geo::GpkgFieldType::Int64;
        break;
      case FieldType::Boolean:
        type = geo::GpkgFieldType::Boolean;
        break;
      case FieldType::Real:
        type = geo::GpkgFieldType::Real;
        break;
      case FieldType::Date:
        type = geo::GpkgFieldType::Date;
        break;
      case FieldType::DateTime:
        type = geo::GpkgFieldType::DateTime;
        break;
      case FieldType::Text:
        break;
    }
    options.fields.push_back({name, type});
  }
  // As read(): while a user filter runs, the connection may only read, within the limits.
  std::optional<SqliteReadGuard> guard;
  if (!filter.empty()) guard.emplace(*ds_, readLimits_);
  try {
    return geo::scanGpkgPoints(db, path_, options, progress, sink);
  } catch (const geo::CancelledError&) {
    throw;
  } catch (const std::exception& e) {
    if (guard) guard->throwIfStopped(layer, e.what());
    throw;
  }
}

std::int64_t GdalStore::recordImport(GDALDataset& ds, const ImportBatch& b, const LayerDef& d,
                                     const std::string& started) {
  // Our own statement, every bind checked: GDAL's CreateFeature bound NULL for a text value when
  // SQLite could not copy it (allocation failure), and a NOT NULL constraint got the blame.
  std::string warnings;
  for (const auto& w : b.warnings) warnings += (warnings.empty() ? "" : "\n") + w;
  Statement insert(ds,
                   "INSERT INTO veldwacht_imports (laag, bron_bestand, bestand_sha256, rijen, "
                   "gestart_op, bron_crs, transformatie, waarschuwingen) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  insert.text(1, d.name)
      .text(2, b.sourceFile)
      .text(3, b.sourceSha256)
      .integer(4, static_cast<std::int64_t>(b.records.size()))
      .text(5, gpkgDateTime(started))
      .text(6, b.sourceCrs)
      .text(7, b.transformation)
      .text(8, warnings);
  try {
    insert.run();
  } catch (const StorageError&) {
    throw;
  } catch (const geo::LibraryError& e) {
    throw geo::LibraryError(std::string("cannot record the import: ") + e.what());
  }
  return insert.lastInsertId();
}

void GdalStore::writeRecords(GDALDataset& ds, const ImportBatch& b, const LayerDef& d,
                             std::int64_t importId, const std::function<void()>& tick) {
  OGRLayer* layer = ds.GetLayerByName(d.name.c_str());
  if (!layer) throw geo::LibraryError("the store has no layer '" + d.name + "'");
  const std::vector<int> idx = ogrFieldIndexes(*layer->GetLayerDefn(), d.fields);
  const int importField = d.fieldIndex("import_id");
  WrittenValues written(ds, *layer);
  for (const Record& r : b.records) {
    geo::FeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    for (std::size_t i = 0; i < d.fields.size(); ++i) {
      if (idx[i] < 0)
        throw geo::LibraryError("layer '" + d.name + "' lacks field '" + d.fields[i].name + "'");
      if (static_cast<int>(i) == importField) {
        f->SetField(idx[i], static_cast<GIntBig>(importId));
        continue;
      }
      if (i >= r.values.size() || isNull(r.values[i])) continue;  // NULL or the default
      setOgrField(*f, idx[i], d.fields[i].type, r.values[i]);
    }
    if (r.geometry) f->SetGeometryDirectly(geometryForLayer(*r.geometry, d.geometry).release());
    written.note(*f);
    geo::GdalErrorCapture capture;
    CPLErrorReset();
    const OGRErr created = layer->CreateFeature(f.get());
    throwIfStorageFailed(ds, capture.messages());
    if (created != OGRERR_NONE) {
      // Stop at once: after a full disk or an I/O error SQLite may have rolled back already,
      // and any further write would land outside the transaction. Not the row's fault.
      if (const auto storage = storageFailure(ds, true, capture.messages()))
        throw storageError(*storage);
      const std::string msg =
          capture.messages().empty() ? geo::lastGdalError() : capture.messages();
      throw ValidationError(
          {{{b.sourceFile, r.sourceRow, ""}, "the store refused the record: " + msg}});
    }
    tick();
  }
  written.verify();
}

void GdalStore::writeBatches(std::span<const ImportBatch> batches,
                             const std::vector<const LayerDef*>& defs, geo::Progress& progress) {
  // Referenced layers first.
  std::vector<std::size_t> order(batches.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return insertionRank(*defs[a]) < insertionRank(*defs[b]);
  });
  std::size_t total = 0;
  for (const auto& b : batches) total += b.records.size();
  geo::ProgressStep step(progress, 0.2, 1.0, "writing");
  transaction([&](GDALDataset& ds) {
    std::size_t done = 0;
    const std::string started = localNowIso();
    // Every row was checked above, so the per-row check triggers (which cost more than the
    // insert itself) are suspended inside this transaction and re-created before it commits.
    std::vector<const LayerDef*> touched;
    for (std::size_t bi : order)
      if (!batches[bi].records.empty() &&
          std::find(touched.begin(), touched.end(), defs[bi]) == touched.end())
        touched.push_back(defs[bi]);
    for (const LayerDef* d : touched) runSql(ds, sqlite::suspendInsertChecks(d->name));
    for (std::size_t bi : order) {
      if (batches[bi].records.empty()) continue;  // nothing to record
      const std::int64_t importId = recordImport(ds, batches[bi], *defs[bi], started);
      writeRecords(ds, batches[bi], *defs[bi], importId, [&] { step.tick(++done, total); });
    }
    for (const LayerDef* d : touched) createConstraints(ds, *d);
  });
  step.done();
}

void GdalStore::append(std::span<const ImportBatch> batches, geo::Progress& progress) {
  requireUpdate();
  if (batches.empty()) return;
  // A batch without rows (a header-only CSV, an empty layer) records nothing: no
  // veldwacht_imports row claiming an import of 0 rows (writeBatches skips it).
  refuseIfNoRows(batches);
  std::vector<Problem> problems;
  const KeyLookup keys{
      [](const Value& v) { return sqlite::valueLiteral(v); },
      [this](const std::string& table, const FieldDef& field,
             const std::vector<std::string>& lits) { return existing(table, field, lits); }};
  const auto storeDefs = layerDefsForVersion(version_);  // defs point into it
  const auto defs = checkBatches(batches, storeDefs, keys, problems, progress);
  if (!problems.empty()) throw ValidationError(std::move(problems));
  writeBatches(batches, defs, progress);
}

}  // namespace

sqlite3* sqliteHandle(GDALDataset& ds) {
  const char* driver = ds.GetDriverName();
  if (!driver || !(EQUAL(driver, "GPKG") || EQUAL(driver, "SQLite"))) return nullptr;
  return static_cast<sqlite3*>(ds.GetInternalHandle("SQLITE_HANDLE"));
}

namespace {

constexpr int kStorageCodes[] = {SQLITE_FULL,     SQLITE_IOERR,   SQLITE_NOMEM,  SQLITE_BUSY,
                                 SQLITE_LOCKED,   SQLITE_CORRUPT, SQLITE_NOTADB, SQLITE_READONLY,
                                 SQLITE_CANTOPEN, SQLITE_PROTOCOL};

bool isStorageCode(int code) {
  return std::find(std::begin(kStorageCodes), std::end(kStorageCodes), code & 0xff) !=
         std::end(kStorageCodes);
}

/// The storage error code whose SQLite text ("database or disk is full") `messages` quotes;
/// GDAL puts sqlite3_errmsg() into its messages, while the connection's error code may have
/// been overwritten by GDAL's clean-up statements since.
int storageCodeIn(std::string_view messages) {
  for (int code : kStorageCodes)
    if (messages.find(sqlite3_errstr(code)) != std::string_view::npos) return code;
  if (messages.find("disk I/O error") != std::string_view::npos) return SQLITE_IOERR;
  // GDAL's sqlite3_get_table wrapper (layer definitions: pragma table_xinfo, ...): SQLite's
  // get_table aborts its own query when it cannot allocate a row copy ("query aborted"), or has
  // no memory left for the message ("(null)"); bad SQL reads "no such table", "syntax error".
  if (messages.find("sqlite3_get_table(") != std::string_view::npos &&
      (messages.find("failed: query aborted") != std::string_view::npos ||
       messages.find("failed: (null)") != std::string_view::npos))
    return SQLITE_NOMEM;
  return SQLITE_OK;
}

}  // namespace

namespace {

/// What a storage error code means, in a few words with SQLite's own text; nullopt for codes
/// that are not about the storage.
std::optional<std::string> describeStorageCode(int code) {
  const std::string reason = sqlite3_errstr(code);
  switch (code & 0xff) {
    case SQLITE_FULL:
      return "disk full (" + reason + ")";
    case SQLITE_IOERR:
      return "an I/O error (" + reason + ", code " + std::to_string(code) + ")";
    case SQLITE_NOMEM:
      return "out of memory (" + reason + ")";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return "another program is writing to it, e.g. a layer being edited in QGIS: save or stop "
             "editing and try again (" +
             reason + ")";
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return "the file is damaged (" + reason + ")";
    case SQLITE_READONLY:
      return "the file cannot be written (" + reason + ")";
    case SQLITE_CANTOPEN:
      return "a file next to the store cannot be created (" + reason + ")";
    case SQLITE_PROTOCOL:
      return "a locking protocol error (" + reason + ")";
    default:
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> storageFailure(GDALDataset& ds, bool inTransaction,
                                          std::string_view messages) {
  sqlite3* db = sqliteHandle(ds);
  if (!db) return std::nullopt;
  int code = sqlite3_extended_errcode(db);
  if (!isStorageCode(code)) {
    if (const int quoted = storageCodeIn(messages); quoted != SQLITE_OK) code = quoted;
  }
  if (auto described = describeStorageCode(code)) return described;
  if (inTransaction && sqlite3_get_autocommit(db)) {
    // Our commit hook's veto (SQLITE_CONSTRAINT_COMMITHOOK) is not the cause: SQLite rolled
    // back after a failed statement whose code GDAL's later statements overwrote.
    if (code == SQLITE_CONSTRAINT_COMMITHOOK)
      return "SQLite ended the transaction by itself after a failed write (out of memory, a full "
             "disk or an I/O error)";
    return "SQLite ended the transaction by itself (" + std::string(sqlite3_errstr(code)) + ")";
  }
  return std::nullopt;
}

StorageError storageError(const std::string& what) {
  return StorageError("the store could not be written: " + what + "; nothing was changed");
}

void throwIfStorageFailed(GDALDataset& ds, std::string_view messages) {
  if (storageCodeIn(messages) == SQLITE_OK) return;
  if (const auto storage = storageFailure(ds, true, messages)) throw storageError(*storage);
}

StorageWatch::StorageWatch() { CPLPushErrorHandlerEx(&StorageWatch::handler, this); }

StorageWatch::~StorageWatch() { CPLPopErrorHandler(); }

void CPL_STDCALL StorageWatch::handler(CPLErr cls, CPLErrorNum number, const char* message) {
  auto* self = static_cast<StorageWatch*>(CPLGetErrorHandlerUserData());
  if (self && message && cls >= CE_Failure && self->failure_.empty() &&
      storageCodeIn(message) != SQLITE_OK)
    self->failure_ = message;
  // Pass it on to whoever handled messages before us (a capture, QGIS, stderr).
  CPLPopErrorHandler();
  if (cls == CE_Debug)
    CPLDebug("veldwacht", "%s", message ? message : "");
  else
    CPLError(cls, number, "%s", message ? message : "");
  CPLPushErrorHandlerEx(&StorageWatch::handler, self);
}

void runSql(GDALDataset& ds, const std::string& sql) {
  geo::GdalErrorCapture capture;
  CPLErrorReset();
  OGRLayer* rs = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (rs) ds.ReleaseResultSet(rs);
  throwIfStorageFailed(ds, capture.messages());
  if (CPLGetLastErrorType() >= CE_Failure) {
    if (const auto storage = storageFailure(ds, false, capture.messages()))
      throw storageError(*storage);
    throw geo::LibraryError("SQL failed: " + explainLock(geo::lastGdalError()) + " [" +
                            sql.substr(0, 200) + "]");
  }
}

std::vector<std::vector<std::optional<std::string>>> runQuery(GDALDataset& ds,
                                                              const std::string& sql) {
  geo::GdalErrorCapture capture;
  CPLErrorReset();
  OGRLayer* rs = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  if (CPLGetLastErrorType() >= CE_Failure || !rs) {
    if (rs) ds.ReleaseResultSet(rs);
    if (const auto storage = storageFailure(ds, false, capture.messages()))
      throw StorageError("the store could not be read: " + *storage + "; nothing was changed");
    // GDAL's layer lookup fails as "Cannot find table X" when SQLite could not allocate while
    // GDAL read the table list (allocation-failure sweep, import n = 1100): if SQLite has the
    // table, that is the storage failing, not the query.
    const std::string gdalSays = geo::lastGdalError("no result");
    if (const auto at = gdalSays.find("Cannot find table "); at != std::string::npos) {
      const std::string table =
          gdalSays.substr(at + 18, gdalSays.find_first_of(" \n", at + 18) - (at + 18));
      bool exists = false;
      try {
        Statement q(ds, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
        q.text(1, table);
        exists = q.step();
      } catch (const std::exception&) {
        exists = true;  // SQLite cannot even answer that: the storage is failing
      }
      if (exists)
        throw StorageError("the store could not be read: GDAL could not open the table '" + table +
                           "' that SQLite has (out of memory?); nothing was changed");
    }
    throw geo::LibraryError("SQL failed: " + explainLock(gdalSays) + " [" + sql.substr(0, 200) +
                            "]");
  }
  std::vector<std::vector<std::optional<std::string>>> rows;
  for (geo::FeaturePtr f(rs->GetNextFeature()); f; f.reset(rs->GetNextFeature())) {
    std::vector<std::optional<std::string>> row;
    for (int i = 0; i < f->GetFieldCount(); ++i) {
      if (!f->IsFieldSetAndNotNull(i)) {
        row.emplace_back(std::nullopt);
        continue;
      }
      // Dates and datetimes in ISO form, not GDAL's "YYYY/MM/DD HH:MM:SS".
      const OGRFieldType type = f->GetFieldDefnRef(i)->GetType();
      if (type == OFTDate || type == OFTDateTime)
        row.emplace_back(std::get<std::string>(
            getOgrField(*f, i, type == OFTDate ? FieldType::Date : FieldType::DateTime)));
      else
        row.emplace_back(f->GetFieldAsString(i));
    }
    rows.push_back(std::move(row));
  }
  ds.ReleaseResultSet(rs);
  return rows;
}

void createDomainLayer(GDALDataset& ds, const LayerDef& def, const std::string& stylesDir) {
  createOgrLayer(ds, def);
  if (auto qml = shippedLayerStyle(stylesDir, def.name))
    embedDefaultStyle(ds, def.name, def.name, *qml, shippedLayerStyleDescription(def.title));
}

void createConstraints(GDALDataset& ds, const LayerDef& def) {
  for (const auto& sql : sqlite::constraintTriggers(def)) runSql(ds, sql);
  for (const auto& sql : sqlite::indexes(def)) runSql(ds, sql);
}

void migrateStep(GDALDataset& ds, int from) {
  if (from == 1) {
    // 1 -> 2: partner_werkgebieden is new; signalen gains terugkoppeling_op (DATE, nullable, so
    // ALTER TABLE ADD COLUMN keeps every row; old rows get NULL: the date was never recorded).
    const auto v2 = layerDefsForVersion(2);
    auto def = [&](const char* name) -> const LayerDef& {
      return *std::find_if(v2.begin(), v2.end(), [&](const LayerDef& d) { return d.name == name; });
    };
    const LayerDef& werkgebieden = def("partner_werkgebieden");
    createDomainLayer(ds, werkgebieden, stylesDirectory());
    createConstraints(ds, werkgebieden);
    OGRLayer* signalen = ds.GetLayerByName("signalen");
    if (!signalen) throw geo::LibraryError("migration 1->2: the store has no layer 'signalen'");
    if (signalen->GetLayerDefn()->GetFieldIndex("terugkoppeling_op") < 0)
      addOgrField(*signalen, *def("signalen").field("terugkoppeling_op"));
    for (const auto& d : v2) createConstraints(ds, d);  // re-created per version
    return;
  }
  if (from == 2) {
    // 2 -> 3: schouwresultaten is new; signalen gains bron_partner_id (TEXT, nullable: old
    // signals have no partner as source). Value-list triggers are re-created (brontype gained
    // gebiedsbeheerder).
    const auto v3 = layerDefsForVersion(3);
    auto def = [&](const char* name) -> const LayerDef& {
      return *std::find_if(v3.begin(), v3.end(), [&](const LayerDef& d) { return d.name == name; });
    };
    const LayerDef& schouw = def("schouwresultaten");
    if (!ds.GetLayerByName(schouw.name.c_str())) createDomainLayer(ds, schouw, stylesDirectory());
    OGRLayer* signalen = ds.GetLayerByName("signalen");
    if (!signalen) throw geo::LibraryError("migration 2->3: the store has no layer 'signalen'");
    if (signalen->GetLayerDefn()->GetFieldIndex("bron_partner_id") < 0)
      addOgrField(*signalen, *def("signalen").field("bron_partner_id"));
    for (const auto& d : v3) createConstraints(ds, d);  // re-created per version
    return;
  }
  if (from == 3) {
    // 3 -> 4: the context layers gewaspercelen and misdrijven_per_buurt are new (issue 13).
    const auto v4 = layerDefsForVersion(4);
    for (const auto& d : v4)
      if (d.sinceVersion == 4 && !ds.GetLayerByName(d.name.c_str()))
        createDomainLayer(ds, d, stylesDirectory());
    for (const auto& d : v4) createConstraints(ds, d);
    return;
  }
  throw geo::Error("no migration from schema version " + std::to_string(from));
}

std::unique_ptr<Store> Store::create(const std::string& path, const CreateOptions& options) {
  geo::ensureGdalRegistered();
  if (fs::exists(path)) throw geo::Error("refusing to overwrite the existing file '" + path + "'");
  const char* driverName = driverFor(path);
  if (!driverName)
    throw geo::Error("a store must be a .gpkg (GeoPackage) or .sqlite (SpatiaLite) file: '" + path +
                     "'");
  const auto defs = layerDefsForVersion(options.schemaVersion);  // throws for a bad version
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driverName);
  if (!driver) throw geo::LibraryError(std::string("GDAL lacks the ") + driverName + " driver");
  const bool spatialite = std::string(driverName) == "SQLite";
  const char* spatialiteOpts[] = {"SPATIALITE=YES", nullptr};
  geo::DatasetPtr ds;
  // GDAL's own messages stay quiet (the exception says what happened); on a full disk they are
  // kilobytes of failed statements, the first one the only one that matters.
  geo::GdalErrorCapture capture;
  try {
    CPLErrorReset();
    ds.reset(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown,
                            spatialite ? const_cast<char**>(spatialiteOpts) : nullptr));
    if (!ds) throw geo::LibraryError("cannot create '" + path + "': " + geo::lastGdalError());
    runSql(*ds, sqlite::walJournal());
    const std::string styles = options.embedStyles ? stylesDirectory(options.stylesDir) : "";
    if (ds->StartTransaction(FALSE) != OGRERR_NONE)
      throw geo::LibraryError("cannot start a transaction: " + geo::lastGdalError());
    createOgrLayer(*ds, metaDef());
    createOgrLayer(*ds, importsDef(), "import_id");
    createOgrLayer(*ds, resultsTableDef());
    for (const auto& d : defs) createDomainLayer(*ds, d, styles);
    for (const auto& d : defs) createConstraints(*ds, d);
    if (OGRLayer* cats = ds->GetLayerByName("signaal_categorieen")) {
      for (const auto& seed : signalCategorySeeds()) {
        geo::FeaturePtr f(OGRFeature::CreateFeature(cats->GetLayerDefn()));
        f->SetField("code", seed.code.c_str());
        f->SetField("naam", seed.naam.c_str());
        if (!seed.indicatoren.empty()) f->SetField("indicatoren", seed.indicatoren.c_str());
        f->SetField("actief", 1);
        f->SetField("synthetisch", 0);
        if (cats->CreateFeature(f.get()) != OGRERR_NONE)
          throw geo::LibraryError("cannot seed signaal_categorieen: " + geo::lastGdalError());
      }
    }
    runSql(*ds, sqlite::setMeta("schema_version", std::to_string(options.schemaVersion)));
    runSql(*ds, sqlite::setMeta("created_at", localNowIso()));
    runSql(*ds, sqlite::setMeta("veldwacht_version", version()));
    if (ds->CommitTransaction() != OGRERR_NONE)
      throw geo::LibraryError("cannot commit the new store: " + geo::lastGdalError());
    ds.reset();
  } catch (...) {
    // A full disk shows as a failed CREATE TABLE whose GDAL message quotes the whole
    // statement (kilobytes): say what happened in SQLite's words instead.
    // The first storage failure GDAL reported (its own COMMIT inside Create may fail and it
    // still returns a dataset without tables), else what the connection says.
    std::optional<std::string> storage = describeStorageCode(storageCodeIn(capture.messages()));
    if (!storage) storage = describeStorageCode(storageCodeIn(geo::lastGdalError()));
    if (ds) {
      if (!storage) storage = storageFailure(*ds, false, geo::lastGdalError());
      geo::GdalErrorCapture quiet;
      if (sqlite3* db = sqliteHandle(*ds))
        sqlite3_exec(db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr);
      ds.reset();
    }
    removeStoreFiles(path);
    if (storage)
      throw StorageError("the store '" + path + "' could not be created: " + *storage +
                         "; no file was left behind");
    throw;
  }
  // An older version is only created to test migrations: leave it unmigrated.
  return std::make_unique<GdalStore>(path, true, false);
}

std::unique_ptr<Store> Store::open(const std::string& path, bool update) {
  geo::ensureGdalRegistered();
  return std::make_unique<GdalStore>(path, update);
}

std::unique_ptr<ImportWriter> Store::importWriter(GDALDataset* ds, const ImportBatch& info,
                                                  const std::string& startedAt) {
  if (!ds) throw geo::LibraryError("Store::importWriter needs the import transaction's dataset");
  return std::make_unique<BatchWriter>(*ds, info, startedAt);
}

bool Store::hasTable(const std::string& name) {
  return !query("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = " +
                sqlite::literal(name))
              .empty();
}

}  // namespace veldwacht::layers
