// veldwacht aggregate STORE — points per grid cell (hexagons or squares, optionally masked) or
// per polygon of a store layer, with an optional denominator and rates; one styled layer. The
// flags are made from the aggregation descriptions (layers/analyses/describe_aggregation.cpp);
// a polygon layer chooses polygoncount.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/analyses/aggregation.h"

namespace veldwacht::cli {

void addAggregateCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "aggregate",
      "Count points per grid cell or per polygon (buurten, bedrijventerreinen), with rates per\n"
      "hectare and per denominator; writes one styled polygon layer");
  struct Args {
    std::string store;
    layers::AggregationRequest request;
    layers::PointSelection denominator{"", "", ""};
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::aggregationAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input);
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  cmd->add_option("--polygon-layer", r.polygonLayer,
                  "Count per polygon of this layer (buurten, bedrijventerreinen, ...) instead of "
                  "per grid cell");
  cmd->add_option("--polygon-where", r.polygonWhere, "OGR SQL filter on the polygon layer");
  cmd->add_option("--mask-layer", r.maskLayer,
                  "Polygon layer limiting the grid (e.g. gemeenten, bedrijventerreinen)");
  cmd->add_option("--mask-where", r.maskWhere, "OGR SQL filter on the mask layer");
  addDenominatorFlags(cmd->add_option_group("Denominator"), args->denominator,
                      "Denominator points per unit (e.g. verblijfsobjecten, vab)");
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    const std::string method = args->request.polygonLayer.empty() ? "gridcount" : "polygoncount";
    const auto& a = analysisForMethod(analyses, method);
    layers::AggregationRequest req = a.defaults();
    req.input = args->request.input;
    req.output = args->request.output;
    req.polygonLayer = args->request.polygonLayer;
    req.polygonWhere = args->request.polygonWhere;
    req.maskLayer = args->request.maskLayer;
    req.maskWhere = args->request.maskWhere;
    if (!args->denominator.layer.empty()) req.denominator = args->denominator;
    applyGivenOptions(a, method, *given, req);
    runAnalysis(args->store, "aggregate", req, layers::runAggregation, session);
  });
}

}  // namespace veldwacht::cli
