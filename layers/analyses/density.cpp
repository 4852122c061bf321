#include "layers/analyses/density.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;
using nlohmann::json;

void DensityRequest::validate() const {
  checkOutputName(output);
  kde.validate();
  if (denominator) {
    geo::DualKdeOptions d = dual;
    d.kde = kde;
    d.validate();
  }
}

namespace {

json kdeParameters(const geo::KdeOptions& k) {
  return {{"radius", k.radius},
          {"pixel_size", k.pixelSize},
          {"kernel", std::string(geo::kernelName(k.kernel))},
          {"output", std::string(geo::kernelOutputName(k.output))},
          {"decay", k.decay},
          {"gaussian_sigma", k.gaussianSigma},
          {"method", k.method == geo::KdeMethod::Binned ? "binned" : "exact"}};
}

/// True when `file` is registered in veldwacht_resultaten as a raster this store wrote (by its
/// file name as layer, and its path as registerResultFile records it).
bool isRegisteredResult(Store& store, const fs::path& file) {
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

/// Largest absolute finite value outside nodata (0 when none).
double maxAbs(const geo::Raster& r) {
  double m = 0;
  for (std::size_t i = 0; i < r.values.size(); ++i)
    if (!r.isNodata(i) && std::isfinite(r.values[i])) m = std::max(m, std::abs(r.values[i]));
  return m;
}

/// A density surface and what it is: the style and algorithm names recorded with it.
struct Surface {
  geo::Raster raster;
  std::string style = "density";
  std::string algorithm = "kde";
};

/// The dual KDE's ratio as log2 of the ratio to the region's overall ratio, clamped to ±4.
Surface dualSurface(const DensityRequest& request, const geo::KdeOptions& kde, const PointInput& in,
                    const PointInput& den, json& params, RunReport& report, geo::Progress& algo) {
  geo::DualKdeOptions d = request.dual;
  d.kde = kde;
  auto r = geo::dualKernelDensity(in.points, in.weights, den.points, den.weights, d, algo);
  double wNum = in.weights.empty() ? double(in.size()) : 0.0;
  for (double w : in.weights) wNum += w;
  double wDen = den.weights.empty() ? double(den.size()) : 0.0;
  for (double w : den.weights) wDen += w;
  const double expected = wNum / wDen * d.ratioScale;
  Surface s{std::move(r.ratio), "dual_density", "dual_kde"};
  geo::Raster& raster = s.raster;
  double maxRatio = 0;
  for (auto& v : raster.values) {
    if (v == raster.nodata) continue;
    maxRatio = std::max(maxRatio, v);
    v = v > 0 ? std::clamp(std::log2(v / expected), -4.0, 4.0) : -4.0;
  }
  raster.units = "log2(verhouding / regiogemiddelde)";
  raster.description = fmt::format("dual kernel density {} / {}, log2 of the ratio to {:.4g}",
                                   in.layer, den.layer, expected);
  raster.metadata["EXPECTED_RATIO"] = fmt::format("{:.6g}", expected);
  raster.metadata["MAX_RATIO"] = fmt::format("{:.6g}", maxRatio);
  params["denominator"] = den.layer;
  params["denominator_where"] = request.denominator->where;
  params["min_denominator"] = d.minDenominator;
  params["rule"] = d.rule == geo::SmallDenominator::Clamp ? "clamp" : "nodata";
  params["ratio_scale"] = d.ratioScale;
  params["expected_ratio"] = expected;
  report.lines.push_back(fmt::format(
      "dual KDE {} over {} ({} / {} points): region ratio {:.4g}, highest {:.4g} ({:.1f}x); "
      "{} pixels without enough denominator",
      inputDescription(in), inputDescription(den), in.size(), den.size(), expected, maxRatio,
      maxRatio / expected, r.nodataPixels));
  return s;
}

Surface kdeSurface(const geo::KdeOptions& kde, const PointInput& in, RunReport& report,
                   geo::Progress& algo) {
  auto r = geo::kernelDensity(in.points, in.weights, kde, algo);
  Surface s{std::move(r.raster)};
  report.lines.push_back(
      fmt::format("KDE of {} ({} points), r = {} m, {} m pixels: {} x {}, max {:.4g} {}",
                  inputDescription(in), r.pointsUsed, kde.radius, kde.pixelSize, s.raster.grid.cols,
                  s.raster.grid.rows, maxAbs(s.raster), s.raster.units));
  return s;
}

/// Writes the GeoTIFF <store stem>_<output>.tif (and its .qml style sidecar) and registers it
/// in the store. Only our own earlier result (and its sidecar) is replaced, never a user's file
/// or a link; both targets are checked before anything is written.
void writeSurface(Store& store, const DensityRequest& request, const Surface& s, const json& params,
                  const PointInput& in, const RunClock& clock, RunReport& report) {
  const fs::path storePath = fs::absolute(store.path());
  const fs::path dir =
      request.directory.empty() ? storePath.parent_path() : fs::path(request.directory);
  const fs::path tif = dir / (storePath.stem().string() + "_" + request.output + ".tif");
  std::map<std::string, std::string> meta = {{"VELDWACHT_ALGORITHM", s.algorithm},
                                             {"VELDWACHT_PARAMETERS", params.dump()},
                                             {"VELDWACHT_INPUT", inputDescription(in)}};
  const fs::path qmlPath = fs::path(tif).replace_extension(".qml");
  const bool ownTif = isRegisteredResult(store, tif);
  geo::GeoTiffOptions tiffOptions;
  tiffOptions.output.overwrite = request.overwrite;
  tiffOptions.output.isOwnResult = [&](const std::string&) { return ownTif; };
  geo::checkOutputTarget(tif.string(), tiffOptions.output);
  geo::checkOutputTarget(qmlPath.string(), tiffOptions.output);
  // The styles work on the raster's own values (density: min/max of the visible map; dual
  // density: the log2 scale), so the sidecar is the style file as it is. An old sidecar (e.g.
  // of a density written under this name before) is replaced.
  std::optional<geo::OutputFile> qml;
  const std::string stylesDir = stylesDirectory(request.stylesDir);
  if (!stylesDir.empty())
    if (auto text =
            readStyleFile((fs::path(stylesDir) / "results" / (s.style + ".qml")).string())) {
      qml.emplace(qmlPath.string(), tiffOptions.output);
      qml->write(*text);
    }
  geo::writeGeoTiff(tif.string(), s.raster, meta, tiffOptions);
  if (qml) qml->commit();

  if (maxAbs(s.raster) == 0) report.warnings.push_back("the surface is zero everywhere");
  registerResultFile(
      store, tif.string(),
      clock.metadata(s.algorithm, params, inputDescription(in), std::int64_t(in.size())), s.style,
      request.stylesDir);
  report.files.push_back(tif.string());
  if (fs::exists(qmlPath)) report.files.push_back(qmlPath.string());
}

}  // namespace

// The steps: read the points (and the denominator, and the mask); the surface (KDE or dual
// KDE); write and register the GeoTIFF.
RunReport runDensity(Store& store, const DensityRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  geo::SubProgress readProgress(progress, 0.0, 0.1);
  const PointInput in = readPoints(store, request.input, readProgress);
  std::optional<PointInput> den;
  if (request.denominator) den = readPoints(store, *request.denominator, readProgress);
  geo::KdeOptions kde = request.kde;
  if (!request.maskLayer.empty())
    kde.maskWkb = unionWkb(readPolygonsWkb(store, request.maskLayer, request.maskWhere));

  json params = kdeParameters(kde);
  params["where"] = in.where;  // the normalised filter that was applied
  params["weight_field"] = request.input.weightField;
  if (!request.maskLayer.empty())
    params["mask"] =
        request.maskLayer + (request.maskWhere.empty() ? "" : " [" + request.maskWhere + "]");

  geo::SubProgress algo(progress, 0.1, 0.9);
  RunReport report;
  const Surface surface = den ? dualSurface(request, kde, in, *den, params, report, algo)
                              : kdeSurface(kde, in, report, algo);
  writeSurface(store, request, surface, params, in, clock, report);
  return report;
}

}  // namespace veldwacht::layers
