#include "layers/planning/areas_runner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/core.h>
#include <ogr_geometry.h>
#include <nlohmann/json.hpp>

#include "geo/core/error.h"
#include "layers/filter/filter.h"

namespace veldwacht::layers {

void AreasRequest::validate() const {
  if (!(priority >= 0.0) || !std::isfinite(priority))
    throw geo::OptionError("priority", "expected a finite priority >= 0");
  if (!(dwellMinutes >= 0.0 && dwellMinutes <= 1440.0))
    throw geo::OptionError("dwell", "expected 0..1440 minutes");
  if (!(travelMinutes >= 0.0 && travelMinutes <= 1440.0))
    throw geo::OptionError("travel", "expected 0..1440 minutes");
  if (areas < 0 || areas > 10000) throw geo::OptionError("areas", "expected 0..10000");
  if (!(cellSize > 0.0) || cellSize > geo::kMaxCellSize)
    throw geo::OptionError("cell-size", "expected (0, 100000] m");
  geo::AreaOptions o = options;
  o.areas = 1;
  o.validate();
  checkOutputName(output);
}

namespace {

struct PartnerBases {
  std::vector<std::string> ids;
  std::vector<geo::Point> bases;
};

/// The selected partners and their bases (a point each).
PartnerBases readPartnerBases(Store& store, const AreasRequest& request) {
  const LayerDef& pdef = layerDef("partners");
  const FilterSql where = request.partnersWhere.empty()
                              ? FilterSql{}
                              : compileFilter(pdef, request.partnersWhere, "partners-where");
  PartnerBases out;
  for (const Record& r : store.read("partners", where)) {
    const auto& v = r.values[std::size_t(pdef.fieldIndex("partner_id"))];
    const std::string id = std::holds_alternative<std::string>(v) ? std::get<std::string>(v) : "";
    if (!r.geometry || r.geometry->IsEmpty() ||
        wkbFlatten(r.geometry->getGeometryType()) != wkbPoint)
      throw geo::InputError({"partners", r.sourceRow, "geom"},
                            "partner '" + id + "' has no base (a point is needed)");
    out.ids.push_back(id);
    out.bases.push_back({r.geometry->toPoint()->getX(), r.geometry->toPoint()->getY()});
  }
  return out;
}

/// Pointy-top hexagons of cellSize over the sites' extent grown by a cell; at least k of them.
geo::Grid areaGrid(const PointInput& sites, const AreasRequest& request, std::size_t k,
                   geo::Progress& progress) {
  geo::GridOptions g;
  g.shape = geo::GridShape::HexagonPointyTop;
  g.cellSize = request.cellSize;
  double minX = std::numeric_limits<double>::infinity(), minY = minX, maxX = -minX, maxY = -minX;
  for (const auto& p : sites.points) {
    minX = std::min(minX, p.x);
    minY = std::min(minY, p.y);
    maxX = std::max(maxX, p.x);
    maxY = std::max(maxY, p.y);
  }
  g.extent = {minX - request.cellSize, minY - request.cellSize, maxX + request.cellSize,
              maxY + request.cellSize};
  g.maxCells = 200000;
  geo::Grid grid = geo::makeGrid(g, progress);
  if (grid.size() < k)
    throw geo::OptionError("cell-size",
                           fmt::format("{} cells for {} areas: use smaller cells", grid.size(), k));
  return grid;
}

/// The owner of each of the k areas: area centres, then partners greedily by distance (closest
/// pair first); empty where no partner is left.
std::vector<std::string> areaOwners(const geo::Grid& grid, const geo::AreaResult& res,
                                    std::size_t k, const PartnerBases& partners) {
  std::vector<geo::Point> centre(k);
  std::vector<double> n(k, 0.0);
  for (std::size_t c = 0; c < grid.size(); ++c) {
    centre[res.areaOf[c]].x += grid.cells[c].centre.x;
    centre[res.areaOf[c]].y += grid.cells[c].centre.y;
    n[res.areaOf[c]] += 1;
  }
  for (std::size_t a = 0; a < k; ++a) centre[a] = {centre[a].x / n[a], centre[a].y / n[a]};
  const auto& bases = partners.bases;
  std::vector<std::string> owner(k);
  std::vector<std::tuple<double, std::size_t, std::size_t>> pairs;
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t p = 0; p < bases.size(); ++p)
      pairs.emplace_back(std::hypot(centre[a].x - bases[p].x, centre[a].y - bases[p].y), a, p);
  std::sort(pairs.begin(), pairs.end());
  std::vector<char> areaTaken(k, 0), partnerTaken(bases.size(), 0);
  for (const auto& [d, a, p] : pairs) {
    if (areaTaken[a] || partnerTaken[p]) continue;
    areaTaken[a] = partnerTaken[p] = 1;
    owner[a] = partners.ids[p];
  }
  return owner;
}

/// The result layer: one multipolygon per area (its cells merged) with its owner and balance.
ResultLayer areasLayer(const AreasRequest& request, const PointInput& sites, std::size_t k,
                       const geo::Grid& grid, const geo::AreaResult& res,
                       const std::vector<std::string>& owner, const RunClock& clock) {
  const auto& desc = describe::areasAnalyses().front();
  const auto& t = desc.result("OUTPUT");
  ResultLayer layer;
  layer.name = request.output + t.suffix;
  layer.title = "Evenwichtige gebieden";
  layer.geometry = t.geometry;
  layer.fields = t.fieldDefs();
  layer.style = t.style;
  layer.stylesDir = request.stylesDir;
  nlohmann::json params = {
      {"sites", request.sites.describe()},       {"priority", request.priority},
      {"dwell_min", request.dwellMinutes},       {"travel_min", request.travelMinutes},
      {"partners_where", request.partnersWhere}, {"areas", k},
      {"cell_size", request.cellSize},           {"tolerance", request.options.tolerance},
      {"restarts", request.options.restarts}};
  layer.metadata = clock.metadata("balanced_areas", params, inputDescription(sites),
                                  std::int64_t(sites.size()), std::int64_t(request.options.seed));
  for (std::size_t a = 0; a < k; ++a) {
    OGRMultiPolygon cells;
    for (std::size_t c = 0; c < grid.size(); ++c)
      if (res.areaOf[c] == a) {
        auto poly = polygonFromRing(grid.cells[c].ring);
        cells.addGeometry(poly.get());
      }
    geo::GeometryPtr merged(cells.UnionCascaded());
    if (!merged)
      throw geo::LibraryError("GEOS could not merge the cells of area " + std::to_string(a + 1));
    if (wkbFlatten(merged->getGeometryType()) == wkbPolygon)
      merged.reset(OGRGeometryFactory::forceToMultiPolygon(merged.release()));
    Record r;
    r.values = {std::int64_t(a + 1),
                owner[a].empty() ? Value{} : Value{owner[a]},
                res.workload[a],
                res.deviation[a] * 100.0,
                std::int64_t(res.units[a]),
                std::int64_t(res.contiguous[a] ? 1 : 0),
                res.spread[a]};
    r.geometry = std::move(merged);
    layer.records.push_back(std::move(r));
  }
  return layer;
}

}  // namespace

