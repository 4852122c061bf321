#include "layers/analyses/analysis_result.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <type_traits>

#include "geo/core/error.h"
#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"
#include "layers/analyses/registered_file.h"
#include "layers/store/styles.h"

namespace veldwacht::layers {

const PointColumns* AnalysisResult::columnsOf(std::string_view layer) const {
  for (const auto& c : columns)
    if (c.layer == layer) return &c;
  return nullptr;
}

std::size_t AnalysisResult::rowCount(const ResultLayer& layer) const {
  const PointColumns* c = columnsOf(layer.name);
  return c ? c->size() : layer.records.size();
}

void AnalysisResult::materialise() {
  for (PointColumns& c : columns) {
    auto layer = std::find_if(layers.begin(), layers.end(),
                              [&](const ResultLayer& l) { return l.name == c.layer; });
    if (layer == layers.end())
      throw geo::Error("column-wise table '" + c.layer + "' has no result layer");
    layer->records.clear();
    layer->records.reserve(c.size());
    for (std::size_t i = 0; i < c.size(); ++i) layer->records.push_back(c.record(i));
  }
  columns.clear();
}

namespace {

namespace fs = std::filesystem;

/// <store stem>_<name>.tif in the result's folder (default: the store's).
fs::path rasterPath(Store& store, const RasterResult& s) {
  if (ResultSetWriter* own = store.resultWriter()) return own->resultFilePath(s.directory, s.name);
  const fs::path storePath = fs::absolute(store.path());
  const fs::path dir = s.directory.empty() ? storePath.parent_path() : fs::path(s.directory);
  return dir / (storePath.stem().string() + "_" + s.name + ".tif");
}

}  // namespace

ResultFile prepareRasterFile(Store& store, const std::string& tif, const geo::Raster& raster,
                             const std::map<std::string, std::string>& tiffMetadata, bool overwrite,
                             const std::string& style, const std::string& stylesDir,
                             const ResultMetadata& metadata) {
  const std::string qmlPath = fs::path(tif).replace_extension(".qml").string();
  // An earlier run's committed move is finished and killed runs' temporary files go first.
  cleanUpResultFile(store, tif);
  const bool ownTif = isRegisteredResultFile(store, tif);
  geo::OutputFileOptions target;
  target.overwrite = overwrite;
  target.isOwnResult = [ownTif](const std::string&) { return ownTif; };
  geo::checkOutputTarget(tif, target);
  geo::checkOutputTarget(qmlPath, target);
  // The styles work on the raster's own values (density: min/max of the visible map; dual
  // density: the log2 scale), so the sidecar is the style file as it is. An old sidecar (e.g.
  // of a density written under this name before) is replaced.
  std::shared_ptr<geo::OutputFile> qml;
  const std::string dir = stylesDirectory(stylesDir);
  if (!dir.empty())
    if (auto text = readStyleFile((fs::path(dir) / "results" / (style + ".qml")).string())) {
      qml = std::make_shared<geo::OutputFile>(qmlPath, target);
      qml->write(*text);
    }
  auto out = std::make_shared<geo::OutputFile>(tif, target);
  geo::writeGeoTiffTo(*out, raster, tiffMetadata);
  ResultFile file{tif, metadata, style, stylesDir, {}, {}};
  if (qml) file.outputs.push_back(qml);  // the sidecar first, the raster last
  file.outputs.push_back(out);
  return file;
}

RunReport writeToStore(Store& store, AnalysisResult&& result, geo::Progress& progress) {
  RunReport report = std::move(result.report);
  for (const auto& l : result.layers) report.layers.push_back(l.name);
  // The tables, the raster's registry row and the raster itself as one result set: a kill or a
  // cancel leaves the old set or the new one (writeResultSet).
  std::vector<ResultFile> files;
  std::string tif;
  if (result.raster) {
    const RasterResult& r = *result.raster;
    tif = rasterPath(store, r).string();
    files.push_back(prepareRasterFile(store, tif, r.raster, r.tiffMetadata, r.overwrite, r.style,
                                      r.stylesDir, r.metadata));
  }
  // Column-wise point tables go as they are: a GeoPackage store writes them without a Record
  // per point; other stores get records made from them.
  writeResultSet(store, std::move(result.layers), std::move(result.columns), std::move(files),
                 progress);
  if (!tif.empty()) {
    report.files.push_back(tif);
    const fs::path qmlPath = fs::path(tif).replace_extension(".qml");
    if (fs::exists(qmlPath)) report.files.push_back(qmlPath.string());
  }
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
