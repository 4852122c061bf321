#include "layers/analyses/hotspots.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "layers/analyses/aggregation.h"

namespace veldwacht::layers {

using nlohmann::json;

std::string_view hotspotMethodName(HotspotMethod m) {
  switch (m) {
    case HotspotMethod::GiStar:
      return "gi";
    case HotspotMethod::LocalMoran:
      return "local-moran";
    case HotspotMethod::Optimized:
      return "optimized";
    case HotspotMethod::Global:
      return "global";
  }
  return "?";
}

HotspotMethod parseHotspotMethod(std::string_view name) {
  for (auto m : {HotspotMethod::GiStar, HotspotMethod::LocalMoran, HotspotMethod::Optimized,
                 HotspotMethod::Global})
    if (hotspotMethodName(m) == name) return m;
  throw geo::OptionError(
      "method", "unknown method '" + std::string(name) + "' (gi, local-moran, optimized, global)");
}

std::string_view weightsKindName(WeightsKind w) {
  switch (w) {
    case WeightsKind::DistanceBand:
      return "distance-band";
    case WeightsKind::KNearest:
      return "k-nearest";
    case WeightsKind::Contiguity:
      return "contiguity";
  }
  return "?";
}

WeightsKind parseWeightsKind(std::string_view name) {
  for (auto w : {WeightsKind::DistanceBand, WeightsKind::KNearest, WeightsKind::Contiguity})
    if (weightsKindName(w) == name) return w;
  throw geo::OptionError("weights", "unknown weights '" + std::string(name) +
                                        "' (distance-band, k-nearest, contiguity)");
}

void HotspotRequest::validate() const {
  checkOutputName(output);
  if (!polygonLayer.empty() && valueField.empty())
    throw geo::OptionError("value-field", "a polygon layer needs a numeric field to analyse");
  if (polygonLayer.empty() && method != HotspotMethod::Optimized) {
    geo::GridOptions g = grid;
    if (g.extent.empty()) g.extent = {0, 0, 1, 1};
    g.validate();
  }
  if (method == HotspotMethod::Optimized && !polygonLayer.empty())
    throw geo::OptionError("method", "optimized hot spots start from points, not a polygon field");
  band.validate();
  knn.validate();
  switch (method) {
    case HotspotMethod::GiStar:
      gi.validate();
      break;
    case HotspotMethod::LocalMoran:
      localMoran.validate();
      break;
    case HotspotMethod::Optimized:
      optimized.validate();
      break;
    case HotspotMethod::Global:
      globalMoran.validate();
      nni.validate();
      ripley.validate();
      break;
  }
}

void HotspotRequest::keepOnlyTables(const std::vector<std::string>& suffixes) {
  ripleyTable = std::find(suffixes.begin(), suffixes.end(), "_ripley") != suffixes.end();
}

namespace {

const char* correctionName(geo::Correction c) {
  switch (c) {
    case geo::Correction::None:
      return "none";
    case geo::Correction::Fdr:
      return "fdr";
    case geo::Correction::Bonferroni:
      return "bonferroni";
  }
  return "?";
}

const char* lisaName(geo::ClusterType t) {
  switch (t) {
    case geo::ClusterType::HighHigh:
      return "HH";
    case geo::ClusterType::LowLow:
      return "LL";
    case geo::ClusterType::HighLow:
      return "HL";
    case geo::ClusterType::LowHigh:
      return "LH";
    case geo::ClusterType::NotSignificant:
      return "NS";
  }
  return "NS";
}

double areaOf(const OGRGeometry& g) {
  const auto t = wkbFlatten(g.getGeometryType());
  if (t == wkbPolygon) return g.toPolygon()->get_Area();
  if (t == wkbMultiPolygon) return g.toMultiPolygon()->get_Area();
  return 0.0;
}

/// The analysed units: geometry, key, value, centroid; grid neighbours when from a grid.
struct Units {
  std::vector<geo::GeometryPtr> geoms;
  std::vector<std::string> keys;
  std::vector<double> values;
  std::vector<geo::Point> centres;
  std::vector<std::vector<std::uint32_t>> gridNeighbours;  ///< empty for polygons
  std::string keyField = "cel_id";
  std::string valueName = "aantal";
  std::string description;
  std::int64_t inputRows = 0;
};

/// Polygons that touch or overlap (sharing at least a point), O(n²) with an envelope filter:
/// fine for the hundreds of buurten or parks of a region.
std::vector<std::vector<std::uint32_t>> polygonContiguity(const std::vector<geo::GeometryPtr>& g) {
  std::vector<OGREnvelope> env(g.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i]->getEnvelope(&env[i]);
  std::vector<std::vector<std::uint32_t>> lists(g.size());
  for (std::size_t i = 0; i < g.size(); ++i)
    for (std::size_t j = i + 1; j < g.size(); ++j) {
      if (!env[i].Intersects(env[j])) continue;
      if (g[i]->Intersects(g[j].get())) {
        lists[i].push_back(std::uint32_t(j));
        lists[j].push_back(std::uint32_t(i));
      }
    }
  return lists;
}

geo::SpatialWeights weightsFor(const HotspotRequest& r, const Units& u, json& params,
                               RunReport& report, geo::Progress& progress) {
  params["weights"] = weightsKindName(r.weights);
  switch (r.weights) {
    case WeightsKind::DistanceBand: {
      auto w = geo::distanceBandWeights(u.centres, r.band, progress);
      params["band"] = w.band;
      report.lines.push_back(fmt::format("  weights: fixed distance band {:.0f} m{}", w.band,
                                         r.band.band == 0 ? " (every unit has a neighbour)" : ""));
      return std::move(w.weights);
    }
    case WeightsKind::KNearest:
      params["k"] = r.knn.k;
      report.lines.push_back(fmt::format("  weights: {} nearest neighbours", r.knn.k));
      return geo::kNearestWeights(u.centres, r.knn, progress);
    case WeightsKind::Contiguity:
      report.lines.push_back("  weights: contiguity");
      if (!u.gridNeighbours.empty()) return geo::SpatialWeights::fromLists(u.gridNeighbours);
      return geo::SpatialWeights::fromLists(polygonContiguity(u.geoms));
  }
  return {};
}

Units unitsFromPoints(const HotspotRequest& r, const PointInput& in,
                      const std::vector<std::vector<std::uint8_t>>& mask, json& params) {
  Units u;
  geo::GridOptions g = r.grid;
  g.maskWkb = mask;
  if (g.extent.empty() && g.maskWkb.empty()) g.extent = paddedExtent(in.points, g.cellSize);
  const geo::Grid grid = geo::makeGrid(g);
  u.values = geo::countPoints(grid, in.points, in.weights);
  for (const auto& c : grid.cells) {
    u.geoms.push_back(cellGeometry(c));
    u.keys.push_back(fmt::format("{}_{}", c.col, c.row));
    u.centres.push_back(c.centre);
  }
  u.gridNeighbours = grid.neighbours;
  u.valueName = in.weights.empty() ? "aantal" : "gewogen";
  u.description = inputDescription(in);
  u.inputRows = std::int64_t(in.size());
  params["cell_size"] = g.cellSize;
  params["shape"] = g.shape == geo::GridShape::Square ? "square" : "hexagon";
  params["mask"] = r.maskLayer;
  return u;
}

Units unitsFromPolygons(const HotspotRequest& r, const PolygonUnits& polys, RunReport& report) {
  Units u;
  if (polys.values.size() != polys.wkb.size())
    throw geo::OptionError("value-field", "no values of '" + r.valueField + "' were read");
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < polys.wkb.size(); ++i) {
    if (!polys.values[i]) {
      ++skipped;
      continue;
    }
    const double x = *polys.values[i];
    auto geom = geometryFromWkb(polys.wkb[i]);
    OGRPoint c;
    geom->Centroid(&c);
    u.centres.push_back({c.getX(), c.getY()});
    u.geoms.push_back(std::move(geom));
    u.keys.push_back(polys.keys[i]);
    u.values.push_back(x);
  }
  if (skipped)
    report.warnings.push_back(fmt::format("{} {} without a value of {} were left out", skipped,
                                          r.polygonLayer, r.valueField));
  if (u.values.size() < 3)
    throw geo::InputError({r.polygonLayer, std::nullopt, r.valueField},
                          "fewer than 3 polygons with a value; nothing to compare");
  u.keyField = "bron_id";
  u.valueName = "waarde";
  u.description = r.polygonLayer + "." + r.valueField +
                  (r.polygonWhere.empty() ? "" : " [" + r.polygonWhere + "]");
  u.inputRows = std::int64_t(polys.wkb.size());
  return u;
}

ResultLayer unitLayer(const HotspotRequest& r, Units& u, const std::string& style) {
  ResultLayer layer;
  layer.name = r.output;
  layer.geometry = GeometryKind::MultiPolygon;
  layer.style = style;
  layer.stylesDir = r.stylesDir;
  layer.fields = {
      resultField(u.keyField, FieldType::Text),
      resultField(u.valueName, u.valueName == "aantal" ? FieldType::Integer : FieldType::Real)};
  for (std::size_t i = 0; i < u.geoms.size(); ++i) {
    Record rec;
    rec.values = {u.keys[i], u.valueName == "aantal"
                                 ? Value{static_cast<std::int64_t>(std::llround(u.values[i]))}
                                 : Value{u.values[i]}};
    rec.geometry = std::move(u.geoms[i]);
    layer.records.push_back(std::move(rec));
  }
  return layer;
}

void addGiFields(ResultLayer& layer, const geo::GiStarResult& gi) {
  layer.fields.push_back(resultField("gi_z", FieldType::Real));
  layer.fields.push_back(resultField("gi_p", FieldType::Real));
  layer.fields.push_back(resultField("gi_p_gecorrigeerd", FieldType::Real));
  if (!gi.pPermutation.empty())
    layer.fields.push_back(resultField("gi_p_permutatie", FieldType::Real));
  layer.fields.push_back(resultField("gi_bin", FieldType::Integer));
  layer.fields.push_back(resultField("buren", FieldType::Integer));
  for (std::size_t i = 0; i < layer.records.size(); ++i) {
    auto& v = layer.records[i].values;
    v.emplace_back(gi.z[i]);
    v.emplace_back(gi.p[i]);
    v.emplace_back(gi.pAdjusted[i]);
    if (!gi.pPermutation.empty()) v.emplace_back(gi.pPermutation[i]);
    v.emplace_back(std::int64_t{gi.bin[i]});
    v.emplace_back(static_cast<std::int64_t>(gi.neighbourCount[i]));
  }
}

std::string binSummary(const std::vector<std::int8_t>& bins) {
  int counts[7] = {};
  for (auto b : bins) ++counts[b + 3];
  return fmt::format("hot 99/95/90 %: {}/{}/{}, cold 99/95/90 %: {}/{}/{}, not significant {}",
                     counts[6], counts[5], counts[4], counts[0], counts[1], counts[2], counts[3]);
}

json giParams(const geo::GiStarOptions& o) {
  return {{"row_standardise", o.rowStandardise},
          {"permutations", o.permutations},
          {"seed", o.seed},
          {"correction", correctionName(o.correction)},
          {"bins_from", o.binsFrom == geo::PValueSource::Analytic ? "analytic" : "permutation"}};
}

FieldDef tableField(const std::string& n, FieldType t) { return resultField(n, t); }

/// What every step of a hot-spot build shares: the inputs, the request, the clock, the result
/// being filled (its tables and report) and the parameters recorded with the result.
struct HotspotRun {
  const AnalysisInputs& inputs;
  const HotspotRequest& r;
  const RunClock& clock;
  AnalysisResult& result;
  RunReport& report;
  json& params;
};

/// Optimized hot spots: the core chooses the cell size and band from the points; one layer.
void runOptimized(const HotspotRun& run, const PointInput& in, geo::Progress& work) {
  const HotspotRequest& r = run.r;
  json& params = run.params;
  RunReport& report = run.report;
  geo::OptimizedHotSpotOptions o = r.optimized;
  o.maskWkb = run.inputs.mask;
  auto res = geo::optimizedHotSpots(in.points, o, in.weights, work);
  params["cell_size"] = res.cellSize;
  params["cell_size_suggested"] = res.cellSizeSuggested;
  params["distance_band"] = res.distanceBand;
  params["peak_found"] = res.peakFound;
  params["first_peak"] = res.firstPeak;
  params["choices"] = res.choices;
  params["warnings"] = res.warnings;
  params["shape"] = o.shape == geo::GridShape::Square ? "square" : "hexagon";
  params["permutations"] = o.permutations;
  params["mask"] = r.maskLayer;
  Units u;
  for (const auto& c : res.grid.cells) {
    u.geoms.push_back(cellGeometry(c));
    u.keys.push_back(fmt::format("{}_{}", c.col, c.row));
  }
  u.values = res.counts;
  u.valueName = in.weights.empty() ? "aantal" : "gewogen";
  ResultLayer layer = unitLayer(r, u, "hotspots_gi");
  layer.title =
      layer.name + " (" + std::string("Optimized hot spots: " + inputDescription(in)) + ")";
  addGiFields(layer, res.gi);
  layer.metadata = run.clock.metadata(
      "optimized_hot_spots", params, inputDescription(in), std::int64_t(in.size()),
      o.permutations ? std::optional<std::int64_t>(o.seed) : std::nullopt);
  run.result.layers.push_back(std::move(layer));
  report.lines.push_back(fmt::format(
      "optimized hot spots of {} ({} points): {} cells of {:.0f} m, band {:.0f} m",
      inputDescription(in), in.size(), res.grid.size(), res.cellSize, res.distanceBand));
  for (const auto& c : res.choices) report.lines.push_back("  " + c);
  report.lines.push_back("  " + binSummary(res.gi.bin));
  report.warnings.insert(report.warnings.end(), res.warnings.begin(), res.warnings.end());
  report.warnings.insert(report.warnings.end(), res.gi.warnings.begin(), res.gi.warnings.end());
}

/// Getis-Ord Gi* of the units' values with weights `w`; one layer.
void runGiStar(const HotspotRun& run, Units& u, const geo::SpatialWeights& w,
               const RunReport& weightLines, geo::Progress& statProgress) {
  const HotspotRequest& r = run.r;
  RunReport& report = run.report;
  run.params.update(giParams(r.gi));
  auto gi = geo::getisOrdGiStar(u.values, w, r.gi, statProgress);
  ResultLayer layer = unitLayer(r, u, "hotspots_gi");
  layer.title = layer.name + " (" + std::string("Gi* hot spots: " + u.description) + ")";
  addGiFields(layer, gi);
  layer.metadata =
      run.clock.metadata("getis_ord_gi_star", run.params, u.description, u.inputRows,
                         r.gi.permutations ? std::optional<std::int64_t>(r.gi.seed) : std::nullopt);
  run.result.layers.push_back(std::move(layer));
  report.lines.push_back(fmt::format("Gi* of {} over {} units", u.description, u.values.size()));
  report.lines.insert(report.lines.end(), weightLines.lines.begin(), weightLines.lines.end());
  report.lines.push_back("  " + binSummary(gi.bin));
  report.warnings.insert(report.warnings.end(), gi.warnings.begin(), gi.warnings.end());
}

/// Anselin's local Moran's I of the units' values with weights `w`; one layer.
void runLocalMoran(const HotspotRun& run, Units& u, const geo::SpatialWeights& w,
                   const RunReport& weightLines, geo::Progress& statProgress) {
  const HotspotRequest& r = run.r;
  json& params = run.params;
  RunReport& report = run.report;
  const auto& o = r.localMoran;
  params["row_standardise"] = o.rowStandardise;
  params["permutations"] = o.permutations;
  params["seed"] = o.seed;
  params["correction"] = correctionName(o.correction);
  params["alpha"] = o.alpha;
  auto lm = geo::localMoran(u.values, w, o, statProgress);
  ResultLayer layer = unitLayer(r, u, "local_moran");
  layer.title = layer.name + " (" + std::string("Local Moran: " + u.description) + ")";
  for (const char* f : {"lisa_i", "lisa_z", "lisa_p", "lisa_p_gecorrigeerd"})
    layer.fields.push_back(resultField(f, FieldType::Real));
  layer.fields.push_back(resultField("lisa_type", FieldType::Text));
  int counts[5] = {};
  for (std::size_t i = 0; i < layer.records.size(); ++i) {
    auto& v = layer.records[i].values;
    v.emplace_back(lm.i[i]);
    v.emplace_back(lm.z[i]);
    v.emplace_back(lm.p[i]);
    v.emplace_back(lm.pAdjusted[i]);
    v.emplace_back(std::string(lisaName(lm.type[i])));
    ++counts[int(lm.type[i])];
  }
  layer.metadata =
      run.clock.metadata("local_moran", params, u.description, u.inputRows,
                         o.permutations ? std::optional<std::int64_t>(o.seed) : std::nullopt);
  run.result.layers.push_back(std::move(layer));
  report.lines.push_back(
      fmt::format("local Moran of {} over {} units", u.description, u.values.size()));
  report.lines.insert(report.lines.end(), weightLines.lines.begin(), weightLines.lines.end());
  report.lines.push_back(fmt::format("  HH {}, LL {}, HL {}, LH {}, not significant {}", counts[1],
                                     counts[2], counts[3], counts[4], counts[0]));
  report.warnings.insert(report.warnings.end(), lm.warnings.begin(), lm.warnings.end());
}

/// Appends the Clark-Evans nearest neighbour index of the points to `table` (via `row`).
template <class Row>
void addNearestNeighbourRow(const HotspotRun& run, const PointInput& in, Row&& row) {
  const HotspotRequest& r = run.r;
  geo::NearestNeighbourIndexOptions nni = r.nni;
  if (nni.area == 0 && !run.inputs.mask.empty())
    nni.area = areaOf(*geometryFromWkb(unionWkb(run.inputs.mask)));
  const auto nn = geo::nearestNeighbourIndex(in.points, nni);
  row("nni_ratio", nn.ratio, 1.0, nn.z, nn.p,
      fmt::format("Clark-Evans: observed {:.1f} m, expected {:.1f} m, area {:.2f} km2",
                  nn.observedMean, nn.expectedMean, nn.area / 1e6));
  run.report.lines.push_back(fmt::format(
      "nearest neighbour index of {} ({} points): R = {:.3f} ({:.0f} m observed / {:.0f} m "
      "expected), z = {:.2f}, p = {:.4g} — {}",
      inputDescription(in), nn.n, nn.ratio, nn.observedMean, nn.expectedMean, nn.z, nn.p,
      nn.p < 0.05 ? (nn.ratio < 1 ? "clustered" : "dispersed") : "not different from random"));
  run.params["nni_area"] = nn.area;
}

/// Ripley's K and L of the points with the CSR envelope: the `<output>_ripley` table.
ResultLayer ripleyTable(const HotspotRun& run, const PointInput& in, geo::Progress& statProgress) {
  const HotspotRequest& r = run.r;
  json& params = run.params;
  RunReport& report = run.report;
  const auto rk = geo::ripleyK(in.points, r.ripley, statProgress);
  ResultLayer ripley;
  ripley.name = r.output + "_ripley";
  ripley.title = ripley.name + " (" + std::string("Ripley's L: " + inputDescription(in)) + ")";
  ripley.geometry = GeometryKind::None;
  ripley.fields = {tableField("afstand_m", FieldType::Real), tableField("k", FieldType::Real),
                   tableField("l", FieldType::Real), tableField("l_laag", FieldType::Real),
                   tableField("l_hoog", FieldType::Real)};
  std::size_t above = 0;
  for (std::size_t i = 0; i < rk.distances.size(); ++i) {
    Record rec;
    const bool env = !rk.envelopeHigh.empty();
    rec.values = {rk.distances[i], rk.k[i], rk.l[i], env ? Value{rk.envelopeLow[i]} : Value{},
                  env ? Value{rk.envelopeHigh[i]} : Value{}};
    if (env && rk.l[i] > rk.envelopeHigh[i]) ++above;
    ripley.records.push_back(std::move(rec));
  }
  params["ripley_simulations"] = r.ripley.simulations;
  params["ripley_seed"] = r.ripley.seed;
  params["ripley_edge_correction"] =
      r.ripley.edgeCorrection == geo::EdgeCorrection::None ? "none" : "isotropic";
  ripley.metadata = run.clock.metadata("ripley_l", params, inputDescription(in),
                                       std::int64_t(in.size()), std::int64_t(r.ripley.seed));
  report.lines.push_back(fmt::format(
      "Ripley's L of {}: above the CSR envelope at {} of {} distances ({:.0f}..{:.0f} m)",
      inputDescription(in), above, rk.distances.size(),
      rk.distances.empty() ? 0.0 : rk.distances.front(),
      rk.distances.empty() ? 0.0 : rk.distances.back()));
  report.warnings.insert(report.warnings.end(), rk.warnings.begin(), rk.warnings.end());
  return ripley;
}

/// The global statistics: Moran's I of the units and, from points, the nearest neighbour index
/// (both in `<output>_globaal`) and Ripley's L (`<output>_ripley`), written together.
void runGlobal(const HotspotRun& run, Units& u, const geo::SpatialWeights& w,
               const RunReport& weightLines, const PointInput* in, geo::Progress& statProgress) {
  const HotspotRequest& r = run.r;
  RunReport& report = run.report;
  const auto gm = geo::globalMoran(u.values, w, r.globalMoran);
  std::vector<ResultLayer> tables;
  ResultLayer table;
  table.name = r.output + "_globaal";
  table.title = table.name + " (" + std::string("Globale statistieken: " + u.description) + ")";
  table.geometry = GeometryKind::None;
  table.fields = {
      tableField("statistiek", FieldType::Text), tableField("waarde", FieldType::Real),
      tableField("verwacht", FieldType::Real),   tableField("z", FieldType::Real),
      tableField("p", FieldType::Real),          tableField("toelichting", FieldType::Text)};
  auto row = [&](const std::string& s, double v, double e, double z, double p,
                 const std::string& note) {
    Record rec;
    rec.values = {s, v, e, z, p, note};
    table.records.push_back(std::move(rec));
  };
  row("moran_i", gm.i, gm.expected, gm.zRandom, gm.pRandom,
      fmt::format("global Moran's I of {} per unit, n = {}, randomisation", u.valueName, gm.n));
  report.lines.push_back(fmt::format(
      "global Moran's I of {} over {} units: I = {:.4f} (E = {:.4f}), z = {:.2f}, p = {:.4g}",
      u.description, gm.n, gm.i, gm.expected, gm.zRandom, gm.pRandom));
  report.lines.insert(report.lines.end(), weightLines.lines.begin(), weightLines.lines.end());
  run.params["row_standardise"] = r.globalMoran.rowStandardise;
  if (in) {
    addNearestNeighbourRow(run, *in, row);
    if (r.ripleyTable) tables.push_back(ripleyTable(run, *in, statProgress));
  }
  table.metadata = run.clock.metadata("global_statistics", run.params, u.description, u.inputRows);
  tables.insert(tables.begin(), std::move(table));
  for (auto& t : tables) run.result.layers.push_back(std::move(t));
}

}  // namespace

