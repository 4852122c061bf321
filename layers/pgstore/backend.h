// One place that picks the store's backend from its path: a PostgreSQL connection string
// ("postgresql://…", "postgres://…", "PG:…") gives the PostGIS store, anything else the
// GeoPackage/SpatiaLite file store. The CLI calls these instead of Store::create/open.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "geo/core/progress.h"
#include "layers/importers/importer.h"
#include "layers/store/store.h"

namespace veldwacht::layers {

std::unique_ptr<Store> createStore(const std::string& path, const CreateOptions& options = {});
std::unique_ptr<Store> openStore(const std::string& path, bool update);
/// True when `path` names a PostgreSQL database rather than a file.
bool isDatabaseStore(const std::string& path);
/// importFiles into a store of either backend: a register update (`options.update`) on a
/// PostGIS store is compared and written on the server in one transaction
/// (pgstore::importUpdate); everything else is importFiles.
ImportReport importIntoStore(Store& store, std::span<const std::string> paths,
                             const ImportOptions& options, geo::Progress& progress);

}  // namespace veldwacht::layers
