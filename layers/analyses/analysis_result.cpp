#include "layers/analyses/analysis_result.h"

#include <algorithm>
#include <filesystem>
#include <type_traits>

#include "geo/core/error.h"
#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"
#include "layers/analyses/registered_file.h"
#include "layers/store/styles.h"

namespace veldwacht::layers {

void TextColumn::push_back(std::string_view text) {
  chars.append(text);
  ends.push_back(chars.size());
}

std::string_view TextColumn::operator[](std::size_t i) const {
  const std::size_t begin = i == 0 ? 0 : ends[i - 1];
  return std::string_view(chars).substr(begin, ends[i] - begin);
}

Value PointColumns::value(std::size_t c, std::size_t i) const {
  return std::visit(
      [i](const auto& col) -> Value {
        using T = std::decay_t<decltype(col)>;
        if constexpr (std::is_same_v<T, std::monostate>)
          return Value{};
        else if constexpr (std::is_same_v<T, std::vector<double>>)
          return Value{col[i]};
        else if constexpr (std::is_same_v<T, TextColumn>)
          return Value{std::string(col[i])};
        else
          return Value{std::int64_t{col[i]}};
      },
      columns[c]);
}

void PointColumns::row(std::size_t i, std::vector<Value>& values) const {
  values.resize(columns.size());
  for (std::size_t c = 0; c < columns.size(); ++c)
    std::visit(
        [&](const auto& col) {
          using T = std::decay_t<decltype(col)>;
          Value& v = values[c];
          if constexpr (std::is_same_v<T, std::monostate>) {
            v = std::monostate{};
          } else if constexpr (std::is_same_v<T, std::vector<double>>) {
            v = col[i];
          } else if constexpr (std::is_same_v<T, TextColumn>) {
            if (auto* s = std::get_if<std::string>(&v))
              s->assign(col[i]);  // keeps the string's buffer
            else
              v = std::string(col[i]);
          } else {
            v = std::int64_t{col[i]};
          }
        },
        columns[c]);
}

Record PointColumns::record(std::size_t i) const {
  Record r;
  row(i, r.values);
  r.geometry = pointGeometry(points[i]);
  return r;
}

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
  result.materialise();
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
