// veldwacht cluster STORE — DBSCAN, DBSCAN*, ST-DBSCAN, HDBSCAN or k-means on a point layer;
// writes <output>_punten and <output>_clusters (styled) into the store.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
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
    layers::ClusteringRequest request;
    std::string selection = "eom";
    bool convexOnly = false;
    double epsDays = 0;
    int threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input);
  cmd->add_option("-o,--output", r.output, "Result name: <output>_punten, <output>_clusters")
      ->capture_default_str();
  cmd->add_option("-m,--method", args->method, "dbscan, dbscan*, st-dbscan, hdbscan or kmeans")
      ->capture_default_str();
  auto* g = cmd->add_option_group("DBSCAN / ST-DBSCAN");
  g->add_option("--eps", r.dbscan.eps, "Neighbourhood radius in metres (d <= eps)")
      ->capture_default_str();
  g->add_option("--min-pts", r.dbscan.minPts,
                "Points within eps, the point itself included, that make a core point")
      ->capture_default_str();
  g->add_flag("--border-points-are-noise", r.dbscan.borderPointsAreNoise,
              "DBSCAN*: border points become noise");
  g->add_option("--eps-seconds", r.stDbscan.epsSeconds, "ST-DBSCAN: temporal radius in seconds")
      ->capture_default_str();
  g->add_option("--eps-days", args->epsDays,
                "ST-DBSCAN: temporal radius in days (sets --eps-seconds)");
  g->add_flag("!--no-time-windows", r.timeWindows,
              "ST-DBSCAN on the start moments instead of the observation windows");
  auto* h = cmd->add_option_group("HDBSCAN");
  h->add_option("--min-cluster-size", r.hdbscan.minClusterSize, "Smallest cluster")
      ->capture_default_str();
  h->add_option("--min-samples", r.hdbscan.minSamples,
                "Neighbours for the core distance; 0 = min-cluster-size")
      ->capture_default_str();
  h->add_option("--selection", args->selection, "eom (most persistent) or leaf (finest)")
      ->capture_default_str()
      ->check(CLI::IsMember({"eom", "leaf"}));
  h->add_option("--cluster-selection-epsilon", r.hdbscan.clusterSelectionEpsilon,
                "Metres: clusters closer than this are not split further (0 = off)")
      ->capture_default_str();
  h->add_flag("--allow-single-cluster", r.hdbscan.allowSingleCluster,
              "Allow everything to be one cluster");
  auto* k = cmd->add_option_group("k-means");
  k->add_option("-k,--k", r.kmeans.k, "Number of clusters")->capture_default_str();
  k->add_option("--n-init", r.kmeans.nInit, "Restarts; the lowest inertia wins")
      ->capture_default_str();
  k->add_option("--max-iter", r.kmeans.maxIter, "Lloyd iterations per restart")
      ->capture_default_str();
  k->add_option("--tolerance", r.kmeans.tolerance, "Relative tolerance on the centre shift")
      ->capture_default_str();
  cmd->add_option("--seed", r.kmeans.seed, "Random seed (k-means)")->capture_default_str();
  auto* o = cmd->add_option_group("Hulls");
  o->add_flag("--concave-hull", r.summary.concaveHull, "Concave hulls instead of convex ones");
  o->add_option("--concave-ratio", r.summary.concaveRatio,
                "Concave hull edge-length ratio: 1 = convex, 0 = tightest")
      ->capture_default_str();
  o->add_flag("--concave-allow-holes", r.summary.concaveAllowHoles, "Allow holes in concave hulls");
  o->add_option("--degenerate-buffer", r.degenerateBuffer,
                "Buffer in metres for hulls of 1-2 points or points on a line")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads; 0 = all cores")
      ->capture_default_str();

  cmd->callback([args, &session] {
    auto& req = args->request;
    req.method = layers::parseClusterMethod(args->method);
    // One set of flags for the DBSCAN family: eps, min-pts and DBSCAN* apply to ST-DBSCAN too.
    req.stDbscan.eps = req.dbscan.eps;
    req.stDbscan.minPts = req.dbscan.minPts;
    req.stDbscan.borderPointsAreNoise = req.dbscan.borderPointsAreNoise;
    if (args->epsDays > 0) req.stDbscan.epsSeconds = args->epsDays * 86400.0;
    req.hdbscan.selection = args->selection == "leaf" ? geo::ClusterSelection::Leaf
                                                      : geo::ClusterSelection::ExcessOfMass;
    req.dbscan.threads = req.stDbscan.threads = req.hdbscan.threads = req.kmeans.threads =
        args->threads;
    runAnalysis(args->store, std::string(layers::clusterMethodName(req.method)), req,
                layers::runClustering, session);
  });
}

}  // namespace veldwacht::cli
