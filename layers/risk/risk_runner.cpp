#include "layers/risk/risk_runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/core.h>

#include "geo/aggregation/grid.h"
#include "geo/core/error.h"
#include "geo/density/geotiff.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;
using nlohmann::json;

std::vector<RiskFactorSource> defaultRiskFactors() {
  return {{"vab", "vab", "", false},
          {"bedrijventerrein", "bedrijventerreinen", "", false},
          {"afgelegen", "verblijfsobjecten", "", true}};
}

void RiskRequest::validate() const {
  checkOutputName(output);
  if (!(cellSize > 0.0) || !std::isfinite(cellSize))
    throw geo::OptionError("cellSize", "must be > 0 metres");
  if (studyAreaLayer.empty()) throw geo::OptionError("studyAreaLayer", "needs a polygon layer");
  if (factors.empty()) throw geo::OptionError("factors", "needs at least one risk factor");
  influence.validate();
  model.validate();
}

namespace {

/// The analysis grid: square cells (lattice snapped to multiples of the cell size) whose centre
/// lies in the study area, as a raster with an in-area flag per pixel.
struct AnalysisGrid {
  geo::RasterGrid raster;
  std::vector<std::uint8_t> inArea;
};

AnalysisGrid analysisGrid(const std::vector<std::vector<std::uint8_t>>& area, double cellSize,
                          geo::Progress& progress) {
  geo::GridOptions o;
  o.shape = geo::GridShape::Square;
  o.cellSize = cellSize;
  o.maskWkb = area;
  o.clipMode = geo::ClipMode::CentreInside;
  const geo::Grid grid = geo::makeGrid(o, progress);
  if (grid.cells.empty()) throw geo::InputError({}, "the study area holds no grid cell centre");
  double minX = 1e300, maxY = -1e300, maxX = -1e300, minY = 1e300;
  for (const auto& c : grid.cells) {
    minX = std::min(minX, c.centre.x - cellSize / 2);
    maxX = std::max(maxX, c.centre.x + cellSize / 2);
    minY = std::min(minY, c.centre.y - cellSize / 2);
    maxY = std::max(maxY, c.centre.y + cellSize / 2);
  }
  AnalysisGrid g;
  g.raster = {minX, maxY, cellSize, std::int32_t(std::lround((maxX - minX) / cellSize)),
              std::int32_t(std::lround((maxY - minY) / cellSize))};
  g.inArea.assign(g.raster.size(), 0);
  for (const auto& c : grid.cells) {
    const auto col = std::lround((c.centre.x - minX) / cellSize - 0.5);
    const auto row = std::lround((maxY - c.centre.y) / cellSize - 0.5);
    g.inArea[std::size_t(row) * std::size_t(g.raster.cols) + std::size_t(col)] = 1;
  }
  return g;
}

/// Index of the pixel holding p, or -1 outside the raster.
std::int64_t pixelOf(const geo::RasterGrid& g, const geo::Point& p) {
  const double c = std::floor((p.x - g.originX) / g.pixelSize);
  const double r = std::floor((g.originY - p.y) / g.pixelSize);
  if (c < 0 || r < 0 || c >= g.cols || r >= g.rows) return -1;
  return std::int64_t(r) * g.cols + std::int64_t(c);
}

/// Points standing for a factor's features (see RiskFactorSource).
std::vector<geo::Point> factorPoints(Store& store, const RiskFactorSource& f, double cellSize,
                                     geo::Progress& progress) {
  const LayerDef& def = layerDef(f.layer);
  if (def.geometry != GeometryKind::MultiPolygon)
    return readPoints(store, {f.layer, f.where, ""}, progress).points;
  const auto polygons = readPolygonsWkb(store, f.layer, f.where);
  geo::GridOptions o;
  o.shape = geo::GridShape::Square;
  o.cellSize = cellSize;
  o.maskWkb = polygons;
  o.clipMode = geo::ClipMode::CentreInside;
  std::vector<geo::Point> pts;
  for (const auto& c : geo::makeGrid(o, progress).cells) pts.push_back(c.centre);
  auto addRings = [&](const OGRPolygon* poly) {
    for (const OGRLinearRing* ring : *poly) {
      std::vector<geo::Point> v;
      for (const auto& p : *ring) v.push_back({p.getX(), p.getY()});
      const auto dense = geo::densifyPolyline(v, cellSize / 2);
      pts.insert(pts.end(), dense.begin(), dense.end());
    }
  };
  for (const auto& wkb : polygons) {
    const auto g = geometryFromWkb(wkb);
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbPolygon) addRings(g->toPolygon());
    if (type == wkbMultiPolygon)
      for (const OGRPolygon* poly : *g->toMultiPolygon()) addRings(poly);
  }
  return pts;
}

