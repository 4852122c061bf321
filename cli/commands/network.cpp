// veldwacht route / matrix / reach STORE — over the road network built from the store's NWB
// wegvakken (kept in the store, rebuilt when the roads change). Thin: flags onto
// layers::RouteRequest / MatrixRequest / ReachRequest, then the shared runAnalysis tail.
#include <fstream>
#include <sstream>

#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/network/network_analyses.h"

namespace veldwacht::cli {
namespace {

struct NetworkFlags {
  std::string mode = "auto";
  std::string cost = "time";
  std::string speedsFile;
};

void addNetworkFlags(CLI::App* cmd, layers::NetworkCommon& c, NetworkFlags& f, bool withCost) {
  cmd->add_option("--mode", f.mode, "Travel mode")
      ->capture_default_str()
      ->check(CLI::IsMember({"auto", "landbouw", "fiets", "lopen"}));
  if (withCost)
    cmd->add_option("--cost", f.cost, "What the shortest path minimises")
        ->capture_default_str()
        ->check(CLI::IsMember({"time", "length"}));
  cmd->add_option("--max-snap", c.maxSnapDistance,
                  "Points farther than this from a usable road are refused (m)")
      ->capture_default_str();
  cmd->add_option("--speeds", f.speedsFile,
                  "JSON speed table overriding the defaults (docs/algorithms/network.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--speed-limits", c.source.speedLimitsCsv,
                  "NDW speed-limit CSV (wvk_id, maxsnelheid); its limits win over the table")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--built-up", c.source.builtUp,
                "Use the inside-built-up-area speeds everywhere (NWB has no such field)");
  cmd->add_option("--threads", c.threads, "Worker threads; 0 = all cores")->capture_default_str();
  cmd->add_option("-o,--output", c.output, "Prefix of the result layers")->capture_default_str();
}

void applyNetworkFlags(layers::NetworkCommon& c, const NetworkFlags& f) {
  c.mode = geo::parseTravelMode(f.mode);
  c.cost = f.cost == "length" ? geo::CostKind::Length : geo::CostKind::Time;
  if (!f.speedsFile.empty()) {
    std::ifstream in(f.speedsFile);
    std::stringstream ss;
    ss << in.rdbuf();
    c.source.speedsJson = ss.str();
    (void)geo::SpeedTable::fromJson(c.source.speedsJson, f.speedsFile);  // refuse it here, named
  }
}

geo::Point parseXy(const std::string& text, const char* option) {
  const auto comma = text.find(',');
  try {
    std::size_t a = 0, b = 0;
    if (comma == std::string::npos) throw std::invalid_argument("no comma");
    const double x = std::stod(text.substr(0, comma), &a);
    const double y = std::stod(text.substr(comma + 1), &b);
    if (a != comma || b != text.size() - comma - 1) throw std::invalid_argument("trailing");
    return {x, y};
  } catch (const std::exception&) {
    throw geo::OptionError(
        option, "expected X,Y in EPSG:28992 metres, e.g. 256984,594814; got '" + text + "'");
  }
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
    NetworkFlags flags;
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--from", r.from.layer, "Layer of origins")->capture_default_str();
  cmd->add_option("--from-where", r.from.where, "OGR SQL filter on the origins");
  cmd->add_option("--to", r.to.layer, "Layer of destinations")->capture_default_str();
  cmd->add_option("--to-where", r.to.where, "OGR SQL filter on the destinations");
  cmd->add_option("--csv", r.csvPath, "Also write from_id,to_id,length_m,time_s to this file");
  addNetworkFlags(cmd, r.common, args->flags, true);
  cmd->callback([args, &session] {
    applyNetworkFlags(args->request.common, args->flags);
    runAnalysis(args->store, "matrix", args->request, layers::runMatrix, session);
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
    NetworkFlags flags;
    std::string sites, sitesWhere;
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--from", r.bases.layer, "Layer of bases")->capture_default_str();
  cmd->add_option("--from-where", r.bases.where, "OGR SQL filter on the bases");
  cmd->add_option("--minutes", r.minutes, "Time limit in minutes")->capture_default_str();
  cmd->add_option("--sites", args->sites, "Layer of sites to give their nearest base (e.g. vab)");
  cmd->add_option("--sites-where", args->sitesWhere, "OGR SQL filter on the sites");
  cmd->add_option("--area-buffer", r.areaBuffer,
                  "Buffer around the reached roads for the area polygon (m); 0 = no area")
      ->capture_default_str();
  addNetworkFlags(cmd, r.common, args->flags, false);
  cmd->callback([args, &session] {
    applyNetworkFlags(args->request.common, args->flags);
    if (!args->sites.empty())
      args->request.sites = layers::PointSelection{args->sites, args->sitesWhere, {}};
    runAnalysis(args->store, "reach", args->request, layers::runReach, session);
  });
}

void addRouteCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "route", "Shortest route between two points over the road network; writes <output>_route");
  struct Args {
    std::string store;
    layers::RouteRequest request;
    NetworkFlags flags;
    std::string from, to;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("--from-xy", args->from, "Start X,Y (EPSG:28992)")->required();
  cmd->add_option("--to-xy", args->to, "End X,Y (EPSG:28992)")->required();
  addNetworkFlags(cmd, args->request.common, args->flags, true);
  cmd->callback([args, &session] {
    applyNetworkFlags(args->request.common, args->flags);
    args->request.from = parseXy(args->from, "from-xy");
    args->request.to = parseXy(args->to, "to-xy");
    runAnalysis(args->store, "route", args->request, layers::runRoute, session);
  });
}

}  // namespace veldwacht::cli
