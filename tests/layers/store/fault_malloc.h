// A fault-injecting SQLite allocator for tests, in the manner of SQLite's own malloc tests
// (test_malloc.c): the default memory methods, wrapped, so that once armed the n-th allocation
// (sqlite3_malloc or a growing sqlite3_realloc, counted across every connection of the process,
// GDAL's included) returns NULL; optionally every later one as well ("persistent").
//
// SQLITE_CONFIG_MALLOC may only be set before SQLite is initialised: install() must run first
// thing in main(), before GDAL registers its drivers or anything opens a database. When SQLite
// was initialised already, install() shuts it down (no connection may be open yet) and sets the
// methods then.
#pragma once

#include <cstdint>

namespace veldwacht::layers::testing {

struct MallocCounts {
  std::int64_t allocations = 0;  ///< xMalloc and growing xRealloc calls since reset()/arm()
  std::int64_t injected = 0;     ///< of which were made to fail
};

class FaultMalloc {
 public:
  /// Wraps SQLite's memory methods (once per process; later calls return the same object).
  /// Throws std::runtime_error when SQLite refuses the configuration.
  static FaultMalloc& install();

  /// Fails the n-th (1-based) allocation from now on; with `persistent`, every later one too.
  void arm(std::int64_t n, bool persistent);
  /// Stops injecting; the counter keeps running.
  void disarm();
  MallocCounts counts() const;
  void reset();
};

}  // namespace veldwacht::layers::testing
