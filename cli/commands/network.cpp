// veldwacht route / matrix / reach STORE — over the road network built from the store's NWB
// wegvakken (kept in the store, rebuilt when the roads change). Thin: the options come from the
// descriptions (layers/network/describe_network.cpp), the inputs and the output name are flags
// here, then the shared runAnalysis tail.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/network/network_analyses.h"

namespace veldwacht::cli {
namespace {

template <class Request>
void addOutputFlag(CLI::App* cmd, Request& r) {
  cmd->add_option("-o,--output", r.common.output, "Prefix of the result layers")
      ->capture_default_str();
}

/// The request of the single description of `analyses`: its defaults, the given options, and
/// the flags' inputs and output from `base`.
template <class Request>
Request requestOf(const std::vector<layers::describe::Analysis<Request>>& analyses,
                  const GivenOptions& given, const Request& base) {
  const auto& a = analyses.front();
  Request req = a.defaults();
  applyGivenOptions(a, a.methods.front(), given, req);
  req.common.output = base.common.output;
  return req;
}

}  // namespace

void addMatrixCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "matrix",
      "Travel times and distances over the road network from every point of one layer to every\n"
      "point of another (e.g. partners x vab); writes <output>_matrix and optionally a CSV");
  struct Args {
    std::string store;
    layers::MatrixRequest request;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::matrixAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--from", r.from.layer, "Layer of origins")->capture_default_str();
  cmd->add_option("--from-where", r.from.where, "OGR SQL filter on the origins");
  cmd->add_option("--to", r.to.layer, "Layer of destinations")->capture_default_str();
  cmd->add_option("--to-where", r.to.where, "OGR SQL filter on the destinations");
  cmd->add_option("--csv", r.csvPath, "Also write from_id,to_id,length_m,time_s to this file");
  addOutputFlag(cmd, r);
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    layers::MatrixRequest req = requestOf(analyses, *given, args->request);
    req.from = args->request.from;
    req.to = args->request.to;
    req.csvPath = args->request.csvPath;
    runAnalysis(args->store, "matrix", req, layers::runMatrix, session);
  });
}

void addReachCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "reach",
      "What can be reached within T minutes from the points of a layer: reached roads, an area\n"
      "around them and, with --sites, the nearest base of every site");
  struct Args {
    std::string store;
    layers::ReachRequest request;
    std::string sites, sitesWhere;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::reachAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--from", r.bases.layer, "Layer of bases")->capture_default_str();
  cmd->add_option("--from-where", r.bases.where, "OGR SQL filter on the bases");
  cmd->add_option("--sites", args->sites, "Layer of sites to give their nearest base (e.g. vab)");
  cmd->add_option("--sites-where", args->sitesWhere, "OGR SQL filter on the sites");
  addOutputFlag(cmd, r);
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    layers::ReachRequest req = requestOf(analyses, *given, args->request);
    req.bases = args->request.bases;
    if (!args->sites.empty()) req.sites = layers::PointSelection{args->sites, args->sitesWhere, {}};
    runAnalysis(args->store, "reach", req, layers::runReach, session);
  });
}

void addRouteCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "route", "Shortest route between two points over the road network; writes <output>_route");
  struct Args {
    std::string store;
    layers::RouteRequest request;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::routeAnalyses();
  cmd->add_option("store", args->store, "The store")->required();
  addOutputFlag(cmd, args->request);
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    const layers::RouteRequest req = requestOf(analyses, *given, args->request);
    runAnalysis(args->store, "route", req, layers::runRoute, session);
  });
}

}  // namespace veldwacht::cli
