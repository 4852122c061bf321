// A fault-injecting SQLite VFS for tests, in the manner of SQLite's own test_vfs/malloc tests:
// a wrapper around the default VFS, registered as the new default so that every connection
// opened afterwards (GDAL's GeoPackage driver included) goes through it. Once armed, the n-th
// write, sync or truncate (counted across all files: database, WAL, journal) fails with the
// chosen error code; optionally every later one fails too ("persistent", like a full disk).
#pragma once

#include <cstdint>

namespace veldwacht::layers::testing {

enum class FaultOp { Write, Sync, Truncate };

struct FaultCounts {
  std::int64_t writes = 0;
  std::int64_t syncs = 0;
  std::int64_t truncates = 0;
  std::int64_t injected = 0;  ///< operations that were made to fail
};

class FaultVfs {
 public:
  /// Registers the wrapper as the default VFS (once per process; later calls return the same).
  static FaultVfs& install();

  /// Fails the n-th (1-based) operation of kind `op` from now on with `code` (e.g. SQLITE_FULL,
  /// SQLITE_IOERR_WRITE); with `persistent`, every later one of that kind fails as well.
  void arm(FaultOp op, std::int64_t n, int code, bool persistent);
  /// Stops injecting; counters keep running.
  void disarm();
  /// Counts since the last arm() or reset().
  FaultCounts counts() const;
  void reset();
};

}  // namespace veldwacht::layers::testing
