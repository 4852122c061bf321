#include "geo/core/gpkg_writer.h"

#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <utility>

#include "geo/core/error.h"
#include "geo/core/gdal.h"
#include "geo/core/memory.h"

namespace veldwacht::geo {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kCancelCheckRows = 4096;
constexpr double kRowsShare = 0.8;  // of the progress, when the number of rows is known
// Rows per INSERT statement (measured on 1M points: 1 row 1.30 s CPU, 64 rows 0.65 s, 256 rows
// 0.39 s, 1024 rows 0.40 s), limited by SQLite's bound parameters per statement (32766 since
// SQLite 3.32).
constexpr std::size_t kBatchRows = 256;
constexpr std::size_t kMaxBoundParameters = 32766;
// The connections this file opens are used by one thread at a time: no mutex per SQLite call
// ("multi-thread" mode; SQLite's default serialises every bind, step and column call, which was
// about 4 % of a 1M-point veldwacht:dbscan inside QGIS).
constexpr int kOneThread = SQLITE_OPEN_NOMUTEX;

[[noreturn]] void sqliteFail(sqlite3* db, const std::string& what) {
  throw LibraryError("SQLite: " + what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : sqlite3_errmsg(db);
    sqlite3_free(err);
    throw LibraryError("SQLite: " + msg + " in: " + sql.substr(0, 200));
  }
}

/// A prepared statement, finalised on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      sqliteFail(db, "prepare " + sql.substr(0, 200));
  }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  /// One step: true for a row, false when done.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) sqliteFail(db_, "step");
    return false;
  }
  Stmt& text(int i, const std::string& s) {
    // Checked: SQLite copies the text and, when it cannot (out of memory), leaves the
    // parameter NULL; a NOT NULL constraint would then get the blame.
    if (sqlite3_bind_text(stmt_, i, s.c_str(), int(s.size()), SQLITE_TRANSIENT) != SQLITE_OK)
      sqliteFail(db_, "bind");
    return *this;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string quoteIdent(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string quoteLiteral(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

const char* sqlType(GpkgFieldType t) {
  switch (t) {
    case GpkgFieldType::Int32:
      return "MEDIUMINT";
    case GpkgFieldType::Int64:
      return "INTEGER";
    case GpkgFieldType::Real:
      return "REAL";
    case GpkgFieldType::Text:
      return "TEXT";
    case GpkgFieldType::Boolean:
      return "BOOLEAN";
    case GpkgFieldType::Date:
      return "DATE";
    case GpkgFieldType::DateTime:
      return "DATETIME";
  }
  return "TEXT";
}

const char* geometryTypeName(GpkgGeometryType t) {
  switch (t) {
    case GpkgGeometryType::Geometry:
      return "GEOMETRY";
    case GpkgGeometryType::Point:
      return "POINT";
    case GpkgGeometryType::LineString:
      return "LINESTRING";
    case GpkgGeometryType::Polygon:
      return "POLYGON";
    case GpkgGeometryType::MultiPoint:
      return "MULTIPOINT";
    case GpkgGeometryType::MultiLineString:
      return "MULTILINESTRING";
    case GpkgGeometryType::MultiPolygon:
      return "MULTIPOLYGON";
    case GpkgGeometryType::GeometryCollection:
      return "GEOMETRYCOLLECTION";
    case GpkgGeometryType::None:
      return "";
  }
  return "GEOMETRY";
}

bool tableExists(sqlite3* db, const std::string& name) {
  Stmt q(db,
         "SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?) AND type IN "
         "('table','view')");
  q.text(1, name);
  return q.step();
}

// --- the GeoPackage 1.2 metadata tables, as GDAL 3.6 creates them ----------------------------

constexpr const char* kWgs84Wkt =
    "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,"
    "AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,"
    "AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\","
    "\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

void createMetadataTables(sqlite3* db) {
  exec(db, "PRAGMA application_id = 1196444487");  // 'GPKG'
  exec(db, "PRAGMA user_version = 10200");         // GeoPackage 1.2, as GDAL 3.6
  exec(db,
       "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL,srs_id INTEGER NOT NULL "
       "PRIMARY KEY,organization TEXT NOT NULL,organization_coordsys_id INTEGER NOT NULL,"
       "definition  TEXT NOT NULL,description TEXT)");
  exec(db,
       "INSERT INTO gpkg_spatial_ref_sys (srs_name,srs_id,organization,organization_coordsys_id,"
       "definition,description) VALUES ('Undefined cartesian SRS',-1,'NONE',-1,'undefined',"
       "'undefined cartesian coordinate reference system'),('Undefined geographic SRS',0,'NONE',"
       "0,'undefined','undefined geographic coordinate reference system'),('WGS 84 geodetic',"
       "4326,'EPSG',4326," +
           quoteLiteral(kWgs84Wkt) +
           ",'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')");
  exec(db,
       "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY,data_type TEXT NOT "
       "NULL,identifier TEXT UNIQUE,description TEXT DEFAULT '',last_change DATETIME NOT NULL "
       "DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),min_x DOUBLE, min_y DOUBLE,max_x DOUBLE, "
       "max_y DOUBLE,srs_id INTEGER,CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES "
       "gpkg_spatial_ref_sys(srs_id))");
  exec(db,
       "CREATE TABLE gpkg_ogr_contents(table_name TEXT NOT NULL PRIMARY KEY,feature_count "
       "INTEGER DEFAULT NULL)");
  exec(db,
       "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL,column_name TEXT NOT NULL,"
       "geometry_type_name TEXT NOT NULL,srs_id INTEGER NOT NULL,z TINYINT NOT NULL,m TINYINT "
       "NOT NULL,CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),CONSTRAINT "
       "uk_gc_table_name UNIQUE (table_name),CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) "
       "REFERENCES gpkg_contents(table_name),CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) "
       "REFERENCES gpkg_spatial_ref_sys (srs_id))");
  exec(db,
       "CREATE TABLE gpkg_tile_matrix_set (table_name TEXT NOT NULL PRIMARY KEY,srs_id INTEGER "
       "NOT NULL,min_x DOUBLE NOT NULL,min_y DOUBLE NOT NULL,max_x DOUBLE NOT NULL,max_y DOUBLE "
       "NOT NULL,CONSTRAINT fk_gtms_table_name FOREIGN KEY (table_name) REFERENCES "
       "gpkg_contents(table_name),CONSTRAINT fk_gtms_srs FOREIGN KEY (srs_id) REFERENCES "
       "gpkg_spatial_ref_sys (srs_id))");
  exec(db,
       "CREATE TABLE gpkg_tile_matrix (table_name TEXT NOT NULL,zoom_level INTEGER NOT NULL,"
       "matrix_width INTEGER NOT NULL,matrix_height INTEGER NOT NULL,tile_width INTEGER NOT "
       "NULL,tile_height INTEGER NOT NULL,pixel_x_size DOUBLE NOT NULL,pixel_y_size DOUBLE NOT "
       "NULL,CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level),CONSTRAINT fk_tmm_table_name "
       "FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name))");
}

/// Adds the srs row of `epsg` unless present (definition: WKT1 from PROJ's database via OSR).
void ensureSrs(sqlite3* db, int epsg) {
  {
    Stmt q(db, "SELECT 1 FROM gpkg_spatial_ref_sys WHERE srs_id = ?");
    sqlite3_bind_int(q.get(), 1, epsg);
    if (q.step()) return;
  }
  ensureGdalRegistered();
  OGRSpatialReference srs;
  if (srs.importFromEPSG(epsg) != OGRERR_NONE)
    throw OptionError("epsg", "EPSG:" + std::to_string(epsg) + " is not a known CRS");
  char* raw = nullptr;
  if (srs.exportToWkt(&raw) != OGRERR_NONE || !raw) {
    CPLFree(raw);
    throw LibraryError("OSR: cannot export EPSG:" + std::to_string(epsg) + " as WKT");
  }
  const CplStringPtr wkt(raw);
  const char* name = srs.GetName();
  Stmt ins(db,
           "INSERT INTO gpkg_spatial_ref_sys (srs_name,srs_id,organization,"
           "organization_coordsys_id,definition,description) VALUES (?,?,'EPSG',?,?,NULL)");
  ins.text(1, name ? name : "EPSG:" + std::to_string(epsg));
  sqlite3_bind_int(ins.get(), 2, epsg);
  sqlite3_bind_int(ins.get(), 3, epsg);
  ins.text(4, wkt.get());
  ins.step();
}

/// Drops table `t` (geometry column `g`) with its rtree and every metadata row naming it.
void dropLayer(sqlite3* db, const std::string& t) {
  std::vector<std::string> geomColumns;
  if (tableExists(db, "gpkg_geometry_columns")) {
    Stmt q(db, "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name)=lower(?)");
    q.text(1, t);
    while (q.step())
      geomColumns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)));
  }
  for (const std::string& g : geomColumns) {
    const std::string rtree = "rtree_" + t + "_" + g;
    if (tableExists(db, rtree)) exec(db, "DROP TABLE " + quoteIdent(rtree));
  }
  exec(db, "DROP TABLE " + quoteIdent(t));
  for (const char* meta : {"gpkg_geometry_columns", "gpkg_extensions", "gpkg_ogr_contents",
                           "gpkg_data_columns", "gpkg_metadata_reference", "gpkg_contents"}) {
    if (!tableExists(db, meta)) continue;
    Stmt del(db, std::string("DELETE FROM ") + meta + " WHERE lower(table_name) = lower(?)");
    del.text(1, t);
    del.step();
  }
}

