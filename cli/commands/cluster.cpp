// veldwacht cluster STORE — DBSCAN, DBSCAN*, ST-DBSCAN, HDBSCAN or k-means on a point layer;
// writes <output>_punten and <output>_clusters (styled) into the store. The flags are made from
// the clustering descriptions (layers/analyses/describe_clustering.cpp).
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/analyses/clustering.h"

namespace veldwacht::cli {

void addClusterCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "cluster",
      "Find clusters of points (signals, incidents, barns) and write the points with their\n"
      "cluster and one hull per cluster into the store as styled layers");
  struct Args {
    std::string store;
    std::string method = "dbscan";
    layers::ClusteringRequest request;  ///< input and output; options come from `given`
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::clusteringAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input);
  cmd->add_option("-o,--output", r.output, "Result name: <output>_punten, <output>_clusters")
      ->capture_default_str();
  addMethodFlag(cmd, analyses, args->method);
  addDescribedOptions(cmd, analyses, given);

  cmd->callback([args, given, &analyses, &session] {
    const auto& a = analysisForMethod(analyses, args->method);
    layers::ClusteringRequest req = a.defaults();
    req.input = args->request.input;
    req.output = args->request.output;
    applyGivenOptions(a, args->method, *given, req);
    runAnalysis(args->store, std::string(layers::clusterMethodName(req.method)), req,
                layers::runClustering, session);
  });
}

}  // namespace veldwacht::cli
