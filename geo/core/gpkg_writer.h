// Fast GeoPackage feature-table writer: rows go straight into SQLite through one prepared
// INSERT inside one transaction, geometries as GeoPackage blobs (header + envelope + ISO WKB,
// GeoPackage 1.2 §2.1.3), then the spatial index in one pass (gpkg_rtree.h).
//
// Why: GDAL 3.6 (and QGIS's QgsFeatureSink over it) writes one OGRFeature at a time, converts
// every field through OGRField and fills the R-tree with one INSERT per row; for 1M points that
// costs several times the analysis itself. Here a row is one sqlite3_step with bound values.
//
// New files (the usual case: Processing's temporary output, a file the user names) are written
// with `journal_mode=MEMORY` and `synchronous=OFF`: nobody else can see the file before the
// commit, and a failed or cancelled write removes it. An existing file keeps SQLite's defaults.
//
// What a reader sees is what GDAL writes: the required gpkg_* tables (a new file gets them all,
// with application_id 'GPKG' and user_version 10200), the layer's gpkg_contents row with its
// extent, its gpkg_geometry_columns row, its srs row (the WKT from PROJ via OSR), GDAL's
// gpkg_ogr_contents feature count with GDAL's two triggers, and the gpkg_rtree_index extension.
// QGIS and GDAL open the result as an ordinary layer.
//
// All or nothing: everything (DDL, rows, index) happens in one transaction. Cancel, an error or
// destroying the writer without commit() rolls it back; a file the writer created is removed.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "geo/core/gpkg_rtree.h"
#include "geo/core/progress.h"
#include "geo/core/types.h"

struct sqlite3;
struct sqlite3_stmt;
class OGRGeometry;

namespace veldwacht::geo {

/// Column types as GDAL maps them (OGR type in brackets).
enum class GpkgFieldType {
  Int32,     ///< MEDIUMINT (OFTInteger)
  Int64,     ///< INTEGER (OFTInteger64)
  Real,      ///< REAL (OFTReal)
  Text,      ///< TEXT (OFTString)
  Boolean,   ///< BOOLEAN, stored 0/1 (OFTInteger, subtype OFSTBoolean)
  Date,      ///< DATE, ISO text 'YYYY-MM-DD' (OFTDate)
  DateTime,  ///< DATETIME, ISO text 'YYYY-MM-DDTHH:MM:SS.SSSZ' (OFTDateTime)
};

struct GpkgField {
  std::string name;
  GpkgFieldType type = GpkgFieldType::Text;
};

/// Column constraints of one field as GDAL writes them for an OGRFieldDefn: TEXT(width) for a
/// Text field with a width (> 0), NOT NULL, UNIQUE, DEFAULT <defaultValue> (an SQL literal or
/// expression, e.g. 'x' or CURRENT_TIMESTAMP, as OGRFieldDefn::SetDefault takes it).
struct GpkgFieldConstraints {
  int width = 0;
  bool notNull = false;
  bool unique = false;
  std::string defaultValue;
};

/// The geometry_type_name of gpkg_geometry_columns (2D).
enum class GpkgGeometryType {
  Geometry,
  Point,
  LineString,
  Polygon,
  MultiPoint,
  MultiLineString,
  MultiPolygon,
  GeometryCollection,
  None,  ///< an attribute table (gpkg_contents data_type 'attributes', no geometry column)
};

struct GpkgLayerOptions {
  std::string table;                    ///< the new feature table
  std::string identifier;               ///< gpkg_contents.identifier; empty = table
  std::string geometryColumn = "geom";  ///< as GDAL's default
  std::string fidColumn = "fid";
  GpkgGeometryType geometryType = GpkgGeometryType::Point;
  int epsg = kWorkingEpsg;  ///< EPSG code of the coordinates; -1 / 0 = undefined
  std::vector<GpkgField> fields;
  /// Parallel to `fields` (or empty: no constraints).
  std::vector<GpkgFieldConstraints> constraints;
  bool spatialIndex = true;  ///< build the gpkg_rtree_index at commit()
  /// An existing table of the same name is dropped (with its index and metadata rows) in the
  /// same transaction; false makes an existing table an InputError.
  bool replace = false;
  std::string description;
  /// Rows expected, only to report progress while adding (0 = unknown: progress stays at 0
  /// until commit()).
  std::int64_t expectedRows = 0;