// --- WKB ---------------------------------------------------------------------------------------

class WkbReader {
 public:
  explicit WkbReader(std::span<const std::uint8_t> wkb) : wkb_(wkb) {}

  /// Extends the envelope by every coordinate of the geometry at the cursor.
  void geometry(int depth = 0) {
    if (depth > 32) throw bad("nesting deeper than 32");
    need(5);
    le_ = wkb_[pos_] == 1;
    if (wkb_[pos_] > 1) throw bad("byte order byte " + std::to_string(wkb_[pos_]));
    ++pos_;
    std::uint32_t type = u32();
    int dims = 2;
    // EWKB flags (PostGIS) and ISO thousands (1000 Z, 2000 M, 3000 ZM).
    if (type & 0x80000000u) ++dims;
    if (type & 0x40000000u) ++dims;
    type &= 0x0FFFFFFFu;
    const std::uint32_t thousands = type / 1000;
    if (thousands > 3) throw bad("geometry type " + std::to_string(type));
    dims += thousands == 3 ? 2 : (thousands > 0 ? 1 : 0);
    switch (type % 1000) {
      case 1:  // Point
        coords(1, dims);
        break;
      case 2:  // LineString
        coords(count(), dims);
        break;
      case 3: {  // Polygon
        const std::uint32_t rings = count();
        for (std::uint32_t r = 0; r < rings; ++r) coords(count(), dims);
        break;
      }
      case 4:
      case 5:
      case 6:
      case 7: {  // Multi*, GeometryCollection
        const std::uint32_t parts = count();
        for (std::uint32_t p = 0; p < parts; ++p) geometry(depth + 1);
        break;
      }
      default:
        throw bad("geometry type " + std::to_string(type));
    }
  }
  std::size_t position() const { return pos_; }
  bool any = false;
  double minx = 0, maxx = 0, miny = 0, maxy = 0;

