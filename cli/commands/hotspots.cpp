// veldwacht hotspots STORE — Getis-Ord Gi*, local Moran (LISA), optimized hot spots, or the
// global statistics (Moran's I, nearest neighbour index, Ripley's L) of points counted per grid
// cell or of a numeric field of a polygon layer.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/analyses/hotspots.h"

namespace veldwacht::cli {

void addHotspotsCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "hotspots",
      "Hot spots and spatial autocorrelation: Gi* (gi), local Moran (local-moran), optimized hot\n"
      "spots (optimized), or global Moran's I + nearest neighbour index + Ripley's L (global)");
  struct Args {
    std::string store;
    layers::HotspotRequest request;
    std::string method = "gi";
    std::string weights = "distance-band";
    std::string correction = "fdr";
    GridFlags grid;
    std::int64_t permutations = -1;
    std::int64_t seed = -1;
    std::size_t threads = 0;
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input, "points counted per cell");
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  cmd->add_option("-m,--method", args->method, "gi, local-moran, optimized or global")
      ->capture_default_str()
      ->check(CLI::IsMember({"gi", "local-moran", "optimized", "global"}));
  cmd->add_option("--polygon-layer", r.polygonLayer,
                  "Analyse a numeric field of this polygon layer instead of point counts");
  cmd->add_option("--polygon-where", r.polygonWhere, "OGR SQL filter on the polygon layer");
  cmd->add_option("--value-field", r.valueField, "The numeric field of the polygon layer");
  addGridFlags(cmd, r.grid, args->grid);
  auto* w = cmd->add_option_group("Weights");
  w->add_option("--weights", args->weights, "distance-band, k-nearest or contiguity")
      ->capture_default_str()
      ->check(CLI::IsMember({"distance-band", "k-nearest", "contiguity"}));
  w->add_option("--band", r.band.band,
                "Distance band in metres; 0 = the smallest giving every unit a neighbour")
      ->capture_default_str();
  w->add_option("--k", r.knn.k, "Neighbours for k-nearest weights")->capture_default_str();
  w->add_flag("--row-standardise", r.gi.rowStandardise, "Gi*: row-standardised weights");
  auto* s = cmd->add_option_group("Inference");
  s->add_option("--permutations", args->permutations,
                "Conditional permutations; default 999 for gi and local-moran, 0 for optimized "
                "(analytic p)");
  s->add_option("--seed", args->seed, "Random seed of the permutations and simulations (12345)");
  s->add_option("--correction", args->correction, "Multiple-testing correction of the bins")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kCorrections)));
  s->add_option("--alpha", r.localMoran.alpha, "local-moran: significance of the cluster types")
      ->capture_default_str();
  auto* o = cmd->add_option_group("Optimized hot spots");
  o->add_option("--bands", r.optimized.bands, "Incremental spatial autocorrelation bands")
      ->capture_default_str();
  auto* g = cmd->add_option_group("Global statistics");
  g->add_option("--area", r.nni.area,
                "NNI study area in m2; 0 = the mask's area, else the points' bounding rectangle")
      ->capture_default_str();
  g->add_option("--simulations", r.ripley.simulations, "Ripley: CSR simulations for the envelope")
      ->capture_default_str();
  g->add_option("--distance-bands", r.ripley.bands, "Ripley: number of distances")
      ->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads; 0 = all cores")
      ->capture_default_str();
  cmd->callback([args, cmd, &session] {
    auto& req = args->request;
    req.method = layers::parseHotspotMethod(args->method);
    req.weights = layers::parseWeightsKind(args->weights);
    args->grid.apply(req.grid);
    req.maskLayer = args->grid.maskLayer;
    req.maskWhere = args->grid.maskWhere;
    req.optimized.shape =
        req.grid.shape == geo::GridShape::Square ? geo::GridShape::Square : req.grid.shape;
    // --cell-size applies to optimized hot spots only when given (its default is "suggest").
    if (cmd->count("--cell-size") > 0) req.optimized.cellSize = req.grid.cellSize;
    const auto correction = choose(args->correction, kCorrections);
    req.gi.correction = req.localMoran.correction = correction;
    // Given values are checked, never replaced: only an absent flag keeps the method's default.
    if (cmd->count("--permutations") > 0) {
      if (args->permutations < 0 || args->permutations > 99999)
        throw geo::OptionError("--permutations", "must be 0 (analytic only) up to 99999; got " +
                                                     std::to_string(args->permutations));
      req.gi.permutations = req.localMoran.permutations = req.optimized.permutations =
          static_cast<std::uint32_t>(args->permutations);
    }
    if (cmd->count("--seed") > 0 && args->seed < 0)
      throw geo::OptionError("--seed", "must be >= 0; got " + std::to_string(args->seed));
    if (cmd->count("--seed") > 0)
      req.gi.seed = req.localMoran.seed = req.optimized.seed = req.ripley.seed =
          static_cast<std::uint64_t>(args->seed);
    req.gi.threads = req.localMoran.threads = req.optimized.threads = req.ripley.threads =
        args->threads;
    runAnalysis(args->store, args->method, req, layers::runHotspots, session);
  });
}

}  // namespace veldwacht::cli