AnalysisInputs readHotspotInputs(Store& store, const HotspotRequest& r, geo::Progress& progress) {
  AnalysisInputs inputs;
  if (r.polygonLayer.empty())
    inputs.points = readPoints(store, r.input, progress);
  else
    inputs.polygons = readPolygonUnits(store, r.polygonLayer, r.polygonWhere, r.valueField);
  if (!r.maskLayer.empty()) inputs.mask = readPolygonsWkb(store, r.maskLayer, r.maskWhere);
  return inputs;
}

// The steps: optimized hot spots go their own way; otherwise build the units (grid cells or
// polygons) and their weights, then the chosen statistic, each adding its result tables.
AnalysisResult buildHotspots(const AnalysisInputs& inputs, const HotspotRequest& r,
                             geo::Progress& progress) {
  r.validate();
  if (r.polygonLayer.empty() ? !inputs.points : !inputs.polygons)
    throw std::logic_error("buildHotspots: no points or polygon units");
  RunClock clock;
  AnalysisResult result;
  RunReport& report = result.report;
  json params;
  params["method"] = hotspotMethodName(r.method);
  const HotspotRun run{inputs, r, clock, result, report, params};
  const PointInput* in = r.polygonLayer.empty() ? &*inputs.points : nullptr;
  if (in) {
    params["where"] = r.input.where;
    params["weight_field"] = r.input.weightField;
  }
  if (r.method == HotspotMethod::Optimized) {
    runOptimized(run, *in, progress);
    return result;
  }

  Units u = in ? unitsFromPoints(r, *in, inputs.mask, params)
               : unitsFromPolygons(r, *inputs.polygons, report);
  if (!r.polygonLayer.empty()) {
    params["units"] = r.polygonLayer;
    params["value_field"] = r.valueField;
    params["units_where"] = r.polygonWhere;
  }
  geo::SubProgress weightProgress(progress, 0.0, 0.3);
  geo::SubProgress statProgress(progress, 0.3, 1.0);
  RunReport weightLines;
  const geo::SpatialWeights w = weightsFor(r, u, params, weightLines, weightProgress);
  if (w.islands())
    report.warnings.push_back(
        fmt::format("{} units have no neighbour with these weights", w.islands()));

  switch (r.method) {
    case HotspotMethod::GiStar:
      runGiStar(run, u, w, weightLines, statProgress);
      break;
    case HotspotMethod::LocalMoran:
      runLocalMoran(run, u, w, weightLines, statProgress);
      break;
    case HotspotMethod::Global:
      runGlobal(run, u, w, weightLines, in, statProgress);
      break;
    case HotspotMethod::Optimized:
      break;
  }
  return result;
}

// The steps: read the points or polygons (and the mask); build; write every table at once.
RunReport runHotspots(Store& store, const HotspotRequest& r, geo::Progress& progress) {
  r.validate();
  geo::SubProgress readProgress(progress, 0.0, 0.2);
  const AnalysisInputs inputs = readHotspotInputs(store, r, readProgress);
  geo::SubProgress work(progress, 0.2, 0.9);
  AnalysisResult result = buildHotspots(inputs, r, work);
  geo::SubProgress writeProgress(progress, 0.9, 1.0);
  return writeToStore(store, std::move(result), writeProgress);
}

}  // namespace veldwacht::layers