 private:
  InputError bad(const std::string& why) const {
    return InputError({}, "invalid WKB at byte " + std::to_string(pos_) + ": " + why);
  }
  void need(std::size_t bytes) const {
    if (wkb_.size() - pos_ < bytes) throw bad("truncated");
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, wkb_.data() + pos_, 4);
    pos_ += 4;
    if (le_ != (std::endian::native == std::endian::little)) v = __builtin_bswap32(v);
    return v;
  }
  double f64() {
    need(8);
    std::uint64_t v;
    std::memcpy(&v, wkb_.data() + pos_, 8);
    pos_ += 8;
    if (le_ != (std::endian::native == std::endian::little)) v = __builtin_bswap64(v);
    return std::bit_cast<double>(v);
  }
  std::uint32_t count() {
    const std::uint32_t n = u32();
    if (n > wkb_.size()) throw bad("count " + std::to_string(n) + " larger than the WKB");
    return n;
  }
  void coords(std::uint32_t n, int dims) {
    need(std::size_t(n) * std::size_t(dims) * 8);
    for (std::uint32_t i = 0; i < n; ++i) {
      const double x = f64(), y = f64();
      pos_ += std::size_t(dims - 2) * 8;
      if (std::isnan(x) || std::isnan(y)) continue;  // an empty point
      if (!any) {
        minx = maxx = x;
        miny = maxy = y;
        any = true;
      } else {
        minx = std::min(minx, x);
        maxx = std::max(maxx, x);
        miny = std::min(miny, y);
        maxy = std::max(maxy, y);
      }
    }
  }

  std::span<const std::uint8_t> wkb_;
  std::size_t pos_ = 0;
  bool le_ = true;
};

template <typename T>
void put(std::vector<std::uint8_t>& out, std::size_t at, T v) {
  std::memcpy(out.data() + at, &v, sizeof(T));
}

constexpr std::uint8_t kNativeOrder = std::endian::native == std::endian::little ? 1 : 0;

}  // namespace

bool wkbEnvelope(std::span<const std::uint8_t> wkb, double& minx, double& maxx, double& miny,
                 double& maxy) {
  WkbReader r(wkb);
  r.geometry();
  if (!r.any) return false;
  minx = r.minx;
  maxx = r.maxx;
  miny = r.miny;
  maxy = r.maxy;
  return true;
}

void GpkgLayerOptions::validate() const {
  if (table.empty()) throw OptionError("table", "must not be empty");
  if (table.rfind("gpkg_", 0) == 0 || table.rfind("rtree_", 0) == 0 ||
      table.rfind("sqlite_", 0) == 0)
    throw OptionError("table", "'" + table + "' uses a reserved prefix (gpkg_, rtree_, sqlite_)");
  if (geometryColumn.empty()) throw OptionError("geometryColumn", "must not be empty");
  if (fidColumn.empty()) throw OptionError("fidColumn", "must not be empty");
  if (epsg < -1) throw OptionError("epsg", "must be -1, 0 or an EPSG code");
  if (expectedRows < 0) throw OptionError("expectedRows", "must be >= 0");
  if (!constraints.empty() && constraints.size() != fields.size())
    throw OptionError("constraints", "one per field (or none)");
  std::vector<std::string> seen{fidColumn, geometryColumn};
  for (const GpkgField& f : fields) {
    if (f.name.empty()) throw OptionError("fields", "a field has no name");
    for (const std::string& s : seen)
      if (sqlite3_stricmp(s.c_str(), f.name.c_str()) == 0)
        throw OptionError("fields", "field name '" + f.name + "' is used twice");
    seen.push_back(f.name);
  }
}

GpkgWriter::GpkgWriter(std::string path, GpkgLayerOptions options, Progress& progress)
    : path_(std::move(path)),
      options_(std::move(options)),
      progress_(progress),
      minX_(kNaN),
      minY_(kNaN),
      maxX_(kNaN),
      maxY_(kNaN) {
  options_.validate();
  try {
    open();
    createTable();
  } catch (...) {
    rollback();
    throw;
  }
}

GpkgWriter::GpkgWriter(sqlite3* db, GpkgLayerOptions options, Progress& progress)
    : options_(std::move(options)),
      progress_(progress),
      db_(db),
      attached_(true),
      minX_(kNaN),
      minY_(kNaN),
      maxX_(kNaN),
      maxY_(kNaN) {
  options_.validate();
  if (!db_) throw Error("GpkgWriter: no SQLite connection");
  if (sqlite3_get_autocommit(db_))
    throw Error("GpkgWriter: the connection is not in a transaction");
  if (const char* file = sqlite3_db_filename(db_, "main")) path_ = file;
  inTransaction_ = true;
  try {
    open();
    createTable();
  } catch (...) {
    rollback();
    throw;
  }
}

GpkgWriter::~GpkgWriter() { rollback(); }

void GpkgWriter::open() {
  if (attached_) {
    if (!tableExists(db_, "gpkg_contents") || !tableExists(db_, "gpkg_spatial_ref_sys") ||
        !tableExists(db_, "gpkg_geometry_columns"))
      throw InputError({path_, std::nullopt, ""},
                       "not a GeoPackage (no gpkg_contents, gpkg_spatial_ref_sys or "
                       "gpkg_geometry_columns)");
    return;
  }
  std::error_code ec;
  createdFile_ = !std::filesystem::exists(path_, ec);
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | kOneThread,
                      nullptr) != SQLITE_OK)
    sqliteFail(db_, "cannot open '" + path_ + "'");
  sqlite3_busy_timeout(db_, 5000);
  if (createdFile_) {
    // Nobody reads a file before it is committed, and a failed write removes it: no journal
    // file and no fsync. The rollback journal stays (in memory), so ROLLBACK still works.
    // 16 KiB pages (SQLite's default is 4 KiB; any page size makes a valid GeoPackage): fewer
    // page splits and writes, about 0.07 s less CPU for a million points with their R-tree
    // (docs/benchmarks.md, session 14). Set before the first table makes the first page.
    exec(db_, "PRAGMA page_size = 16384");
    exec(db_, "PRAGMA journal_mode = MEMORY");
    exec(db_, "PRAGMA synchronous = OFF");
  }
  exec(db_, "BEGIN IMMEDIATE");
  inTransaction_ = true;
  if (createdFile_) {
    createMetadataTables(db_);
    return;
  }
  bool isGpkg = false;
  {
    Stmt q(db_, "PRAGMA application_id");
    if (q.step()) isGpkg = sqlite3_column_int(q.get(), 0) == 1196444487;
  }
  if (!isGpkg || !tableExists(db_, "gpkg_contents") || !tableExists(db_, "gpkg_spatial_ref_sys"))
    throw InputError({path_, std::nullopt, ""},
                     "not a GeoPackage (no application_id 'GPKG' or no gpkg_contents)");
  if (!tableExists(db_, "gpkg_geometry_columns"))
    throw InputError({path_, std::nullopt, ""}, "GeoPackage without gpkg_geometry_columns");
}

