// Defence in depth for filtered reads: while a user filter runs, the store's SQLite connection
// may only read. The filter language (filter.h) already generates SQL with no function call and
// no subquery; this authorizer would still stop anything else at prepare time: writes, schema
// changes, ATTACH, PRAGMA, recursive queries and every function outside a short whitelist.
// Reference: SQLite, "Compile-Time Authorization Callbacks" (sqlite3_set_authorizer).
#pragma once

#include <string>

class GDALDataset;

namespace veldwacht::layers {

class SqliteReadGuard {
 public:
  /// Installs the authorizer on the dataset's SQLite handle (GDAL's "SQLITE_HANDLE"); does
  /// nothing for a dataset without one. Removed again by the destructor.
  explicit SqliteReadGuard(GDALDataset& dataset);
  ~SqliteReadGuard();
  SqliteReadGuard(const SqliteReadGuard&) = delete;
  SqliteReadGuard& operator=(const SqliteReadGuard&) = delete;

  /// The first action that was denied ("" when none), e.g. "function randomblob".
  const std::string& denied() const { return denied_; }

  /// For the authorizer callback only.
  int authorize(int action, const char* a3, const char* a4);

 private:
  void* db_ = nullptr;
  std::string denied_;
};

}  // namespace veldwacht::layers
