// Helpers shared by the store's translation units and the result writer; not a public API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "geo/core/gdal.h"
#include "layers/schema/schema.h"

namespace veldwacht::layers {

/// Local time now as YYYY-MM-DDTHH:MM:SS.
std::string localNowIso();

/// Runs a statement that returns no rows; throws geo::LibraryError with SQLite's message.
void runSql(GDALDataset& ds, const std::string& sql);
/// Runs a query; rows of text values (NULL as nullopt). GDAL turns a bare INTEGER PRIMARY KEY
/// column into the feature id and drops it from the fields: select it as an expression
/// (CAST(fid AS INTEGER)).
std::vector<std::vector<std::optional<std::string>>> runQuery(GDALDataset& ds,
                                                              const std::string& sql);

/// veldwacht_resultaten as a table definition.
LayerDef resultsTableDef();

/// Creates a schema layer and embeds styles/layers/<name>.qml when `stylesDir` has it.
void createDomainLayer(GDALDataset& ds, const LayerDef& def, const std::string& stylesDir);
/// Triggers (references, value lists, widths) and indexes of a schema layer.
void createConstraints(GDALDataset& ds, const LayerDef& def);
/// Migrates an open transaction's dataset from schema version `from` to `from + 1`.
void migrateStep(GDALDataset& ds, int from);

}  // namespace veldwacht::layers
