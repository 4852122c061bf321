// Balanced areas: divide units (buurten, hex cells, road-graph pieces) among k partners so that
// every area is contiguous, its workload lies within ±tolerance of the mean, and it is compact.
//
// A seeded region-growing start (k seeds spread by farthest-point sampling; the lightest area
// takes its nearest unassigned neighbour) followed by the local search of the automatic zoning
// procedure (AZP, Openshaw 1977; Openshaw & Rao 1995): a unit on an area's border moves to a
// neighbouring area when the area it leaves stays contiguous and the cost drops. The cost puts
// balance first (the excess over the tolerance, linear plus squared, heavily weighted), then
// the squared deviations from the mean, then compactness (the within-area moment of inertia over
// the total). Several seeded restarts; the best wins. Anchor: exact optima from CBC on small
// cases (areas_exact.h, bench/planning_areas; ArcGIS's Build Balanced Zones is commercial,
// PySAL's spopt is not packaged here).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

struct AreaOptions {
  std::size_t areas = 2;    ///< k >= 1, at most the number of units
  double tolerance = 0.10;  ///< allowed relative deviation of a workload from the mean
  std::uint64_t seed = 1;
  std::size_t restarts = 8;     ///< >= 1
  std::size_t maxPasses = 200;  ///< local-search passes over all border units per restart
  void validate() const;
};

struct AreaResult {
  std::vector<std::size_t> areaOf;  ///< area of every unit
  std::vector<double> workload;     ///< per area
  std::vector<std::size_t> units;   ///< per area
  std::vector<double> deviation;    ///< per area: (workload - mean) / mean
  std::vector<char> contiguous;     ///< per area
  std::vector<double> spread;       ///< per area: RMS distance of its units to its centroid
  double meanWorkload = 0.0;
  double maxDeviation = 0.0;  ///< max |deviation|
  bool balanced = false;      ///< every |deviation| <= tolerance
  /// 1 - (within-area inertia / total inertia) of the unit centroids: 1 = points, 0 = no
  /// grouping (like k-means' R²).
  double compactness = 0.0;
  std::vector<std::string> warnings;
};

/// `adjacency` (one list per unit, `n` of them) made symmetric, without self loops and with each
/// list sorted and unique. InputError for a list count other than `n` or a neighbour that is
/// not a unit (naming the unit).
std::vector<std::vector<std::size_t>> symmetricAdjacency(
    std::size_t n, const std::vector<std::vector<std::size_t>>& adjacency);

/// `adjacency[u]` lists the units that share a border with u (symmetrised internally). The units
/// must form one connected region (InputError otherwise, naming a unit that cannot be reached).
AreaResult balancedAreas(std::span<const double> workload, std::span<const Point> centroids,
                         const std::vector<std::vector<std::size_t>>& adjacency,
                         const AreaOptions& options, Progress& progress = nullProgress());

}  // namespace veldwacht::geo
