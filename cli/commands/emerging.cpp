// veldwacht emerging STORE — Emerging Hot Spot Analysis of points with times (incidenten by
// datum, signalen by waargenomen_van): one polygon per bin location with its ArcGIS pattern.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/analyses/emerging.h"

namespace veldwacht::cli {

void addEmergingCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "emerging",
      "Emerging hot spots: where hot and cold spots appear, intensify, persist or fade over time\n"
      "(space-time cube, space-time Gi*, Mann-Kendall trend, the 17 ArcGIS patterns)");
  struct Args {
    std::string store;
    layers::EmergingRequest request;
    std::string shape = "square";
    std::string timeUnit = "months";
    std::string alignment = "end";
    std::string correction = "fdr";
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input, "points with times");
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  auto* c = cmd->add_option_group("Space-time cube");
  c->add_option("--shape", args->shape, "Bin shape")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kShapes)));
  c->add_option("--bin-size", r.cube.binSize, "Bin size in metres; 0 = suggested from the data")
      ->capture_default_str();
  c->add_option("--time-unit", args->timeUnit, "days or months")
      ->capture_default_str()
      ->check(CLI::IsMember({"days", "months"}));
  c->add_option("--time-step", r.cube.timeStep, "Steps of this many days or months (3 = quarter)")
      ->capture_default_str();
  c->add_option("--alignment", args->alignment,
                "end (the last step ends at the latest point) or start")
      ->capture_default_str()
      ->check(CLI::IsMember({"end", "start"}));
  auto* e = cmd->add_option_group("Analysis");
  e->add_option("--neighbourhood-distance", r.emerging.neighbourhoodDistance,
                "Metres; 0 = the contiguous bins")
      ->capture_default_str();
  e->add_option("--neighbourhood-time-step", r.emerging.neighbourhoodTimeStep,
                "Previous time steps in the neighbourhood")
      ->capture_default_str();
  e->add_option("--alpha", r.emerging.alpha, "Significance of a hot/cold bin")
      ->capture_default_str();
  e->add_option("--trend-alpha", r.emerging.trendAlpha, "Significance of the trend")
      ->capture_default_str();
  e->add_option("--correction", args->correction, "Multiple-testing correction")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kCorrections)));
  e->add_option("--permutations", r.emerging.permutations, "Permutations per bin; 0 = analytic")
      ->capture_default_str();
  e->add_option("--seed", r.emerging.seed, "Seed of the permutations")->capture_default_str();
  cmd->add_option("--threads", r.emerging.threads, "Worker threads; 0 = all cores")
      ->capture_default_str();
  cmd->callback([args, &session] {
    auto& req = args->request;
    req.cube.shape = choose(args->shape, kShapes);
    req.cube.timeUnit = args->timeUnit == "days" ? geo::TimeUnit::Days : geo::TimeUnit::Months;
    req.cube.alignment =
        args->alignment == "start" ? geo::TimeAlignment::Start : geo::TimeAlignment::End;
    req.emerging.correction = choose(args->correction, kCorrections);
    runAnalysis(args->store, "emerging", req, layers::runEmerging, session);
  });
}

}  // namespace veldwacht::cli
