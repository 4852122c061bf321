// The Veldwacht store: one GeoPackage (default) or SpatiaLite file, reached through GDAL so that
// a PostGIS connection string can serve the same interface later.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// What one import brings: records for one layer plus how they were read.
struct ImportBatch {
  std::string layer;             ///< target layer, a name from layerDefs()
  std::vector<Record> records;   ///< validated, in EPSG:28992
  std::string sourceFile;        ///< path as given by the user
  std::string sourceSha256;      ///< of the source file's bytes
  std::string sourceCrs;         ///< e.g. "EPSG:4326"
  std::string transformation;    ///< e.g. "RDNAPTRANS2018 grid" or "Helmert (no grid, ~1 m)"
  std::vector<std::string> warnings;
};

struct LayerSummary {
  std::string name;
  std::string title;
  std::string geometryType;  ///< OGR name, "None" for tables
  std::int64_t count = 0;
  veldwacht::geo::Extent extent;  ///< empty for tables or empty layers
  bool isResult = false;           ///< written by an analysis
};

class Store {
 public:
  virtual ~Store() = default;

  /// Creates a new store with the full schema; refuses to overwrite an existing file.
  static std::unique_ptr<Store> create(const std::string& path);
  /// Opens an existing store. With `update`, older schema versions are migrated forward first.
  static std::unique_ptr<Store> open(const std::string& path, bool update);

  virtual const std::string& path() const = 0;
  virtual int schemaVersion() const = 0;
  virtual std::vector<LayerSummary> summary() = 0;

  /// Writes all batches in ONE transaction: all rows of all batches, or none (the file is left
  /// byte-for-byte as it was). Duplicate natural keys, failed foreign keys and constraint
  /// violations throw geo::InputError naming the source file and row.
  virtual void append(std::span<const ImportBatch> batches,
                      veldwacht::geo::Progress& progress = veldwacht::geo::nullProgress()) = 0;

  /// Reads all records of a layer, optionally filtered by an OGR attribute filter.
  virtual std::vector<Record> read(const std::string& layer, const std::string& where = {}) = 0;

  /// The GDAL dataset behind the store (for result writers and SQL).
  virtual GDALDataset& dataset() = 0;
};

}  // namespace veldwacht::layers
