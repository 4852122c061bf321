// Result tables of the shared builders (layers/analyses: the tables the CLI writes into the
// store) written to a GeoPackage with geo::GpkgWriter, for the plugin's GeoPackage outputs.
// Qt-free on purpose: layers/analyses headers pull in nlohmann/json, which clashes with the
// json_fwd.hpp that QGIS 3.22's headers include, so a translation unit that uses the builders
// must not include QGIS headers.
#pragma once

#include <optional>
#include <string>

#include "geo/core/gpkg_writer.h"
#include "geo/core/progress.h"
#include "layers/analyses/analysis_result.h"
#include "layers/results/results.h"

namespace veldwacht::plugin {

/// The writer's layer options for a result table as the shared builders make it
/// (layers/analyses: the tables the CLI writes into the store), with the store's column types:
/// Integer -> INTEGER (Int64), Real, Text, Boolean, Date, DateTime. nullopt for a table without
/// geometry (the writer makes feature tables only).
std::optional<geo::GpkgLayerOptions> gpkgOptionsFor(const layers::ResultLayer& layer,
                                                    const std::string& table);

/// Writes result table `layer` as table `table` of GeoPackage `path` (created, or added to) with
/// geo::GpkgWriter: same field names, types and values as the builder made them. Returns false,
/// writing nothing, for a table without geometry.
bool writeResultLayerGpkg(const layers::ResultLayer& layer, const std::string& path,
                          const std::string& table, geo::Progress& progress);

/// The same for a table held column by column (`columns` are the rows of `layer`, whose
/// records are empty): each row goes from the columns straight to the writer, no Record made.
void writePointColumnsGpkg(const layers::ResultLayer& layer, const layers::PointColumns& columns,
                           const std::string& path, const std::string& table,
                           geo::Progress& progress);

}  // namespace veldwacht::plugin
