// veldwacht density STORE — kernel density (heatmap) of a point layer, or dual KDE over a
// denominator layer; writes a GeoTIFF next to the store with a scaled QML sidecar.
#include <fmt/core.h>

#include "cli/analysis_flags.h"
#include "cli/commands.h"
#include "layers/analyses/density.h"

namespace veldwacht::cli {

namespace {
const std::vector<std::pair<std::string, geo::Kernel>> kKernels = {
    {"quartic", geo::Kernel::Quartic},           {"triangular", geo::Kernel::Triangular},
    {"uniform", geo::Kernel::Uniform},           {"triweight", geo::Kernel::Triweight},
    {"epanechnikov", geo::Kernel::Epanechnikov}, {"gaussian", geo::Kernel::Gaussian}};
const std::vector<std::pair<std::string, geo::KernelOutput>> kOutputs = {
    {"per_km2", geo::KernelOutput::PerSquareKm},
    {"raw", geo::KernelOutput::Raw},
    {"scaled", geo::KernelOutput::QgisScaled}};
}  // namespace

void addDensityCommand(CLI::App& app, Session& session) {
  auto* cmd = app.add_subcommand(
      "density",
      "Kernel density of points (a heatmap) as a GeoTIFF next to the store, or the dual kernel\n"
      "density of points over a denominator (e.g. signals over addresses)");
  struct Args {
    std::string store;
    layers::DensityRequest request;
    layers::PointSelection denominator{"", "", ""};
    std::string kernel = "quartic";
    std::string kernelOutput = "per_km2";
    std::string method = "exact";
    std::string placement = "exact";
    std::string rule = "nodata";
  };
  auto args = std::make_shared<Args>();
  auto& r = args->request;
  r.output = "dichtheid";
  cmd->add_option("store", args->store, "The store")->required();
  addPointSelectionFlags(cmd, r.input);
  cmd->add_option("-o,--output", r.output, "Result name: <store>_<output>.tif")
      ->capture_default_str();
  cmd->add_option("--radius", r.kde.radius, "Bandwidth / search radius, metres")
      ->capture_default_str();
  cmd->add_option("--pixel-size", r.kde.pixelSize, "Pixel size, metres")->capture_default_str();
  cmd->add_option("--kernel", args->kernel, "Kernel shape")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kKernels)));
  cmd->add_option("--kernel-output", args->kernelOutput,
                  "Values: per_km2 (density), raw (QGIS unscaled), scaled (QGIS scaled)")
      ->capture_default_str()
      ->check(CLI::IsMember(keysOf(kOutputs)));
  cmd->add_option("--decay", r.kde.decay, "Triangular kernel: value at the radius (QGIS decay)")
      ->capture_default_str();
  cmd->add_option("--gaussian-sigma", r.kde.gaussianSigma, "Gaussian sigma, metres; 0 = radius/3")
      ->capture_default_str();
  cmd->add_option("--method", args->method, "exact, or binned (faster for dense data)")
      ->capture_default_str()
      ->check(CLI::IsMember({"exact", "binned"}));
  cmd->add_option("--placement", args->placement, "exact, or qgis (QGIS heatmap's pixel rows)")
      ->capture_default_str()
      ->check(CLI::IsMember({"exact", "qgis"}));
  cmd->add_option("--mask-layer", r.maskLayer, "Study-area polygons (e.g. gemeenten)");
  cmd->add_option("--mask-where", r.maskWhere, "OGR SQL filter on the mask layer");
  cmd->add_flag("--overwrite", r.overwrite,
                "Replace an existing .tif/.qml that is not a result of this store");
  auto* d = cmd->add_option_group("Dual KDE");
  addDenominatorFlags(d, args->denominator,
                      "Denominator points (e.g. verblijfsobjecten): dual KDE");
  d->add_option("--min-denominator", r.dual.minDenominator,
                "Denominator density below which the ratio is undefined")
      ->capture_default_str();
  d->add_option("--rule", args->rule, "Small denominator: nodata or clamp")
      ->capture_default_str()
      ->check(CLI::IsMember({"nodata", "clamp"}));
  d->add_option("--ratio-scale", r.dual.ratioScale, "Ratio multiplier (e.g. 1000)")
      ->capture_default_str();
  cmd->add_option("--threads", r.kde.threads, "Worker threads; 0 = all cores")
      ->capture_default_str();
  cmd->callback([args, &session] {
    auto& req = args->request;
    req.kde.kernel = choose(args->kernel, kKernels);
    req.kde.output = choose(args->kernelOutput, kOutputs);
    req.kde.method = args->method == "binned" ? geo::KdeMethod::Binned : geo::KdeMethod::Exact;
    req.kde.placement =
        args->placement == "qgis" ? geo::PixelPlacement::QgisHeatmap : geo::PixelPlacement::Exact;
    req.dual.rule =
        args->rule == "clamp" ? geo::SmallDenominator::Clamp : geo::SmallDenominator::Nodata;
    if (!args->denominator.layer.empty()) req.denominator = args->denominator;
    runAnalysis(args->store, req.denominator ? "dual kde" : "kde", req, layers::runDensity,
                session);
  });
}

}  // namespace veldwacht::cli