void GpkgWriter::createTable() {
  const std::string& t = options_.table;
  const bool geometry = options_.geometryType != GpkgGeometryType::None;
  if (tableExists(db_, t)) {
    if (!options_.replace)
      throw InputError({path_, std::nullopt, ""}, "table '" + t + "' exists already");
    dropLayer(db_, t);
  }
  if (geometry) ensureSrs(db_, options_.epsg);
  // The column definitions as GDAL 3.6 writes them (GDALGeoPackageTableLayer's
  // GetColumnsOfCreateTable): fid, geometry, then each field with its constraints.
  std::string ddl = "CREATE TABLE " + quoteIdent(t) + " ( " + quoteIdent(options_.fidColumn) +
                    " INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL";
  // ?1 geometry (with one), then the fields, last the fid (NULL = next)
  std::string insert = "INSERT INTO " + quoteIdent(t) + " (";
  std::string params;
  if (geometry) {
    ddl +=
        ", " + quoteIdent(options_.geometryColumn) + " " + geometryTypeName(options_.geometryType);
    insert += quoteIdent(options_.geometryColumn);
    params = "?";
  }
  for (std::size_t i = 0; i < options_.fields.size(); ++i) {
    const GpkgField& f = options_.fields[i];
    ddl += ", " + quoteIdent(f.name) + " " + sqlType(f.type);
    if (i < options_.constraints.size()) {
      const GpkgFieldConstraints& c = options_.constraints[i];
      if (f.type == GpkgFieldType::Text && c.width > 0) ddl += "(" + std::to_string(c.width) + ")";
      if (c.notNull) ddl += " NOT NULL";
      if (c.unique) ddl += " UNIQUE";
      if (!c.defaultValue.empty()) ddl += " DEFAULT " + c.defaultValue;
    }
    insert += (params.empty() ? "" : ", ") + quoteIdent(f.name);
    params += params.empty() ? "?" : ",?";
  }
  exec(db_, ddl + ")");
  const std::string identifier = options_.identifier.empty() ? t : options_.identifier;
  if (geometry) {
    Stmt c(db_,
           "INSERT INTO gpkg_contents (table_name,data_type,identifier,description,last_change,"
           "srs_id) VALUES (?,'features',?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'),?)");
    c.text(1, t).text(2, identifier).text(3, options_.description);
    sqlite3_bind_int(c.get(), 4, options_.epsg);
    c.step();
    Stmt g(db_,
           "INSERT INTO gpkg_geometry_columns (table_name,column_name,geometry_type_name,srs_id,"
           "z,m) VALUES (?,?,?,?,0,0)");
    g.text(1, t).text(2, options_.geometryColumn).text(3, geometryTypeName(options_.geometryType));
    sqlite3_bind_int(g.get(), 4, options_.epsg);
    g.step();
  } else {
    Stmt c(db_,
           "INSERT INTO gpkg_contents (table_name,data_type,identifier,description,last_change,"
           "srs_id) VALUES (?,'attributes',?,?,strftime('%Y-%m-%dT%H:%M:%fZ','now'),0)");
    c.text(1, t).text(2, identifier).text(3, options_.description);
    c.step();
  }
  insert += std::string(params.empty() ? "" : ", ") + quoteIdent(options_.fidColumn);
  params += params.empty() ? "?" : ",?";
  if (geometry && options_.spatialIndex && options_.expectedRows > 0)
    reserveLarge(index_, std::size_t(options_.expectedRows));
  const std::string row = "(" + params + ")";
  if (sqlite3_prepare_v2(db_, (insert + ") VALUES " + row).c_str(), -1, &insert_, nullptr) !=
      SQLITE_OK)
    sqliteFail(db_, "prepare the INSERT");
  // Rows go in batches of batchRows_ per INSERT statement: one statement per row costs about
  // three times the CPU (the per-statement set-up and the AUTOINCREMENT bookkeeping in
  // sqlite_sequence, which SQLite does once per statement).
  const std::size_t perRow = options_.fields.size() + (geometry ? 2 : 1);
  batchRows_ = std::max<std::size_t>(1, std::min(kBatchRows, kMaxBoundParameters / perRow));
  if (batchRows_ > 1) {
    std::string sql = insert + ") VALUES " + row;
    for (std::size_t k = 1; k < batchRows_; ++k) sql += "," + row;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &insertBatch_, nullptr) != SQLITE_OK)
      sqliteFail(db_, "prepare the batch INSERT");
  }
  pending_.resize(batchRows_);
  for (PendingRow& r : pending_) r.values.resize(options_.fields.size());
}

