#include "layers/risk/risk_runner.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>

#include <fmt/core.h>

#include "geo/aggregation/grid.h"
#include "geo/core/error.h"
#include "geo/core/output_file.h"
#include "geo/density/geotiff.h"
#include "geo/network/graph.h"
#include "geo/risk/road_factors.h"
#include "layers/analyses/registered_file.h"
#include "layers/network/network_store.h"
#include "layers/results/results.h"
#include "layers/store/styles.h"

namespace veldwacht::layers {

namespace fs = std::filesystem;
using nlohmann::json;

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

std::vector<geo::Point> cellCentres(const geo::RasterGrid& g) {
  std::vector<geo::Point> out;
  out.reserve(g.size());
  for (std::int32_t r = 0; r < g.rows; ++r)
    for (std::int32_t c = 0; c < g.cols; ++c) out.push_back({g.centreX(c), g.centreY(r)});
  return out;
}

/// Points standing for a factor's features (see FactorKind::Features).
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

std::int64_t rowCount(Store& store, const std::string& layer) {
  const auto rows = store.query("SELECT COUNT(*) FROM \"" + layer + "\"");
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return 0;
  return std::stoll(*rows[0][0]);
}

std::string minutesLabel(double m) { return fmt::format("reistijd <= {} min", m); }

/// Binary candidates from a per-cell value: for each threshold t, 1 where value <= t (or < t
/// when `strict`).
geo::RiskFactor belowCandidates(std::string name, const std::vector<double>& values,
                                const std::vector<double>& thresholds, bool strict,
                                const std::function<std::string(double)>& label) {
  geo::RiskFactor f;
  f.name = std::move(name);
  for (double t : thresholds) {
    std::vector<double> v(values.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      v[i] = (strict ? values[i] < t : values[i] <= t) ? 1.0 : 0.0;
    f.candidates.push_back({geo::InfluenceKind::Proximity, t, label(t), std::move(v), 0.0});
  }
  return f;
}

/// Inwoners per km² of land of the buurt holding each cell centre (+inf outside every buurt or
/// where the buurt has no figures).
std::vector<double> buurtDensity(Store& store, const RiskFactorSource& f,
                                 const geo::RasterGrid& grid,
                                 const std::vector<std::uint8_t>& inArea) {
  const PolygonInput buurten = readPolygons(store, f.layer, f.where);
  const LayerDef& def = layerDef(f.layer);
  const int iInw = def.fieldIndex("aantal_inwoners");
  const int iHa = def.fieldIndex("oppervlakte_land_ha");
  std::vector<double> out(grid.size(), std::numeric_limits<double>::infinity());
  for (std::size_t b = 0; b < buurten.wkb.size(); ++b) {
    const Record& r = buurten.records[b];
    const auto* inw = iInw < 0 ? nullptr : std::get_if<std::int64_t>(&r.values[std::size_t(iInw)]);
    const auto* ha = iHa < 0 ? nullptr : std::get_if<double>(&r.values[std::size_t(iHa)]);
    if (!inw || !ha || !(*ha > 0.0)) continue;
    const double density = double(*inw) / (*ha / 100.0);
    const auto geom = geometryFromWkb(buurten.wkb[b]);
    OGREnvelope env;
    geom->getEnvelope(&env);
    for (std::int32_t row = 0; row < grid.rows; ++row) {
      const double y = grid.centreY(row);
      if (y < env.MinY || y > env.MaxY) continue;
      for (std::int32_t col = 0; col < grid.cols; ++col) {
        const double x = grid.centreX(col);
        const std::size_t i = std::size_t(row) * std::size_t(grid.cols) + std::size_t(col);
        if (!inArea[i] || x < env.MinX || x > env.MaxX || std::isfinite(out[i])) continue;
        const OGRPoint p(x, y);
        if (geom->Contains(&p)) out[i] = density;
      }
    }
  }
  return out;
}

/// The road network of the store, built once per run (only when a road factor asks for it).
struct Roads {
  std::optional<LoadedNetwork> loaded;
  std::optional<geo::SearchGraph> graph;
};

const char* kindName(geo::InfluenceKind k, FactorKind source) {
  if (source == FactorKind::RoadAccess) return "reistijd";
  if (source == FactorKind::SparseBuurt) return "inwonersdichtheid";
  switch (k) {
    case geo::InfluenceKind::Decayed:
      return "eerdere signalen";
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

/// The dated signals an earlier-signals factor takes (see FactorKind::EarlierSignals); empty
/// points when the category has none.
struct DatedPoints {
  std::vector<geo::Point> points;
  std::vector<geo::TimeSeconds> times;
};

DatedPoints earlierSignals(Store& store, const RiskRequest& request, const PointInput& events,
                           const RiskFactorSource& f, geo::Progress& progress) {
  DatedPoints out;
  if (f.category.empty()) {
    out.points = events.points;
    out.times = events.timeFrom;
    return out;
  }
  const PointInput all = readPoints(store, {request.events.layer, "", ""}, progress);
  if (!all.hasTime() || all.categories.empty())
    throw geo::InputError(
        {request.events.layer, std::nullopt, "categorie"},
        "has no dated categories: factor " + f.name + " needs signals with a category and a time");
  std::int64_t code = -1;
  for (std::size_t c = 0; c < all.categoryNames.size(); ++c)
    if (all.categoryNames[c] == f.category) code = std::int64_t(c);
  for (std::size_t i = 0; i < all.size(); ++i)
    if (code >= 0 && all.categories[i] == code) {
      out.points.push_back(all.points[i]);
      out.times.push_back(all.timeFrom[i]);
    }
  return out;
}

fs::path tifPath(Store& store, const RiskRequest& request) {
  // A store with its own result writer (PostGIS) has no folder: its writer names the file in
  // request.directory and refuses an empty one (--output-dir).
  if (ResultSetWriter* own = store.resultWriter())
    return own->resultFilePath(request.directory, request.output);
  const fs::path storePath = fs::absolute(store.path());
  const fs::path dir =
      request.directory.empty() ? storePath.parent_path() : fs::path(request.directory);
  return dir / (storePath.stem().string() + "_" + request.output + ".tif");
}

/// With an earlier-signals factor: the forecast time (the day after the latest signal) and the
/// start of the modelled response (responseFrom, by default kDefaultResponseDays before it).
void setResponsePeriod(const RiskRequest& request, RiskInput& in) {
  if (!in.events.hasTime())
    throw geo::InputError({request.events.layer, std::nullopt, "tijd"},
                          "has no times: the earlier-signals factor (eerder) needs dated "
                          "signals");
  const geo::TimeSeconds latest =
      *std::max_element(in.events.timeFrom.begin(), in.events.timeFrom.end());
  in.forecastTime = latest + 86400;
  in.responseFrom = request.responseFrom != 0
                        ? request.responseFrom
                        : in.forecastTime - geo::TimeSeconds(kDefaultResponseDays * 86400);
}

/// The signals per cell of the study area; with `split`, those before responseFrom are counted
/// apart (in.earlier) and left out of the counts.
void countEvents(const RiskRequest& request, bool split, RiskInput& in) {
  in.counts.assign(in.grid.size(), 0.0);
  for (std::size_t k = 0; k < in.events.size(); ++k) {
    const auto i = pixelOf(in.grid, in.events.points[k]);
    if (i < 0 || !in.inArea[std::size_t(i)]) continue;
    if (split && in.events.timeFrom[k] < in.responseFrom) {
      ++in.earlier;
      continue;
    }
    in.counts[std::size_t(i)] += 1.0;
    ++in.inside;
  }
  if (split && in.inside == 0)
    throw geo::InputError({request.events.layer, std::nullopt, "waargenomen_van"},
                          "no signal in the study area from " + formatIsoDateTime(in.responseFrom) +
                              " on: nothing to model after the earlier signals (set "
                              "--response-from earlier)");
}

/// Factor f's candidates (progress `step`); nullopt, with its line in in.skipped, when the store
/// has no data for it. `network` is loaded once, by the first factor that needs the roads; an
/// earlier-signals factor's points and times go into `timed` for the forecast.
std::optional<geo::RiskFactor> buildFactor(Store& store, const RiskRequest& request,
                                           const RiskFactorSource& f, RiskInput& in,
                                           std::optional<LoadedNetwork>& network,
                                           std::vector<std::pair<std::size_t, DatedPoints>>& timed,
                                           geo::Progress& step) {
  const bool roads = f.kind == FactorKind::RoadAccess || f.kind == FactorKind::DeadEnds ||
                     f.kind == FactorKind::FarmTracks;
  const std::string layer = f.kind == FactorKind::EarlierSignals ? request.events.layer : f.layer;
  if (rowCount(store, layer) == 0) {
    in.skipped.push_back(fmt::format("{}: skipped, the store has no {}{}", f.name, layer,
                                     roads ? " (no road network; import NWB wegvakken)" : ""));
    return std::nullopt;
  }
  geo::RiskFactor factor;
  switch (f.kind) {
    case FactorKind::Features:
      factor = geo::influenceCandidates(f.name, factorPoints(store, f, request.cellSize, step),
                                        in.grid, in.inArea, request.influence, step);
      break;
    case FactorKind::Remoteness:
      factor = geo::remotenessCandidates(f.name, factorPoints(store, f, request.cellSize, step),
                                         in.grid, request.influence.distances, step);
      break;
    case FactorKind::RoadAccess: {
      if (!network) network = networkForStore(store, {}, step);
      const geo::SearchGraph graph(network->network, geo::TravelMode::Auto, geo::CostKind::Time);
      const auto seconds = geo::travelTimeToWegvakken(
          graph, geo::mainRoadWegvakken(network->network, geo::TravelMode::Auto),
          cellCentres(in.grid), std::max(1000.0, 2 * request.cellSize), step);
      std::vector<double> minutes(seconds.size());
      for (std::size_t i = 0; i < seconds.size(); ++i) minutes[i] = seconds[i] / 60.0;
      factor = belowCandidates(f.name, minutes, roadAccessMinutes(), false, minutesLabel);
      break;
    }
    case FactorKind::DeadEnds:
    case FactorKind::FarmTracks: {
      if (!network) network = networkForStore(store, {}, step);
      const auto flags = f.kind == FactorKind::DeadEnds
                             ? geo::deadEndWegvakken(network->network, geo::TravelMode::Auto)
                             : geo::farmTrackWegvakken(network->network, geo::TravelMode::Landbouw);
      const auto pts = geo::wegvakPoints(network->network, flags, request.cellSize / 2);
      if (pts.empty()) {
        in.skipped.push_back(fmt::format("{}: skipped, the road network has none", f.name));
        return std::nullopt;
      }
      factor = geo::influenceCandidates(f.name, pts, in.grid, in.inArea, request.influence, step);
      break;
    }
    case FactorKind::EarlierSignals: {
      const DatedPoints earlier = earlierSignals(store, request, in.events, f, step);
      if (earlier.points.empty()) {
        in.skipped.push_back(fmt::format("{}: skipped, no signals of category {} in {}", f.name,
                                         f.category, request.events.layer));
        return std::nullopt;
      }
      for (auto t : earlier.times) in.forecastTime = std::max(in.forecastTime, t + 86400);
      factor = geo::decayedSignalCandidates(f.name, earlier.points, earlier.times, in.grid,
                                            in.responseFrom, request.influence, step);
      timed.emplace_back(in.factors.size(), earlier);
      break;
    }
    case FactorKind::SparseBuurt:
      factor = belowCandidates(f.name, buurtDensity(store, f, in.grid, in.inArea),
                               sparseBuurtThresholds(), true,
                               [](double t) { return fmt::format("buurt < {} inwoners/km2", t); });
      break;
  }
  return factor;
}

/// The forecast: every factor at the day after the latest signal (of the modelled ones and the
/// factors' categories); the other factors do not change with time.
void forecastFactors(const RiskRequest& request,
                     const std::vector<std::pair<std::size_t, DatedPoints>>& timed,
                     geo::Progress& progress, RiskInput& in) {
  in.current = in.factors;
  geo::SubProgress forecastStep(progress, 1.0, 1.0);
  for (const auto& [k, earlier] : timed)
    in.current[k] =
        geo::decayedSignalCandidates(in.factors[k].name, earlier.points, earlier.times, in.grid,
                                     in.forecastTime, request.influence, forecastStep);
}

}  // namespace

RiskInput readRiskInput(Store& store, const RiskRequest& request, geo::Progress& progress) {
  request.validate();
  RiskInput in;
  geo::SubProgress readStep(progress, 0.0, 0.25);
  in.events = readPoints(store, request.events, readStep);
  const auto area = readPolygonsWkb(store, request.studyAreaLayer, request.studyAreaWhere);
  AnalysisGrid grid = analysisGrid(area, request.cellSize, readStep);
  in.grid = grid.raster;
  in.inArea = std::move(grid.inArea);
  const bool split = std::any_of(request.factors.begin(), request.factors.end(), [](const auto& f) {
    return f.kind == FactorKind::EarlierSignals;
  });
  if (split) setResponsePeriod(request, in);
  countEvents(request, split, in);
  std::vector<std::pair<std::size_t, DatedPoints>> timed;  // earlier-signals factors
  std::optional<LoadedNetwork> network;
  for (std::size_t k = 0; k < request.factors.size(); ++k) {
    const auto& f = request.factors[k];
    geo::SubProgress step(progress, 0.25 + 0.75 * double(k) / double(request.factors.size()),
                          0.25 + 0.75 * double(k + 1) / double(request.factors.size()));
    std::optional<geo::RiskFactor> factor =
        buildFactor(store, request, f, in, network, timed, step);
    if (!factor) continue;
    in.factors.push_back(std::move(*factor));
    in.sources.push_back(f);
  }
  if (in.factors.empty())
    throw geo::InputError({request.factors.front().layer, std::nullopt, ""},
                          "none of the risk factors has data in the store");
  if (split) forecastFactors(request, timed, progress, in);
  return in;
}

geo::RiskTerrainResult computeRisk(const RiskInput& input, const RiskRequest& request,
                                   geo::Progress& progress) {
  auto model =
      geo::fitRiskTerrain(input.counts, input.inArea, input.factors, request.model, progress);
  if (!input.current.empty()) geo::applyRiskTerrain(model, input.current, input.inArea);
  return model;
}

RiskResult buildRiskResult(const RiskInput& in, const RiskRequest& request,
                           const geo::RiskTerrainResult& model, const RunClock& clock) {
  const auto& desc = describe::riskAnalyses().front();
  json params = {{"cell_size", request.cellSize},
                 {"study_area", request.studyAreaLayer},
                 {"study_area_where", request.studyAreaWhere},
                 {"signals_where", request.events.where},
                 {"distances", request.influence.distances},
                 {"density_sd_above", request.influence.densitySdAbove},
                 {"alpha", request.model.net.alpha},
                 {"folds", request.model.cv.folds},
                 {"n_lambda", request.model.net.nLambda},
                 {"one_standard_error", request.model.oneStandardError},
                 {"refit_unpenalised", request.model.refitUnpenalised},
                 {"lambda", model.lambda}};
  json factorList = json::array();
  for (const auto& f : in.sources)
    factorList.push_back(
        {{"name", f.name},
         {"layer", f.kind == FactorKind::EarlierSignals ? request.events.layer : f.layer},
         {"where", f.where},
         {"category", f.category}});
  params["factors"] = factorList;
  params["skipped"] = in.skipped;
  if (in.responseFrom != 0) {
    params["half_lives_days"] = request.influence.halfLivesDays;
    params["decayed_threshold"] = request.influence.decayedThreshold;
    params["response_from"] = formatIsoDateTime(in.responseFrom);
    params["forecast_time"] = formatIsoDateTime(in.forecastTime);
  }

  RiskResult out;
  out.metadata =
      clock.metadata("risk_terrain", params, inputDescription(in.events),
                     std::int64_t(in.events.size()), std::int64_t(request.model.cv.seed));
  const describe::ResultTable& spec = desc.result("FACTORS");
  ResultLayer t;
  t.name = request.output + spec.suffix;
  t.title = "Risicofactoren (" + request.output + ")";
  t.geometry = spec.geometry;
  t.fields = spec.fieldDefs();
  for (std::size_t k = 0; k < model.factors.size(); ++k) {
    const auto& f = model.factors[k];
    const FactorKind source = in.sources[k].kind;
    const bool chosen = !f.operationalisation.empty();
    const bool metres = source != FactorKind::RoadAccess && source != FactorKind::SparseBuurt;
    Record rec;
    rec.values = {f.name,
                  chosen ? Value{f.operationalisation} : Value{},
                  chosen ? Value{std::string(kindName(f.kind, source))} : Value{},
                  chosen && metres ? Value{f.distance} : Value{},
                  chosen && !metres ? Value{f.distance} : Value{},
                  chosen && f.kind == geo::InfluenceKind::Decayed ? Value{f.halfLifeDays} : Value{},
                  Value{std::int64_t(f.selected ? 1 : 0)},
                  Value{f.coefficient},
                  Value{f.relativeRisk},
                  Value{f.standardError},
                  Value{f.importance},
                  std::isfinite(f.cvDeviance) ? Value{f.cvDeviance} : Value{}};
    t.records.push_back(std::move(rec));
  }
  t.metadata = out.metadata;
  out.result.layers.push_back(std::move(t));

  out.raster.grid = in.grid;
  out.raster.values = model.relativeRisk;
  out.raster.nodata = model.nodata;
  out.raster.units = "relatief risico";
  out.raster.description = "risk terrain model: relative risk (product of the RRVs present)";
  out.rasterMetadata = {{"VELDWACHT_ALGORITHM", "risk_terrain"},
                        {"VELDWACHT_PARAMETERS", params.dump()},
                        {"VELDWACHT_INPUT", inputDescription(in.events)}};

  auto& report = out.result.report;
  report.lines.push_back(fmt::format(
      "risk terrain on {} ({} in the study area, {} cells of {} m): CV deviance {:.4f} per cell "
      "(no factors {:.4f})",
      inputDescription(in.events), in.inside, model.cells, request.cellSize, model.modelCvDeviance,
      model.nullCvDeviance));
  for (const auto& f : model.factors)
    report.lines.push_back(f.selected
                               ? fmt::format("  {}: {} RRV {:.2f} (importance {:.2f})", f.name,
                                             f.operationalisation, f.relativeRisk, f.importance)
                               : fmt::format("  {}: not selected", f.name));
  for (const auto& s : in.skipped) report.lines.push_back("  " + s);
  if (in.responseFrom != 0)
    report.lines.push_back(fmt::format(
        "  modelled: the {} signals from {} on ({} earlier ones not counted); the eerder "
        "factors take the signals before it, the map those up to {}",
        in.inside, formatIsoDateTime(in.responseFrom), in.earlier,
        formatIsoDateTime(in.forecastTime)));
  report.warnings = model.warnings;
  return out;
}

RunReport writeRiskResult(Store& store, const RiskRequest& request, RiskResult&& result,
                          geo::Progress& progress) {
  const fs::path tif = tifPath(store, request);
  const std::string style = describe::riskAnalyses().front().result("OUTPUT").style;
  // The factor table, the raster and its registry row as one result set (writeResultSet): a
  // kill or a cancel leaves the old set or the new one, never a new table beside an old map.
  std::vector<ResultFile> files;
  files.push_back(prepareRasterFile(store, tif.string(), result.raster, result.rasterMetadata,
                                    request.overwrite, style, request.stylesDir, result.metadata));
  RunReport report = std::move(result.result.report);
  for (const auto& l : result.result.layers) report.layers.push_back(l.name);
  writeResultSet(store, std::move(result.result.layers), std::move(files), progress);
  report.files.push_back(tif.string());
  const fs::path qmlPath = fs::path(tif).replace_extension(".qml");
  if (fs::exists(qmlPath)) report.files.push_back(qmlPath.string());
  progress.setFraction(1.0);
  return report;
}

RunReport runRisk(Store& store, const RiskRequest& request, geo::Progress& progress) {
  request.validate();
  tifPath(store, request);  // a missing output folder is refused before any work
  RunClock clock;
  geo::SubProgress readStep(progress, 0.0, 0.4);
  const RiskInput in = readRiskInput(store, request, readStep);
  geo::SubProgress fitStep(progress, 0.4, 0.95);
  const auto model = computeRisk(in, request, fitStep);
  RiskResult result = buildRiskResult(in, request, model, clock);
  geo::SubProgress writeStep(progress, 0.95, 1.0);
  return writeRiskResult(store, request, std::move(result), writeStep);
}

}  // namespace veldwacht::layers
