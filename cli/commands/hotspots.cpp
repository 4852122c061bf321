// veldwacht hotspots STORE — Getis-Ord Gi*, local Moran (LISA), optimized hot spots, or the
// global statistics (Moran's I, nearest neighbour index, Ripley's L) of points counted per grid
// cell or of a numeric field of a polygon layer. The flags are made from the hot-spot
// descriptions (layers/analyses/describe_hotspots.cpp); --method global runs the three global
// statistics at once, so each of their options applies.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/analyses/hotspots.h"

namespace veldwacht::cli {

void addHotspotsCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "hotspots",
      "Hot spots and spatial autocorrelation: Gi* (gi), local Moran (local-moran), optimized hot\n"
      "spots (optimized), or global Moran's I + nearest neighbour index + Ripley's L (global)");
  struct Args {
    std::string store;
    std::string method = "gi";
    layers::HotspotRequest request;  ///< inputs and output; options come from `given`
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::hotspotAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input, "points counted per cell");
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  std::string methods;
  for (const auto& a : analyses)
    for (const auto& m : a.methods)
      if (methods.find(m) == std::string::npos) methods += (methods.empty() ? "" : ", ") + m;
  cmd->add_option("-m,--method", args->method, "One of " + methods)->capture_default_str();
  cmd->add_option("--polygon-layer", r.polygonLayer,
                  "Analyse a numeric field of this polygon layer instead of point counts");
  cmd->add_option("--polygon-where", r.polygonWhere, "OGR SQL filter on the polygon layer");
  cmd->add_option("--value-field", r.valueField, "The numeric field of the polygon layer");
  cmd->add_option("--mask-layer", r.maskLayer,
                  "Polygon layer limiting the grid (e.g. gemeenten, bedrijventerreinen)");
  cmd->add_option("--mask-where", r.maskWhere, "OGR SQL filter on the mask layer");
  addDescribedOptions(cmd, analyses, given);

  cmd->callback([args, given, &analyses, &session] {
    // The descriptions --method chooses: one, or the three global statistics.
    std::vector<const layers::describe::Analysis<layers::HotspotRequest>*> chosen;
    for (const auto& a : analyses)
      for (const auto& m : a.methods)
        if (m == args->method) chosen.push_back(&a);
    if (chosen.empty()) (void)analysisForMethod(analyses, args->method);  // throws, naming them
    layers::HotspotRequest req = chosen.front()->defaults();
    chosen.front()->selectMethod(req, args->method);
    req.input = args->request.input;
    req.output = args->request.output;
    req.polygonLayer = args->request.polygonLayer;
    req.polygonWhere = args->request.polygonWhere;
    req.valueField = args->request.valueField;
    req.maskLayer = args->request.maskLayer;
    req.maskWhere = args->request.maskWhere;
    // Every given value is checked by each chosen description that has the option, in the
    // order of the descriptions' options; an option none of them has is refused.
    for (const auto& [cli, text] : given->text) {
      bool applies = false;
      for (const auto* a : chosen) applies = applies || a->find(cli) != nullptr;
      if (!applies) throw geo::OptionError("--" + cli, "does not apply to " + args->method);
    }
    for (const auto* a : chosen)
      for (const auto& o : a->options) {
        const auto it = given->text.find(o.cli);
        if (it != given->text.end()) a->setText(req, o.cli, it->second);
      }
    runAnalysis(args->store, args->method, req, layers::runHotspots, session);
  });
}

}  // namespace veldwacht::cli
