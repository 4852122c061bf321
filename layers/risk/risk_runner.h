// The risk terrain model as users run it on a store: signals per grid cell over the study area,
// risk factors read from the store's layers, the fitted relative-risk surface written as a
// GeoTIFF next to the store (<store stem>_<output>.tif, registered in veldwacht_resultaten) and
// the factor table as a result layer (<output>_factoren). Method: docs/algorithms/risk.md.
#pragma once

#include <string>
#include <vector>

#include "geo/risk/influence.h"
#include "geo/risk/risk_terrain.h"
#include "layers/analyses/report.h"

namespace veldwacht::layers {

/// A risk factor from a store layer. Point layers give their points; polygon layers (e.g.
/// bedrijventerreinen) give their boundary every half cell and the centres of the grid cells
/// inside them, so "within d of a business park" includes its interior.
struct RiskFactorSource {
  std::string name;  ///< as shown in the factor table, e.g. "vab"
  std::string layer;
  std::string where;
  /// Remoteness (1 where no feature lies within d) instead of proximity and density.
  bool remoteness = false;
};

/// vab (proximity, density), bedrijventerreinen (proximity, density), verblijfsobjecten
/// (remoteness: no dwelling within d).
std::vector<RiskFactorSource> defaultRiskFactors();

struct RiskRequest {
  PointSelection signals{};
  /// Study area polygons (e.g. gemeenten); cells whose centre lies inside are modelled.
  std::string studyAreaLayer = "gemeenten";
  std::string studyAreaWhere{};
  double cellSize = 100.0;
  std::vector<RiskFactorSource> factors = defaultRiskFactors();
  geo::InfluenceOptions influence{};
  geo::RiskTerrainOptions model{};
  std::string output = "risico";
  std::string directory{};  ///< folder for the GeoTIFF; empty = the store's folder
  std::string stylesDir{};
  void validate() const;
};

RunReport runRisk(Store& store, const RiskRequest& request,
                  geo::Progress& progress = geo::nullProgress());

}  // namespace veldwacht::layers
