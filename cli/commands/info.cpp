// veldwacht info STORE — layers, counts, extents and schema version of a store.
#include <fmt/core.h>

#include "cli/commands.h"
#include "layers/store/store.h"

namespace veldwacht::cli {

void addInfoCommand(CLI::App& app, Session&) {
  auto* cmd = app.add_subcommand("info", "Show a store's layers, counts, extents and schema version");
  auto path = std::make_shared<std::string>();
  cmd->add_option("store", *path, "Path of the store")->required()->check(CLI::ExistingFile);
  cmd->callback([path] {
    auto store = layers::Store::open(*path, /*update=*/false);
    fmt::print("Store:          {}\nSchema version: {}\n\n", store->path(), store->schemaVersion());
    fmt::print("{:<28} {:<16} {:>8}  {}\n", "layer", "geometry", "rows", "extent (EPSG:28992)");
    for (const auto& layer : store->summary()) {
      std::string extent = layer.extent.empty()
                               ? std::string("-")
                               : fmt::format("{:.0f} {:.0f} {:.0f} {:.0f}", layer.extent.minX,
                                             layer.extent.minY, layer.extent.maxX, layer.extent.maxY);
      fmt::print("{:<28} {:<16} {:>8}  {}{}\n", layer.name, layer.geometryType, layer.count, extent,
                 layer.isResult ? "  [result]" : "");
    }
  });
}

}  // namespace veldwacht::cli
