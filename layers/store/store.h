// The Veldwacht store: one GeoPackage (default) or SpatiaLite file, reached through GDAL so that
// a PostGIS connection string can serve the same interface later.
//
// Constraints live in the database, not only in this code, so that editing in plain QGIS
// cannot break them: NOT NULL and UNIQUE are column constraints (created through GDAL), while
// references ("layer.field") and closed value lists are enforced by BEFORE INSERT/UPDATE
// triggers (and BEFORE DELETE/UPDATE triggers on the referenced side, i.e. ON DELETE RESTRICT),
// because GDAL creates GeoPackage tables without FOREIGN KEY or CHECK clauses and SQLite cannot
// add them afterwards. All SQL specific to SQLite/GeoPackage sits in layers/store/sqlite_sql.cpp.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "geo/core/error.h"
#include "geo/core/gpkg_writer.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "layers/filter/filter.h"
#include "layers/filter/read_guard.h"
#include "layers/schema/schema.h"
#include "layers/schema/validate.h"
#include "layers/store/styles.h"

namespace veldwacht::layers {

class ResultSetWriter;  // layers/results/results.h
class ImportWriter;     // layers/store/batch_writer.h

/// The storage under the store failed: disk full, an I/O error, out of memory, a lock held by
/// another program past the busy timeout, a damaged file. Never the input's fault (the CLI
/// exits 1, not 3). Thrown after the transaction was rolled back: the store is as it was.
/// `what()` reads "the store could not be written: disk full (…); nothing was changed".
class StorageError : public geo::LibraryError {
 public:
  using geo::LibraryError::LibraryError;
};

/// What one import brings: records for one layer plus how they were read.
struct ImportBatch {
  std::string layer;            ///< target layer, a name from layerDefs()
  std::vector<Record> records;  ///< validated, in EPSG:28992
  std::string sourceFile;       ///< path as given by the user
  std::string sourceSha256;     ///< of the source file's bytes
  std::string sourceCrs;        ///< e.g. "EPSG:4326"
  std::string transformation;   ///< e.g. "RDNAPTRANS2018 grid" or "Helmert (no grid, ~1 m)"
  std::vector<std::string> warnings;
};

struct LayerSummary {
  std::string name;
  std::string title;
  std::string geometryType;  ///< OGR name, "None" for tables
  std::int64_t count = 0;
  veldwacht::geo::Extent extent;  ///< empty for tables or empty layers
  bool isResult = false;          ///< written by an analysis
};

/// One row of veldwacht_imports.
struct ImportInfo {
  std::int64_t importId = 0;
  std::string layer;
  std::string sourceFile;
  std::string sourceSha256;
  std::int64_t rows = 0;
  std::string startedAt;  ///< local time, YYYY-MM-DDTHH:MM:SS
  std::string sourceCrs;
  std::string transformation;
  std::string warnings;  ///< one per line
};

struct CreateOptions {
  /// Schema version to create; older versions only to test migrations.
  int schemaVersion = kSchemaVersion;
  /// Directory with layers/<layer>.qml; empty = stylesDirectory() (env VELDWACHT_STYLES_DIR,
  /// then the source tree's styles/).
  std::string stylesDir;
  bool embedStyles = true;
};

/// Names of the bookkeeping tables.
inline constexpr const char* kMetaTable = "veldwacht_meta";
inline constexpr const char* kImportsTable = "veldwacht_imports";
inline constexpr const char* kResultsTable = "veldwacht_resultaten";

class Store {
 public:
  virtual ~Store() = default;

  /// Creates a new store with the full schema; refuses to overwrite an existing file.
  /// `.gpkg` gives a GeoPackage, `.sqlite` a SpatiaLite database.
  static std::unique_ptr<Store> create(const std::string& path, const CreateOptions& options = {});
  /// Opens an existing store. With `update`, older schema versions are migrated forward first
  /// (in one transaction). A store written by a newer Veldwacht is refused with a clear error.
  /// Read-only opening of an older store works; missing fields read as NULL.
  static std::unique_ptr<Store> open(const std::string& path, bool update);

  virtual const std::string& path() const = 0;
  virtual bool updatable() const = 0;
  virtual int schemaVersion() const = 0;
  /// A value of veldwacht_meta ("" when absent): schema_version, created_at, veldwacht_version.
  virtual std::string meta(const std::string& key) = 0;
  /// True when the store holds a table or view of that name, one of the schema's layers or not
  /// (the audit table, a result table). The GeoPackage and SpatiaLite stores ask sqlite_master.
  virtual bool hasTable(const std::string& name);
  virtual std::vector<LayerSummary> summary() = 0;
  virtual std::vector<ImportInfo> imports() = 0;
  /// Undoes one import: deletes its rows and its veldwacht_imports row in one transaction.
  /// Refused (geo::Error, nothing deleted) while other rows still reference them, e.g. the
  /// werkgebieden of imported partners. Returns the number of rows deleted.
  virtual std::int64_t removeImport(std::int64_t importId) = 0;

  /// Writes all batches in ONE transaction: all rows of all batches, or none (the file is left
  /// byte-for-byte as it was). Every record is checked first (see validateRecord) and across
  /// rows: duplicate natural keys within the call or against stored rows, and references to
  /// rows that neither the store nor this call holds. All problems are thrown together as a
  /// ValidationError (a geo::InputError) naming source file, row and field. Each batch gets a
  /// veldwacht_imports row whose id is written into the records' import_id. Batches are
  /// inserted referenced layers first. Cancel rolls back and throws geo::CancelledError.
  virtual void append(std::span<const ImportBatch> batches,
                      veldwacht::geo::Progress& progress = veldwacht::geo::nullProgress()) = 0;

