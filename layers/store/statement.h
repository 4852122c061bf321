// One SQLite statement on the connection behind a GDAL dataset, with every sqlite3_prepare,
// sqlite3_bind_* and sqlite3_step result checked. Used for the rows Veldwacht writes itself
// (import and result registry rows, result metadata): GDAL 3.6 does not check its binds, and under
// an allocation failure it bound NULL for a text value (issue 7, docs/reliability.md). A failed
// prepare or bind is a storage failure (StorageError, exit 1), never an input error.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "geo/core/gdal.h"

namespace veldwacht::layers {

class Statement {
 public:
  /// Prepares `sql` (one statement); throws StorageError when SQLite cannot (out of memory, I/O),
  /// geo::LibraryError for bad SQL or a dataset that is not SQLite-based.
  Statement(GDALDataset& ds, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Binds parameter `i` (1-based). Text is copied (SQLITE_TRANSIENT): the copy can fail.
  Statement& text(int i, std::string_view value);
  /// Binds text, or NULL when `value` is empty.
  Statement& textOrNull(int i, std::string_view value);
  Statement& integer(int i, std::int64_t value);
  Statement& real(int i, double value);
  Statement& null(int i);

  /// Steps to the end, discarding rows; throws StorageError for a storage failure,
  /// geo::LibraryError (with SQLite's message) otherwise. Resets the statement after.
  void run();
  /// Steps once; true with a row, false at the end. Same errors as run().
  bool step();
  /// Column `i` (0-based) of the current row.
  std::int64_t columnInteger(int i) const;
  /// Column `i` (0-based) of the current row as text ("" for NULL).
  std::string columnText(int i) const;

  /// Rowid of the last insert on the connection.
  std::int64_t lastInsertId() const;

 private:
  void checkBind(int rc, int i);
  [[noreturn]] void fail(int rc, const char* what);

  GDALDataset& ds_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

/// Counts, per field and for the geometry, the values handed to GDAL for the rows of one write,
/// and checks afterwards that the table holds at least as many non-NULL values in the new rows.
/// GDAL 3.6 does not check its sqlite3_bind_* results: when SQLite cannot copy a text or a
/// geometry (allocation failure) the parameter stays NULL and the row is written without the
/// value, silently where the column allows NULL. A shortfall is a storage failure.
class WrittenValues {
 public:
  /// Remembers the largest fid of `layer` now: the rows written after it are checked.
  WrittenValues(GDALDataset& ds, OGRLayer& layer);
  /// Counts the set, non-NULL fields and the geometry of a feature about to be written.
  void note(const OGRFeature& feature);
  /// Throws StorageError when a field or the geometry has fewer non-NULL values in the new rows
  /// than were written, or fewer rows were added.
  void verify();

 private:
  GDALDataset& ds_;
  OGRLayer& layer_;
  std::int64_t fidBefore_ = 0;
  std::int64_t rows_ = 0;
  std::vector<std::int64_t> fields_;
  std::int64_t geometries_ = 0;
};

/// Re-creates GDAL's gpkg_ogr_contents feature-count triggers (trigger_insert_feature_count_<t>,
/// trigger_delete_feature_count_<t>) of every table that lacks one, and sets its feature_count
/// from COUNT(*) unless it is NULL (unknown: GDAL counts when asked), inside the caller's
/// transaction. GDAL drops them for a bulk insert and
/// re-creates them at sync, silently giving up when that fails (allocation failure). Returns the
/// tables repaired.
std::vector<std::string> restoreFeatureCountTriggers(GDALDataset& ds);

/// Throws StorageError when a table registered with the R-tree extension (gpkg_extensions,
/// gpkg_rtree_index) lacks its R-tree or the first or last of GDAL's R-tree triggers
/// (rtree_<t>_<g>_insert, rtree_<t>_<g>_delete): GDAL creates a new layer's index at sync, all
/// triggers in one batch that stops at the first failure, and carries on when SQLite could not
/// allocate (allocation-failure sweep). Committing then would leave an index that later edits do
/// not update; the write is rolled back instead.
void checkSpatialIndexTriggers(GDALDataset& ds);

/// Throws StorageError unless `table` has its R-tree (rtree_<table>_<geometryColumn>) and GDAL's
/// first and last R-tree triggers. For a layer created in the running transaction, after its
/// SyncToDisk: GDAL builds a new layer's index then and, when SQLite cannot allocate, may give up
/// on the whole index without an error message (allocation-failure sweep, cluster n = 28325).
void requireSpatialIndex(GDALDataset& ds, const std::string& table,
                         const std::string& geometryColumn);

/// Text as GDAL's GeoPackage driver stores a DateTime field with no time zone:
/// "YYYY-MM-DDTHH:MM:SS.sss" (from "YYYY-MM-DDTHH:MM:SS"; other text is kept as it is).
std::string gpkgDateTime(const std::string& isoLocal);

}  // namespace veldwacht::layers
