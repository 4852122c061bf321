// veldwacht plan STORE — a patrol/schouw plan for a period over the store's road network
// (layers/planning/plan_runner.h), with route cards (CSV + HTML), GPX and GeoJSON for the
// field. The analysis flags are made from the description (describe_planning.cpp).
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/planning/areas_runner.h"
#include "layers/planning/plan_exports.h"
#include "layers/planning/plan_runner.h"

namespace veldwacht::cli {

void addPlanCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "plan",
      "Patrol and schouw plan for a period: which partner visits which sites when, on the road\n"
      "network, with day/night windows from the sun; route cards, GPX and GeoJSON for the field");
  struct Args {
    std::string store;
    layers::PlanRequest request;
    std::string speedsFile;
    std::string routeCards, gpx, geojson;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::planningAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--sites", r.sites.layer,
                  "Point layer or point result table (e.g. an adreslijst) of the store with the "
                  "sites to visit")
      ->capture_default_str();
  cmd->add_option("-w,--where", r.sites.where, "OGR SQL filter on the sites");
  cmd->add_option("--priority-field", r.sites.weightField,
                  "Numeric field of the sites giving their priority (else a field prioriteit "
                  "when the layer has one, else --priority)");
  cmd->add_option("--partners-where", r.partnersWhere, "OGR SQL filter on the partners layer");
  cmd->add_option("--speeds", args->speedsFile, "JSON speed table overriding the defaults")
      ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", r.network.output, "Prefix of the result layers")
      ->capture_default_str();
  auto* out = cmd->add_option_group("Exports");
  out->add_option("--route-cards", args->routeCards,
                  "Folder for a route card per partner and shift (CSV and HTML)");
  out->add_option("--gpx", args->gpx, "GPX 1.1 file: waypoints, routes and tracks");
  out->add_option("--geojson", args->geojson, "GeoJSON file of the routes and visits (WGS84)");
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    const auto& a = analyses.front();
    layers::PlanRequest req = a.defaults();
    req.sites = args->request.sites;
    req.partnersWhere = args->request.partnersWhere;
    req.network.output = args->request.network.output;
    applyGivenOptions(a, a.methods.front(), *given, req);
    if (!args->speedsFile.empty()) {
      std::ifstream in(args->speedsFile);
      std::stringstream ss;
      ss << in.rdbuf();
      req.network.source.speedsJson = ss.str();
      (void)geo::SpeedTable::fromJson(req.network.source.speedsJson, args->speedsFile);
    }
    req.validate();
    auto store = openStoreForResults(args->store);
    session.progress.begin("plan");
    layers::RunClock clock;
    geo::SubProgress readPart(session.progress, 0.0, 0.3);
    const layers::PlanInput in = layers::readPlanInput(*store, req, readPart);
    geo::SubProgress solvePart(session.progress, 0.3, 0.9);
    const layers::PlanOutput plan = layers::computePlan(in, req, solvePart);
    layers::AnalysisResult result = layers::buildPlanResult(in, req, plan, clock);
    // The files first: when one cannot be written the store stays as it was.
    std::vector<std::string> files;
    const layers::ResultLayer& routes = result.layers[0];
    const layers::ResultLayer& visits = result.layers[1];
    if (!args->routeCards.empty())
      for (auto& f : layers::writeRouteCards(routes, visits, args->routeCards))
        files.push_back(std::move(f));
    if (!args->gpx.empty()) {
      layers::writeGpx(routes, visits, args->gpx);
      files.push_back(args->gpx);
    }
    if (!args->geojson.empty()) {
      layers::writeGeoJson(routes, visits, args->geojson);
      files.push_back(args->geojson);
    }
    geo::SubProgress writePart(session.progress, 0.9, 1.0);
    layers::RunReport report = layers::writeToStore(*store, std::move(result), writePart);
    session.progress.finish();
    if (!args->routeCards.empty())
      report.lines.push_back(
          fmt::format("{} route card file(s) in {}",
                      files.size() - (args->gpx.empty() ? 0 : 1) - (args->geojson.empty() ? 0 : 1),
                      args->routeCards));
    if (!args->gpx.empty()) report.files.push_back(args->gpx);
    if (!args->geojson.empty()) report.files.push_back(args->geojson);
    printReport(report, session);
  });
}

void addAreasCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "areas",
      "Balanced areas: one contiguous, compact area per partner with about equal workload\n"
      "(hexagonal cells, region growing + AZP); reports balance, contiguity and compactness");
  struct Args {
    std::string store;
    layers::AreasRequest request;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::areasAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--sites", r.sites.layer, "Point layer of the store with the sites")
      ->capture_default_str();
  cmd->add_option("-w,--where", r.sites.where, "OGR SQL filter on the sites");
  cmd->add_option("--priority-field", r.sites.weightField,
                  "Numeric field of the sites giving their priority (else --priority)");
  cmd->add_option("--partners-where", r.partnersWhere, "OGR SQL filter on the partners layer");
  cmd->add_option("-o,--output", r.output, "Prefix of the result layer")->capture_default_str();
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    const auto& a = analyses.front();
    layers::AreasRequest req = a.defaults();
    req.sites = args->request.sites;
    req.partnersWhere = args->request.partnersWhere;
    req.output = args->request.output;
    applyGivenOptions(a, a.methods.front(), *given, req);
    runAnalysis(args->store, "areas", req, layers::runAreas, session);
  });
}

}  // namespace veldwacht::cli
