// Kernel density as users run it: a GeoTIFF next to the store (<store stem>_<output>.tif),
// registered in veldwacht_resultaten, with styles/results/density.qml (or dual_density.qml) as
// its QML sidecar: density stretches over what the map shows, dual density reads the log2 scale
// below, so neither needs rescaling (styles/README.md).
//
// Dual KDE (a denominator selection given) writes the risk-adjusted surface as the log2 of the
// ratio to the region's overall ratio, log2((f_num / f_den) / (W_num / W_den)), clamped to
// ±4: 0 = as many signals as the addresses predict, +1 = twice as many, −1 = half. A symmetric
// scale is what the diverging dual_density style needs; the plain ratio sits in the metadata.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "geo/density/dual_kde.h"
#include "geo/density/kde.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/report.h"

namespace veldwacht::layers {

struct DensityRequest {
  PointSelection input;
  /// When set: dual KDE of input over this selection (e.g. verblijfsobjecten).
  std::optional<PointSelection> denominator;
  std::string output = "dichtheid";
  geo::KdeOptions kde;
  /// Dual KDE only: minDenominator, rule and ratioScale (its `kde` is replaced by `kde` above).
  geo::DualKdeOptions dual;
  /// Optional study area: the union of these polygons becomes kde.maskWkb.
  std::string maskLayer;
  std::string maskWhere;
  /// Folder for the GeoTIFF; empty = the store's folder.
  std::string directory;
  /// Replace an existing .tif / .qml of that name even when it is not a registered result of
  /// this store (--overwrite). Symbolic links are refused all the same.
  bool overwrite = false;
  std::string stylesDir;

  void validate() const;
};

/// Step 1 for the CLI: the points, the denominator and the mask from the store.
AnalysisInputs readDensityInputs(Store& store, const DensityRequest& request,
                                 geo::Progress& progress = geo::nullProgress());

/// Steps 2 and 3 for any host: the surface (KDE, or dual KDE with `inputs.denominator`) as
/// the result's raster with its GeoTIFF metadata, style and registry metadata. Nothing is
/// written; writeToStore writes it next to the store, the plugin to its raster destination.
AnalysisResult buildDensity(const AnalysisInputs& inputs, const DensityRequest& request,
                            geo::Progress& progress = geo::nullProgress());

/// Whether buildDensityStreamed takes `request`: a plain KDE (no denominator), exact method.
bool densityStreams(const DensityRequest& request);

/// Step 2 for a host that streams its input: the same surface (bit for bit), report and
/// metadata as buildDensity, made band by band (geo::kernelDensityStreamed) and handed to
/// `sink`, so that neither the points nor the whole raster are held. `mask` as
/// AnalysisInputs::mask. The result's raster is the header without values. Throws
/// std::logic_error when !densityStreams(request).
AnalysisResult buildDensityStreamed(const StreamedPoints& points,
                                    const std::vector<std::vector<std::uint8_t>>& mask,
                                    const DensityRequest& request, RasterResultSink& sink,
                                    geo::Progress& progress = geo::nullProgress());

/// The whole run for the CLI: read (0–10 %), build (10–90 %), write the GeoTIFF (90–100 %).
RunReport runDensity(Store& store, const DensityRequest& request,
                     geo::Progress& progress = geo::nullProgress());

namespace describe {
/// kde and dualkde (command density; dual KDE when a denominator is given).
const std::vector<Analysis<DensityRequest>>& densityAnalyses();
const Analysis<DensityRequest>& densityAnalysis(std::string_view id);
}  // namespace describe

}  // namespace veldwacht::layers
