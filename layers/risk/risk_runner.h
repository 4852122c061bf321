// The risk terrain model as users run it on a store: signals per grid cell over the study area,
// risk factors read from the store's layers (and its road network), the fitted relative-risk
// surface written as a GeoTIFF next to the store (<store stem>_<output>.tif, registered in
// veldwacht_resultaten) and the factor table as a result layer (<output>_factoren).
// Method: docs/algorithms/risk.md. The request and its description: risk_request.h.
//
// Steps (docs/adding-an-algorithm.md): readRiskInput → computeRisk → buildRiskResult →
// writeRiskResult; runRisk is all four.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "geo/density/raster.h"
#include "geo/risk/influence.h"
#include "geo/risk/risk_terrain.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/report.h"
#include "layers/risk/risk_request.h"

namespace veldwacht::layers {

/// What the model reads from the store.
struct RiskInput {
  PointInput events;
  geo::RasterGrid grid;                   ///< the analysis grid (square cells)
  std::vector<std::uint8_t> inArea;       ///< per cell: centre inside the study area
  std::vector<double> counts;             ///< signals per cell
  std::size_t inside = 0;                 ///< signals in the study area
  std::vector<geo::RiskFactor> factors;   ///< candidates of the factors with data
  std::vector<RiskFactorSource> sources;  ///< parallel to factors
  std::vector<std::string> skipped;       ///< one message per factor left out (no data)
  /// With earlier-signals factors: counts are the signals from responseFrom on, the factors'
  /// candidates are computed at responseFrom, and `current` holds every factor at
  /// forecastTime (the day after the latest signal) for the map. Both 0 and `current` empty
  /// otherwise.
  geo::TimeSeconds responseFrom = 0;
  geo::TimeSeconds forecastTime = 0;
  std::size_t earlier = 0;  ///< signals before responseFrom (in the study area)
  std::vector<geo::RiskFactor> current;
};

RiskInput readRiskInput(Store& store, const RiskRequest& request,
                        geo::Progress& progress = geo::nullProgress());

/// The fit; with earlier-signals factors the surfaces are those of `current` (the forecast).
geo::RiskTerrainResult computeRisk(const RiskInput& input, const RiskRequest& request,
                                   geo::Progress& progress = geo::nullProgress());

/// The factor table (as the description's FACTORS table) and the relative-risk raster.
struct RiskResult {
  AnalysisResult result;  ///< layers: <output>_factoren
  geo::Raster raster;     ///< relative risk; nodata outside the study area
  std::map<std::string, std::string> rasterMetadata;
  ResultMetadata metadata;
};

RiskResult buildRiskResult(const RiskInput& input, const RiskRequest& request,
                           const geo::RiskTerrainResult& model, const RunClock& clock);

/// Writes the GeoTIFF (refused over a file this store did not write unless request.overwrite;
/// checked before anything is written), then the factor table in one transaction, and
/// registers the raster with its style.
RunReport writeRiskResult(Store& store, const RiskRequest& request, RiskResult&& result,
                          geo::Progress& progress = geo::nullProgress());

RunReport runRisk(Store& store, const RiskRequest& request,
                  geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
