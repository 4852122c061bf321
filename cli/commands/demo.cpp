// veldwacht demo [DIR] — the main job on the sample region: a fresh store from sample-data/,
// every importer, every analysis, and how to open the result in QGIS.
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/demo_analyses.h"
#include "cli/sample_paths.h"
#include "layers/fieldwork/schouw_import.h"
#include "layers/importers/importer.h"
#include "layers/pgstore/backend.h"
#include "layers/pgstore/pg_store.h"
#include "layers/results/results.h"
#include "layers/store/store.h"

namespace fs = std::filesystem;

namespace veldwacht::cli {

namespace {

/// The sample region's source files: explicit flag, then $VELDWACHT_SAMPLE_DATA, then the
/// installed share/ folder, then a parent folder of the binary (sample_paths.h).
fs::path findSampleData(const std::string& given) {
  std::vector<fs::path> candidates;
  if (!given.empty()) candidates.emplace_back(given);
  if (const char* env = std::getenv("VELDWACHT_SAMPLE_DATA")) candidates.emplace_back(env);
  for (auto& c : sampleDataCandidates()) candidates.push_back(std::move(c));
  for (const auto& c : candidates)
    if (fs::exists(c / "signalen.csv")) return c;
  throw geo::Error("sample data not found (looked in " + candidates.back().string() +
                   "); pass --sample-data DIR");
}

// The order in which a new analyst would bring in data: context, buildings, then signals.
const char* const kSampleFiles[] = {
    "cbs_wijkenbuurten_2024.gpkg",
    "politie_misdrijven_per_buurt.csv",
    "brp_gewaspercelen.gpkg",
    "nwb_wegvakken.gpkg",
    "bag_light.gpkg",
    "ibis_bedrijventerreinen.shp",
    "vab.geojson",
    "partners.geojson",
    "partner_werkgebieden.geojson",
    "signalen.csv",
    "incidenten.csv",
};

void removeStoreFiles(const fs::path& store) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(fs::path(store.string() + suffix));
}

}  // namespace

void addDemoCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "demo",
      "Build a fresh store from the sample region (Eemsdelta), import everything, run every\n"
      "analysis, and print how to open it in QGIS");
  struct Args {
    std::string dir = "veldwacht-demo";
    std::string sampleData;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("dir", args->dir, "Folder for the store and its rasters")->capture_default_str();
  cmd->add_option("--sample-data", args->sampleData, "Folder with the sample region's files");
  cmd->callback([args, &session] {
    if (layers::isDatabaseStore(args->dir)) {
      const std::string url = layers::pgstore::withoutPassword(args->dir);
      throw geo::OptionError(
          "dir",
          "the demo builds its own GeoPackage in a folder, not in a database; to put the "
          "sample region into a PostGIS store: veldwacht init \"" +
              url + "\" and veldwacht import \"" + url +
              "\" sample-data/eemsdelta/* (docs/postgis.md)");
    }
    const auto t0 = std::chrono::steady_clock::now();
    const fs::path source = findSampleData(args->sampleData);
    const fs::path dir = fs::absolute(args->dir);
    fs::create_directories(dir);
    const fs::path storePath = dir / "eemsdelta.gpkg";
    if (fs::exists(storePath)) {
      if (!session.quiet) fmt::print("Replacing the earlier demo store {}\n", storePath.string());
      removeStoreFiles(storePath);
    }

    auto store = layers::Store::create(storePath.string());
    if (!session.quiet) fmt::print("1. Store created: {}\n", storePath.string());

    std::vector<std::string> files;
    for (const char* name : kSampleFiles) files.push_back((source / name).string());
    layers::ImportOptions options;
    options.synthetic = true;  // every record of sample-data/ is synthetic
    session.progress.begin("import");
    const auto report = layers::importFiles(*store, files, options, session.progress);
    session.progress.finish();
    if (!session.quiet) {
      fmt::print("2. Imported {} files from {} in one transaction:\n", files.size(),
                 source.string());
      for (const auto& [layer, rows] : report.rowsPerLayer)
        fmt::print("   {:<24} {:>6} rows\n", layer, rows);
      for (const auto& s : report.sources)
        if (!s.transformation.empty() && s.sourceCrs != "EPSG:28992")
          fmt::print("   note: {}: {}\n", fs::path(s.file).filename().string(), s.transformation);
    }

    // Back from the field: the schouw template (sample-data/fixtures) as the partners' results.
    const fs::path schouw = source.parent_path() / "fixtures" / "schouw_voorbeeld.csv";
    if (fs::exists(schouw)) {
      layers::SchouwImportOptions so;
      so.synthetic = true;
      so.now = "2030-01-01T00:00:00";  // the sample's dates are fixed; the clock may be older
      const std::vector<std::string> schouwFiles = {schouw.string()};
      const auto sr = layers::importSchouw(*store, schouwFiles, so, session.progress);
      if (!session.quiet) fmt::print("   {}\n", sr.str().substr(sr.str().rfind('\n') + 1));
    }

    if (!session.quiet) fmt::print("3. Analyses:\n");
    runDemoAnalyses(*store, session);

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!session.quiet) {
      fmt::print("\nDone in {:.1f} s. Results:\n", seconds);
      for (const auto& r : layers::listResults(*store))
        fmt::print("   {:<34} {}\n", r.file.empty() ? r.layer : r.file, r.metadata.describe());
      fmt::print(
          "\nOpen it in QGIS:\n"
          "   qgis {0}\n"
          "   (or drag {0} onto QGIS; every layer opens with its default style.\n"
          "    With the Veldwacht plugin: menu Veldwacht > Open a Veldwacht store.)\n"
          "Inspect it here:  veldwacht info {0}\n",
          storePath.string());
    }
  });
}

}  // namespace veldwacht::cli