const char* kindName(geo::InfluenceKind k) {
  switch (k) {
    case geo::InfluenceKind::Proximity:
      return "nabijheid";
    case geo::InfluenceKind::Density:
      return "dichtheid";
    case geo::InfluenceKind::Remoteness:
      return "afgelegen";
    case geo::InfluenceKind::Continuous:
      return "continu";
  }
  return "";
}

ResultLayer factorTable(const RiskRequest& request, const geo::RiskTerrainResult& r,
                        ResultMetadata metadata) {
  ResultLayer t;
  t.name = request.output + "_factoren";
  t.title = "Risicofactoren (" + request.output + ")";
  t.geometry = GeometryKind::None;
  t.fields = {
      resultField("factor", FieldType::Text, "Risicofactor"),
      resultField("operationalisatie", FieldType::Text, "Gekozen vorm, bijv. nabijheid 300 m"),
      resultField("soort", FieldType::Text, "nabijheid, dichtheid of afgelegen"),
      resultField("afstand_m", FieldType::Real, "Afstand of bandbreedte in meter"),
      resultField("geselecteerd", FieldType::Boolean, "1 als de factor in het model zit"),
      resultField("coefficient", FieldType::Real, "Poisson-coëfficiënt"),
      resultField("relatief_risico", FieldType::Real, "exp(coëfficiënt): risico binnen / buiten"),
      resultField("standaardfout", FieldType::Real, "Standaardfout van de coëfficiënt"),
      resultField("belang", FieldType::Real, "Aandeel in de spreiding van het log-risico"),
      resultField("cv_deviantie", FieldType::Real, "Gekruisvalideerde deviantie per cel")};
  for (const auto& f : r.factors) {
    Record rec;
    const bool chosen = !f.operationalisation.empty();
    rec.values = {f.name,
                  chosen ? Value{f.operationalisation} : Value{},
                  chosen ? Value{std::string(kindName(f.kind))} : Value{},
                  chosen ? Value{f.distance} : Value{},
                  Value{std::int64_t(f.selected ? 1 : 0)},
                  Value{f.coefficient},
                  Value{f.relativeRisk},
                  Value{f.standardError},
                  Value{f.importance},
                  std::isfinite(f.cvDeviance) ? Value{f.cvDeviance} : Value{}};
    t.records.push_back(std::move(rec));
  }
  t.metadata = std::move(metadata);
  return t;
}

}  // namespace

