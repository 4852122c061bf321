// Helpers shared by the store's translation units and the result writer; not a public API.
#pragma once

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/schema/schema.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

/// Local time now as YYYY-MM-DDTHH:MM:SS.
std::string localNowIso();

/// Runs a statement that returns no rows; throws geo::LibraryError with SQLite's message.
void runSql(GDALDataset& ds, const std::string& sql);
/// Runs a query; rows of text values (NULL as nullopt). GDAL turns a bare INTEGER PRIMARY KEY
/// column into the feature id and drops it from the fields: select it as an expression
/// (CAST(fid AS INTEGER)).
std::vector<std::vector<std::optional<std::string>>> runQuery(GDALDataset& ds,
                                                              const std::string& sql);

/// The SQLite connection behind `ds` (GeoPackage, SpatiaLite); nullptr for other drivers.
sqlite3* sqliteHandle(GDALDataset& ds);
/// Whether the last failure on `ds` came from the storage rather than from the data: SQLite's
/// last error code is FULL, IOERR, NOMEM, BUSY, LOCKED, CORRUPT, NOTADB, READONLY, CANTOPEN or
/// PROTOCOL, or (with `inTransaction`) SQLite has ended the transaction by itself, as it does
/// on some of those errors. Returns a short description, e.g. "disk full (database or disk is
/// full)"; nullopt when the failure was something else (a constraint, bad SQL).
/// `messages` (GDAL's, which quote sqlite3_errmsg) are searched as well: GDAL's clean-up after
/// a failed statement may have overwritten the connection's error code.
std::optional<std::string> storageFailure(GDALDataset& ds, bool inTransaction,
                                          std::string_view messages = {});
/// "the store could not be written: <what>; nothing was changed"
StorageError storageError(const std::string& what);
/// Throws storageError() when `messages` (GDAL's, captured around a call) quote a storage
/// failure even though the call reported success: GDAL swallows some failed statements.
void throwIfStorageFailed(GDALDataset& ds, std::string_view messages);

/// Watches GDAL's messages while in scope for storage failures that GDAL reports and then
/// carries on from (e.g. a failed DROP TABLE inside DeleteLayer, a failed R-tree statement):
/// committing after one would commit a half-done change. Every message is passed on to the
/// handler below unchanged.
class StorageWatch {
 public:
  StorageWatch();
  ~StorageWatch();
  StorageWatch(const StorageWatch&) = delete;
  StorageWatch& operator=(const StorageWatch&) = delete;
  /// The first storage failure seen, e.g. "sqlite3_exec(...) failed: disk I/O error".
  const std::string& failure() const { return failure_; }

 private:
  static void CPL_STDCALL handler(CPLErr cls, CPLErrorNum number, const char* message);
  std::string failure_;
};

/// veldwacht_resultaten as a table definition.
LayerDef resultsTableDef();

/// Creates a schema layer and embeds styles/layers/<name>.qml when `stylesDir` has it.
void createDomainLayer(GDALDataset& ds, const LayerDef& def, const std::string& stylesDir);
/// Triggers (references, value lists, widths) and indexes of a schema layer.
void createConstraints(GDALDataset& ds, const LayerDef& def);
/// Migrates an open transaction's dataset from schema version `from` to `from + 1`.
void migrateStep(GDALDataset& ds, int from);

}  // namespace veldwacht::layers