AnalysisResult buildAreas(Store& store, const AreasRequest& request, geo::Progress& progress) {
  request.validate();
  RunClock clock;
  const PointInput sites = readPoints(store, request.sites);
  const PartnerBases partners = readPartnerBases(store, request);
  const std::size_t k = request.areas > 0 ? std::size_t(request.areas) : partners.ids.size();
  if (k == 0)
    throw geo::InputError({"partners", std::nullopt, {}},
                          "no partners selected and no --areas given: nothing to divide");
  geo::SubProgress gridPart(progress, 0.0, 0.1);
  const geo::Grid grid = areaGrid(sites, request, k, gridPart);
  std::vector<double> perSite(sites.size());
  for (std::size_t i = 0; i < sites.size(); ++i)
    perSite[i] = (sites.weights.empty() ? request.priority : sites.weights[i]) *
                 (request.dwellMinutes + request.travelMinutes);
  const auto workload = geo::countPoints(grid, sites.points, perSite);
  std::vector<geo::Point> centres;
  std::vector<std::vector<std::size_t>> adjacency(grid.size());
  for (std::size_t c = 0; c < grid.size(); ++c) {
    centres.push_back(grid.cells[c].centre);
    for (auto n : grid.neighbours[c]) adjacency[c].push_back(n);
  }
  geo::AreaOptions o = request.options;
  o.areas = k;
  geo::SubProgress areaPart(progress, 0.1, 0.9);
  const geo::AreaResult res = geo::balancedAreas(workload, centres, adjacency, o, areaPart);
  const std::vector<std::string> owner = areaOwners(grid, res, k, partners);

  AnalysisResult out;
  out.layers.push_back(areasLayer(request, sites, k, grid, res, owner, clock));
  const auto contiguous = std::count(res.contiguous.begin(), res.contiguous.end(), 1);
  out.report.lines.push_back(
      fmt::format("areas: {} area(s) of {} cell(s) of {:g} m over {} site(s) from {}", k,
                  grid.size(), request.cellSize, sites.size(), inputDescription(sites)));
  out.report.lines.push_back(fmt::format(
      "balance: largest deviation {:.1f} % of the mean workload {:.0f} ({} within ±{:g} %); "
      "contiguous {} of {}; compactness {:.2f}",
      res.maxDeviation * 100.0, res.meanWorkload, res.balanced ? "all" : "NOT all",
      request.options.tolerance * 100.0, contiguous, k, res.compactness));
  for (const auto& w : res.warnings) out.report.warnings.push_back(w);
  if (!res.balanced)
    out.report.warnings.push_back(
        "the areas are not all within the tolerance; sites are too concentrated for this many "
        "areas (use smaller cells or fewer areas)");
  return out;
}

RunReport runAreas(Store& store, const AreasRequest& request, geo::Progress& progress) {
  geo::SubProgress buildPart(progress, 0.0, 0.9);
  AnalysisResult r = buildAreas(store, request, buildPart);
  geo::SubProgress writePart(progress, 0.9, 1.0);
  return writeToStore(store, std::move(r), writePart);
}

}  // namespace veldwacht::layers
