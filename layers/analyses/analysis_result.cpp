#include "layers/analyses/analysis_result.h"

#include <filesystem>

#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"
#include "layers/analyses/registered_file.h"
#include "layers/store/styles.h"

namespace veldwacht::layers {

namespace {

namespace fs = std::filesystem;

/// Writes the GeoTIFF <store stem>_<name>.tif (and its .qml style sidecar) and registers it
/// in the store. Only our own earlier result (and its sidecar) is replaced, never a user's file
/// or a link; both targets are checked before anything is written.
void writeRaster(Store& store, const RasterResult& s, RunReport& report) {
  const fs::path storePath = fs::absolute(store.path());
  const fs::path dir = s.directory.empty() ? storePath.parent_path() : fs::path(s.directory);
  const fs::path tif = dir / (storePath.stem().string() + "_" + s.name + ".tif");
  const fs::path qmlPath = fs::path(tif).replace_extension(".qml");
  const bool ownTif = isRegisteredResultFile(store, tif);
  geo::GeoTiffOptions tiffOptions;
  tiffOptions.output.overwrite = s.overwrite;
  tiffOptions.output.isOwnResult = [&](const std::string&) { return ownTif; };
  geo::checkOutputTarget(tif.string(), tiffOptions.output);
  geo::checkOutputTarget(qmlPath.string(), tiffOptions.output);
  // The styles work on the raster's own values (density: min/max of the visible map; dual
  // density: the log2 scale), so the sidecar is the style file as it is. An old sidecar (e.g.
  // of a density written under this name before) is replaced.
  std::optional<geo::OutputFile> qml;
  const std::string stylesDir = stylesDirectory(s.stylesDir);
  if (!stylesDir.empty())
    if (auto text =
            readStyleFile((fs::path(stylesDir) / "results" / (s.style + ".qml")).string())) {
      qml.emplace(qmlPath.string(), tiffOptions.output);
      qml->write(*text);
    }
  geo::writeGeoTiff(tif.string(), s.raster, s.tiffMetadata, tiffOptions);
  if (qml) qml->commit();
  registerResultFile(store, tif.string(), s.metadata, s.style, s.stylesDir);
  report.files.push_back(tif.string());
  if (fs::exists(qmlPath)) report.files.push_back(qmlPath.string());
}

}  // namespace

RunReport writeToStore(Store& store, AnalysisResult&& result, geo::Progress& progress) {
  RunReport report = std::move(result.report);
  for (const auto& l : result.layers) report.layers.push_back(l.name);
  if (!result.layers.empty()) writeResultLayers(store, std::move(result.layers), progress);
  if (result.raster) writeRaster(store, *result.raster, report);
  progress.setFraction(1.0);
  return report;
}

bool isRegisteredResultFile(Store& store, const fs::path& file) {
  const fs::path storeDir = fs::absolute(store.path()).parent_path();
  const fs::path abs = fs::absolute(file);
  std::string recorded = abs.string();
  const auto rel = abs.lexically_relative(storeDir);
  if (!rel.empty() && *rel.begin() != "..") recorded = rel.string();
  auto lit = [](const std::string& t) {
    std::string q = "'";
    for (char c : t) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
  };
  const auto rows = store.query("SELECT COUNT(*) FROM " + std::string(kResultsTable) +
                                " WHERE laag = " + lit(abs.filename().string()) +
                                " AND bestand = " + lit(recorded));
  return !rows.empty() && !rows[0].empty() && rows[0][0] && *rows[0][0] != "0";
}

}  // namespace veldwacht::layers
