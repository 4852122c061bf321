// veldwacht emerging STORE — Emerging Hot Spot Analysis of points with times (incidenten by
// datum, signalen by waargenomen_van): one polygon per bin location with its ArcGIS pattern.
// The flags are made from the description (layers/analyses/describe_emerging.cpp).
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
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
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::emergingAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input, "points with times");
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    const auto& a = analyses.front();
    layers::EmergingRequest req = a.defaults();
    req.input = args->request.input;
    req.output = args->request.output;
    applyGivenOptions(a, a.methods.front(), *given, req);
    runAnalysis(args->store, "emerging", req, layers::runEmerging, session);
  });
}

}  // namespace veldwacht::cli
