// What a result builder returns, before anything is written: the result tables (ResultLayers
// with the same names, types and values whichever host writes them) and the summary for the
// user. The store writes them with writeToStore; the plugin writes them to its own outputs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "geo/density/raster.h"

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "layers/analyses/report.h"
#include "layers/results/point_columns.h"
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

/// Where a builder that streams its raster (buildDensityStreamed) puts it: the result's header
/// first (everything of the RasterResult but the raster's values), then the rows from the top.
class RasterResultSink {
 public:
  virtual ~RasterResultSink() = default;
  virtual void begin(const RasterResult& header) = 0;
  virtual void rows(std::int32_t rowBegin, std::int32_t rowEnd, std::span<const double> values) = 0;
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

/// Writes every table of `result` into the store in one go (writeResultSet: all or none;
/// column-wise tables straight from their columns on a GeoPackage store),
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
