// One place that picks the store's backend from its path: a PostgreSQL connection string
// ("postgresql://…", "postgres://…", "PG:…") gives the PostGIS store, anything else the
// GeoPackage/SpatiaLite file store. The CLI calls these instead of Store::create/open.
#pragma once

#include <memory>
#include <string>

#include "layers/store/store.h"

namespace veldwacht::layers {

std::unique_ptr<Store> createStore(const std::string& path, const CreateOptions& options = {});
std::unique_ptr<Store> openStore(const std::string& path, bool update);
/// True when `path` names a PostgreSQL database rather than a file.
bool isDatabaseStore(const std::string& path);

}  // namespace veldwacht::layers
