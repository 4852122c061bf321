// Writing analysis results back into the store as styled, self-describing layers.
//
// Every result carries what is needed to reproduce it (DESIGN.md "Outputs are reproducible"):
// the algorithm, its parameters as JSON, the input layer and its row count, the seed, when it
// started and how long it took, and the Veldwacht version. They go to three places: a row of
// veldwacht_resultaten (for `veldwacht info`), the layer's gpkg_contents.description (a short
// line that QGIS shows in the layer properties), and GDAL layer metadata (VELDWACHT_* items, in
// gpkg_metadata, written with our own SQL in GDAL's format) for tools that read metadata. The style
// styles/results/<style>.qml becomes the layer's default style, so the result opens styled in plain
// QGIS.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo/core/output_file.h"
#include "geo/core/progress.h"
#include "layers/results/point_columns.h"
#include "layers/schema/schema.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

struct ResultMetadata {
  std::string algorithm;       ///< e.g. "dbscan", "getis_ord_gi"
  std::string parametersJson;  ///< the Options struct as JSON text
  std::string inputLayer;      ///< e.g. "signalen" (with the filter, if any)
  std::int64_t inputRows = 0;
  std::optional<std::int64_t> seed;  ///< for randomised methods (permutations)
  std::string startedAt;             ///< local time YYYY-MM-DDTHH:MM:SS; empty = now
  double durationSeconds = 0;
  std::string veldwachtVersion;  ///< empty = this build's version()

  /// One line for gpkg_contents.description, e.g. "dbscan op signalen (1234 rijen), seed 7,
  /// gestart 2024-03-01T10:00:00, 1.2 s, Veldwacht 0.1.0".
  std::string describe() const;
};

struct ResultLayer {
  std::string name;   ///< table name: lower-case letters, digits, _ (at most 63)
  std::string title;  ///< shown in QGIS; empty = name
  GeometryKind geometry = GeometryKind::Point;
  std::vector<FieldDef> fields;  ///< the result's attributes (required/allowed are checked)
  std::vector<Record> records;   ///< values parallel to fields, geometry in EPSG:28992
  ResultMetadata metadata;
  /// The kind of result: styles/results/<style>.qml is embedded as default style when it
  /// exists (e.g. "clusters_points", "hotspots_gi"). Empty = no style.
  std::string style;
  /// Directory holding results/<style>.qml; empty = stylesDirectory().
  std::string stylesDir;
};

/// One row of veldwacht_resultaten.
struct ResultInfo {
  std::string layer;  ///< table name, or the raster's file name
  ResultMetadata metadata;
  std::string file;       ///< raster file (relative to the store's folder when inside it)
  std::string writtenAt;  ///< local time
  std::string style;
};

/// Writes `result` as layer `result.name` in one transaction: replaces a result layer of the
/// same name (its registry row and styles too), records a veldwacht_resultaten row, sets the
/// metadata and embeds the style. Refuses names of schema layers and bookkeeping tables and
/// records that break the field definitions (geo::InputError / ValidationError). Progress is
/// ticked per record; cancel rolls everything back.
void writeResultLayer(Store& store, ResultLayer&& result,
                      geo::Progress& progress = geo::nullProgress());

/// Writes several results that belong together (e.g. a clustering's points and hulls, or the
/// tables of a global statistics run) in ONE transaction: each replaces its same-named
/// predecessor as writeResultLayer does, and a failure, a cancel or a kill at any moment
/// leaves either all the old results or all the new ones. Everything is checked before the
/// transaction starts. A storage failure throws StorageError.
void writeResultSet(Store& store, std::vector<ResultLayer>&& results,
                    geo::Progress& progress = geo::nullProgress());

/// A result file (e.g. a GeoTIFF) that belongs to a result set, written completely to a
/// temporary file beside `path` beforehand.
///
/// With `outputs` (prepareRasterFile: the sidecar first, the file last) the move is journaled:
/// inside the set's transaction the temporary files are synced and their names are recorded in
/// veldwacht_meta ("bestandswissel:<file name>") together with the file's registry row; after
/// the COMMIT they are renamed into place. A kill before the COMMIT leaves the old row and the
/// old file (the temporary files are removed by the next write: removeStaleTemporaries); a kill
/// after it leaves the new row and the recorded temporary files, which every Veldwacht reader of
/// the registry (listResults) and the next write move into place first
/// (completeResultFileMoves). So the registry row and the file as Veldwacht reads them are always
/// of the same run (docs/reliability.md). A rename that fails after the COMMIT (disk full, I/O
/// error) throws geo::LibraryError "the result was written to the store, but its file could not
/// be put in place yet: …" (the record stays and the next reader moves the file).
///
/// Without `outputs`, `moveIntoPlace` runs as the last step before the COMMIT (a failure rolls
/// the set back), and a kill between the two can leave a new file under the old row.
struct ResultFile {
  std::string path;  ///< the final path, registered in veldwacht_resultaten by file name
  ResultMetadata metadata;
  std::string style;      ///< see registerResultFile
  std::string stylesDir;  ///< see registerResultFile
  std::function<void()> moveIntoPlace;
  std::vector<std::shared_ptr<geo::OutputFile>> outputs;
};

