// The analyses `veldwacht demo` runs on the sample store, with parameters that suit the region.
#include "cli/demo_analyses.h"

#include <fmt/core.h>

#include "layers/analyses/clustering.h"

namespace veldwacht::cli {

namespace {

void show(const Session& session, const layers::RunReport& r) {
  if (session.quiet) return;
  for (const auto& l : r.layers) fmt::print("   {:<34} {}\n", l, r.lines.empty() ? "" : r.lines[0]);
  for (const auto& w : r.warnings) fmt::print("   warning: {}\n", w);
}

}  // namespace

void runDemoAnalyses(layers::Store& store, Session& session) {
  auto& progress = session.progress;
  {
    layers::ClusteringRequest r;
    r.input = {"signalen", "", ""};
    r.output = "signalen_dbscan";
    r.dbscan.eps = 300;
    r.dbscan.minPts = 5;
    progress.begin("dbscan");
    auto report = layers::runClustering(store, r, progress);
    progress.finish();
    show(session, report);
  }
}

}  // namespace veldwacht::cli
