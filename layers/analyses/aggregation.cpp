#include "layers/analyses/aggregation.h"

#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "geo/core/error.h"

namespace veldwacht::layers {

using nlohmann::json;

void AggregationRequest::validate() const {
  checkOutputName(output);
  if (polygonLayer.empty()) {
    geo::GridOptions g = grid;
    if (g.extent.empty()) g.extent = {0, 0, 1, 1};  // filled from the data or the mask
    g.validate();
  }
  polygonCounts.validate();
  rate.validate();
}

geo::Extent paddedExtent(std::span<const geo::Point> points, double margin) {
  geo::Extent e;
  for (const auto& p : points) e.include(p);
  e.minX -= margin;
  e.minY -= margin;
  e.maxX += margin;
  e.maxY += margin;
  return e;
}

geo::GeometryPtr cellGeometry(const geo::GridCell& cell) {
  if (cell.clipped) return geometryFromWkb(cell.clippedWkb);
  return polygonFromRing(cell.ring);
}

namespace {

std::string shapeName(geo::GridShape s) {
  switch (s) {
    case geo::GridShape::Square:
      return "square";
    case geo::GridShape::HexagonPointyTop:
      return "hexagon";
    case geo::GridShape::HexagonFlatTop:
      return "hexagon-flat";
  }
  return "?";
}

std::string clipName(geo::ClipMode c) {
  switch (c) {
    case geo::ClipMode::Intersects:
      return "intersects";
    case geo::ClipMode::CentreInside:
      return "centre-inside";
    case geo::ClipMode::Clip:
      return "clip";
  }
  return "?";
}

double areaOf(const OGRGeometry& g) {
  const auto t = wkbFlatten(g.getGeometryType());
  if (t == wkbPolygon) return g.toPolygon()->get_Area();
  if (t == wkbMultiPolygon) return g.toMultiPolygon()->get_Area();
  return 0.0;
}

Value rateValue(double v) { return std::isfinite(v) ? Value{v} : Value{}; }

/// The counted units (polygons of a layer, or grid cells): geometry, key, name, the count,
/// the weighted count and the denominator per unit, and the algorithm's name.
struct CountedUnits {
  std::vector<geo::GeometryPtr> geoms;
  std::vector<std::string> keys, names;
  std::vector<double> counts, weighted, denominators;
  std::string algorithm;
};

/// The parameters every aggregation records: the input and the denominator.
json inputParams(const AggregationRequest& request, const std::optional<PointInput>& den) {
  json params;
  params["where"] = request.input.where;
  params["weight_field"] = request.input.weightField;
  if (den) {
    params["denominator"] = den->layer;
    params["denominator_where"] = den->where;
    params["min_denominator"] = request.rate.minDenominator;
    params["rate_scale"] = request.rate.scale;
  }
  return params;
}

CountedUnits countInPolygons(const AggregationRequest& request, const AnalysisInputs& inputs,
                             json& params, geo::Progress& countProgress) {
  const PointInput& in = *inputs.points;
  const std::optional<PointInput>& den = inputs.denominator;
  const PolygonUnits& polys = *inputs.polygons;
  CountedUnits u;
  u.algorithm = "polygon_counts";
  for (std::size_t i = 0; i < polys.wkb.size(); ++i) {
    u.geoms.push_back(geometryFromWkb(polys.wkb[i]));
    u.keys.push_back(polys.keys[i]);
    u.names.push_back(i < polys.names.size() ? polys.names[i] : "");
  }
  u.counts =
      geo::countPointsInPolygons(polys.wkb, in.points, {}, request.polygonCounts, countProgress)
          .counts;
  if (!in.weights.empty())
    u.weighted =
        geo::countPointsInPolygons(polys.wkb, in.points, in.weights, request.polygonCounts).counts;
  if (den)
    u.denominators =
        geo::countPointsInPolygons(polys.wkb, den->points, den->weights, request.polygonCounts)
            .counts;
  params["units"] = request.polygonLayer;
  params["units_where"] = request.polygonWhere;
  params["boundary"] = int(request.polygonCounts.boundary);
  return u;
}

CountedUnits countInGrid(const AggregationRequest& request, const AnalysisInputs& inputs,
                         json& params, geo::Progress& countProgress) {
  const PointInput& in = *inputs.points;
  const std::optional<PointInput>& den = inputs.denominator;
  CountedUnits u;
  u.algorithm = "grid_counts";
  geo::GridOptions g = request.grid;
  g.maskWkb = inputs.mask;
  if (g.extent.empty() && g.maskWkb.empty()) g.extent = paddedExtent(in.points, g.cellSize);
  const geo::Grid grid = geo::makeGrid(g, countProgress);
  if (grid.size() == 0)
    throw geo::InputError({request.maskLayer, std::nullopt, ""}, "the grid holds no cells");
  u.counts = geo::countPoints(grid, in.points);
  if (!in.weights.empty()) u.weighted = geo::countPoints(grid, in.points, in.weights);
  if (den) u.denominators = geo::countPoints(grid, den->points, den->weights);
  for (const auto& c : grid.cells) {
    u.geoms.push_back(cellGeometry(c));
    u.keys.push_back(fmt::format("{}_{}", c.col, c.row));
    u.names.emplace_back();
  }
  params["shape"] = shapeName(g.shape);
  params["cell_size"] = g.cellSize;
  params["mask"] = request.maskLayer;
  params["mask_where"] = request.maskWhere;
  params["clip_mode"] = clipName(g.clipMode);
  return u;
}

/// What the report says of the counts.
struct CountSummary {
  double total = 0;
  std::size_t written = 0, nonEmpty = 0;
  double maxCount = 0;
};

/// The result layer: per unit its key (and name), count, area, count per ha, and the weighted
/// count and rate per denominator when asked for. Empty units are left out with dropEmpty.
ResultLayer countLayer(const AggregationRequest& request, const PointInput& in, bool hasDen,
                       CountedUnits& u, CountSummary& summary) {
  const bool parks = request.polygonLayer == "bedrijventerreinen";
  std::vector<double> areaHa(u.geoms.size());
  for (std::size_t i = 0; i < u.geoms.size(); ++i) areaHa[i] = areaOf(*u.geoms[i]) / 10000.0;
  const std::vector<double> perHa = geo::rates(u.counts, areaHa);
  std::vector<double> perDen;
  if (hasDen) perDen = geo::rates(u.counts, u.denominators, request.rate);

  ResultLayer layer;
  layer.name = request.output;
  layer.title =
      layer.name + " (" +
      std::string(fmt::format("{} per {}", in.layer,
                              request.polygonLayer.empty() ? "cel" : request.polygonLayer)) +
      ")";
  layer.geometry = GeometryKind::MultiPolygon;
  layer.style = parks ? "parks_incident_rate" : "grid_counts";
  layer.stylesDir = request.stylesDir;
  layer.fields = {resultField(request.polygonLayer.empty() ? "cel_id" : "bron_id", FieldType::Text),
                  resultField("aantal", FieldType::Integer),
                  resultField("oppervlakte_ha", FieldType::Real),
                  resultField("per_ha", FieldType::Real)};
  if (!request.polygonLayer.empty())
    layer.fields.insert(layer.fields.begin() + 1,
                        resultField(parks ? "plan_naam" : "naam", FieldType::Text));
  if (parks) layer.fields.push_back(resultField("incidenten_per_ha", FieldType::Real));
  if (!u.weighted.empty()) layer.fields.push_back(resultField("gewogen", FieldType::Real));
  if (hasDen) {
    layer.fields.push_back(resultField("noemer", FieldType::Real));
    layer.fields.push_back(resultField("per_noemer", FieldType::Real));
  }
  for (std::size_t i = 0; i < u.geoms.size(); ++i) {
    summary.total += u.counts[i];
    if (u.counts[i] > 0) ++summary.nonEmpty;
    summary.maxCount = std::max(summary.maxCount, u.counts[i]);
    if (request.dropEmpty && u.counts[i] == 0 && (!hasDen || u.denominators[i] == 0)) continue;
    Record r;
    r.values.push_back(u.keys[i]);
    if (!request.polygonLayer.empty())
      r.values.push_back(u.names[i].empty() ? Value{} : Value{u.names[i]});
    r.values.push_back(static_cast<std::int64_t>(std::llround(u.counts[i])));
    r.values.push_back(areaHa[i]);
    r.values.push_back(rateValue(perHa[i]));
    if (parks) r.values.push_back(rateValue(perHa[i]));
    if (!u.weighted.empty()) r.values.push_back(u.weighted[i]);
    if (hasDen) {
      r.values.push_back(u.denominators[i]);
      r.values.push_back(rateValue(perDen[i]));
    }
    r.geometry = std::move(u.geoms[i]);
    layer.records.push_back(std::move(r));
    ++summary.written;
  }
  return layer;
}

}  // namespace

AnalysisInputs readAggregationInputs(Store& store, const AggregationRequest& request,
                                     geo::Progress& progress) {
  AnalysisInputs inputs;
  inputs.points = readPoints(store, request.input, progress);
  if (request.denominator) inputs.denominator = readPoints(store, *request.denominator, progress);
  if (!request.polygonLayer.empty())
    inputs.polygons = readPolygonUnits(store, request.polygonLayer, request.polygonWhere);
  else if (!request.maskLayer.empty())
    inputs.mask = readPolygonsWkb(store, request.maskLayer, request.maskWhere);
  return inputs;
}

// The steps: count the points in polygons or grid cells; build the layer; report.
AnalysisResult buildAggregation(const AnalysisInputs& inputs, const AggregationRequest& request,
                                geo::Progress& progress) {
  request.validate();
  if (!inputs.points) throw std::logic_error("buildAggregation: no input points");
  if (!request.polygonLayer.empty() && !inputs.polygons)
    throw std::logic_error("buildAggregation: no polygons to count in");
  RunClock clock;
  const PointInput& in = *inputs.points;
  json params = inputParams(request, inputs.denominator);
  CountedUnits units = request.polygonLayer.empty()
                           ? countInGrid(request, inputs, params, progress)
                           : countInPolygons(request, inputs, params, progress);
  CountSummary summary;
  ResultLayer layer = countLayer(request, in, inputs.denominator.has_value(), units, summary);
  layer.metadata =
      clock.metadata(units.algorithm, params, inputDescription(in), std::int64_t(in.size()));

  AnalysisResult result;
  result.layers.push_back(std::move(layer));
  RunReport& report = result.report;
  report.lines.push_back(
      fmt::format("{} of {} ({} points) in {} {}: {} counted, {} units with points, at most {}",
                  units.algorithm, inputDescription(in), in.size(), summary.written,
                  request.polygonLayer.empty() ? "cells" : request.polygonLayer, summary.total,
                  summary.nonEmpty, summary.maxCount));
  if (summary.total < double(in.size()))
    report.warnings.push_back(
        fmt::format("{} points fell outside every unit", double(in.size()) - summary.total));
  return result;
}

// The steps: read the points (and the denominator, the polygons or the mask); build; write.
RunReport runAggregation(Store& store, const AggregationRequest& request, geo::Progress& progress) {
  request.validate();
  geo::SubProgress readProgress(progress, 0.0, 0.2);
  const AnalysisInputs inputs = readAggregationInputs(store, request, readProgress);
  geo::SubProgress buildProgress(progress, 0.2, 0.8);
  AnalysisResult result = buildAggregation(inputs, request, buildProgress);
  geo::SubProgress writeProgress(progress, 0.8, 1.0);
  return writeToStore(store, std::move(result), writeProgress);
}

}  // namespace veldwacht::layers
