// The Veldwacht store on PostgreSQL/PostGIS, selected by a connection string
// ("postgresql://user@host/db", "postgres://…" or "PG:…"). Same interface (layers::Store), same
// validation and guarantees as the GeoPackage store: append() checks every record with
// validateRecord and across rows (keys, references) before writing, and writes all batches in
// ONE transaction (COPY), so a refusal names file, row and field and leaves nothing written.
// The database enforces the schema too (FOREIGN KEYs, CHECKs, NOT NULL, UNIQUE), so edits made
// in QGIS directly obey the same rules. Roles and row-level security: roles.h.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>

#include "layers/pgstore/pg.h"
#include "layers/pgstore/pg_results.h"
#include "layers/store/store.h"

namespace veldwacht::layers::pgstore {

/// True for "postgresql://…", "postgres://…" and "PG:…" (GDAL's prefix).
bool isPostgresUrl(const std::string& path);
/// The libpq connection string of a store path ("PG:" stripped).
std::string conninfoOf(const std::string& path);
/// `path` with its password (URL "user:secret@" or "password=secret") shown as "***", for
/// messages and path().
std::string withoutPassword(const std::string& path);

/// A write the server refused (`e`), as the importing user reads it: a constraint (the rows
/// were checked, so another user's change) as a ValidationError on `file`; a deadlock or
/// serialization failure as "another user changed the store at the same time …; run the import
/// again"; a privilege as "role 'user' may not write layer …"; anything else as a StorageError.
/// Every message says that nothing was written (the caller's transaction rolls back).
[[noreturn]] void throwWriteRefused(const pg::PgError& e, const std::string& user,
                                    const std::string& layer, const std::string& file);

/// True when the login reads only part of `table` (row-level security) or none of it, and may
/// ask kExistingKeysFunction (roles.h) which keys it holds.
bool asksExistingKeys(pg::Connection& c, const std::string& table);
/// Which of `keys` (as text) table.field holds: through kExistingKeysFunction with
/// `askFunction` (asksExistingKeys: also the rows the login may not see), else what it reads.
std::set<std::string> existingKeys(pg::Connection& c, const std::string& table,
                                   const FieldDef& field, const std::vector<std::string>& keys,
                                   bool askFunction);

class PgStore : public Store {
 public:
  /// Creates the schema (of options.schemaVersion: older ones only to test migrations) in the
  /// (empty) database `url` in one transaction; creates the postgis
  /// extension when it is missing and allowed. Refused when the database already holds a
  /// Veldwacht store (veldwacht_meta exists). With options.embedStyles the shipped styles of the
  /// domain layers become their default styles in public.layer_styles (as in a GeoPackage
  /// store); a migration (open) gives the layers it adds theirs.
  static std::unique_ptr<PgStore> create(const std::string& url, const CreateOptions& options = {});
  /// Opens an existing store. A store of a newer schema version is refused. With `update`, a
  /// store of an older version is migrated first, in one transaction (migrationSql per step, a
  /// row per version in veldwacht_schemaversies); a login that may not change the schema gets
  /// a geo::Error saying who must open it, and nothing changes. Read-only, an older store is
  /// read as it is.
  static std::unique_ptr<PgStore> open(const std::string& url, bool update);

  /// The connection string without its password.
  const std::string& path() const override { return shown_; }
  bool updatable() const override { return update_; }
  int schemaVersion() const override { return version_; }
  std::string meta(const std::string& key) override;
  bool hasTable(const std::string& name) override;
  std::vector<LayerSummary> summary() override;
  std::vector<ImportInfo> imports() override;
  std::int64_t removeImport(std::int64_t importId) override;
  void append(std::span<const ImportBatch> batches,
              geo::Progress& progress = geo::nullProgress()) override;
  /// As append(), and `more` runs on the connection in the same transaction after the rows are
  /// written, just before COMMIT (sync's changes and deletions, an audit row). With no batches
  /// only `more` runs. Whatever `more` throws rolls everything back and is rethrown (a
  /// pg::PgError of `more` as a geo::Error with the server's words).
  void append(std::span<const ImportBatch> batches, geo::Progress& progress,
              const std::function<void(pg::Connection&)>& more);
  std::vector<Record> read(const std::string& layer, const FilterSql& where = {}) override;
  std::vector<Record> readWithin(const std::string& layer, const geo::Extent& area,
                                 const FilterSql& where = {}) override;
  void setReadLimits(const ReadLimits& limits) override;
  const ReadLimits& readLimits() const override { return limits_; }
  /// Runs `work` inside one transaction of GDAL's PostgreSQL driver on the same database.
  void transaction(const std::function<void(GDALDataset&)>& work) override;
  void executeSql(const std::string& sql) override;
  std::vector<std::vector<std::optional<std::string>>> query(const std::string& sql) override;
  /// GDAL's PostgreSQL dataset on the same database, opened on first use.
  GDALDataset& dataset() override;
  /// importFiles' streaming import: `work` (given no GDAL dataset) in one transaction on the
  /// store's connection; a refusal of the server becomes the import's message (throwWriteRefused).
  void importTransaction(const std::function<void(GDALDataset*)>& work) override;
  /// A PgImportWriter (pg_import.h) on the store's connection: COPY chunk by chunk.
  std::unique_ptr<ImportWriter> importWriter(GDALDataset* ds, const ImportBatch& info,
                                             const std::string& startedAt) override;
  /// Results are tables of this database (pg_results.h), written over libpq in one transaction.
  ResultSetWriter* resultWriter() override { return &results_; }

  /// Which of `keys` (as text) table.field holds, also those the login may not see: a login
  /// that reads only part of the table (row-level security) or none of it asks
  /// kExistingKeysFunction (roles.h), when the roles grant it; else only the visible rows count.
  std::set<std::string> existing(const std::string& table, const FieldDef& field,
                                 const std::vector<std::string>& keys);

  /// The libpq connection (roles, tests).
  pg::Connection& connection() { return conn_; }

 private:
  PgStore(std::string url, bool update);
  void requireUpdate() const;
  void migrate();
  std::vector<Record> readSql(const LayerDef& def, const std::string& where);
  void writeBatches(std::span<const ImportBatch> batches, const std::vector<const LayerDef*>& defs,
                    geo::Progress& progress, const std::function<void(pg::Connection&)>& more = {});

  std::string url_;
  std::string shown_;
  bool update_ = false;
  int version_ = 0;
  pg::Connection conn_;
  ReadLimits limits_;
  geo::DatasetPtr gdal_;
  PgResultWriter results_{*this};
  std::int64_t importsBefore_ = 0;  ///< importTransaction(): the newest import committed before
};

}  // namespace veldwacht::layers::pgstore
