// veldwacht init STORE — create an empty store with the full schema.
#include <fmt/core.h>

#include "cli/commands.h"
#include "layers/pgstore/backend.h"

namespace veldwacht::cli {

void addInitCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "init", "Create a new, empty Veldwacht store (GeoPackage, or PostGIS: postgresql://…)");
  auto path = std::make_shared<std::string>();
  cmd->add_option("store", *path, "Path of the new store, e.g. regio.gpkg, or a PostgreSQL URL")
      ->required();
  cmd->callback([path, &session] {
    auto store = layers::createStore(*path);
    if (!session.quiet)
      fmt::print("Created {} (schema version {})\n", store->path(), store->schemaVersion());
  });
}

}  // namespace veldwacht::cli