void GpkgWriter::checkValues(std::span<const GpkgValue> values, std::int64_t fid) {
  if (done_) throw Error("GpkgWriter: rows added after commit()");
  if (values.size() != options_.fields.size())
    throw InputError({path_, rows_ + 1, ""}, std::to_string(values.size()) + " values for " +
                                                 std::to_string(options_.fields.size()) +
                                                 " fields");
  for (std::size_t i = 0; i < values.size(); ++i) {
    const GpkgFieldType type = options_.fields[i].type;
    const GpkgValue& v = values[i];
    const auto mismatch = [&](const char* expected) {
      return InputError({path_, rows_ + 1, options_.fields[i].name},
                        std::string("expected ") + expected + " or NULL");
    };
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      if (type == GpkgFieldType::Int32 && (*n < INT32_MIN || *n > INT32_MAX))
        throw mismatch("a 32-bit integer");
      if (type == GpkgFieldType::Boolean && *n != 0 && *n != 1) throw mismatch("0 or 1");
      if (type != GpkgFieldType::Real && type != GpkgFieldType::Int32 &&
          type != GpkgFieldType::Int64 && type != GpkgFieldType::Boolean)
        throw mismatch(sqlType(type));
    } else if (std::holds_alternative<double>(v)) {
      if (type != GpkgFieldType::Real) throw mismatch(sqlType(type));
    } else if (std::holds_alternative<std::string>(v)) {
      if (type != GpkgFieldType::Text && type != GpkgFieldType::Date &&
          type != GpkgFieldType::DateTime)
        throw mismatch(sqlType(type));
    }
  }
  // The fid: the given one, else the next after the largest so far, which is what SQLite's
  // AUTOINCREMENT gives in a table this writer created (explicit fids also let the index
  // entries be made without asking SQLite for the rowid).
  PendingRow& row = pending_[pendingCount_];
  row.fid = fid > 0 ? fid : maxFid_ + 1;
  maxFid_ = std::max(maxFid_, row.fid);
  for (std::size_t i = 0; i < values.size(); ++i) row.values[i] = values[i];
}

