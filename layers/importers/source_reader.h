// Reading one source file into uniform tables (field names, raw values, geometries in the source
// CRS), whatever the format: CSV through csv_reader (Dutch Excel), every vector format through
// GDAL/OGR (GeoJSON, GeoPackage, Shapefile honouring .cpg and .prj, FlatGeobuf, ...).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "geo/core/progress.h"
#include "layers/schema/schema.h"
#include "layers/schema/validate.h"

namespace veldwacht::layers {

/// Columns of a CSV that hold the geometry (empty = detect from the names).
struct CsvGeometryColumns {
  std::string x, y;      ///< projected coordinates (RD unless a CRS is given)
  std::string lon, lat;  ///< degrees (EPSG:4326 unless a CRS is given)
  std::string wkt;       ///< a WKT geometry column
};

struct SourceRow {
  std::int64_t row = 0;       ///< CSV: row as Excel numbers it; vector: 1-based feature number
  std::vector<Value> values;  ///< parallel to SourceTable::fields; NULL for empty/unset
  veldwacht::geo::GeometryPtr geometry;  ///< source CRS; null when absent
  std::string geometryError;             ///< why the geometry could not be read (CSV columns)
};

struct SourceTable {
  std::string file;
  std::string name;    ///< layer name (vector) or file stem (CSV)
  std::string driver;  ///< "CSV" (Veldwacht's reader) or the GDAL driver name
  std::vector<std::string> fields;
  bool hasGeometry = false;
  std::optional<GeometryKind> geometryKind;  ///< from the layer's type; nullopt = unknown/mixed
  veldwacht::geo::SpatialRefPtr crs;         ///< declared CRS; null when none
  /// Shapefile: a .prj exists but is no CRS ("the .prj could not be read: ..."); crs is null.
  std::string crsUnreadable;
  bool crsImplied = false;  ///< CSV: CRS implied by the coordinate columns (x/y RD, lat/lon 4326)
  std::string geometryColumns;                   ///< CSV: e.g. "x_rd, y_rd" (for the report)
  std::vector<std::string> geometryColumnNames;  ///< CSV: names of those columns (not fields)
  std::string encoding;                          ///< CSV encoding, or the shapefile's .cpg
  /// The rows read so far: all of them, or (streaming, `more` set) the current chunk.
  std::vector<SourceRow> rows;
  /// Streaming: replaces `rows` with the next chunk and appends that chunk's read errors to
  /// `errors`; returns false (rows empty) at the end. Null when `rows` holds every row.
  std::function<bool(SourceTable&)> more;
  double readFraction = 0;        ///< streaming: how much of the source has been read, 0..1
  std::vector<Problem> errors;    ///< read errors: ragged rows, GDAL read failures
  std::vector<Problem> warnings;  ///< e.g. decoded as cp1252
};

struct SourceOptions {
  char csvDelimiter = 0;
  CsvGeometryColumns csvGeometry;
  std::string onlyLayer;  ///< vector sources: read only this layer (empty = all)
  /// Stream: each table holds its first `chunkRows` rows and reads on with SourceTable::more
  /// (memory bounded by the chunk, whatever the file's size). 0 = read every row at once.
  std::size_t chunkRows = 0;
};

/// Reads every layer of `path`. Throws geo::InputError when the file cannot be read at all
/// (missing, a directory, empty, not the format its extension says, truncated beyond opening).
std::vector<SourceTable> readSource(const std::string& path, const SourceOptions& options,
                                    veldwacht::geo::Progress& progress);

/// Lower-case names recognised as CSV coordinate columns.
bool isXColumn(const std::string& lowerName);
bool isYColumn(const std::string& lowerName);
bool isLonColumn(const std::string& lowerName);
bool isLatColumn(const std::string& lowerName);

}  // namespace veldwacht::layers
