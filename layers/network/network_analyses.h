// Route, travel-time matrix and reachability as users run them: the store's network
// (network_store.h), point layers of the store snapped onto it, and result tables:
//   <output>_route            line: modus, lengte_m, tijd_s, wegvakken
//   <output>_matrix           table: from_id, to_id, length_m, time_s (NULL when unreachable)
//   <output>_bereik_wegen     lines: base_id, wvk_id, van_m, tot_m (reached road parts)
//   <output>_bereik_gebied    polygons: base_id, bereikt_m (area around the reached parts)
//   <output>_bereik_locaties  points: site_id, base_id, time_s, length_m, binnen_limiet
// Each runner is three steps: read (the network and the snapped points, shared helpers) →
// build (buildRoute / buildMatrix / buildReach: an AnalysisResult with the tables of the
// description, describe_network.cpp) → write (writeToStore, one transaction). The CLI calls
// runRoute / runMatrix / runReach (all three steps); Processing calls the builders and writes.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "geo/network/connectivity.h"
#include "geo/network/reach.h"
#include "layers/analyses/analysis_result.h"
#include "layers/analyses/description.h"
#include "layers/analyses/inputs.h"
#include "layers/analyses/report.h"
#include "layers/network/network_store.h"

namespace veldwacht::layers {

struct NetworkCommon {
  geo::TravelMode mode = geo::TravelMode::Auto;
  geo::CostKind cost = geo::CostKind::Time;
  /// Points farther from a usable road are refused (metres).
  double maxSnapDistance = 500.0;
  NetworkSource source;
  std::size_t threads = 0;
  std::string output = "netwerk";
  std::string stylesDir;
  /// A JSON speed table file (read at run time into source.speedsJson when that is empty).
  std::string speedsFile;
  void validate() const;
};

struct RouteRequest {
  NetworkCommon common;
  /// Start and end (EPSG:28992); NaN = not given (refused by validate()).
  geo::Point from{kNoCoordinate, kNoCoordinate}, to{kNoCoordinate, kNoCoordinate};
  void validate() const;
  static constexpr double kNoCoordinate = std::numeric_limits<double>::quiet_NaN();
};

struct MatrixRequest {
  NetworkCommon common;
  PointSelection from{"partners", {}, {}};
  PointSelection to{"vab", {}, {}};
  /// Also write the matrix as CSV (from_id,to_id,length_m,time_s; empty cells when unreachable).
  std::string csvPath;
  void validate() const;
  /// Processing inputs by CLI name ("from", "to"): layer (empty = keep), filter.
  void applyInput(const std::string& cli, const std::string& layer, const std::string& where,
                  const std::string& field);
};

struct ReachRequest {
  NetworkCommon common;
  PointSelection bases{"partners", {}, {}};
  std::optional<PointSelection> sites;
  double minutes = 15.0;  ///< limit in minutes (common.cost must be time)
  double areaBuffer = 100.0;
  void validate() const;
  /// Processing inputs by CLI name ("from", "sites"; an empty sites layer = none).
  void applyInput(const std::string& cli, const std::string& layer, const std::string& where,
                  const std::string& field);
};

/// Steps of the runners. The builders read the store's network (building and keeping it, and
/// for the matrix its contraction hierarchy, when the store is writable) and the points, and
/// return the tables; nothing else is written.
AnalysisResult buildRoute(Store& store, const RouteRequest& request,
                          geo::Progress& progress = geo::nullProgress());
AnalysisResult buildMatrix(Store& store, const MatrixRequest& request,
                           geo::Progress& progress = geo::nullProgress());
AnalysisResult buildReach(Store& store, const ReachRequest& request,
                          geo::Progress& progress = geo::nullProgress());

RunReport runRoute(Store& store, const RouteRequest& request,
                   geo::Progress& progress = geo::nullProgress());
RunReport runMatrix(Store& store, const MatrixRequest& request,
                    geo::Progress& progress = geo::nullProgress());
RunReport runReach(Store& store, const ReachRequest& request,
                   geo::Progress& progress = geo::nullProgress());

/// Writes a matrix as CSV with the columns from_id,to_id,length_m,time_s.
void writeMatrixCsv(const std::string& path, const std::vector<std::string>& fromKeys,
                    const std::vector<std::string>& toKeys, const geo::MatrixResult& matrix);
/// The same CSV from a built <output>_matrix table (empty cells where NULL).
void writeMatrixCsv(const std::string& path, const ResultLayer& matrixTable);

namespace describe {
/// route, matrix, reach (commands `route`, `matrix`, `reach`; Processing veldwacht:store_<id>).
const std::vector<Analysis<RouteRequest>>& routeAnalyses();
const std::vector<Analysis<MatrixRequest>>& matrixAnalyses();
const std::vector<Analysis<ReachRequest>>& reachAnalyses();
}  // namespace describe

}  // namespace veldwacht::layers
