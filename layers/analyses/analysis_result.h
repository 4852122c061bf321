// What a result builder returns, before anything is written: the result tables (ResultLayers
// with the same names, types and values whichever host writes them) and the summary for the
// user. The store writes them with writeToStore; the plugin writes them to its own outputs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "geo/density/raster.h"

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "layers/analyses/report.h"
#include "layers/results/results.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

/// A raster result (a density surface): what is written as a GeoTIFF with its style sidecar.
struct RasterResult {
  std::string name;  ///< the output name; the store host writes <store stem>_<name>.tif
  geo::Raster raster;
  std::map<std::string, std::string> tiffMetadata;  ///< VELDWACHT_ALGORITHM, _PARAMETERS, _INPUT
  std::string style;      ///< styles/results/<style>.qml, also the QML sidecar
  std::string stylesDir;  ///< empty = the default styles directory
  ResultMetadata metadata;
  std::string directory;   ///< store host: the GeoTIFF's folder; empty = the store's folder
  bool overwrite = false;  ///< store host: replace a file that is not this store's own result
};

/// Text values of a column packed into one buffer (a key such as "123456" costs its characters
/// and one offset instead of a 32-byte std::string).
struct TextColumn {
  std::string chars;
  std::vector<std::size_t> ends;  ///< end of value i in chars (value i starts at ends[i-1])

  void push_back(std::string_view text);
  std::string_view operator[](std::size_t i) const;
  std::size_t size() const { return ends.size(); }
};

/// One column of a PointColumns table, one value per row, in the smallest type that holds it:
/// monostate = NULL in every row; int32 / uint8 are written as INTEGER values, double as REAL.
using ResultColumn = std::variant<std::monostate, std::vector<std::int32_t>,
                                  std::vector<std::uint8_t>, std::vector<double>, TextColumn>;

/// A point result table held column by column instead of as one layers::Record per row (a
/// Record with its value vector and OGRPoint costs about 280 bytes per point, this about 40 for
/// a clustering's points). The table's name, fields, metadata and style are the ResultLayer of
/// the same name in AnalysisResult::layers, whose records stay empty.
struct PointColumns {
  std::string layer;                  ///< the name of its ResultLayer
  std::vector<geo::Point> points;     ///< the geometry per row (EPSG:28992)
  std::vector<ResultColumn> columns;  ///< parallel to the ResultLayer's fields

  std::size_t size() const { return points.size(); }
  /// Value of column `c` in row `i`, as a Record would hold it.
  Value value(std::size_t c, std::size_t i) const;
  /// Row i's values into `values` (resized to the column count; reuses its strings).
  void row(std::size_t i, std::vector<Value>& values) const;
  /// Row i as a Record (values and an OGRPoint).
  Record record(std::size_t i) const;
};

struct AnalysisResult {
  /// The tables of the analysis' description (describe::AnalysisInfo::results), each named
  /// <output><suffix>. A table held in `columns` has no records here.
  std::vector<ResultLayer> layers;
  /// Large point tables held column by column (e.g. clustering's <output>_punten): a host
  /// writes them from here (plugin/processing/result_gpkg.h), or calls materialise() first.
  std::vector<PointColumns> columns;
  /// The raster of a description whose result is a raster (kde, dualkde).
  std::optional<RasterResult> raster;
  /// Summary lines and warnings; `layers` and `files` are filled by whoever writes.
  RunReport report;

  /// The column-wise rows of table `layer`, nullptr when its rows are its records.
  const PointColumns* columnsOf(std::string_view layer) const;
  /// Rows of table `layer` (its records, or its columns' rows).
  std::size_t rowCount(const ResultLayer& layer) const;
  /// Turns every column-wise table into records of its ResultLayer and drops the columns, for a
  /// host that writes layers::Records (the store, a QGIS sink, tests that read records).
  void materialise();
};

/// Writes every table of `result` into the store in one go (writeResultLayers: all or none;
/// column-wise tables are materialised first),
/// and its raster as <store stem>_<name>.tif (+ .qml) registered in veldwacht_resultaten, and
/// returns the report with the layer names and files added.
RunReport writeToStore(Store& store, AnalysisResult&& result,
                       geo::Progress& progress = geo::nullProgress());

/// A result GeoTIFF for writeResultSet: checks that `tif` and its .qml sidecar may be written
/// (only this store's own earlier result is replaced, never a user's file or a link, unless
/// `overwrite`), writes both to temporary files beside them, and returns the ResultFile whose
/// moves writeResultSet records in the result set's transaction and does after its COMMIT
/// (see ResultFile). Until then (and when the write fails) the old files are untouched; the
/// temporary files go when the ResultFile does unless the record was committed. First finishes
/// an earlier committed move and removes killed runs' temporary files (cleanUpResultFile).
ResultFile prepareRasterFile(Store& store, const std::string& tif, const geo::Raster& raster,
                             const std::map<std::string, std::string>& tiffMetadata, bool overwrite,
                             const std::string& style, const std::string& stylesDir,
                             const ResultMetadata& metadata);

}  // namespace veldwacht::layers
