#include "layers/pgstore/backend.h"

#include "layers/pgstore/pg_store.h"

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

}  // namespace veldwacht::layers
