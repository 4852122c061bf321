// veldwacht import STORE FILE... — validate and import files in one transaction.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>

#include "cli/commands.h"
#include "cli/import_options.h"
#include "layers/fieldwork/schouw_import.h"
#include "layers/importers/importer.h"
#include "layers/pgstore/backend.h"

namespace veldwacht::cli {

void addImportCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "import",
      "Import files into a store: all rows of all files in one transaction, or nothing.\n"
      "Recognises BAG light, CBS wijk- en buurtkaart, NWB wegvakken, IBIS, Veldwacht's own\n"
      "layers and signals exports (Datum, Tijd, Categorie, Omschrijving, X/Y or lat/lon, Bron;\n"
      "docs/import.md); CSV as Dutch Excel writes it; GeoJSON, GeoPackage, Shapefile.");
  struct Args {
    std::string store;
    std::vector<std::string> files;
    layers::ImportOptions options;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store (created when it does not exist)")->required();
  cmd->add_option("files", args->files, "Files to import")->required();
  addImportOptionFlags(cmd, args->options);
  cmd->add_flag("--update", args->options.update,
                "The files are a newer version of a register already in the store (BAG, NWB, CBS, "
                "IBIS): add, change and remove rows by key (bag_id, wvk_id, code, rin_nummer) "
                "instead of refusing stored keys; reports what was added, changed and removed");
  cmd->callback([args, &session] {
    // Schouw results (`import STORE schouw FILE.csv`, `-l schouwresultaten`, or files whose
    // columns are a schouw form's) go through the schouw importer: sites checked, signals made.
    const bool keyword = args->files.size() > 1 && args->files.front() == "schouw" &&
                         !std::filesystem::exists(args->files.front());
    if (keyword) args->files.erase(args->files.begin());
    if (keyword || args->options.layer == "schouwresultaten" ||
        std::all_of(args->files.begin(), args->files.end(), layers::looksLikeSchouwCsv)) {
      layers::SchouwImportOptions schouw;
      schouw.csvDelimiter = args->options.csvDelimiter;
      schouw.synthetic = args->options.synthetic;
      auto store = layers::openStore(args->store, /*update=*/true);
      session.progress.begin("import schouw");
      const auto report = layers::importSchouw(*store, args->files, schouw, session.progress);
      session.progress.finish();
      if (!session.quiet) fmt::print("{}\n", report.str());
      return;
    }
    args->options.validate();
    std::unique_ptr<layers::Store> store;
    bool created = false;
    try {
      store = layers::openStore(args->store, /*update=*/true);
    } catch (const geo::Error&) {
      if (layers::isDatabaseStore(args->store) || std::filesystem::exists(args->store)) throw;
      store = layers::createStore(args->store);
      created = true;
    }
    session.progress.begin("import");
    layers::ImportReport report;
    try {
      report = layers::importIntoStore(*store, args->files, args->options, session.progress);
    } catch (...) {
      // A refused (or cancelled, or failed) import into a store that this command created
      // leaves no new, empty store behind.
      if (created) {
        store.reset();
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"})
          std::filesystem::remove(args->store + suffix, ec);
      }
      throw;
    }
    session.progress.finish();
    if (!session.quiet) fmt::print("{}\n", report.str());
  });
}

}  // namespace veldwacht::cli
