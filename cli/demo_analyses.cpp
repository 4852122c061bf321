// The analyses `veldwacht demo` runs on the sample store, with parameters that suit the region
// (Eemsdelta, ~600 signals, 250 incidents over three years), and how well they find the four
// planted clusters of sample-data/eemsdelta/ground_truth.json.
#include "cli/demo_analyses.h"
#include "cli/demo_plan.h"
#include "cli/sample_paths.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "layers/analyses/aggregation.h"
#include "layers/analyses/clustering.h"
#include "layers/analyses/density.h"
#include "layers/analyses/emerging.h"
#include "layers/analyses/hotspots.h"
#include "layers/privacy/public_layers.h"
#include "layers/results/results.h"
#include "layers/risk/address_runner.h"
#include "layers/risk/risk_runner.h"

namespace veldwacht::cli {

namespace fs = std::filesystem;

namespace {

void show(const Session& session, const std::string& name, const layers::RunReport& r) {
  if (session.quiet) return;
  fmt::print("   {:<30} {}\n", name, r.lines.empty() ? std::string() : r.lines.front());
  // The verdict lines of the statistics (bins, cluster types, patterns), not the details.
  for (std::size_t i = 1; i < r.lines.size(); ++i)
    if (r.lines[i].starts_with("  hot ") || r.lines[i].starts_with("  HH ") ||
        r.lines[i].find("Hot Spot") != std::string::npos || r.lines[i].starts_with("nearest") ||
        r.lines[i].starts_with("Ripley"))
      fmt::print("   {:<30} {}\n", "", r.lines[i]);
  for (const auto& w : r.warnings) fmt::print("   {:<30} note: {}\n", "", w);
}

/// Runs one analysis with its own progress bar and prints its first summary line.
template <typename Request, typename Runner>
void run(layers::Store& store, Session& session, const std::string& name, const Request& request,
         Runner runner) {
  session.progress.begin(name);
  const layers::RunReport report = runner(store, request, session.progress);
  session.progress.finish();
  show(session, name, report);
}

/// The sample folder the store was imported from (its signalen source), else the usual places.
fs::path findGroundTruth(layers::Store& store) {
  std::vector<fs::path> candidates;
  for (const auto& row : store.query(
           "SELECT bron_bestand FROM veldwacht_imports WHERE laag = 'signalen' ORDER BY import_id"))
    if (row[0]) candidates.push_back(fs::absolute(fs::path(*row[0])).parent_path());
  if (const char* env = std::getenv("VELDWACHT_SAMPLE_DATA")) candidates.emplace_back(env);
  for (auto& c : sampleDataCandidates()) candidates.push_back(std::move(c));
  for (const auto& c : candidates)
    if (fs::exists(c / "ground_truth.json")) return c / "ground_truth.json";
  return {};
}

std::map<std::string, std::int64_t> clusterOf(layers::Store& store, const std::string& layer) {
  std::map<std::string, std::int64_t> out;
  for (const auto& row : store.query("SELECT bron_id, cluster_id FROM " + layer))
    if (row[0] && row[1]) out[*row[0]] = std::stoll(*row[1]);
  return out;
}

/// Best-matching cluster of `members` in a clustering: (found, description).
std::pair<bool, std::string> matchCluster(const std::map<std::string, std::int64_t>& labels,
                                          const std::vector<std::string>& members,
                                          const std::string& layer) {
  std::map<std::int64_t, std::size_t> hits, sizes;
  for (const auto& [key, label] : labels)
    if (label >= 0) ++sizes[label];
  for (const auto& m : members)
    if (auto it = labels.find(m); it != labels.end() && it->second >= 0) ++hits[it->second];
  std::int64_t best = -1;
  std::size_t bestHits = 0;
  for (const auto& [label, n] : hits)
    if (n > bestHits) best = label, bestHits = n;
  if (best < 0) return {false, fmt::format("not found in {}", layer)};
  const double recall = double(bestHits) / double(members.size());
  const double precision = double(bestHits) / double(sizes[best]);
  return {recall >= 0.6 && precision >= 0.5,
          fmt::format("{}/{} members in cluster {} of {} points ({})", bestHits, members.size(),
                      best, sizes[best], layer)};
}

/// The emerging-hot-spot category and Gi* bin of the cells holding point (x, y).
std::pair<bool, std::string> matchHotCell(layers::Store& store, double x, double y) {
  const std::string point = fmt::format("MakePoint({}, {}, 28992)", x, y);
  std::string category, bin;
  const auto e = store.query("SELECT categorie FROM incidenten_opkomend WHERE ST_Contains(geom, " +
                             point + ")");
  if (!e.empty() && e[0][0]) category = *e[0][0];
  const auto g =
      store.query("SELECT gi_bin FROM incidenten_gi WHERE ST_Contains(geom, " + point + ")");
  if (!g.empty() && g[0][0]) bin = *g[0][0];
  const bool hot = category.find("Hot Spot") != std::string::npos;
  return {hot, fmt::format("emerging: {}, Gi* bin {}", category.empty() ? "(no cell)" : category,
                           bin.empty() ? "-" : bin)};
}

void compareWithGroundTruth(layers::Store& store, const Session& session) {
  const fs::path file = findGroundTruth(store);
  if (file.empty() || session.quiet) return;
  nlohmann::json truth;
  try {
    std::ifstream in(file);
    truth = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    fmt::print("   (ground truth not readable: {})\n", e.what());
    return;
  }
  fmt::print("   Planted clusters ({}):\n", file.string());
  const auto dbscan = clusterOf(store, "signalen_dbscan_punten");
  const auto st = clusterOf(store, "drugsafval_stdbscan_punten");
  std::size_t found = 0, total = 0;
  for (const auto& c : truth.at("clusters")) {
    const std::string id = c.at("id");
    const auto members = c.value("member_ids", std::vector<std::string>{});
    std::pair<bool, std::string> m;
    if (c.at("layer") == "incidenten") {
      m = matchHotCell(store, c.at("centre")[0], c.at("centre")[1]);
    } else if (c.value("kind", "") == "space-time") {
      m = matchCluster(st, members, "drugsafval_stdbscan");
    } else {
      m = matchCluster(dbscan, members, "signalen_dbscan");
    }
    ++total;
    found += m.first;
    fmt::print("   {} {:<36} {}\n", m.first ? "found    " : "NOT found", id, m.second);
  }
  fmt::print("   {} of {} planted clusters found\n", found, total);
}

/// Addresses visited since this moment are left out of the demo's list: 12 months before the
/// list's reference date (the day after the latest signal), at midnight UTC.
std::optional<geo::TimeSeconds> demoSkipVisitedSince(layers::Store& store) {
  const auto rows = store.query("SELECT max(waargenomen_van) FROM signalen");
  if (rows.empty() || !rows[0][0]) return std::nullopt;
  const auto latest = layers::parseIsoTime(*rows[0][0]);
  if (!latest) return std::nullopt;
  const geo::TimeSeconds reference = *latest + 86400;
  const geo::TimeSeconds since = reference - 365 * 86400;
  return since - ((since % 86400) + 86400) % 86400;  // midnight UTC
}

/// The risk map of the region and the address-check list that uses it (issue 11); prints how
/// many of the planted barns-for-rent panden (cluster B) are in the list's top 10.
void runDemoRisk(layers::Store& store, Session& session) {
  using namespace layers;
  RiskRequest risk;
  risk.studyAreaWhere = "code = 'GM1979'";
  run(store, session, "risico (GeoTIFF)", risk, runRisk);
  AddressListRequest list;
  const fs::path storePath = fs::absolute(store.path());
  list.riskRaster =
      (storePath.parent_path() / (storePath.stem().string() + "_" + risk.output + ".tif")).string();
  // Addresses checked in the last 12 months are left out (laatste_bezoek), counted back from the
  // list's reference date (the day after the latest signal).
  list.list.skipVisitedSince = demoSkipVisitedSince(store);
  run(store, session, "adreslijst (VERTROUWELIJK)", list, runAddressList);
  if (session.quiet) return;
  const fs::path truth = findGroundTruth(store);
  if (truth.empty()) return;
  std::ifstream in(truth);
  const auto gt = nlohmann::json::parse(in, nullptr, false);
  if (gt.is_discarded()) return;
  for (const auto& c : gt.value("clusters", nlohmann::json::array())) {
    if (!c.contains("related") || !c["related"].contains("bag_pand_ids")) continue;
    const auto ids = c["related"]["bag_pand_ids"].get<std::vector<std::string>>();
    const ResultLayer l = readResultLayer(store, list.output);
    const int i = [&] {
      for (std::size_t k = 0; k < l.fields.size(); ++k)
        if (l.fields[k].name == "pand") return int(k);
      return -1;
    }();
    std::size_t top = 0;
    for (std::size_t r = 0; r < std::min<std::size_t>(10, l.records.size()) && i >= 0; ++r)
      if (const auto* p = std::get_if<std::string>(&l.records[r].values[std::size_t(i)]))
        top += std::find(ids.begin(), ids.end(), *p) != ids.end();
    fmt::print("   {:<30} {}: {} of {} planted panden in the top 10\n", "",
               c.value("id", std::string()), top, ids.size());
  }
}

}  // namespace

namespace {

/// DBSCAN, ST-DBSCAN, HDBSCAN and k-means on the sample region.
void runDemoClustering(layers::Store& store, Session& session) {
  using namespace layers;
  {  // DBSCAN on every signal: the planted groups B (barn rentals) and C (hennep).
    ClusteringRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_dbscan";
    r.dbscan.eps = 300;
    r.dbscan.minPts = 5;
    run(store, session, "signalen_dbscan", r, runClustering);
  }
  {  // ST-DBSCAN on drug waste: A is dense in space AND time (background is not).
    ClusteringRequest r;
    r.input = {"signalen", "categorie = 'DRUGSAFVAL'", ""};
    r.output = "drugsafval_stdbscan";
    r.method = ClusterMethod::StDbscan;
    r.stDbscan.eps = 350;
    r.stDbscan.epsSeconds = 45 * 86400.0;
    r.stDbscan.minPts = 5;
    run(store, session, "drugsafval_stdbscan", r, runClustering);
  }
  {
    ClusteringRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_hdbscan";
    r.method = ClusterMethod::Hdbscan;
    r.hdbscan.minClusterSize = 8;
    r.summary.concaveHull = true;
    run(store, session, "signalen_hdbscan", r, runClustering);
  }
  {  // Six groups of vacant barns: a start for six thematic address-check rounds.
    ClusteringRequest r;
    r.input = {"vab", "leegstand IN ('leeg', 'deels_leeg')", ""};
    r.output = "vab_kmeans";
    r.method = ClusterMethod::Kmeans;
    r.kmeans.k = 6;
    r.kmeans.seed = 1979;
    run(store, session, "vab_kmeans", r, runClustering);
  }
}

/// The kernel density of the signals, alone and per address.
void runDemoDensity(layers::Store& store, Session& session) {
  using namespace layers;
  {
    DensityRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_dichtheid";
    r.kde.radius = 500;
    r.kde.pixelSize = 50;
    run(store, session, "signalen_dichtheid (GeoTIFF)", r, runDensity);
  }
  {  // Signals relative to where people live and work: 20 addresses/km² at least.
    DensityRequest r;
    r.input = {"signalen", "", ""};
    r.denominator = PointSelection{"verblijfsobjecten", "", ""};
    r.output = "signalen_per_adres";
    r.kde.radius = 750;
    r.kde.pixelSize = 50;
    r.dual.minDenominator = 20;
    r.maskLayer = "gemeenten";
    run(store, session, "signalen_per_adres (GeoTIFF)", r, runDensity);
  }
}

/// Signals in 500 m hexagons and incidents per bedrijventerrein.
void runDemoAggregation(layers::Store& store, Session& session) {
  using namespace layers;
  {
    AggregationRequest r;
    r.input = {"signalen", "", ""};
    r.denominator = PointSelection{"verblijfsobjecten", "", ""};
    r.output = "signalen_hex500";
    r.grid.shape = geo::GridShape::HexagonPointyTop;
    r.grid.cellSize = 500;
    r.grid.clipMode = geo::ClipMode::Clip;
    r.maskLayer = "gemeenten";
    r.rate.scale = 1000;
    run(store, session, "signalen_hex500", r, runAggregation);
  }
  {
    AggregationRequest r;
    r.input = {"incidenten", "", ""};
    r.output = "incidenten_per_terrein";
    r.polygonLayer = "bedrijventerreinen";
    run(store, session, "incidenten_per_terrein", r, runAggregation);
  }
}

/// Gi*, optimized hot spots, local Moran and the global statistics.
void runDemoHotspots(layers::Store& store, Session& session) {
  using namespace layers;
  {
    HotspotRequest r;
    r.input = {"incidenten", "", ""};
    r.output = "incidenten_gi";
    r.grid.shape = geo::GridShape::Square;
    r.grid.cellSize = 500;
    r.maskLayer = "bedrijventerreinen";
    r.gi.permutations = 0;
    run(store, session, "incidenten_gi", r, runHotspots);
  }
  {
    HotspotRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_gi";
    r.grid.cellSize = 500;
    r.maskLayer = "gemeenten";
    r.gi.permutations = 99;
    run(store, session, "signalen_gi", r, runHotspots);
  }
  {
    HotspotRequest r;
    r.input = {"incidenten", "", ""};
    r.output = "incidenten_optimized";
    r.method = HotspotMethod::Optimized;
    run(store, session, "incidenten_optimized", r, runHotspots);
  }
  {
    HotspotRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_optimized";
    r.method = HotspotMethod::Optimized;
    r.maskLayer = "gemeenten";
    run(store, session, "signalen_optimized", r, runHotspots);
  }
  {
    HotspotRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_lisa";
    r.method = HotspotMethod::LocalMoran;
    r.grid.cellSize = 1000;
    r.maskLayer = "gemeenten";
    r.localMoran.permutations = 499;
    r.localMoran.correction = geo::Correction::None;  // as GeoDa's LISA map (alpha 0.05)
    run(store, session, "signalen_lisa", r, runHotspots);
  }
  {
    HotspotRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_statistiek";
    r.method = HotspotMethod::Global;
    r.grid.cellSize = 1000;
    r.maskLayer = "gemeenten";
    r.ripley.simulations = 39;
    run(store, session, "signalen_statistiek", r, runHotspots);
  }
}

/// Emerging hot spots of the incidents per quarter.
void runDemoEmerging(layers::Store& store, Session& session) {
  using namespace layers;
  {  // Incidents per quarter in 500 m squares: D rises on Oosterhorn.
    EmergingRequest r;
    r.input = {"incidenten", "", ""};
    r.output = "incidenten_opkomend";
    r.cube.binSize = 500;
    r.cube.timeUnit = geo::TimeUnit::Months;
    r.cube.timeStep = 3;
    run(store, session, "incidenten_opkomend", r, runEmerging);
  }
}

}  // namespace

void runDemoAnalyses(layers::Store& store, Session& session) {
  using namespace layers;
  runDemoClustering(store, session);
  runDemoDensity(store, session);
  runDemoAggregation(store, session);
  runDemoHotspots(store, session);
  runDemoEmerging(store, session);
  runDemoRisk(store, session);
  compareWithGroundTruth(store, session);
  runDemoPlan(store, session, findGroundTruth(store));
  {  // The public face for a knowledge session (presenter mode, Kennissessie): signals per buurt
     // with small counts suppressed, and points masked against the addresses. The mask's seed is
     // random and stays in the store's registry (layers/privacy/public_layers.h).
    PublicLayersOptions r;
    run(store, session, "openbaar_signalen (public)", r, buildPublicLayers);
  }
}

}  // namespace veldwacht::cli
