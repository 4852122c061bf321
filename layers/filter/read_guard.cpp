#include "layers/filter/read_guard.h"

#include <gdal_priv.h>
#include <sqlite3.h>

#include <array>
#include <cctype>
#include <string_view>

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

}  // namespace

SqliteReadGuard::SqliteReadGuard(GDALDataset& dataset) {
  db_ = dataset.GetInternalHandle("SQLITE_HANDLE");
  if (db_) sqlite3_set_authorizer(static_cast<sqlite3*>(db_), callback, this);
}

SqliteReadGuard::~SqliteReadGuard() {
  if (db_) sqlite3_set_authorizer(static_cast<sqlite3*>(db_), nullptr, nullptr);
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
