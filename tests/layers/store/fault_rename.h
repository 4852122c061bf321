// A fault-injecting rename(2) for tests: this test executable's own `rename` (found before
// libc's by the linker, for the project's static libraries and for shared ones alike) passes
// every call on to libc's, and once armed makes the n-th rename of a Veldwacht temporary file
// ("….tmp-<pid>-XXXXXX", the moves of geo::OutputFile and geo::finishMove) fail with the chosen
// errno (ENOSPC, EIO); optionally every later one too ("persistent", as on a full disk). The
// renames after a result set's COMMIT are what the SQLite fault VFS cannot reach.
#pragma once

#include <cstdint>

namespace veldwacht::layers::testing {

class FaultRename {
 public:
  static FaultRename& instance();
  /// Fails the n-th (1-based) rename of a temporary file from now on with `error`; with
  /// `persistent`, every later one too.
  void arm(std::int64_t n, int error, bool persistent);
  void disarm();
  /// Renames of temporary files since the last arm() or reset(), and how many were failed.
  std::int64_t renames() const;
  std::int64_t injected() const;
  void reset();
};

}  // namespace veldwacht::layers::testing