void GpkgWriter::bindRow(sqlite3_stmt* stmt, int first, const PendingRow& row) {
  int rc = SQLITE_OK;
  if (options_.geometryType != GpkgGeometryType::None) {
    rc = row.nullGeometry
             ? sqlite3_bind_null(stmt, first)
             : sqlite3_bind_blob(stmt, first, row.blob.data(), int(row.blob.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK) sqliteFail(db_, "bind the geometry");
    ++first;
  }
  for (std::size_t i = 0; i < row.values.size(); ++i) {
    const int col = first + int(i);
    const GpkgValue& v = row.values[i];
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(stmt, col);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      rc = options_.fields[i].type == GpkgFieldType::Real
               ? sqlite3_bind_double(stmt, col, double(*n))
               : sqlite3_bind_int64(stmt, col, *n);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = std::isnan(*d) ? sqlite3_bind_null(stmt, col) : sqlite3_bind_double(stmt, col, *d);
    } else {
      const auto& s = std::get<std::string>(v);
      rc = sqlite3_bind_text(stmt, col, s.data(), int(s.size()), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) sqliteFail(db_, "bind");
  }
  if (sqlite3_bind_int64(stmt, first + int(row.values.size()), row.fid) != SQLITE_OK)
    sqliteFail(db_, "bind fid");
}

void GpkgWriter::flush() {
  if (pendingCount_ == 0) return;
  const int perRow =
      int(options_.fields.size()) + (options_.geometryType == GpkgGeometryType::None ? 1 : 2);
  const std::int64_t firstRow = rows_ - std::int64_t(pendingCount_) + 1;
  if (pendingCount_ == batchRows_ && insertBatch_) {
    for (std::size_t k = 0; k < pendingCount_; ++k)
      bindRow(insertBatch_, 1 + int(k) * perRow, pending_[k]);
    if (sqlite3_step(insertBatch_) != SQLITE_DONE)
      sqliteFail(db_, "insert rows " + std::to_string(firstRow) + "-" + std::to_string(rows_));
    sqlite3_reset(insertBatch_);
  } else {
    for (std::size_t k = 0; k < pendingCount_; ++k) {
      bindRow(insert_, 1, pending_[k]);
      if (sqlite3_step(insert_) != SQLITE_DONE)
        sqliteFail(db_, "insert row " + std::to_string(firstRow + std::int64_t(k)));
      sqlite3_reset(insert_);
    }
  }
  pendingCount_ = 0;
}

void GpkgWriter::insertRow(const double* box, bool nullGeometry) {
  PendingRow& row = pending_[pendingCount_];
  row.nullGeometry = nullGeometry;
  if (box && options_.spatialIndex)
    index_.push_back(GpkgRtreeEntry::of(row.fid, box[0], box[1], box[2], box[3]));
  ++rows_;
  if (++pendingCount_ == batchRows_) flush();
  if (rows_ % kCancelCheckRows == 0) {
    if (progress_.isCancelled()) throw CancelledError();
    if (options_.expectedRows > 0)
      progress_.setFraction(kRowsShare *
                            std::min(1.0, double(rows_) / double(options_.expectedRows)));
  }
}

void GpkgWriter::extend(double minx, double maxx, double miny, double maxy) {
  if (std::isnan(minX_)) {
    minX_ = minx;
    maxX_ = maxx;
    minY_ = miny;
    maxY_ = maxy;
    return;
  }
  minX_ = std::min(minX_, minx);
  maxX_ = std::max(maxX_, maxx);
  minY_ = std::min(minY_, miny);
  maxY_ = std::max(maxY_, maxy);
}

void GpkgWriter::addPoint(double x, double y, std::span<const GpkgValue> values, std::int64_t fid) {
  if (options_.geometryType == GpkgGeometryType::None)
    throw Error("GpkgWriter: a geometry for the attribute table '" + options_.table + "'");
  checkValues(values, fid);
  const bool empty = !std::isfinite(x) || !std::isfinite(y);
  // As GDAL writes points: no envelope in the header, the flags say native byte order.
  std::vector<std::uint8_t>& blob = pending_[pendingCount_].blob;
  blob.assign(8 + 21, 0);
  blob[0] = 'G';
  blob[1] = 'P';
  blob[2] = 0;
  blob[3] = std::uint8_t(kNativeOrder | (empty ? 0x10u : 0u));
  put<std::int32_t>(blob, 4, options_.epsg);
  blob[8] = kNativeOrder;
  put<std::uint32_t>(blob, 9, 1);
  put<double>(blob, 13, empty ? kNaN : x);
  put<double>(blob, 21, empty ? kNaN : y);
  const double box[4] = {x, x, y, y};
  if (empty)
    ++empty_;
  else
    extend(x, x, y, y);
  insertRow(empty ? nullptr : box);
}

void GpkgWriter::addWkb(std::span<const std::uint8_t> wkb, std::span<const GpkgValue> values,
                        std::int64_t fid) {
  if (options_.geometryType == GpkgGeometryType::None)
    throw Error("GpkgWriter: a geometry for the attribute table '" + options_.table + "'");
  checkValues(values, fid);
  if (wkb.empty()) {
    ++empty_;
    insertRow(nullptr, true);
    return;
  }
  WkbReader r(wkb);
  try {
    r.geometry();
  } catch (const InputError& e) {
    throw InputError({path_, rows_ + 1, options_.geometryColumn}, e.what());
  }
  if (r.position() != wkb.size())
    throw InputError({path_, rows_ + 1, options_.geometryColumn},
                     "WKB has " + std::to_string(wkb.size() - r.position()) + " trailing bytes");
  // Envelope code 1 (minx, maxx, miny, maxy) except for empty geometries, as GDAL.
  const std::size_t header = r.any ? 8 + 32 : 8;
  std::vector<std::uint8_t>& blob = pending_[pendingCount_].blob;
  blob.assign(header + wkb.size(), 0);
  blob[0] = 'G';
  blob[1] = 'P';
  blob[3] = std::uint8_t(kNativeOrder | (r.any ? 0x02u : 0x10u));
  put<std::int32_t>(blob, 4, options_.epsg);
  if (r.any) {
    put<double>(blob, 8, r.minx);
    put<double>(blob, 16, r.maxx);
    put<double>(blob, 24, r.miny);
    put<double>(blob, 32, r.maxy);
    extend(r.minx, r.maxx, r.miny, r.maxy);
  } else {
    ++empty_;
  }
  std::memcpy(blob.data() + header, wkb.data(), wkb.size());
  const double box[4] = {r.minx, r.maxx, r.miny, r.maxy};
  insertRow(r.any ? box : nullptr);
}

void GpkgWriter::addGeometry(const OGRGeometry* geometry, std::span<const GpkgValue> values,
                             std::int64_t fid) {
  if (!geometry) {
    addWkb({}, values, fid);
    return;
  }
  if (wkbFlatten(geometry->getGeometryType()) == wkbPoint) {
    const auto* p = geometry->toPoint();
    if (p->IsEmpty())
      addPoint(kNaN, kNaN, values, fid);
    else
      addPoint(p->getX(), p->getY(), values, fid);
    return;
  }
  wkb_.resize(std::size_t(geometry->WkbSize()));
  if (geometry->exportToWkb(wkbNDR, wkb_.data(), wkbVariantIso) != OGRERR_NONE)
    throw InputError({path_, rows_ + 1, options_.geometryColumn}, "geometry cannot be exported");
  addWkb(wkb_, values, fid);
}

void GpkgWriter::addRow(std::span<const GpkgValue> values, std::int64_t fid) {
  if (options_.geometryType != GpkgGeometryType::None)
    throw Error("GpkgWriter: a row without geometry for the feature table '" + options_.table +
                "'; use addWkb with an empty span for a NULL geometry");
  checkValues(values, fid);
  insertRow(nullptr, true);
}

GpkgWriteResult GpkgWriter::commit() {
  if (done_ || !inTransaction_) throw Error("GpkgWriter: commit() called twice");
  if (progress_.isCancelled()) throw CancelledError();
  flush();
  sqlite3_finalize(insert_);
  insert_ = nullptr;
  sqlite3_finalize(insertBatch_);
  insertBatch_ = nullptr;
  pending_.clear();
  pending_.shrink_to_fit();
  GpkgWriteResult result;
  result.rows = rows_;
  result.emptyGeometries = empty_;
  result.createdFile = createdFile_;
  const std::string& t = options_.table;
  if (!std::isnan(minX_)) {
    result.minX = minX_;
    result.minY = minY_;
    result.maxX = maxX_;
    result.maxY = maxY_;
    Stmt u(db_, "UPDATE gpkg_contents SET min_x=?,min_y=?,max_x=?,max_y=? WHERE table_name=?");
    sqlite3_bind_double(u.get(), 1, minX_);
    sqlite3_bind_double(u.get(), 2, minY_);
    sqlite3_bind_double(u.get(), 3, maxX_);
    sqlite3_bind_double(u.get(), 4, maxY_);
    u.text(5, t);
    u.step();
  }
  // GDAL's feature count and the two triggers GDAL 3.6 keeps it current with.
  if (tableExists(db_, "gpkg_ogr_contents")) {
    Stmt c(db_, "INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES (?, ?)");
    c.text(1, t);
    // As GDAL: a layer created without features has an unknown (NULL) count.
    if (rows_ > 0)
      sqlite3_bind_int64(c.get(), 2, rows_);
    else
      sqlite3_bind_null(c.get(), 2);
    c.step();
    const std::string lit = quoteLiteral(t);
    exec(db_, "CREATE TRIGGER " + quoteIdent("trigger_insert_feature_count_" + t) +
                  " AFTER INSERT ON " + quoteIdent(t) +
                  " BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE "
                  "lower(table_name) = lower(" +
                  lit + "); END;");
    exec(db_, "CREATE TRIGGER " + quoteIdent("trigger_delete_feature_count_" + t) +
                  " AFTER DELETE ON " + quoteIdent(t) +
                  " BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 WHERE "
                  "lower(table_name) = lower(" +
                  lit + "); END;");
  }
  if (options_.spatialIndex && options_.geometryType != GpkgGeometryType::None) {
    const double begin = options_.expectedRows > 0 ? kRowsShare : 0.0;
    SubProgress indexProgress(progress_, begin, 1.0);
    result.index = bulkCreateGpkgRtree(db_, t, options_.geometryColumn, std::move(index_), empty_,
                                       indexProgress);
  }
  if (progress_.isCancelled()) throw CancelledError();
  if (attached_) {  // the caller commits
    inTransaction_ = false;
    done_ = true;
    db_ = nullptr;
    progress_.setFraction(1.0);
    return result;
  }
  exec(db_, "COMMIT");
  inTransaction_ = false;
  done_ = true;
  sqlite3_close(db_);
  db_ = nullptr;
  progress_.setFraction(1.0);
  return result;
}

void GpkgWriter::rollback() noexcept {
  if (insert_) sqlite3_finalize(insert_);
  insert_ = nullptr;
  if (insertBatch_) sqlite3_finalize(insertBatch_);
  insertBatch_ = nullptr;
  if (attached_) {  // the caller's connection and transaction: the caller rolls back
    db_ = nullptr;
    inTransaction_ = false;
    return;
  }
  if (db_) {
    if (inTransaction_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
    db_ = nullptr;
  }
  inTransaction_ = false;
  if (createdFile_ && !done_) {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    std::filesystem::remove(path_ + "-journal", ec);
    std::filesystem::remove(path_ + "-wal", ec);
    std::filesystem::remove(path_ + "-shm", ec);
  }
}

// ---- reading a point table ------------------------------------------------------------------

void GpkgPointReadOptions::validate() const {
  if (table.empty()) throw OptionError("table", "must not be empty");
  if (fidColumn.empty()) throw OptionError("fidColumn", "must not be empty");
  if (geometryColumn.empty()) throw OptionError("geometryColumn", "must not be empty");
  for (const GpkgField& f : fields)
    if (f.name.empty()) throw OptionError("fields", "a field has no name");
}

namespace {

/// A read-only connection, closed on scope exit.
struct ReadConnection {
  sqlite3* db = nullptr;
  ~ReadConnection() { sqlite3_close(db); }
};

template <typename T>
T getAs(const unsigned char* p, bool littleEndian) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  if (littleEndian != (std::endian::native == std::endian::little)) {
    if constexpr (sizeof(T) == 4)
      v = std::bit_cast<T>(__builtin_bswap32(std::bit_cast<std::uint32_t>(v)));
    else
      v = std::bit_cast<T>(__builtin_bswap64(std::bit_cast<std::uint64_t>(v)));
  }
  return v;
}

bool isPointType(std::uint32_t type) {
  const std::uint32_t flat = type & 0x0fffffffu;  // ISO codes; EWKB Z/M/SRID flags dropped
  return flat == 1 || flat == 1001 || flat == 2001 || flat == 3001;
}
bool isMultiPointType(std::uint32_t type) {
  const std::uint32_t flat = type & 0x0fffffffu;
  return flat == 4 || flat == 1004 || flat == 2004 || flat == 3004;
}

enum class BlobPoint { Point, NoPoint, Broken };

/// The point of a GeoPackage geometry blob (GeoPackage 1.2 §2.1.3), or the first point of a
/// multipoint; NoPoint for an empty geometry, NaN coordinates or another geometry type.
BlobPoint pointOfBlob(const unsigned char* blob, int size, bool multiPointFirst, double& x,
                      double& y) {
  if (size < 8 || blob[0] != 'G' || blob[1] != 'P') return BlobPoint::Broken;
  const unsigned flags = blob[3];
  const unsigned envCode = (flags >> 1) & 7u;
  static constexpr int kEnvBytes[] = {0, 32, 48, 48, 64};
  if (envCode > 4) return BlobPoint::Broken;
  if (flags & 0x10u) return BlobPoint::NoPoint;  // empty geometry
  const unsigned char* wkb = blob + 8 + kEnvBytes[envCode];
  std::ptrdiff_t left = size - 8 - kEnvBytes[envCode];
  if (left < 5) return BlobPoint::Broken;
  bool le = wkb[0] == 1;
  std::uint32_t type = getAs<std::uint32_t>(wkb + 1, le);
  if (isMultiPointType(type)) {
    if (!multiPointFirst) return BlobPoint::NoPoint;
    if (left < 9) return BlobPoint::Broken;
    if (getAs<std::uint32_t>(wkb + 5, le) == 0) return BlobPoint::NoPoint;
    wkb += 9;
    left -= 9;
    if (left < 5) return BlobPoint::Broken;
    le = wkb[0] == 1;
    type = getAs<std::uint32_t>(wkb + 1, le);
  }
  if (!isPointType(type)) return BlobPoint::NoPoint;
  if (left < 21) return BlobPoint::Broken;
  x = getAs<double>(wkb + 5, le);
  y = getAs<double>(wkb + 13, le);
  return std::isnan(x) || std::isnan(y) ? BlobPoint::NoPoint : BlobPoint::Point;
}

/// A field as the options' type says: integers (Boolean too), reals, text (Date and DateTime
/// too, as SQLite holds them); SQL NULL as Null.
GpkgCell columnCell(sqlite3_stmt* q, int col, GpkgFieldType type) {
  GpkgCell c;
  if (sqlite3_column_type(q, col) == SQLITE_NULL) return c;
  switch (type) {
    case GpkgFieldType::Int32:
    case GpkgFieldType::Int64:
    case GpkgFieldType::Boolean:
      c.kind = GpkgCell::Kind::Integer;
      c.integer = sqlite3_column_int64(q, col);
      break;
    case GpkgFieldType::Real:
      c.kind = GpkgCell::Kind::Real;
      c.real = sqlite3_column_double(q, col);
      break;
    case GpkgFieldType::Text:
    case GpkgFieldType::Date:
    case GpkgFieldType::DateTime: {
      c.kind = GpkgCell::Kind::Text;
      const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(q, col));
      if (t) c.text = std::string_view(t, std::size_t(sqlite3_column_bytes(q, col)));
      break;
    }
  }
  return c;
}

/// The same as a GpkgValue, owning its text.
GpkgValue columnValue(sqlite3_stmt* q, int col, GpkgFieldType type) {
  const GpkgCell c = columnCell(q, col, type);
  switch (c.kind) {
    case GpkgCell::Kind::Null:
      return {};
    case GpkgCell::Kind::Integer:
      return c.integer;
    case GpkgCell::Kind::Real:
      return c.real;
    case GpkgCell::Kind::Text:
      return std::string(c.text);
  }
  return {};
}

}  // namespace

