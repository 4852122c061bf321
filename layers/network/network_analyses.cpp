#include "layers/network/network_analyses.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <ogr_geometry.h>
#include <nlohmann/json.hpp>

#include "geo/core/error.h"
#include "geo/network/snap.h"

namespace veldwacht::layers {
namespace {

struct Prepared {
  LoadedNetwork loaded;
  std::unique_ptr<geo::SearchGraph> graph;
  std::unique_ptr<geo::Snapper> snapper;
  geo::ConnectivityReport connectivity;
};

Prepared prepare(Store& store, const NetworkCommon& given, geo::Progress& progress,
                 RunReport& report) {
  NetworkCommon c = given;
  if (c.source.speedsJson.empty() && !c.speedsFile.empty()) {
    std::ifstream in(c.speedsFile);
    if (!in) throw geo::InputError({c.speedsFile, std::nullopt, {}}, "cannot read the speed table");
    std::stringstream ss;
    ss << in.rdbuf();
    c.source.speedsJson = ss.str();
    (void)geo::SpeedTable::fromJson(c.source.speedsJson, c.speedsFile);  // refused here, named
  }
  Prepared p;
  geo::SubProgress loadPart(progress, 0.0, 0.3);
  p.loaded = networkForStore(store, c.source, loadPart);
  p.graph = std::make_unique<geo::SearchGraph>(p.loaded.network, c.mode, c.cost);
  p.snapper = std::make_unique<geo::Snapper>(*p.graph);
  p.connectivity = geo::connectivity(*p.graph);
  report.lines.push_back(fmt::format(
      "road network: {} wegvakken, {} junctions, {} ({:.2f} s)", p.loaded.network.wegvakCount(),
      p.loaded.network.nodeCount(),
      p.loaded.rebuilt ? "built from wegvakken" : "loaded from the store", p.loaded.seconds));
  for (auto& w : p.loaded.warnings) report.warnings.push_back(w);
  return p;
}

std::vector<geo::NetworkLocation> snapInput(const Prepared& p, const PointInput& in,
                                            const NetworkCommon& c, RunReport& report) {
  const auto snaps = geo::snapAll(*p.snapper, in.points, in.keys, {c.maxSnapDistance, in.layer});
  std::vector<geo::NetworkLocation> locs;
  double maxD = 0.0;
  for (std::size_t i = 0; i < snaps.size(); ++i) {
    locs.push_back(geo::NetworkLocation::onWegvak(snaps[i].wegvak, snaps[i].offset));
    maxD = std::max(maxD, snaps[i].distance);
    if (auto w = geo::snapWarning(p.connectivity, *p.graph, locs.back(), in.layer,
                                  std::string(in.keys[i])))
      report.warnings.push_back(*w);
  }
  report.lines.push_back(fmt::format("{}: {} point(s) snapped, farthest {:.1f} m from the road",
                                     in.layer, snaps.size(), maxD));
  return locs;
}

nlohmann::json commonJson(const NetworkCommon& c) {
  return {{"mode", std::string(geo::travelModeName(c.mode))},
          {"cost", c.cost == geo::CostKind::Time ? "time" : "length"},
          {"max_snap_distance", c.maxSnapDistance},
          {"speeds", c.source.speedsJson},
          {"speeds_file", c.speedsFile},
          {"built_up", c.source.builtUp},
          {"speed_limits", c.source.speedLimitsCsv}};
}

std::string csvQuoted(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

Value orNull(double v) { return std::isfinite(v) ? Value(v) : Value(std::monostate{}); }

geo::GeometryPtr lineGeometry(const std::vector<geo::Point>& pts) {
  auto* l = new OGRLineString();
  for (const auto& p : pts) l->addPoint(p.x, p.y);
  return geo::GeometryPtr(l);
}

// On the store's contraction hierarchy (built and kept on first use); a read-only store
// without one gets plain Dijkstra per origin (same answers, slower).
geo::MatrixResult matrixOnStore(Store& store, const Prepared& p,
                                std::span<const geo::NetworkLocation> from,
                                std::span<const geo::NetworkLocation> to, const NetworkCommon& c,
                                geo::Progress& progress, RunReport& report) {
  std::optional<LoadedHierarchy> h;
  if (store.updatable()) {
    geo::SubProgress buildPart(progress, 0.0, 0.8);
    h = hierarchyForStore(store, p.loaded, *p.graph, buildPart);
  } else if (auto stored = storedHierarchy(store, p.loaded.checksum, *p.graph)) {
    h = LoadedHierarchy{std::move(*stored), false, true, 0.0};
  }
  if (!h) {
    report.lines.push_back(
        "matrix: one Dijkstra search per origin (read-only store without a stored hierarchy)");
    return geo::travelMatrix(*p.graph, from, to, {c.threads}, progress);
  }
  report.lines.push_back(
      fmt::format("contraction hierarchy ({}, {}): {} ({:.2f} s)", geo::travelModeName(c.mode),
                  c.cost == geo::CostKind::Time ? "time" : "length",
                  h->rebuilt ? "built and stored" : "loaded from the store", h->seconds));
  geo::SubProgress queryPart(progress, 0.8, 1.0);
  return geo::travelMatrix(h->hierarchy, *p.graph, from, to, {c.threads}, queryPart);
}

/// The table `processing` of `a`'s description, empty, named <output><suffix>.
template <class Request>
ResultLayer tableOf(const describe::Analysis<Request>& a, const std::string& processing,
                    const NetworkCommon& c, std::string title) {
  const describe::ResultTable& t = a.result(processing);
  ResultLayer layer;
  layer.name = c.output + t.suffix;
  layer.title = std::move(title);
  layer.geometry = t.geometry;
  layer.style = t.style;
  layer.stylesDir = c.stylesDir;
  layer.fields = t.fieldDefs();
  return layer;
}

}  // namespace

void NetworkCommon::validate() const {
  if (!(maxSnapDistance > 0.0)) throw geo::OptionError("max-snap", "expected > 0 m");
  if (!speedsFile.empty() && !std::filesystem::is_regular_file(speedsFile))
    throw geo::OptionError("speeds", "no such file: " + speedsFile);
  if (!source.speedLimitsCsv.empty() && !std::filesystem::is_regular_file(source.speedLimitsCsv))
    throw geo::OptionError("speed-limits", "no such file: " + source.speedLimitsCsv);
  checkOutputName(output);
}

void RouteRequest::validate() const {
  common.validate();
  if (!std::isfinite(from.x) || !std::isfinite(from.y))
    throw geo::OptionError("from-xy", "the start X,Y is required");
  if (!std::isfinite(to.x) || !std::isfinite(to.y))
    throw geo::OptionError("to-xy", "the end X,Y is required");
}

void MatrixRequest::validate() const { common.validate(); }

void MatrixRequest::applyInput(const std::string& cli, const std::string& layer,
                               const std::string& where, const std::string&) {
  PointSelection* s = cli == "from" ? &from : cli == "to" ? &to : nullptr;
  if (!s) return;
  if (!layer.empty()) s->layer = layer;
  s->where = where;
}

void ReachRequest::validate() const {
  common.validate();
  if (!(minutes > 0.0) || !std::isfinite(minutes))
    throw geo::OptionError("minutes", "expected a limit > 0 minutes");
  if (!(areaBuffer >= 0.0)) throw geo::OptionError("area-buffer", "expected >= 0 m");
  if (common.cost != geo::CostKind::Time)
    throw geo::OptionError("cost", "reachability is measured in minutes: use cost time");
}

void ReachRequest::applyInput(const std::string& cli, const std::string& layer,
                              const std::string& where, const std::string&) {
  if (cli == "from") {
    if (!layer.empty()) bases.layer = layer;
    bases.where = where;
  } else if (cli == "sites") {
    if (layer.empty())
      sites.reset();
    else
      sites = PointSelection{layer, where, {}};
  }
}

void writeMatrixCsv(const std::string& path, const std::vector<std::string>& fromKeys,
                    const std::vector<std::string>& toKeys, const geo::MatrixResult& m) {
  std::ofstream out(path);
  if (!out) throw geo::InputError({path, std::nullopt, {}}, "cannot write the CSV file");
  out << "from_id,to_id,length_m,time_s\n";
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) {
      out << csvQuoted(fromKeys[i]) << ',' << csvQuoted(toKeys[j]) << ',';
      if (std::isfinite(m.lengthAt(i, j)))
        out << fmt::format("{:.1f},{:.1f}", m.lengthAt(i, j), m.timeAt(i, j));
      else
        out << ',';
      out << '\n';
    }
  if (!out) throw geo::InputError({path, std::nullopt, {}}, "writing the CSV file failed");
}

void writeMatrixCsv(const std::string& path, const ResultLayer& t) {
  std::ofstream out(path);
  if (!out) throw geo::InputError({path, std::nullopt, {}}, "cannot write the CSV file");
  out << "from_id,to_id,length_m,time_s\n";
  for (const auto& r : t.records) {
    out << csvQuoted(std::get<std::string>(r.values[0])) << ','
        << csvQuoted(std::get<std::string>(r.values[1])) << ',';
    if (std::holds_alternative<double>(r.values[2]))
      out << fmt::format("{:.1f},{:.1f}", std::get<double>(r.values[2]),
                         std::get<double>(r.values[3]));
    else
      out << ',';
    out << '\n';
  }
  if (!out) throw geo::InputError({path, std::nullopt, {}}, "writing the CSV file failed");
}

AnalysisResult buildRoute(Store& store, const RouteRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  AnalysisResult result;
  RunReport& report = result.report;
  const NetworkCommon& c = request.common;
  Prepared p = prepare(store, c, progress, report);
  PointInput in;
  in.layer = "route";
  in.points = {request.from, request.to};
  in.keys = {"van", "naar"};
  const auto locs = snapInput(p, in, c, report);
  geo::SubProgress routePart(progress, 0.3, 1.0);
  const auto route = geo::shortestRoute(*p.graph, locs[0], locs[1], routePart);
  if (!route.reachable)
    throw geo::InputError({"route", std::nullopt, {}},
                          fmt::format("no {} route from ({:.0f}, {:.0f}) to ({:.0f}, {:.0f})",
                                      geo::travelModeName(c.mode), request.from.x, request.from.y,
                                      request.to.x, request.to.y));
  ResultLayer layer = tableOf(describe::routeAnalyses()[0], "OUTPUT", c,
                              "Route (" + std::string(geo::travelModeName(c.mode)) + ")");
  std::string ids;
  for (auto id : route.wvkIds) ids += (ids.empty() ? "" : ",") + std::to_string(id);
  Record r;
  r.values = {std::string(geo::travelModeName(c.mode)), route.length, route.time, ids};
  r.geometry = lineGeometry(route.line);
  layer.records.push_back(std::move(r));
  auto params = commonJson(c);
  params["from"] = {request.from.x, request.from.y};
  params["to"] = {request.to.x, request.to.y};
  layer.metadata =
      clock.metadata("route", params, "wegvakken", std::int64_t(p.loaded.network.wegvakCount()));
  result.layers.push_back(std::move(layer));
  report.lines.push_back(fmt::format("route: {:.0f} m, {:.1f} min over {} wegvakken", route.length,
                                     route.time / 60.0, route.wvkIds.size()));
  return result;
}

AnalysisResult buildMatrix(Store& store, const MatrixRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  AnalysisResult result;
  RunReport& report = result.report;
  const NetworkCommon& c = request.common;
  Prepared p = prepare(store, c, progress, report);
  const PointInput from = readPoints(store, request.from);
  const PointInput to = readPoints(store, request.to);
  const auto fromLocs = snapInput(p, from, c, report);
  const auto toLocs = snapInput(p, to, c, report);
  geo::SubProgress matrixPart(progress, 0.3, 1.0);
  const auto m = matrixOnStore(store, p, fromLocs, toLocs, c, matrixPart, report);

  ResultLayer layer = tableOf(describe::matrixAnalyses()[0], "OUTPUT", c,
                              "Reistijden (" + std::string(geo::travelModeName(c.mode)) + ")");
  for (std::size_t i = 0; i < m.rows; ++i)
    for (std::size_t j = 0; j < m.cols; ++j) {
      Record r;
      r.values = {std::string(from.keys[i]), std::string(to.keys[j]), orNull(m.lengthAt(i, j)),
                  orNull(m.timeAt(i, j))};
      layer.records.push_back(std::move(r));
    }
  auto params = commonJson(c);
  params["from"] = request.from.describe();
  params["to"] = request.to.describe();
  layer.metadata =
      clock.metadata("travel_matrix", params, inputDescription(from) + " x " + inputDescription(to),
                     std::int64_t(from.size() * to.size()));
  result.layers.push_back(std::move(layer));
  report.lines.push_back(
      fmt::format("matrix: {} x {} pairs, {} unreachable", m.rows, m.cols, m.unreachable()));
  if (m.unreachable())
    report.warnings.push_back(
        fmt::format("{} pair(s) cannot be reached by {} (length_m and time_s are NULL)",
                    m.unreachable(), geo::travelModeName(c.mode)));
  return result;
}

AnalysisResult buildReach(Store& store, const ReachRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  AnalysisResult result;
  RunReport& report = result.report;
  const NetworkCommon& c = request.common;
  Prepared p = prepare(store, c, progress, report);
  const PointInput bases = readPoints(store, request.bases);
  const auto baseLocs = snapInput(p, bases, c, report);
  PointInput sites;
  std::vector<geo::NetworkLocation> siteLocs;
  if (request.sites) {
    sites = readPoints(store, *request.sites);
    siteLocs = snapInput(p, sites, c, report);
  }
  const double limit = request.minutes * 60.0;
  geo::SubProgress reachPart(progress, 0.3, 1.0);
  const auto r = geo::reachability(
      *p.graph, baseLocs, siteLocs,
      {.limit = limit, .areaBuffer = request.areaBuffer, .threads = c.threads}, reachPart);
  auto params = commonJson(c);
  params["bases"] = request.bases.describe();
  if (request.sites) params["sites"] = request.sites->describe();
  params["minutes"] = request.minutes;
  params["area_buffer"] = request.areaBuffer;
  const std::string input = inputDescription(bases);
  const auto meta = clock.metadata("reach", params, input, std::int64_t(bases.size()));
  const geo::RoadNetwork& net = p.loaded.network;
  const auto& a = describe::reachAnalyses()[0];

  ResultLayer parts = tableOf(a, "ROADS", c, "Bereikte wegen");
  for (const auto& part : r.parts) {
    Record rec;
    rec.values = {std::string(bases.keys[part.base]), net.wvkId(part.wegvak), part.fromOffset,
                  part.toOffset};
    rec.geometry = lineGeometry(net.subLine(part.wegvak, part.fromOffset, part.toOffset));
    parts.records.push_back(std::move(rec));
  }
  parts.metadata = meta;
  result.layers.push_back(std::move(parts));

  if (request.areaBuffer > 0.0) {
    ResultLayer areas =
        tableOf(a, "AREA", c, "Bereik binnen " + fmt::format("{:g}", request.minutes) + " min");
    for (std::size_t b = 0; b < bases.size(); ++b) {
      if (r.areas[b].empty()) continue;
      Record rec;
      rec.values = {std::string(bases.keys[b]), r.reachedLength[b]};
      rec.geometry = geometryFromWkb(r.areas[b]);
      if (wkbFlatten(rec.geometry->getGeometryType()) == wkbPolygon)
        rec.geometry.reset(OGRGeometryFactory::forceToMultiPolygon(rec.geometry.release()));
      areas.records.push_back(std::move(rec));
    }
    areas.metadata = meta;
    result.layers.push_back(std::move(areas));
  }
  std::size_t outside = 0;
  if (request.sites) {
    ResultLayer near = tableOf(a, "SITES_OUT", c, "Dichtstbijzijnde basis");
    for (std::size_t i = 0; i < sites.size(); ++i) {
      const auto& s = r.sites[i];
      Record rec;
      rec.values = {std::string(sites.keys[i]),
                    s.nearestBase >= 0 ? Value(std::string(bases.keys[std::size_t(s.nearestBase)]))
                                       : Value(std::monostate{}),
                    orNull(s.time), orNull(s.length), std::int64_t(s.withinLimit ? 1 : 0)};
      rec.geometry = pointGeometry(sites.points[i]);
      near.records.push_back(std::move(rec));
      if (!s.withinLimit) ++outside;
    }
    near.metadata = meta;
    result.layers.push_back(std::move(near));
  }
  double total = 0.0;
  for (double v : r.reachedLength) total += v;
  report.lines.push_back(fmt::format("reach: {} base(s), {:.1f} km of road within {:g} min",
                                     bases.size(), total / 1000.0, request.minutes));
  if (request.sites)
    report.lines.push_back(fmt::format("{} of {} site(s) not reached within {:g} min", outside,
                                       sites.size(), request.minutes));
  return result;
}

RunReport runRoute(Store& store, const RouteRequest& request, geo::Progress& progress) {
  geo::SubProgress buildPart(progress, 0.0, 0.9), writePart(progress, 0.9, 1.0);
  return writeToStore(store, buildRoute(store, request, buildPart), writePart);
}

RunReport runMatrix(Store& store, const MatrixRequest& request, geo::Progress& progress) {
  geo::SubProgress buildPart(progress, 0.0, 0.85), writePart(progress, 0.85, 1.0);
  AnalysisResult result = buildMatrix(store, request, buildPart);
  if (!request.csvPath.empty()) {
    writeMatrixCsv(request.csvPath, result.layers.at(0));
    result.report.files.push_back(request.csvPath);
  }
  return writeToStore(store, std::move(result), writePart);
}

RunReport runReach(Store& store, const ReachRequest& request, geo::Progress& progress) {
  geo::SubProgress buildPart(progress, 0.0, 0.85), writePart(progress, 0.85, 1.0);
  return writeToStore(store, buildReach(store, request, buildPart), writePart);
}

}  // namespace veldwacht::layers
