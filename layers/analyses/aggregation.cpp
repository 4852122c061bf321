#include "layers/analyses/aggregation.h"

#include <cmath>
#include <stdexcept>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "geo/density/kde.h"

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

geo::Extent paddedExtent(geo::Extent e, double margin) {
  e.minX -= margin;
  e.minY -= margin;
  e.maxX += margin;
  e.maxY += margin;
  return e;
}

geo::Extent paddedExtent(std::span<const geo::Point> points, double margin) {
  geo::Extent e;
  for (const auto& p : points) e.include(p);
  return paddedExtent(e, margin);
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

/// Every point (with its weight, else 1) into `sink` in input order, with progress and cancel.
void addAll(geo::PointSink& sink, std::span<const geo::Point> points,
            std::span<const double> weights, geo::Progress& progress) {
  geo::ProgressStep step(progress, 0.0, 1.0, "counting points");
  for (std::size_t i = 0; i < points.size(); ++i) {
    step.tick(i, points.size());
    sink.add(points[i], weights.empty() ? 1.0 : weights[i]);
  }
  step.done();
}

/// The counts of a counter (geo::GridCounter, geo::PolygonCounter) into the units: the number of
/// points per unit and, when the points are weighted, their weight sums.
template <class Counter>
void takeCounts(CountedUnits& u, const Counter& counter, bool weighted) {
  u.counts = counter.counts();
  if (weighted) u.weighted = counter.weightSums();
}

/// The polygons as units (their counts still empty).
CountedUnits polygonUnits(const AggregationRequest& request, const PolygonUnits& polys,
                          json& params) {
  CountedUnits u;
  u.algorithm = "polygon_counts";
  for (std::size_t i = 0; i < polys.wkb.size(); ++i) {
    u.geoms.push_back(geometryFromWkb(polys.wkb[i]));
    u.keys.push_back(polys.keys[i]);
    u.names.push_back(i < polys.names.size() ? polys.names[i] : "");
  }
  params["units"] = request.polygonLayer;
  params["units_where"] = request.polygonWhere;
  params["boundary"] = int(request.polygonCounts.boundary);
  return u;
}

CountedUnits countInPolygons(const AggregationRequest& request, const AnalysisInputs& inputs,
                             json& params, geo::Progress& countProgress) {
  const PointInput& in = *inputs.points;
  const std::optional<PointInput>& den = inputs.denominator;
  const PolygonUnits& polys = *inputs.polygons;
  geo::SubProgress indexing(countProgress, 0.0, 0.1), counting(countProgress, 0.1, 1.0);
  geo::PolygonCounter counter(polys.wkb, request.polygonCounts, indexing);
  addAll(counter, in.points, in.weights, counting);
  CountedUnits u = polygonUnits(request, polys, params);
  takeCounts(u, counter, !in.weights.empty());
  if (den)
    u.denominators =
        geo::countPointsInPolygons(polys.wkb, den->points, den->weights, request.polygonCounts)
            .counts;
  return u;
}

/// Whether the grid takes its extent from the points: the request has none and there is no mask.
bool gridFromPoints(const AggregationRequest& request,
                    const std::vector<std::vector<std::uint8_t>>& mask) {
  return request.grid.extent.empty() && mask.empty();
}

/// The request's grid, limited by the mask; when gridFromPoints, over `pointsExtent` grown by
/// one cell.
geo::Grid gridOf(const AggregationRequest& request,
                 const std::vector<std::vector<std::uint8_t>>& mask,
                 const geo::Extent& pointsExtent, json& params, geo::Progress& progress) {
  geo::GridOptions g = request.grid;
  g.maskWkb = mask;
  if (gridFromPoints(request, mask)) g.extent = paddedExtent(pointsExtent, g.cellSize);
  geo::Grid grid = geo::makeGrid(g, progress);
  if (grid.size() == 0)
    throw geo::InputError({request.maskLayer, std::nullopt, ""}, "the grid holds no cells");
  params["shape"] = shapeName(g.shape);
  params["cell_size"] = g.cellSize;
  params["mask"] = request.maskLayer;
  params["mask_where"] = request.maskWhere;
  params["clip_mode"] = clipName(g.clipMode);
  return grid;
}

/// The grid's cells as units (their counts still empty).
CountedUnits gridUnits(const geo::Grid& grid) {
  CountedUnits u;
  u.algorithm = "grid_counts";
  for (const auto& c : grid.cells) {
    u.geoms.push_back(cellGeometry(c));
    u.keys.push_back(fmt::format("{}_{}", c.col, c.row));
    u.names.emplace_back();
  }
  return u;
}

CountedUnits countInGrid(const AggregationRequest& request, const AnalysisInputs& inputs,
                         json& params, geo::Progress& countProgress) {
  const PointInput& in = *inputs.points;
  const std::optional<PointInput>& den = inputs.denominator;
  geo::Extent extent;
  if (gridFromPoints(request, inputs.mask))
    for (const auto& p : in.points) extent.include(p);
  geo::SubProgress gridding(countProgress, 0.0, 0.1), counting(countProgress, 0.1, 1.0);
  const geo::Grid grid = gridOf(request, inputs.mask, extent, params, gridding);
  geo::GridCounter counter(grid);
  addAll(counter, in.points, in.weights, counting);
  CountedUnits u = gridUnits(grid);
  takeCounts(u, counter, !in.weights.empty());
  if (den) u.denominators = geo::countPoints(grid, den->points, den->weights);
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

namespace {

/// The layer, its metadata and the report of counted units, for `count` points of `in`.
AnalysisResult countsResult(const AggregationRequest& request, CountedUnits& units,
                            const PointInput& in, std::size_t count, bool hasDen,
                            const json& params, const RunClock& clock) {
  CountSummary summary;
  ResultLayer layer = countLayer(request, in, hasDen, units, summary);
  layer.metadata =
      clock.metadata(units.algorithm, params, inputDescription(in), std::int64_t(count));

  AnalysisResult result;
  result.layers.push_back(std::move(layer));
  RunReport& report = result.report;
  report.lines.push_back(
      fmt::format("{} of {} ({} points) in {} {}: {} counted, {} units with points, at most {}",
                  units.algorithm, inputDescription(in), count, summary.written,
                  request.polygonLayer.empty() ? "cells" : request.polygonLayer, summary.total,
                  summary.nonEmpty, summary.maxCount));
  if (summary.total < double(count))
    report.warnings.push_back(
        fmt::format("{} points fell outside every unit", double(count) - summary.total));
  return result;
}

/// Passes points on to another sink and counts them.
class CountingSink final : public geo::PointSink {
 public:
  explicit CountingSink(geo::PointSink& to) : to_(to) {}
  void add(const geo::Point& p, double weight) override {
    ++count_;
    to_.add(p, weight);
  }
  std::size_t count() const { return count_; }

 private:
  geo::PointSink& to_;
  std::size_t count_ = 0;
};

/// points.read into `sink`: how many points it handed over (none: InputError, as readPoints).
std::size_t readStream(const PointStream& points, geo::PointSink& sink, geo::Progress& progress) {
  CountingSink counting(sink);
  points.read(counting, progress);
  if (counting.count() == 0)
    throw geo::InputError({points.about.layer, std::nullopt, ""},
                          "the selection holds no rows; nothing to analyse");
  return counting.count();
}

}  // namespace

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
  return countsResult(request, units, in, in.size(), inputs.denominator.has_value(), params, clock);
}

bool aggregationStreams(const AggregationRequest& request) { return !request.denominator; }

// The steps: the polygon index or the grid (after the points' extent, when the grid needs it);
// the points counted as they come; the layer and report as buildAggregation's.
AnalysisResult buildAggregationStreamed(const PointStream& points, const AnalysisInputs& units,
                                        const AggregationRequest& request,
                                        geo::Progress& progress) {
  request.validate();
  if (!aggregationStreams(request))
    throw std::logic_error("buildAggregationStreamed: a denominator is not streamed");
  if (!request.polygonLayer.empty() && !units.polygons)
    throw std::logic_error("buildAggregationStreamed: no polygons to count in");
  RunClock clock;
  json params = inputParams(request, std::nullopt);
  CountedUnits counted;
  std::size_t count = 0;
  if (!request.polygonLayer.empty()) {
    geo::SubProgress indexing(progress, 0.0, 0.05), reading(progress, 0.05, 0.9);
    geo::PolygonCounter counter(units.polygons->wkb, request.polygonCounts, indexing);
    count = readStream(points, counter, reading);
    counted = polygonUnits(request, *units.polygons, params);
    takeCounts(counted, counter, points.weighted);
  } else {
    // Without a mask or an extent the grid waits for the points' extent: they are spilled.
    std::optional<geo::PointSpill> spill;
    if (gridFromPoints(request, units.mask)) {
      spill.emplace(points.weighted, points.spillDirectory);
      geo::SubProgress reading(progress, 0.0, 0.7);
      count = readStream(points, *spill, reading);
    }
    geo::SubProgress gridding(progress, spill ? 0.7 : 0.0, spill ? 0.75 : 0.05);
    const geo::Grid grid =
        gridOf(request, units.mask, spill ? spill->extent() : geo::Extent{}, params, gridding);
    geo::GridCounter counter(grid);
    if (spill) {
      geo::ProgressStep step(progress, 0.75, 0.9, "counting points");
      std::size_t done = 0;
      spill->forEachChunk([&](std::span<const geo::Point> p, std::span<const double> w) {
        step.tick(done, count);
        for (std::size_t i = 0; i < p.size(); ++i) counter.add(p[i], w.empty() ? 1.0 : w[i]);
        done += p.size();
      });
      step.done();
    } else {
      geo::SubProgress reading(progress, 0.05, 0.9);
      count = readStream(points, counter, reading);
    }
    counted = gridUnits(grid);
    takeCounts(counted, counter, points.weighted);
  }
  AnalysisResult result = countsResult(request, counted, points.about, count, false, params, clock);
  progress.setFraction(1.0);
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