/// writeResultSet with result files: their registry rows are written in the same transaction
/// as the layers, and the files are moved into place as ResultFile describes.
void writeResultSet(Store& store, std::vector<ResultLayer>&& results,
                    std::vector<ResultFile>&& files, geo::Progress& progress = geo::nullProgress());

/// writeResultSet with point tables held column by column: each PointColumns fills the
/// ResultLayer of the same name (which must be a point layer without records, with one column
/// per field). On a GeoPackage store they are written straight from the columns, with no
/// Record per point; other stores get records made from them first.
void writeResultSet(Store& store, std::vector<ResultLayer>&& results,
                    std::vector<PointColumns>&& columns, std::vector<ResultFile>&& files,
                    geo::Progress& progress = geo::nullProgress());

/// How writeResultSet creates the result tables of a GeoPackage store. OwnSql (the default):
/// with the project's own SQL on the store's connection, inside the result's transaction
/// (geo::GpkgWriter: gpkg_* rows as GDAL writes them, one prepared INSERT, the R-tree packed in
/// one pass at the end). Gdal: through GDAL's OGR layers, one feature at a time, the path other
/// stores (SpatiaLite, PostGIS) always take; kept so that tests and benches can compare both.
/// Layers with a coded-value field (a GeoPackage field domain) always go through GDAL.
/// Process-wide; not thread-safe.
enum class ResultTableWriter { OwnSql, Gdal };
void setResultTableWriter(ResultTableWriter writer);
ResultTableWriter resultTableWriter();

/// Finishes the file moves that a committed result set recorded but did not do (a kill right
/// after its COMMIT): renames the recorded temporary files over their registered files. Run by
/// listResults and by every write of a result file; `forget` (a write, under the write lock)
/// also deletes the records of finished moves. Returns how many files were moved.
std::size_t completeResultFileMoves(Store& store, bool forget = false);

/// Before a write of the result file `path` (and its .qml sidecar): finishes the recorded moves
/// (completeResultFileMoves with `forget`), then removes the temporary files of `path` and of
/// its sidecar that killed runs left (geo::removeStaleTemporaries), except those of a recorded
/// move that could not be finished.
void cleanUpResultFile(Store& store, const std::string& path);

namespace testing {
/// Test hook (nullptr outside tests): called by writeResultSet with journaled files at
/// "recorded" (inside the transaction, just before COMMIT), "committed" (after the COMMIT,
/// before any move), "moved-sidecar" (between the sidecar's move and the file's) and "moved"
/// (after the moves, before the records are deleted). A test forks and _exits there.
extern void (*resultFileStep)(const char* step);
}  // namespace testing
/// A store backend that writes result sets itself (Store::resultWriter(): the PostGIS store,
/// layers/pgstore/pg_results.h). writeResultSet and deleteResult hand their work to it: the same
/// checks, the same one-transaction replace.
class ResultSetWriter {
 public:
  virtual ~ResultSetWriter() = default;
  virtual void writeResultSet(std::vector<ResultLayer>&& results, std::vector<ResultFile>&& files,
                              geo::Progress& progress) = 0;
  virtual void deleteResult(const std::string& name) = 0;
  /// Where a result file <name>.tif of this store goes in `directory` (a PostGIS store has no
  /// folder of its own: an empty `directory` is refused with geo::OptionError).
  virtual std::string resultFilePath(const std::string& directory, const std::string& name) = 0;
};

/// Registers a raster (or other file) written next to the store, e.g. a GeoTIFF density
/// surface, in veldwacht_resultaten. When `style` names styles/results/<style>.qml and the
/// file has no sidecar yet, copies it to <file without extension>.qml, which QGIS applies when
/// opening the raster. Throws geo::InputError when the file does not exist.
void registerResultFile(Store& store, const std::string& path, const ResultMetadata& metadata,
                        const std::string& style = {}, const std::string& stylesDir = {});

/// All registered results, oldest first.
std::vector<ResultInfo> listResults(Store& store);

/// Reads a result layer back: fields from the table, records, and its registry metadata.
ResultLayer readResultLayer(Store& store, const std::string& name);

/// Removes a result layer (or a file's registration; the file itself stays) and its styles.
void deleteResult(Store& store, const std::string& name);

}  // namespace veldwacht::layers
