#include "layers/pgstore/backend.h"

#include "layers/pgstore/pg_store.h"
#include "layers/pgstore/pg_update.h"

namespace veldwacht::layers {

bool isDatabaseStore(const std::string& path) { return pgstore::isPostgresUrl(path); }

std::unique_ptr<Store> createStore(const std::string& path, const CreateOptions& options) {
  if (pgstore::isPostgresUrl(path)) return pgstore::PgStore::create(path, options);
  return Store::create(path, options);
}

std::unique_ptr<Store> openStore(const std::string& path, bool update) {
  if (pgstore::isPostgresUrl(path)) return pgstore::PgStore::open(path, update);
  return Store::open(path, update);
}

ImportReport importIntoStore(Store& store, std::span<const std::string> paths,
                             const ImportOptions& options, geo::Progress& progress) {
  if (auto* pg = dynamic_cast<pgstore::PgStore*>(&store); pg && options.update)
    return pgstore::importUpdate(*pg, paths, options, progress);
  return importFiles(store, paths, options, progress);
}

}  // namespace veldwacht::layers