  void validate() const;
};

/// One attribute value: NULL, integer (also Boolean 0/1), real, text (also Date/DateTime).
/// The alternative must fit the field's type (checked per row). The same type as
/// layers::Value, so a store Record's values can be passed as they are.
using GpkgValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct GpkgWriteResult {
  std::int64_t rows = 0;
  std::int64_t emptyGeometries = 0;  ///< NULL or empty geometries
  bool createdFile = false;          ///< the file did not exist before
  GpkgRtreeResult index;             ///< index.indexed == 0 when spatialIndex was false
  double minX = 0, minY = 0, maxX = 0, maxY = 0;  ///< extent in gpkg_contents (all 0 if none)
};

/// Writes one feature table. Not thread-safe; one writer per file at a time, and no other
/// connection may write the file meanwhile.
class GpkgWriter {
 public:
  /// Opens (or creates) `path`, begins the transaction and creates the table. `progress` is
  /// checked for cancel while adding rows and receives the progress of rows and index
  /// (rows [0, 0.8), index [0.8, 1) when options.expectedRows > 0; index [0, 1) otherwise).
  /// Throws OptionError for invalid options, InputError for an existing table (replace=false)
  /// or a file that is not a GeoPackage, LibraryError for SQLite failures.
  GpkgWriter(std::string path, GpkgLayerOptions options, Progress& progress = nullProgress());
  /// Writes into an open connection inside the caller's running transaction (e.g. the store's,
  /// through GDAL's handle): no BEGIN, COMMIT or close here. The GeoPackage tables must exist.
  /// commit() completes the table (extent, feature count and triggers, spatial index) and
  /// leaves the COMMIT to the caller; an error or cancel throws and leaves the rollback to the
  /// caller too. Throws Error when `db` is not inside a transaction.
  GpkgWriter(sqlite3* db, GpkgLayerOptions options, Progress& progress = nullProgress());
  ~GpkgWriter();  ///< without commit(): rolls back, and removes a file it created
  GpkgWriter(const GpkgWriter&) = delete;
  GpkgWriter& operator=(const GpkgWriter&) = delete;

  /// Adds a row with a point geometry (non-finite x or y: an empty point). `values` holds one
  /// value per field of the options, in order. `fid` > 0 sets the row's fid (it must be new);
  /// otherwise SQLite assigns the next one.
  void addPoint(double x, double y, std::span<const GpkgValue> values, std::int64_t fid = 0);
  /// Adds a row with an ISO WKB geometry (little or big endian, 2D/Z/M/ZM; an empty span is a
  /// NULL geometry). Throws InputError for WKB that cannot be parsed.
  void addWkb(std::span<const std::uint8_t> wkb, std::span<const GpkgValue> values,
              std::int64_t fid = 0);
  /// Adds a row with an OGR geometry (nullptr = NULL; points take addPoint's path).
  void addGeometry(const OGRGeometry* geometry, std::span<const GpkgValue> values,
                   std::int64_t fid = 0);
  /// Adds a row of an attribute table (GpkgGeometryType::None).
  void addRow(std::span<const GpkgValue> values, std::int64_t fid = 0);

  /// Writes the extent, the feature count, builds the spatial index and commits (on the
  /// caller's connection: everything but the COMMIT). The writer is done afterwards (further
  /// adds throw).
  GpkgWriteResult commit();

  std::int64_t rowsAdded() const { return rows_; }
  const std::string& path() const { return path_; }

 private:
  void open();
  void createTable();
  /// A row waiting for its batch INSERT: the writer's own copy of the values and blob (reused
  /// from batch to batch, so a full batch allocates nothing).
  struct PendingRow {
    std::vector<std::uint8_t> blob;
    bool nullGeometry = false;
    std::vector<GpkgValue> values;
    std::int64_t fid = 0;
  };
  /// Checks the values against the fields (InputError naming row and field) and copies them
  /// and the row's fid into the next pending row.
  void checkValues(std::span<const GpkgValue> values, std::int64_t fid);
  void bindRow(sqlite3_stmt* stmt, int first, const PendingRow& row);
  /// Queues the pending row; `box` (minx, maxx, miny, maxy) is its envelope for the spatial
  /// index, nullptr for a NULL or empty geometry; `nullGeometry`: the row's geometry is SQL
  /// NULL (else the pending row's blob). A full batch is inserted.
  void insertRow(const double* box, bool nullGeometry = false);
  /// Inserts the pending rows (one batch statement when the batch is full, else row by row).
  void flush();
  void extend(double minx, double maxx, double miny, double maxy);
  void rollback() noexcept;

  std::string path_;
  GpkgLayerOptions options_;
  Progress& progress_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;       ///< one row
  sqlite3_stmt* insertBatch_ = nullptr;  ///< batchRows_ rows (none when batchRows_ == 1)
  std::size_t batchRows_ = 1;
  std::vector<PendingRow> pending_;  ///< batchRows_ slots
  std::size_t pendingCount_ = 0;
  std::int64_t maxFid_ = 0;
  bool createdFile_ = false;
  bool attached_ = false;  ///< the caller's connection and transaction
  bool inTransaction_ = false;
  bool done_ = false;
  std::int64_t rows_ = 0;
  std::int64_t empty_ = 0;
  double minX_, minY_, maxX_, maxY_;
  std::vector<std::uint8_t> wkb_;  ///< reused WKB buffer (addGeometry)
  /// The index entries, collected while adding (so commit() does not read the table back).
  std::vector<GpkgRtreeEntry> index_;
};

/// Which point table readGpkgPoints reads, and which of its columns.
struct GpkgPointReadOptions {
  std::string table;
  std::string fidColumn = "fid";
  std::string geometryColumn = "geom";
  /// Columns to read, by name. Integer and Boolean columns come back as std::int64_t, Real as
  /// double, Text, Date and DateTime as the stored text; SQL NULL as std::monostate.
  std::vector<GpkgField> fields;
  /// An SQL expression the rows must satisfy (put after WHERE in parentheses); empty = all
  /// rows. The caller vouches for it: it must be SQL it generated and checked itself (e.g. the
  /// store's FilterSql), never a user's text.
  std::string where;
  /// A multipoint gives its first point (QGIS's point reading); false: it counts as a row
  /// without a point (the store's analyses take a multipoint's centroid on their own path).
  bool multiPointFirst = true;

