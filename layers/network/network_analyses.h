// Route, travel-time matrix and reachability as users run them: the store's network
// (network_store.h), point layers of the store snapped onto it, and result layers written with
// writeResultLayers:
//   <output>_route            line: van, naar, lengte_m, tijd_s, modus, wegvakken
//   <output>_matrix           table: from_id, to_id, length_m, time_s (NULL when unreachable)
//   <output>_bereik_wegen     lines: base_id, wvk_id, van_m, tot_m (reached road parts)
//   <output>_bereik_gebied    polygons: base_id, bereikt_m (area around the reached parts)
//   <output>_bereik_locaties  points: site_id, base_id, time_s, length_m, binnen_limiet
#pragma once

#include <optional>
#include <string>

#include "geo/network/connectivity.h"
#include "geo/network/reach.h"
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
  void validate() const;
};

struct RouteRequest {
  NetworkCommon common;
  geo::Point from{}, to{};
  void validate() const { common.validate(); }
};

struct MatrixRequest {
  NetworkCommon common;
  PointSelection from{"partners", {}, {}};
  PointSelection to{"vab", {}, {}};
  /// Also write the matrix as CSV (from_id,to_id,length_m,time_s; empty cells when unreachable).
  std::string csvPath;
  void validate() const;
};

struct ReachRequest {
  NetworkCommon common;
  PointSelection bases{"partners", {}, {}};
  std::optional<PointSelection> sites;
  double minutes = 15.0;  ///< limit in minutes (common.cost must be time)
  double areaBuffer = 100.0;
  void validate() const;
};

RunReport runRoute(Store& store, const RouteRequest& request,
                   geo::Progress& progress = geo::nullProgress());
RunReport runMatrix(Store& store, const MatrixRequest& request,
                    geo::Progress& progress = geo::nullProgress());
RunReport runReach(Store& store, const ReachRequest& request,
                   geo::Progress& progress = geo::nullProgress());

/// Writes a matrix as CSV with the columns from_id,to_id,length_m,time_s.
void writeMatrixCsv(const std::string& path, const std::vector<std::string>& fromKeys,
                    const std::vector<std::string>& toKeys, const geo::MatrixResult& matrix);

}  // namespace veldwacht::layers
