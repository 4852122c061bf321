// Spatial weights for the local and global autocorrelation statistics: which features are
// neighbours of which. Binary weights only (w_ij = 1 for a neighbour, 0 otherwise), stored as
// compressed neighbour lists that never contain the feature itself; each method adds the self
// weight (Gi*) or row-standardises (Moran) itself, as its paper prescribes.
//
// Three conceptualisations, as in ArcGIS and PySAL:
//  - fixed distance band: j is a neighbour of i when d_ij <= band. The default band is the
//    smallest one that gives every feature at least one neighbour, i.e. the largest
//    nearest-neighbour distance over all features (ArcGIS's default for Hot Spot Analysis).
//  - k nearest neighbours (ties at the k-th distance broken by the k-d tree's order),
//  - contiguity: an adjacency list the caller builds (polygons sharing an edge, grid cells).
#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "geo/core/progress.h"
#include "geo/core/types.h"

namespace veldwacht::geo {

/// Compressed neighbour lists (CSR): neighbours of i are neighbours[offsets[i] .. offsets[i+1]).
/// Self is never listed; lists are sorted ascending.
struct SpatialWeights {
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> neighbours;

  std::size_t size() const { return offsets.size() - 1; }
  std::size_t count(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
  std::span<const std::uint32_t> of(std::size_t i) const {
    return {neighbours.data() + offsets[i], neighbours.data() + offsets[i + 1]};
  }
  /// Number of features with no neighbour at all (islands).
  std::size_t islands() const;
  /// True when j is listed for i exactly when i is listed for j.
  bool symmetric() const;

  /// From per-feature neighbour lists (self entries and duplicates are dropped). With
  /// `symmetrise`, j->i is added for every i->j. Throws InputError for an index >= size.
  static SpatialWeights fromLists(std::span<const std::vector<std::uint32_t>> lists,
                                  bool symmetrise = true);
  /// From (i, j) pairs over `n` features (contiguity from an edge list). Symmetrised.
  static SpatialWeights fromPairs(std::size_t n,
                                  std::span<const std::pair<std::uint32_t, std::uint32_t>> pairs);
};

/// The default distance band: the largest nearest-neighbour distance (metres), so that every
/// feature has at least one neighbour. 0 for fewer than two points.
double defaultDistanceBand(std::span<const Point> points, Progress& progress = nullProgress());

struct DistanceBandOptions {
  /// Band in metres (d <= band is a neighbour). 0 = defaultDistanceBand().
  double band = 0.0;
  void validate() const;
};

struct DistanceBandWeights {
  SpatialWeights weights;
  double band = 0.0;  ///< the band actually used (metres)
};

/// Fixed-distance-band weights through the shared k-d tree.
DistanceBandWeights distanceBandWeights(std::span<const Point> points,
                                        const DistanceBandOptions& options,
                                        Progress& progress = nullProgress());

struct KNearestOptions {
  std::size_t k = 8;  ///< ArcGIS's default for K_NEAREST_NEIGHBORS
  void validate() const;
};

/// k-nearest-neighbour weights (not symmetric in general). Coincident points count as
/// neighbours at distance 0; the feature itself is excluded.
SpatialWeights kNearestWeights(std::span<const Point> points, const KNearestOptions& options,
                               Progress& progress = nullProgress());

}  // namespace veldwacht::geo