GpkgPoints readGpkgPoints(const std::string& path, const GpkgPointReadOptions& options,
                          Progress& progress) {
  options.validate();
  ReadConnection c;
  if (sqlite3_open_v2(path.c_str(), &c.db, SQLITE_OPEN_READONLY | kOneThread, nullptr) != SQLITE_OK)
    throw InputError({path, std::nullopt, ""}, std::string("cannot open as SQLite: ") +
                                                   (c.db ? sqlite3_errmsg(c.db) : "out of memory"));
  sqlite3_busy_timeout(c.db, 5000);
  // Every column must exist: SQLite would read an unknown "name" as a string literal.
  {
    std::vector<std::string> columns;
    Stmt info(c.db, "PRAGMA table_info(" + quoteIdent(options.table) + ")");
    while (info.step())
      columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 1)));
    if (columns.empty())
      throw InputError({path, std::nullopt, ""}, "no table '" + options.table + "'");
    std::vector<std::string> wanted{options.fidColumn, options.geometryColumn};
    for (const GpkgField& f : options.fields) wanted.push_back(f.name);
    for (const std::string& w : wanted) {
      bool found = false;
      for (const std::string& have : columns)
        found = found || sqlite3_stricmp(have.c_str(), w.c_str()) == 0;
      if (!found)
        throw InputError({path, std::nullopt, w},
                         "table '" + options.table + "' has no such column");
    }
  }
  return scanGpkgPoints(c.db, path, options, progress);
}

