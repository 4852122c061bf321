// veldwacht risk STORE — the risk terrain model: <store stem>_<output>.tif (relative risk,
// styled) and <output>_factoren. veldwacht adreslijst STORE — the ranked address-check list
// (VERTROUWELIJK): layer <output>, and with --csv / --xlsx the sheets for the handhavers.
// The flags are made from the descriptions (layers/analyses/describe_risk.cpp).
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "cli/description_flags.h"
#include "layers/risk/address_runner.h"
#include "layers/risk/risk_runner.h"

namespace veldwacht::cli {

void addRiskCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "risk",
      "Risk terrain model: where signals are likely next. Writes the relative-risk map\n"
      "<store>_<output>.tif (styled) and the factor table <output>_factoren");
  struct Args {
    std::string store;
    std::string method = "rtm";
    layers::RiskRequest request;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::riskAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("-l,--layer", r.events.layer, "Layer of the store with the signals to model")
      ->capture_default_str();
  cmd->add_option("-w,--where", r.events.where,
                  "OGR SQL filter on that layer, e.g. \"categorie = 'DRUGSAFVAL'\"");
  cmd->add_option("--area-layer", r.studyAreaLayer, "Polygon layer of the study area")
      ->capture_default_str();
  cmd->add_option("--area-where", r.studyAreaWhere,
                  "OGR SQL filter on the study area, e.g. \"code = 'GM1979'\"");
  cmd->add_option("-o,--output", r.output, "Result name: <store>_<output>.tif, <output>_factoren")
      ->capture_default_str();
  cmd->add_flag("--overwrite", r.overwrite,
                "Replace an existing GeoTIFF of that name that this store did not write");
  cmd->add_option("--output-dir", r.directory,
                  "Folder for the GeoTIFF (default: the store's folder; required for a PostGIS "
                  "store)");
  addMethodFlag(cmd, analyses, args->method);
  addDescribedOptions(cmd, analyses, given);

  cmd->callback([args, given, &analyses, &session] {
    const auto& a = analysisForMethod(analyses, args->method);
    layers::RiskRequest req = a.defaults();
    req.events = args->request.events;
    req.studyAreaLayer = args->request.studyAreaLayer;
    req.studyAreaWhere = args->request.studyAreaWhere;
    req.output = args->request.output;
    req.overwrite = args->request.overwrite;
    req.directory = args->request.directory;
    applyGivenOptions(a, args->method, *given, req);
    runAnalysis(args->store, "risk", req, layers::runRisk, session);
  });
}

void addAdreslijstCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "adreslijst",
      "Ranked address-check list (thematische adrescontrole, VERTROUWELIJK): BAG panden,\n"
      "verblijfsobjecten or VAB scored from registers and signals, every row explained;\n"
      "writes layer <output> (sites for the planner) and optionally --csv / --xlsx sheets");
  struct Args {
    std::string store;
    std::string method = "score";
    layers::AddressListRequest request;
  };
  auto args = std::make_shared<Args>();
  auto given = std::make_shared<GivenOptions>();
  const auto& analyses = layers::describe::addressListAnalyses();
  auto& r = args->request;
  cmd->add_option("store", args->store, "The store")->required();
  cmd->add_option("-w,--where", r.candidatesWhere,
                  "OGR SQL filter on the candidate layer (see --candidates)");
  cmd->add_option("--vab-where", r.vabWhere, "OGR SQL filter on vab");
  cmd->add_option("--signals-where", r.signalsWhere,
                  "OGR SQL filter on signalen, e.g. \"betrouwbaarheid IN ('A','B')\"");
  cmd->add_option("--area-layer", r.areaLayer,
                  "Only candidates inside these polygons (e.g. buurten, gemeenten)");
  cmd->add_option("--area-where", r.areaWhere, "OGR SQL filter on the area layer");
  cmd->add_option("--csv", r.csvPath, "Also write the sheet as CSV (semicolons, UTF-8)");
  cmd->add_option("--xlsx", r.xlsxPath, "Also write the sheet as XLSX");
  cmd->add_flag("--overwrite", r.overwrite, "Replace existing --csv / --xlsx files");
  cmd->add_option("-o,--output", r.output, "Result layer name")->capture_default_str();
  addMethodFlag(cmd, analyses, args->method);
  addDescribedOptions(cmd, analyses, given);

  cmd->callback([args, given, &analyses, &session] {
    const auto& a = analysisForMethod(analyses, args->method);
    layers::AddressListRequest req = a.defaults();
    const auto& in = args->request;
    req.candidatesWhere = in.candidatesWhere;
    req.vabWhere = in.vabWhere;
    req.signalsWhere = in.signalsWhere;
    req.areaLayer = in.areaLayer;
    req.areaWhere = in.areaWhere;
    req.csvPath = in.csvPath;
    req.xlsxPath = in.xlsxPath;
    req.overwrite = in.overwrite;
    req.output = in.output;
    applyGivenOptions(a, args->method, *given, req);
    runAnalysis(args->store, "adreslijst", req, layers::runAddressList, session);
  });
}

}  // namespace veldwacht::cli
