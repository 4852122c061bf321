#include "layers/analyses/emerging.h"

#include <map>

#include <fmt/core.h>

#include "geo/core/error.h"
#include "layers/analyses/aggregation.h"

namespace veldwacht::layers {

using nlohmann::json;

void EmergingRequest::validate() const {
  checkOutputName(output);
  cube.validate();
  emerging.validate();
}

AnalysisResult buildEmerging(const PointInput& in, const EmergingRequest& r,
                             geo::Progress& progress) {
  r.validate();
  RunClock clock;
  if (!in.hasTime())
    throw geo::OptionError("layer", "emerging hot spots need times; '" + in.layer + "' has none");
  geo::SubProgress cubeProgress(progress, 0.0, 0.25);
  const geo::SpaceTimeCube cube =
      geo::buildSpaceTimeCube(in.points, in.timeFrom, r.cube, cubeProgress);
  geo::SubProgress ehsProgress(progress, 0.25, 1.0);
  const auto res = geo::emergingHotSpots(cube, r.emerging, ehsProgress);

  json params = {{"bin_size", cube.binSize},
                 {"shape", r.cube.shape == geo::GridShape::Square ? "square" : "hexagon"},
                 {"time_unit", r.cube.timeUnit == geo::TimeUnit::Months ? "months" : "days"},
                 {"time_step", r.cube.timeStep},
                 {"alignment", r.cube.alignment == geo::TimeAlignment::End ? "end" : "start"},
                 {"time_steps", cube.timeSteps},
                 {"neighbourhood_distance", res.neighbourhoodDistance},
                 {"neighbourhood_time_step", res.neighbourhoodTimeStep},
                 {"alpha", r.emerging.alpha},
                 {"trend_alpha", r.emerging.trendAlpha},
                 {"correction", int(r.emerging.correction)},
                 {"permutations", r.emerging.permutations},
                 {"seed", r.emerging.seed},
                 {"where", r.input.where}};
  if (!cube.stepBounds.empty()) {
    params["from"] = formatIsoDateTime(cube.stepBounds.front());
    params["to"] = formatIsoDateTime(cube.stepBounds.back());
  }

  ResultLayer layer;
  layer.name = r.output;
  layer.title =
      layer.name + " (" + std::string("Opkomende hotspots: " + inputDescription(in)) + ")";
  layer.geometry = GeometryKind::MultiPolygon;
  layer.style = describe::emergingAnalyses().front().result("OUTPUT").style;
  layer.stylesDir = r.stylesDir;
  const describe::ResultTable& table = describe::emergingAnalyses().front().result("OUTPUT");
  layer.fields = table.fieldDefs();
  const std::size_t L = cube.size(), T = cube.timeSteps;
  std::map<std::string, std::size_t> tally;
  for (std::size_t loc = 0; loc < L; ++loc) {
    const auto& cell = cube.grid.cells[cube.cellOfLocation[loc]];
    double total = 0;
    std::int64_t hot = 0, cold = 0;
    for (std::size_t t = 0; t < T; ++t) {
      total += cube.at(loc, t);
      hot += res.significance[t * L + loc] > 0;
      cold += res.significance[t * L + loc] < 0;
    }
    const std::string name(geo::emergingCategoryName(res.category[loc]));
    ++tally[name];
    Record rec;
    rec.values = {fmt::format("{}_{}", cell.col, cell.row),
                  name,
                  static_cast<std::int64_t>(std::llround(total)),
                  hot,
                  cold,
                  T ? Value{res.z[(T - 1) * L + loc]} : Value{},
                  T ? Value{std::int64_t{res.bin[(T - 1) * L + loc]}} : Value{},
                  res.trend[loc].z,
                  res.trend[loc].p,
                  res.trend[loc].tau};
    rec.geometry = cellGeometry(cell);
    layer.records.push_back(std::move(rec));
  }
  layer.metadata = clock.metadata(
      "emerging_hot_spots", params, inputDescription(in), std::int64_t(in.size()),
      r.emerging.permutations ? std::optional<std::int64_t>(r.emerging.seed) : std::nullopt);
  AnalysisResult result;
  result.layers.push_back(std::move(layer));
  RunReport& report = result.report;
  report.lines.push_back(fmt::format(
      "emerging hot spots of {} ({} points): {} locations x {} steps of {} {}, bins of {:.0f} m",
      inputDescription(in), in.size(), L, T, r.cube.timeStep,
      r.cube.timeUnit == geo::TimeUnit::Months ? "month(s)" : "day(s)", cube.binSize));
  for (const auto& [name, n] : tally)
    if (name != "No Pattern Detected") report.lines.push_back(fmt::format("  {:<26} {}", name, n));
  report.lines.push_back(
      fmt::format("  {:<26} {}", "No Pattern Detected",
                  tally.count("No Pattern Detected") ? tally["No Pattern Detected"] : 0));
  report.warnings = res.warnings;
  return result;
}

RunReport runEmerging(Store& store, const EmergingRequest& r, geo::Progress& progress) {
  r.validate();
  geo::SubProgress readProgress(progress, 0.0, 0.1);
  const PointInput in = readPoints(store, r.input, readProgress);
  geo::SubProgress buildProgress(progress, 0.1, 0.9);
  AnalysisResult result = buildEmerging(in, r, buildProgress);
  geo::SubProgress writeProgress(progress, 0.9, 1.0);
  return writeToStore(store, std::move(result), writeProgress);
}

}  // namespace veldwacht::layers