namespace {

/// The row count GDAL keeps for `table` (0 when there is none or it cannot be read). Our own
/// SELECT: OGR's GetFeatureCount() counts when the kept count is NULL and then stores it on
/// close, a write, which a read (e.g. under a user's filter) must never make.
std::int64_t keptRowCount(sqlite3* db, const std::string& table) {
  try {
    if (!tableExists(db, "gpkg_ogr_contents")) return 0;
    Stmt q(db, "SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?)");
    q.text(1, table);
    return q.step() ? std::max<std::int64_t>(0, sqlite3_column_int64(q.get(), 0)) : 0;
  } catch (const LibraryError&) {
    return 0;  // only a hint: the scan itself reports a connection that fails
  }
}
}  // namespace

GpkgPoints scanGpkgPoints(sqlite3* db, const std::string& path, const GpkgPointReadOptions& options,
                          Progress& progress, GpkgRowSink* sink,
                          std::optional<std::int64_t> expectedRows) {
  options.validate();
  const std::int64_t expected = expectedRows ? *expectedRows : keptRowCount(db, options.table);
  std::string sql =
      "SELECT " + quoteIdent(options.fidColumn) + ", " + quoteIdent(options.geometryColumn);
  for (const GpkgField& f : options.fields) sql += ", " + quoteIdent(f.name);
  sql += " FROM " + quoteIdent(options.table);
  if (!options.where.empty()) sql += " WHERE (" + options.where + ")";
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK)
    throw InputError({path, std::nullopt, options.table},
                     std::string("cannot read the table: ") + sqlite3_errmsg(db));
  const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> q(raw, sqlite3_finalize);
  GpkgPoints out;
  if (!sink) out.columns.resize(options.fields.size());
  const bool streamed = sink && sink->takesPoints();
  if (expected > 0 && options.where.empty()) {  // a filter may keep far fewer rows
    if (!streamed) {
      reserveLarge(out.points, std::size_t(expected));
      reserveLarge(out.fids, std::size_t(expected));
    }
    for (auto& col : out.columns) reserveLarge(col, std::size_t(expected));
    if (sink) sink->expect(std::size_t(expected));
  }
  std::vector<GpkgCell> cells(sink ? options.fields.size() : 0);
  std::int64_t done = 0;
  for (;;) {
    const int rc = sqlite3_step(q.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) sqliteFail(db, "read " + options.table);
    if (++done % kCancelCheckRows == 0) {
      if (progress.isCancelled()) throw CancelledError();
      if (expected > 0) progress.setFraction(std::min(1.0, double(done) / double(expected)));
    }
    const std::int64_t fid = sqlite3_column_int64(q.get(), 0);
    const auto* blob = static_cast<const unsigned char*>(sqlite3_column_blob(q.get(), 1));
    double x = 0, y = 0;
    const BlobPoint kind =
        blob ? pointOfBlob(blob, sqlite3_column_bytes(q.get(), 1), options.multiPointFirst, x, y)
             : BlobPoint::NoPoint;
    if (kind == BlobPoint::Broken)
      throw InputError({path, fid, options.geometryColumn}, "invalid GeoPackage geometry blob");
    if (kind == BlobPoint::NoPoint) {
      out.withoutPoint.push_back(fid);
      continue;
    }
    if (streamed) {
      sink->point(fid, {x, y});
    } else {
      out.points.push_back({x, y});
      out.fids.push_back(fid);
    }
    if (sink) {
      for (std::size_t i = 0; i < cells.size(); ++i)
        cells[i] = columnCell(q.get(), int(i) + 2, options.fields[i].type);
      if (!sink->row(cells)) break;
      continue;
    }
    for (std::size_t i = 0; i < options.fields.size(); ++i)
      out.columns[i].push_back(columnValue(q.get(), int(i) + 2, options.fields[i].type));
  }
  progress.setFraction(1.0);
  return out;
}

}  // namespace veldwacht::geo