  /// Reads all records of a layer, optionally filtered by a filter that compileFilter() made
  /// for this layer (a raw string cannot be passed). Values are parallel to
  /// layerDef(layer).fields; sourceRow is the feature id.
  virtual std::vector<Record> read(const std::string& layer, const FilterSql& where = {}) = 0;
  /// The rows of a Point layer column by column, read in one SELECT straight from SQLite on the
  /// store's connection (geo::scanGpkgPoints: no OGRFeature or geometry object per row): x, y,
  /// fid and only the named `fields` of layerDef(layer), as stored (Text/Date/DateTime as the
  /// stored text, Integer/Boolean as int64, Real as double, NULL as monostate). The filter and
  /// the read limits apply as in read(); rows come in the order read() gives them. A multipoint,
  /// an empty or a missing geometry is listed in `withoutPoint` (read() is the path for them).
  /// nullopt when this store cannot read so: not a GeoPackage (SpatiaLite, PostGIS), not a
  /// point layer, or a field missing from an older store's table. With a `sink` the fields of
  /// each row go to it as they are read (GpkgPoints::columns stays empty; the sink may stop the
  /// scan).
  virtual std::optional<geo::GpkgPoints> readPointColumns(
      const std::string& /*layer*/, const FilterSql& /*where*/,
      const std::vector<std::string>& /*fields*/, geo::Progress& /*progress*/,
      geo::GpkgRowSink* /*sink*/ = nullptr) {
    return std::nullopt;
  }
  /// As read(), limited to features that meet `area` (EPSG:28992; a point on an edge is in, one
  /// a millimetre outside is not), found through the spatial index (R-tree, GiST); e.g. the
  /// extent of one gemeente, or `--bbox` (PointSelection::bbox).
  virtual std::vector<Record> readWithin(const std::string& layer, const geo::Extent& area,
                                         const FilterSql& where = {}) = 0;
  /// Bounds on every read with a non-empty filter from now on: cancel (the host's Progress),
  /// a time limit and a memory limit (ReadLimits, checked by SQLite's progress handler while
  /// the query runs, which also runs under `PRAGMA query_only` and a read-only authorizer).
  /// A cancelled read throws geo::CancelledError; a limit reached, geo::Error naming the layer
  /// and the limit. Throws geo::OptionError for limits outside their range.
  virtual void setReadLimits(const ReadLimits& limits) = 0;
  virtual const ReadLimits& readLimits() const = 0;

  /// Runs `work` in one transaction on dataset(): commits when it returns, rolls back when it
  /// throws (then the dataset is reopened so that no stale state of GDAL survives, and the
  /// exception is rethrown). Pointers to OGR layers taken inside `work` die with it. The write
  /// lock is taken first, waiting up to the busy timeout (5 s) for another writer. When the
  /// storage fails (disk full, I/O error, lock, or SQLite rolled the transaction back by
  /// itself) nothing more is written, the transaction is rolled back and a StorageError is
  /// thrown in place of whatever `work` threw.
  virtual void transaction(const std::function<void(GDALDataset&)>& work) = 0;
  /// As transaction(work), and `lastStep` runs after `work` and every check the store makes
  /// before committing, immediately before the COMMIT (e.g. moving a result file into place,
  /// writeResultSet). When it throws, everything is rolled back as for `work`.
  virtual void transaction(const std::function<void(GDALDataset&)>& work,
                           const std::function<void()>& lastStep) {
    transaction([&](GDALDataset& ds) {
      work(ds);
      if (lastStep) lastStep();
    });
  }

  /// Runs one SQL statement that returns no rows; throws geo::LibraryError with SQLite's
  /// message.
  virtual void executeSql(const std::string& sql) = 0;
  /// Runs a query and returns its rows as text (NULL as nullopt). Select an INTEGER PRIMARY KEY
  /// (fid, import_id) as an expression, e.g. CAST(fid AS INTEGER): GDAL hides bare ones.
  virtual std::vector<std::vector<std::optional<std::string>>> query(const std::string& sql) = 0;

  /// The GDAL dataset behind the store (for result writers and SQL).
  virtual GDALDataset& dataset() = 0;
  /// Closes and reopens dataset(), outside a transaction, so that GDAL sees tables that were
  /// created with SQL behind its back (the result writer's own GeoPackage tables). Pointers to
  /// OGR layers taken before die with it.
  virtual void reopen() {}

  /// importFiles' streaming import: runs `work` in ONE transaction of the store, in which
  /// importWriter() writes each file's rows chunk by chunk (bounded memory); commits when it
  /// returns, rolls everything back when it throws (as transaction()). `ds` is the
  /// transaction's GDAL dataset (a register update's SQL), or nullptr on a store whose writers
  /// do not go through GDAL (PostGIS: one libpq transaction). The GeoPackage store sets its
  /// connection for a large write (page cache, statement journals in memory) around it.
  virtual void importTransaction(const std::function<void(GDALDataset* ds)>& work) {
    transaction([&](GDALDataset& ds) { work(&ds); });
  }
  /// A writer of one file's rows of `info.layer` (info.records unused) inside
  /// importTransaction(), `ds` as given to its work: the GeoPackage BatchWriter by default.
  virtual std::unique_ptr<ImportWriter> importWriter(GDALDataset* ds, const ImportBatch& info,
                                                     const std::string& startedAt);

  /// The store's own writer of result sets (the PostGIS store); nullptr = writeResultSet writes
  /// through the GeoPackage path of layers/results.
  virtual ResultSetWriter* resultWriter() { return nullptr; }
};

}  // namespace veldwacht::layers