  void validate() const;
};

/// The rows of a GeoPackage point table, column by column, in rowid order (as GDAL reads them).
struct GpkgPoints {
  std::vector<Point> points;                    ///< coordinates as stored (the table's CRS)
  std::vector<std::int64_t> fids;               ///< per point
  std::vector<std::vector<GpkgValue>> columns;  ///< [field][point], fields as in the options
  /// fids of the rows without a usable point (NULL, empty, NaN or a non-point geometry); a
  /// multipoint gives its first point, as QGIS's point reading does.
  std::vector<std::int64_t> withoutPoint;
};

/// One field of one row as scanGpkgPoints reads it, typed as GpkgPointReadOptions::fields
/// says (Integer and Boolean → integer, Real → real, Text, Date, DateTime → text, SQL NULL →
/// Null). `text` points into SQLite's row and is valid only until the next row.
struct GpkgCell {
  enum class Kind { Null, Integer, Real, Text };
  Kind kind = Kind::Null;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text;
};

/// Takes the fields of each row with a point while scanGpkgPoints reads it, so a caller can
/// convert them (times, codes, keys) at once rather than hold a GpkgValue per field per row.
/// With a sink the scan leaves GpkgPoints::columns empty.
class GpkgRowSink {
 public:
  virtual ~GpkgRowSink() = default;
  /// Called once before the first row with the number of rows to expect (the kept count or the
  /// caller's; not called when it is unknown or a WHERE may keep fewer): reserve here.
  virtual void expect(std::size_t /*rows*/) {}
  /// The fields (in the options' order) of the row just added to GpkgPoints::points (or just
  /// given to point()). false stops the scan: it then returns the rows read so far (the caller
  /// knows why it stopped).
  virtual bool row(std::span<const GpkgCell> fields) = 0;
  /// true: each row's fid and point go to point() instead of GpkgPoints::points and fids, so
  /// that the scan holds no point (a host that streams them on).
  virtual bool takesPoints() const { return false; }
  /// With takesPoints(): the fid and point of the row whose fields row() gets next.
  virtual void point(std::int64_t /*fid*/, const Point& /*p*/) {}
};

/// Reads a GeoPackage point table straight from SQLite (read-only connection, one SELECT):
/// no OGRFeature per row. Several times faster than GDAL 3.6's feature API, which also has no
/// faster column-wise (Arrow) reader for GeoPackage before 3.7. Progress is checked for cancel
/// every few thousand rows. Throws InputError for a missing file/table/column or a broken
/// geometry blob (file, fid, column), CancelledError on cancel.
GpkgPoints readGpkgPoints(const std::string& path, const GpkgPointReadOptions& options,
                          Progress& progress = nullProgress());

/// The one SELECT of readGpkgPoints on a connection the caller holds (e.g. a store's, with its
/// own read guard), inside or outside a transaction. The only metadata it reads is the row count
/// GDAL keeps in gpkg_ogr_contents (reserve, progress), unless the caller gives
/// `expectedRows`; that count is only a hint (none, NULL or unreadable: the arrays grow as rows
/// come). The caller checks that the table and every column exist (SQLite reads an unknown
/// double-quoted name as text). `source` names the file in errors. With a `sink` the fields go
/// to it row by row (GpkgPoints::columns stays empty). Throws InputError for a broken geometry
/// blob, LibraryError when SQLite fails (also when the caller's progress handler interrupts the
/// query), CancelledError on cancel.
GpkgPoints scanGpkgPoints(sqlite3* db, const std::string& source,
                          const GpkgPointReadOptions& options, Progress& progress = nullProgress(),
                          GpkgRowSink* sink = nullptr,
                          std::optional<std::int64_t> expectedRows = std::nullopt);

/// Envelope (minx, maxx, miny, maxy) of ISO WKB; false when the geometry has no coordinates
/// (empty, or only NaN points). Throws InputError for truncated or unknown WKB.
bool wkbEnvelope(std::span<const std::uint8_t> wkb, double& minx, double& maxx, double& miny,
                 double& maxy);

}  // namespace veldwacht::geo