RunReport runRisk(Store& store, const RiskRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  geo::SubProgress readStep(progress, 0.0, 0.1);
  const PointInput signals = readPoints(store, request.signals, readStep);
  const auto area = readPolygonsWkb(store, request.studyAreaLayer, request.studyAreaWhere);
  const AnalysisGrid grid = analysisGrid(area, request.cellSize, readStep);
  std::vector<double> counts(grid.raster.size(), 0.0);
  std::size_t inside = 0;
  for (const auto& p : signals.points) {
    const auto i = pixelOf(grid.raster, p);
    if (i >= 0 && grid.inArea[std::size_t(i)]) {
      counts[std::size_t(i)] += 1.0;
      ++inside;
    }
  }

  std::vector<geo::RiskFactor> factors;
  for (std::size_t k = 0; k < request.factors.size(); ++k) {
    const auto& f = request.factors[k];
    geo::SubProgress step(progress, 0.1 + 0.3 * double(k) / double(request.factors.size()),
                          0.1 + 0.3 * double(k + 1) / double(request.factors.size()));
    const auto pts = factorPoints(store, f, request.cellSize, step);
    factors.push_back(f.remoteness ? geo::remotenessCandidates(f.name, pts, grid.raster,
                                                               request.influence.distances, step)
                                   : geo::influenceCandidates(f.name, pts, grid.raster, grid.inArea,
                                                              request.influence, step));
  }
  geo::SubProgress fitStep(progress, 0.4, 0.95);
  const auto model = geo::fitRiskTerrain(counts, grid.inArea, factors, request.model, fitStep);

  json params = {{"cell_size", request.cellSize},
                 {"study_area", request.studyAreaLayer},
                 {"study_area_where", request.studyAreaWhere},
                 {"signals_where", request.signals.where},
                 {"distances", request.influence.distances},
                 {"density_sd_above", request.influence.densitySdAbove},
                 {"alpha", request.model.net.alpha},
                 {"folds", request.model.cv.folds},
                 {"one_standard_error", request.model.oneStandardError},
                 {"refit_unpenalised", request.model.refitUnpenalised},
                 {"lambda", model.lambda}};
  json factorList = json::array();
  for (const auto& f : request.factors)
    factorList.push_back(
        {{"name", f.name}, {"layer", f.layer}, {"where", f.where}, {"remoteness", f.remoteness}});
  params["factors"] = factorList;
  const auto metadata =
      clock.metadata("risk_terrain", params, inputDescription(signals),
                     std::int64_t(signals.size()), std::int64_t(request.model.cv.seed));

  RunReport report;
  geo::Raster raster;
  raster.grid = grid.raster;
  raster.values = model.relativeRisk;
  raster.nodata = model.nodata;
  raster.units = "relatief risico";
  raster.description = "risk terrain model: relative risk (product of the RRVs present)";
  const fs::path storePath = fs::absolute(store.path());
  const fs::path dir =
      request.directory.empty() ? storePath.parent_path() : fs::path(request.directory);
  const fs::path tif = dir / (storePath.stem().string() + "_" + request.output + ".tif");
  geo::writeGeoTiff(tif.string(), raster,
                    {{"VELDWACHT_ALGORITHM", "risk_terrain"},
                     {"VELDWACHT_PARAMETERS", params.dump()},
                     {"VELDWACHT_INPUT", inputDescription(signals)}});
  std::vector<ResultLayer> layers;
  layers.push_back(factorTable(request, model, metadata));
  geo::SubProgress writeStep(progress, 0.95, 1.0);
  writeResultLayers(store, std::move(layers), writeStep);
  registerResultFile(store, tif.string(), metadata, "", request.stylesDir);
  report.files.push_back(tif.string());
  report.layers.push_back(request.output + "_factoren");
  report.lines.push_back(fmt::format(
      "risk terrain on {} ({} in the study area, {} cells of {} m): CV deviance {:.4f} per cell "
      "(no factors {:.4f})",
      inputDescription(signals), inside, model.cells, request.cellSize, model.modelCvDeviance,
      model.nullCvDeviance));
  for (const auto& f : model.factors)
    report.lines.push_back(f.selected
                               ? fmt::format("  {}: {} RRV {:.2f} (importance {:.2f})", f.name,
                                             f.operationalisation, f.relativeRisk, f.importance)
                               : fmt::format("  {}: not selected", f.name));
  report.warnings = model.warnings;
  return report;
}

}  // namespace veldwacht::layers
