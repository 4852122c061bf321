// veldwacht info STORE — layers, counts, extents, schema version, imports and results of a store.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/pgstore/backend.h"
#include "layers/results/results.h"

namespace veldwacht::cli {

void addInfoCommand(CLI::App& app, Session&) {
  auto* cmd = app.add_subcommand(
      "info", "Show a store's layers, counts, extents, schema version, imports and results");
  auto path = std::make_shared<std::string>();
  cmd->add_option("store", *path, "Path of the store, or a PostgreSQL URL")
      ->required()
      ->check(existingStore());
  cmd->callback([path] {
    auto store = layers::openStore(*path, /*update=*/false);
    fmt::print("Store:          {}\nSchema version: {}\nCreated:        {} (Veldwacht {})\n\n",
               store->path(), store->schemaVersion(), store->meta("created_at"),
               store->meta("veldwacht_version"));
    fmt::print("{:<30} {:<16} {:>8}  {}\n", "layer", "geometry", "rows", "extent (EPSG:28992)");
    for (const auto& layer : store->summary()) {
      std::string extent = layer.extent.empty() ? std::string("-")
                                                : fmt::format("{:.0f} {:.0f} {:.0f} {:.0f}",
                                                              layer.extent.minX, layer.extent.minY,
                                                              layer.extent.maxX, layer.extent.maxY);
      fmt::print("{:<30} {:<16} {:>8}  {}{}\n", layer.name, layer.geometryType, layer.count, extent,
                 layer.isResult ? "  [result]" : "");
    }
    const auto imports = store->imports();
    if (!imports.empty()) {
      fmt::print("\nImports:\n");
      for (const auto& i : imports)
        fmt::print("  #{:<4} {}  {:<22} {:>7} rows  {}\n", i.importId, i.startedAt, i.layer, i.rows,
                   i.sourceFile);
    }
    const auto results = layers::listResults(*store);
    if (!results.empty()) {
      fmt::print("\nResults:\n");
      for (const auto& r : results)
        fmt::print("  {:<34} {}\n", r.file.empty() ? r.layer : r.file, r.metadata.describe());
    }
  });
}

}  // namespace veldwacht::cli
