#include "layers/filter/read_guard.h"

#include <gdal_priv.h>
#include <sqlite3.h>

#include <array>
#include <cctype>
#include <cmath>
#include <string_view>

#include <fmt/core.h>

#include "geo/core/error.h"

namespace veldwacht::layers {

namespace {

/// Functions a filtered read may call: the LIKE/GLOB operators our SQL uses and what GDAL's
/// GeoPackage/SQLite readers use for counts and spatial filters.
constexpr std::array<std::string_view, 12> kAllowedFunctions = {
    "glob",   "like",       "count",   "min",     "max",     "coalesce",
    "ifnull", "st_isempty", "st_minx", "st_maxx", "st_miny", "st_maxy"};

bool allowedFunction(const char* name) {
  if (!name) return false;
  std::string lower(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (auto f : kAllowedFunctions)
    if (lower == f) return true;
  return false;
}

int callback(void* user, int action, const char* a3, const char* a4, const char*, const char*) {
  return static_cast<SqliteReadGuard*>(user)->authorize(action, a3, a4);
}

int progressCallback(void* user) { return static_cast<SqliteReadGuard*>(user)->progress(); }

/// The value of an integer PRAGMA on `db`; -1 when it cannot be read.
int pragmaValue(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  int value = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    value = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return value;
}

}  // namespace

void ReadLimits::validate() const {
  if (!std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
    throw geo::OptionError("read-seconds", fmt::format("{} is not in (0, 86400] seconds", seconds));
  constexpr std::int64_t kMin = std::int64_t{64} << 10, kMax = std::int64_t{64} << 30;
  if (memoryBytes < kMin || memoryBytes > kMax)
    throw geo::OptionError("read-memory",
                           fmt::format("{} bytes is not in [64 KiB, 64 GiB]", memoryBytes));
}

SqliteReadGuard::SqliteReadGuard(GDALDataset& dataset, const ReadLimits& limits) : limits_(limits) {
  limits_.validate();
  db_ = dataset.GetInternalHandle("SQLITE_HANDLE");
  if (!db_) return;
  auto* db = static_cast<sqlite3*>(db_);
  // query_only first: the authorizer set below would deny the PRAGMA.
  previousQueryOnly_ = pragmaValue(db, "PRAGMA query_only");
  if (previousQueryOnly_ == 0 &&
      sqlite3_exec(db, "PRAGMA query_only = 1", nullptr, nullptr, nullptr) != SQLITE_OK)
    previousQueryOnly_ = -1;
  start_ = std::chrono::steady_clock::now();
  memoryAtStart_ = sqlite3_memory_used();
  // A hard heap limit (process-wide) unless a lower one is set already.
  const std::int64_t cap = memoryAtStart_ + limits_.memoryBytes;
  const std::int64_t previous = sqlite3_hard_heap_limit64(-1);
  if (previous == 0 || previous > cap) {
    previousHeapLimit_ = sqlite3_hard_heap_limit64(cap);
    heapLimited_ = true;
  }
  sqlite3_progress_handler(db, kProgressSteps, progressCallback, this);
  sqlite3_set_authorizer(db, callback, this);
}

SqliteReadGuard::~SqliteReadGuard() {
  if (!db_) return;
  auto* db = static_cast<sqlite3*>(db_);
  sqlite3_set_authorizer(db, nullptr, nullptr);
  sqlite3_progress_handler(db, 0, nullptr, nullptr);
  if (heapLimited_) sqlite3_hard_heap_limit64(previousHeapLimit_);
  if (previousQueryOnly_ == 0) sqlite3_exec(db, "PRAGMA query_only = 0", nullptr, nullptr, nullptr);
}

int SqliteReadGuard::progress() {
  if (stop_ != Stop::None) return 1;
  if (limits_.progress && limits_.progress->isCancelled())
    stop_ = Stop::Cancelled;
  else if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() >
           limits_.seconds)
    stop_ = Stop::TimeLimit;
  else if (sqlite3_memory_used() - memoryAtStart_ > limits_.memoryBytes)
    stop_ = Stop::MemoryLimit;
  return stop_ == Stop::None ? 0 : 1;
}

void SqliteReadGuard::throwIfStopped(const std::string& layer, const std::string& failure) const {
  Stop stop = stop_;
  if (stop == Stop::None && heapLimited_ &&
      failure.find(sqlite3_errstr(SQLITE_NOMEM)) != std::string::npos)
    stop = Stop::MemoryLimit;
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  switch (stop) {
    case Stop::Cancelled:
      throw geo::CancelledError();
    case Stop::TimeLimit:
      throw geo::Error(fmt::format(
          "the filter on '{}' was stopped after {:.1f} s: a filtered read may take at most {:g} "
          "s; make the filter narrower (e.g. a shorter date range or fewer categories)",
          layer, elapsed, limits_.seconds));
    case Stop::MemoryLimit:
      throw geo::Error(fmt::format(
          "the filter on '{}' was stopped: it needed more than {:.1f} MB of memory, the limit "
          "for a filtered read; make the filter narrower",
          layer, static_cast<double>(limits_.memoryBytes) / (1 << 20)));
    case Stop::None:
      break;
  }
  if (!denied_.empty())
    throw geo::Error("the filter on '" + layer + "' was stopped: it tried " + denied_ +
                     ", and a filter may only read");
}

int SqliteReadGuard::authorize(int action, const char* a3, const char* a4) {
  switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
      return SQLITE_OK;
    case SQLITE_FUNCTION:
      if (allowedFunction(a4)) return SQLITE_OK;
      if (denied_.empty()) denied_ = std::string("function ") + (a4 ? a4 : "?");
      return SQLITE_DENY;
    default:
      if (denied_.empty())
        denied_ = "action " + std::to_string(action) + (a3 ? std::string(" on ") + a3 : "");
      return SQLITE_DENY;
  }
}

}  // namespace veldwacht::layers
