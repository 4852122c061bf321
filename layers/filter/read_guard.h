// Defence in depth for filtered reads: while a user filter runs, the store's SQLite connection
// may only read, and the read cannot run away. The filter language (filter.h) already generates
// SQL with no function call and no subquery; this guard would still stop anything else:
// - an authorizer at prepare time: writes, schema changes, ATTACH, PRAGMA, recursive queries and
//   every function outside a short whitelist are denied;
// - `PRAGMA query_only = 1` for the duration, so even a statement that got past the authorizer
//   could not change the file;
// - a progress handler (every kProgressSteps virtual-machine steps) that stops the read when the
//   host cancels (Ctrl-C), when it has run longer than ReadLimits::seconds or when SQLite's heap
//   has grown by more than ReadLimits::memoryBytes; a hard heap limit at that size catches a
//   single large allocation between two checks.
// References: SQLite, "Compile-Time Authorization Callbacks" (sqlite3_set_authorizer), "Query
// Progress Callbacks" (sqlite3_progress_handler), "Impose A Limit On Heap Size"
// (sqlite3_hard_heap_limit64).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "geo/core/progress.h"

class GDALDataset;

namespace veldwacht::layers {

/// Bounds on one read with a user filter.
struct ReadLimits {
  /// Wall-clock seconds the filtered query may run; in (0, 86400].
  double seconds = 600.0;
  /// Growth of SQLite's heap while the query runs, in bytes; in [64 KiB, 64 GiB].
  std::int64_t memoryBytes = std::int64_t{1} << 30;
  /// Cancel (Ctrl-C in the CLI, the cancel button in QGIS); nullptr: never cancelled.
  const geo::Progress* progress = nullptr;

  /// Throws geo::OptionError ("read-seconds", "read-memory") for a value outside its range.
  void validate() const;
};

class SqliteReadGuard {
 public:
  /// VM steps between two checks of the limits (a few microseconds of work).
  static constexpr int kProgressSteps = 1000;

  /// Installs the authorizer, query_only and the progress handler on the dataset's SQLite handle
  /// (GDAL's "SQLITE_HANDLE"); does nothing for a dataset without one. The destructor restores
  /// the connection as it was.
  explicit SqliteReadGuard(GDALDataset& dataset, const ReadLimits& limits = {});
  ~SqliteReadGuard();
  SqliteReadGuard(const SqliteReadGuard&) = delete;
  SqliteReadGuard& operator=(const SqliteReadGuard&) = delete;

  /// The first action that was denied ("" when none), e.g. "function randomblob".
  const std::string& denied() const { return denied_; }

  enum class Stop { None, Cancelled, TimeLimit, MemoryLimit };
  /// Why the progress handler interrupted the query (None when it did not).
  Stop stopped() const { return stop_; }

  /// After the read: throws geo::CancelledError when it was cancelled, geo::Error naming
  /// `layer` and the limit when a limit stopped it (`failure` is the read's error text, if any:
  /// an "out of memory" there under the hard heap limit counts as the memory limit), or
  /// geo::Error when the authorizer denied something.
  void throwIfStopped(const std::string& layer, const std::string& failure = {}) const;

  /// For the callbacks only.
  int authorize(int action, const char* a3, const char* a4);
  int progress();

 private:
  void* db_ = nullptr;
  ReadLimits limits_;
  std::string denied_;
  Stop stop_ = Stop::None;
  std::chrono::steady_clock::time_point start_;
  std::int64_t memoryAtStart_ = 0;
  std::int64_t previousHeapLimit_ = -1;  ///< -1: not changed
  bool heapLimited_ = false;
  int previousQueryOnly_ = -1;  ///< -1: not changed
};

}  // namespace veldwacht::layers
