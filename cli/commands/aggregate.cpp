// veldwacht aggregate STORE — points per grid cell (hexagons or squares, optionally masked) or
// per polygon of a store layer, with an optional denominator and rates; one styled layer.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
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
    GridFlags grid;
    std::string boundary = "all-covering";
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input);
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  cmd->add_option("--polygon-layer", r.polygonLayer,
                  "Count per polygon of this layer (buurten, bedrijventerreinen, ...) instead of "
                  "per grid cell");
  cmd->add_option("--polygon-where", r.polygonWhere, "OGR SQL filter on the polygon layer");
  cmd->add_option("--boundary", args->boundary,
                  "Points on a polygon boundary: all-covering, first-covering, interior-only")
      ->capture_default_str()
      ->check(CLI::IsMember({"all-covering", "first-covering", "interior-only"}));
  addGridFlags(cmd, r.grid, args->grid);
  cmd->add_flag("--drop-empty", r.dropEmpty, "Leave cells without points out");
  auto* d = cmd->add_option_group("Denominator");
  addDenominatorFlags(d, args->denominator,
                      "Denominator points per unit (e.g. verblijfsobjecten, vab)");
  d->add_option("--min-denominator", r.rate.minDenominator,
                "Rates with a smaller denominator stay empty")
      ->capture_default_str();
  d->add_option("--scale", r.rate.scale, "Rate multiplier, e.g. 1000 for per 1000 addresses")
      ->capture_default_str();
  cmd->callback([args, &session] {
    auto& req = args->request;
    args->grid.apply(req.grid);
    req.maskLayer = args->grid.maskLayer;
    req.maskWhere = args->grid.maskWhere;
    req.polygonCounts.boundary =
        args->boundary == "first-covering"  ? geo::BoundaryRule::FirstCovering
        : args->boundary == "interior-only" ? geo::BoundaryRule::InteriorOnly
                                            : geo::BoundaryRule::AllCovering;
    if (!args->denominator.layer.empty()) req.denominator = args->denominator;
    runAnalysis(args->store, "aggregate", req, layers::runAggregation, session);
  });
}

}  // namespace veldwacht::cli
