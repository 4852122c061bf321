// The descriptions of the density analyses (command `density`): kde, and dualkde when a
// denominator is given. Texts in English and Dutch (Dutch as in plugin/i18n/veldwacht_nl.ts).
#include "layers/analyses/density.h"
#include "layers/analyses/describe_common.h"

namespace veldwacht::layers::describe {

namespace {

using R = DensityRequest;

/// The KDE options both analyses share, bound to request.kde.
void addKdeOptions(Analysis<R>& a, bool all) {
  addOption(a, "radius", "RADIUS", OptionKind::Real, field(&R::kde, &geo::KdeOptions::radius))
      .label("Radius (bandwidth)", "Straal (bandbreedte)")
      .help("Bandwidth / search radius in metres.", "Bandbreedte / zoekstraal in meters.")
      .unit("m")
      .atLeast(1)
      .atMost(1e6);
  addOption(a, "pixel-size", "PIXEL_SIZE", OptionKind::Real,
            field(&R::kde, &geo::KdeOptions::pixelSize))
      .label("Pixel size", "Pixelgrootte")
      .help("Pixel size in metres.", "Pixelgrootte in meters.")
      .unit("m")
      .atLeast(0.1)
      .atMost(1e5);
  addOption(a, "kernel", "KERNEL", OptionKind::Choice,
            choiceField(&R::kde, &geo::KdeOptions::kernel,
                        std::vector<std::pair<std::string, geo::Kernel>>{
                            {"quartic", geo::Kernel::Quartic},
                            {"triangular", geo::Kernel::Triangular},
                            {"uniform", geo::Kernel::Uniform},
                            {"triweight", geo::Kernel::Triweight},
                            {"epanechnikov", geo::Kernel::Epanechnikov},
                            {"gaussian", geo::Kernel::Gaussian}}),
            {"quartic", "triangular", "uniform", "triweight", "epanechnikov", "gaussian"})
      .label("Kernel shape", "Kernvorm")
      .help("Kernel shape.", "Kernvorm.");
  addOption(a, "kernel-output", "SCALING", OptionKind::Choice,
            choiceField(&R::kde, &geo::KdeOptions::output,
                        std::vector<std::pair<std::string, geo::KernelOutput>>{
                            {"per_km2", geo::KernelOutput::PerSquareKm},
                            {"raw", geo::KernelOutput::Raw},
                            {"scaled", geo::KernelOutput::QgisScaled}}),
            {"per_km2", "raw", "scaled"})
      .label("Output values", "Uitvoerwaarden")
      .help(
          "per_km2: points per km²; raw: QGIS's unscaled kernel sum; scaled: as QGIS's "
          "Heatmap.",
          "per_km2: punten per km²; raw: ruwe kernsom; scaled: zoals Heatmap van QGIS.")
      .advanced();
  if (!all) return;
  addOption(a, "decay", "DECAY", OptionKind::Real, field(&R::kde, &geo::KdeOptions::decay))
      .label("Decay ratio (triangular kernel)", "Afnameverhouding (driehoekige kern)")
      .help("Triangular kernel: value at the radius relative to the centre (0..1 for per_km2).",
            "Driehoekige kern: waarde op de straal ten opzichte van het midden (0..1 voor "
            "per_km2).")
      .atLeast(-100)
      .atMost(1)
      .advanced();
  addOption(a, "gaussian-sigma", "GAUSSIAN_SIGMA", OptionKind::Real,
            field(&R::kde, &geo::KdeOptions::gaussianSigma))
      .label("Gaussian sigma", "Sigma van de Gaussische kern")
      .help("Gaussian kernel: sigma in metres; 0 = radius / 3.",
            "Gaussische kern: sigma in meters; 0 = straal / 3.")
      .unit("m")
      .atLeast(0)
      .atMost(1e6)
      .advanced();
  addOption(a, "placement", "PLACEMENT", OptionKind::Choice,
            choiceField(&R::kde, &geo::KdeOptions::placement,
                        std::vector<std::pair<std::string, geo::PixelPlacement>>{
                            {"exact", geo::PixelPlacement::Exact},
                            {"qgis", geo::PixelPlacement::QgisHeatmap}}),
            {"exact", "qgis"})
      .label("Pixel placement", "Pixelplaatsing")
      .help("exact: pixel centres; qgis: QGIS Heatmap's pixel rows.",
            "exact: pixelmiddelpunten; qgis: de pixelrijen van Heatmap van QGIS.")
      .advanced();
  addOption(a, "method", "METHOD", OptionKind::Choice,
            choiceField(&R::kde, &geo::KdeOptions::method,
                        std::vector<std::pair<std::string, geo::KdeMethod>>{
                            {"exact", geo::KdeMethod::Exact}, {"binned", geo::KdeMethod::Binned}}),
            {"exact", "binned"})
      .label("Method", "Methode")
      .help("exact sum, or binned (faster, approximate).",
            "exacte som, of gebind (sneller, benadering).")
      .advanced();
  addThreads(a, field(&R::kde, &geo::KdeOptions::threads));
}

ResultTable rasterResult(std::string style, Text meaning) {
  ResultTable t;
  t.suffix = ".tif";
  t.processing = "OUTPUT";
  t.raster = true;
  t.style = std::move(style);
  t.meaning = std::move(meaning);
  return t;
}

const Family kDensity{"density", "density", {"Density", "Dichtheid"}};

Analysis<R> kdeDescription() {
  auto a = analysisOf<R>(
      kDensity, "kde", {"kde"}, {"Kernel density (heatmap)", "Kerndichtheid (heatmap)"},
      {"Estimates the density of points as a raster (kernel density estimation, Silverman 1986): "
       "every point spreads its weight over a disc of the given radius with the chosen kernel. The "
       "default output is points per km², so maps made with different pixel sizes compare. The "
       "QGIS-compatible scaling and pixel placement reproduce QGIS's Heatmap algorithm. An "
       "optional "
       "mask sets cells outside it to no-data.",
       "Schat de dichtheid van punten als raster (kerndichtheidsschatting, Silverman 1986): elk "
       "punt verdeelt zijn gewicht over een schijf met de gegeven straal volgens de gekozen kern. "
       "Standaard is de uitvoer punten per km², zodat kaarten met verschillende pixelgroottes "
       "vergelijkbaar zijn. De QGIS-schaling en pixelplaatsing geven dezelfde uitkomst als het "
       "Heatmap-algoritme van QGIS. Een optioneel masker maakt cellen erbuiten no-data."});
  a.inputs = {pointInput(true), maskInput()};
  a.inputs[0].keys = false;  // a surface: no per-point rows
  addKdeOptions(a, true);
  a.results = {rasterResult("density", {"Density raster (<store stem>_<output>.tif, Float32).",
                                        "Dichtheidsraster (<store>_<uitvoer>.tif, Float32)."})};
  return a;
}

Analysis<R> dualKdeDescription() {
  auto a = analysisOf<R>(
      kDensity, "dualkde", {"dual-kde"},
      {"Dual kernel density (rate per address)", "Dubbele kerndichtheid (ratio per adres)"},
      {"The ratio of two kernel densities on the same grid (dual KDE, e.g. signals per 1000 "
       "addresses), so that busy places do not look risky only because many people live or work "
       "there. Where the denominator's density is below the minimum the ratio is no-data (or "
       "computed with the minimum). The store keeps log2 of the ratio to the region's overall "
       "ratio, clamped to ±4.",
       "De verhouding van twee kerndichtheden op hetzelfde raster (dubbele KDE, bijv. signalen per "
       "1000 adressen), zodat drukke plekken niet riskant lijken alleen omdat er veel mensen wonen "
       "of werken. Waar de dichtheid van de noemer onder het minimum ligt, is de verhouding "
       "no-data (of berekend met het minimum). De store bewaart log2 van de verhouding tot die "
       "van de hele regio, begrensd op ±4."});
  Input num = pointInput(true);
  num.label = {"Numerator points (signals)", "Punten in de teller (signalen)"};
  Input den = denominatorInput();
  den.optional = false;
  den.defaultLayer = "verblijfsobjecten";
  num.keys = den.keys = false;  // a surface: no per-point rows
  a.inputs = {num, den, maskInput()};
  a.makeDefaults = [] {
    R r;
    r.denominator = PointSelection{"verblijfsobjecten", "", ""};
    return r;
  };
  addKdeOptions(a, true);
  addOption(a, "ratio-scale", "RATIO_SCALE", OptionKind::Real,
            field(&R::dual, &geo::DualKdeOptions::ratioScale))
      .label("Ratio multiplier (e.g. 1000)", "Vermenigvuldiger van de verhouding (bijv. 1000)")
      .help("Ratio multiplier, e.g. 1000 for signals per 1000 addresses.",
            "Vermenigvuldiger van de verhouding, bijv. 1000 voor signalen per 1000 adressen.")
      .greaterThan(0)
      .atMost(1e12)
      .group("Dual KDE");
  addOption(a, "min-denominator", "MIN_DENOMINATOR", OptionKind::Real,
            field(&R::dual, &geo::DualKdeOptions::minDenominator))
      .label("Minimum denominator density (per km²)", "Minimale dichtheid van de noemer (per km²)")
      .help("Denominator density below which the ratio is undefined.",
            "Dichtheid van de noemer waaronder de verhouding niet bepaald is.")
      .atLeast(0)
      .atMost(1e12)
      .group("Dual KDE")
      .advanced();
  addOption(a, "rule", "SMALL", OptionKind::Choice,
            choiceField(&R::dual, &geo::DualKdeOptions::rule,
                        std::vector<std::pair<std::string, geo::SmallDenominator>>{
                            {"nodata", geo::SmallDenominator::Nodata},
                            {"clamp", geo::SmallDenominator::Clamp}}),
            {"nodata", "clamp"})
      .label("Below the minimum", "Onder het minimum")
      .help("Small denominator: nodata, or clamp to the minimum.",
            "Kleine noemer: no-data, of het minimum gebruiken.")
      .group("Dual KDE")
      .advanced();
  a.results = {rasterResult(
      "dual_density",
      {"log2 of the ratio to the region's overall ratio, clamped to ±4 (<store "
       "stem>_<output>.tif).",
       "log2 van de verhouding tot die van de regio, begrensd op ±4 (<store>_<uitvoer>.tif)."})};
  return a;
}

}  // namespace

const std::vector<Analysis<DensityRequest>>& densityAnalyses() {
  static const std::vector<Analysis<DensityRequest>> all =
      finishAll<R>({kdeDescription(), dualKdeDescription()});
  return all;
}

const Analysis<DensityRequest>& densityAnalysis(std::string_view id) {
  return findAnalysis(densityAnalyses(), id, "density");
}

}  // namespace veldwacht::layers::describe
