// veldwacht density STORE — kernel density (heatmap) of a point layer, or dual KDE over a
// denominator layer; writes a GeoTIFF next to the store with a scaled QML sidecar. The flags are
// made from the density descriptions (layers/analyses/describe_density.cpp); a denominator
// chooses dual KDE.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/analyses/density.h"

namespace veldwacht::cli {

void addDensityCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "density",
      "Kernel density of points (a heatmap) as a GeoTIFF next to the store, or the dual kernel\n"
      "density of points over a denominator (e.g. signals over addresses)");
  struct Args {
    std::string store;
    layers::DensityRequest request;
    layers::PointSelection denominator{"", "", ""};
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::densityAnalyses();
  auto& r = args->request;
  r.output = "dichtheid";
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input);
  cmd->add_option("-o,--output", r.output, "Result name: <store>_<output>.tif")
      ->capture_default_str();
  cmd->add_option("--mask-layer", r.maskLayer, "Study-area polygons (e.g. gemeenten)");
  cmd->add_option("--mask-where", r.maskWhere, "OGR SQL filter on the mask layer");
  cmd->add_option("--output-dir", r.directory,
                  "Folder for the GeoTIFF (default: the store's folder; required for a PostGIS "
                  "store)");
  cmd->add_flag("--overwrite", r.overwrite,
                "Replace an existing .tif/.qml that is not a result of this store");
  addDenominatorFlags(cmd->add_option_group("Dual KDE"), args->denominator,
                      "Denominator points (e.g. verblijfsobjecten): dual KDE");
  addDescribedOptions(cmd, analyses, given);
  cmd->callback([args, given, &analyses, &session] {
    const bool dual = !args->denominator.layer.empty();
    const std::string method = dual ? "dual-kde" : "kde";
    const auto& a = analysisForMethod(analyses, method);
    layers::DensityRequest req = a.defaults();
    req.input = args->request.input;
    req.output = args->request.output;
    req.maskLayer = args->request.maskLayer;
    req.maskWhere = args->request.maskWhere;
    req.overwrite = args->request.overwrite;
    req.directory = args->request.directory;
    req.denominator.reset();
    if (dual) req.denominator = args->denominator;
    applyGivenOptions(a, method, *given, req);
    runAnalysis(args->store, dual ? "dual kde" : "kde", req, layers::runDensity, session);
  });
}

}  // namespace veldwacht::cli
